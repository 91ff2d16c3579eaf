"""`netra init`, `netra login|logout|whoami`, `netra user ...` and `netra token ...`."""

from __future__ import annotations

import socket
import sys
from typing import Annotated

import typer

from cases.identity import accounts, tokens
from cases.identity.history import EVENT_LABELS, verify_registry
from cli.common import (
    OPTIONS,
    acting_user,
    console,
    database_url,
    emit_json,
    handles_errors,
    open_uow,
)
from cli.credentials import store_token
from cli.labels import TOKEN_SCOPES, latest_labels, role_short, word
from cli.safe_text import SafeTable, shown
from db.registry import Officer
from rules.indonesian_dates import instant
from rules.models import Role

users_app = typer.Typer(help="Akun petugas: daftar, kata sandi, nonaktifkan.", no_args_is_help=True)
tokens_app = typer.Typer(help="Token API: buat, lihat, cabut.", no_args_is_help=True)


@handles_errors
def init(
    admin: Annotated[str | None, typer.Option("--admin", help="Id administrator pertama")] = None,
    name: Annotated[str, typer.Option(help="Nama administrator")] = "Administrator Netra",
) -> None:
    """Siapkan basis data (migrasi) dan, dengan --admin, administrator pertama."""
    from cases.bootstrap import unit_of_work

    uow = unit_of_work(database_url())
    if admin is None:
        console.print(f"Basis data siap: {shown(database_url())}")
        return
    officer = Officer(
        admin, name, Role.ADMIN, accounts.SYSTEM_INSTITUTION.code, "Administrator Sistem", None
    )
    admin_id, password = accounts.initialise(uow, officer)
    console.print(f"Basis data siap: {shown(database_url())}")
    console.print(f"Administrator pertama: [bold]{shown(admin_id)}[/]")
    console.print(f"Kata sandi (ditampilkan sekali, segera ganti): [bold]{shown(password)}[/]")
    console.print(f"Masuk dengan: netra login {shown(admin_id)}")


@handles_errors
def login(
    user_id: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Baca kata sandi dari stdin")
    ] = False,
    totp: Annotated[str | None, typer.Option(help="Kode TOTP (jika diaktifkan)")] = None,
    days: Annotated[int, typer.Option(help="Masa berlaku token (hari)")] = 30,
) -> None:
    """Masuk: periksa kata sandi dan simpan token pribadi (berkas mode 0600)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Kata sandi", hide_input=True)
    from cases.bootstrap import unit_of_work

    text = tokens.token_for_password(
        unit_of_work(database_url()),
        user_id,
        password,
        f"CLI {socket.gethostname()}"[:100],
        days,
        totp,
    )
    path = store_token(database_url(), text)
    console.print(f"Masuk sebagai [bold]{shown(user_id)}[/]; token disimpan di {shown(path)}")


@handles_errors
def logout() -> None:
    """Keluar: cabut token tersimpan untuk basis data ini dan hapus dari berkas."""
    from cli.credentials import stored_token

    text = stored_token(database_url())
    if text:
        try:
            token_id = tokens.parse_token(text)[0]
            tokens.revoke_token(open_uow(), acting_user(), token_id)
        finally:
            store_token(database_url(), None)
    console.print("Keluar.")


@handles_errors
def whoami() -> None:
    """Siapa yang sedang bertindak (dan operator, jika --as)."""
    from cli.common import identity

    officer_id, operator = identity()
    if OPTIONS.json:
        emit_json({"officer": officer_id, "operator": operator})
        return
    line = f"Petugas: [bold]{shown(officer_id)}[/]"
    if operator:
        line += f" (dioperasikan oleh {shown(operator)})"
    console.print(line)


@users_app.command("add")
@handles_errors
def user_add(
    officer_id: str,
    name: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()],
    institution: Annotated[str, typer.Option()],
    title: Annotated[str, typer.Option()],
    nip: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    notify: Annotated[str, typer.Option(help="email | none")] = "none",
) -> None:
    """Daftarkan petugas (administrator); kata sandi pertama ditampilkan sekali."""
    officer = Officer(officer_id, name, role, institution, title, nip, True, email, notify)
    password = accounts.register_officer(open_uow(), acting_user(), officer)
    console.print(f"Petugas {shown(officer_id)} terdaftar")
    console.print(f"Kata sandi pertama (ditampilkan sekali): [bold]{shown(password)}[/]")


@users_app.command("passwd")
@handles_errors
def user_passwd(
    officer_id: Annotated[str | None, typer.Argument(help="Kosong: akun sendiri")] = None,
    generate: Annotated[bool, typer.Option(help="Buat kata sandi acak")] = False,
) -> None:
    """Ganti kata sandi sendiri, atau (administrator) setel ulang milik petugas lain."""
    me = acting_user()
    target = officer_id or me
    current = None
    if target == me:
        current = typer.prompt("Kata sandi lama", hide_input=True)
    new = (
        None
        if generate
        else typer.prompt("Kata sandi baru", hide_input=True, confirmation_prompt=True)
    )
    password = accounts.set_password(open_uow(), me, target, new, current)
    console.print(f"Kata sandi {shown(target)} diganti; semua sesi web-nya diakhiri")
    if generate:
        console.print(f"Kata sandi baru (ditampilkan sekali): [bold]{shown(password)}[/]")


@users_app.command("disable")
@handles_errors
def user_disable(officer_id: str, reason: Annotated[str, typer.Option(help="Alasan")]) -> None:
    """Nonaktifkan petugas (administrator): token dan sesinya dicabut."""
    accounts.change_officer(open_uow(), acting_user(), officer_id, active=False, reason=reason)
    console.print(f"Petugas {shown(officer_id)} dinonaktifkan")


@users_app.command("enable")
@handles_errors
def user_enable(officer_id: str, reason: Annotated[str, typer.Option(help="Alasan")]) -> None:
    """Aktifkan kembali petugas (administrator)."""
    accounts.change_officer(open_uow(), acting_user(), officer_id, active=True, reason=reason)
    console.print(f"Petugas {shown(officer_id)} diaktifkan")


@users_app.command("set")
@handles_errors
def user_set(
    officer_id: str,
    role: Annotated[Role | None, typer.Option()] = None,
    institution: Annotated[str | None, typer.Option()] = None,
    title: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    notify: Annotated[str | None, typer.Option(help="email | none")] = None,
    reason: Annotated[str, typer.Option(help="Alasan perubahan")] = "",
) -> None:
    """Ubah peran, instansi, jabatan, surel atau pilihan pemberitahuan petugas."""
    accounts.change_officer(
        open_uow(),
        acting_user(),
        officer_id,
        role=role,
        institution_code=institution,
        title=title,
        email=email,
        notify=notify,
        reason=reason,
    )
    console.print(f"Data petugas {shown(officer_id)} diubah")


@users_app.command("totp")
@handles_errors
def user_totp(officer_id: Annotated[str | None, typer.Argument()] = None) -> None:
    """Aktifkan verifikasi dua langkah (TOTP); pindai URI sekali dengan aplikasi autentikator."""
    me = acting_user()
    uri = accounts.enable_totp(open_uow(), me, officer_id or me)
    console.print(f"URI TOTP (ditampilkan sekali): {shown(uri)}")


@users_app.command("list")
@handles_errors
def user_list() -> None:
    """Daftar petugas (administrator)."""
    officers = accounts.list_accounts(open_uow(), acting_user())
    if OPTIONS.json:
        emit_json([{**o.__dict__, "role": o.role.value} for o in officers])
        return
    roles = latest_labels()
    table = SafeTable("Id", "Nama", "Peran", "Instansi", "Jabatan", "Aktif")
    for o in officers:
        table.add_row(
            o.id,
            o.name,
            role_short(roles, o.role.value),
            o.institution_code,
            o.title,
            "ya" if o.active else "tidak",
        )
    console.print(table)


@tokens_app.command("create")
@handles_errors
def token_create(
    name: Annotated[str, typer.Option(help="Untuk apa token ini")],
    days: Annotated[int, typer.Option(help="Masa berlaku (hari)")] = 90,
    for_officer: Annotated[
        str | None, typer.Option("--for", help="Administrator: token untuk akun lain (mis. system)")
    ] = None,
) -> None:
    """Buat token API; teksnya ditampilkan sekali dan hanya hash-nya yang disimpan."""
    token, text = tokens.create_token(open_uow(), acting_user(), name, days, for_officer)
    if OPTIONS.json:
        emit_json({"id": token.id, "token": text, "expires_at": token.expires_at.isoformat()})
        return
    console.print(
        f"Token {shown(token.id)} untuk {shown(token.officer_id)} "
        f"({shown(word(TOKEN_SCOPES, token.scope))}), berlaku sampai {instant(token.expires_at)}"
    )
    console.print(f"[bold]{shown(text)}[/]")


@tokens_app.command("list")
@handles_errors
def token_list(
    all_: Annotated[bool, typer.Option("--all", help="Semua token (administrator)")] = False,
) -> None:
    """Token API milik sendiri (atau semua, administrator)."""
    items = tokens.list_tokens(open_uow(), acting_user(), everyone=all_)
    if OPTIONS.json:
        emit_json([{k: v for k, v in t.__dict__.items() if k != "secret_hash"} for t in items])
        return
    table = SafeTable(
        "Id", "Petugas", "Nama", "Cakupan", "Berlaku s.d.", "Terakhir dipakai", "Dicabut"
    )
    for t in items:
        table.add_row(
            t.id,
            t.officer_id,
            t.name,
            word(TOKEN_SCOPES, t.scope),
            instant(t.expires_at),
            instant(t.last_used_at),
            instant(t.revoked_at),
        )
    console.print(table)


@tokens_app.command("revoke")
@handles_errors
def token_revoke(token_id: str) -> None:
    """Cabut token API (pemilik atau administrator)."""
    tokens.revoke_token(open_uow(), acting_user(), token_id)
    console.print(f"Token {shown(token_id)} dicabut")


@handles_errors
def audit_registry(
    verify: Annotated[bool, typer.Option("--verify", help="Periksa rantai dan tabel")] = False,
) -> None:
    """Riwayat registri: siapa mengubah petugas, instansi, token, kalender, pengaturan."""
    uow = open_uow()
    events = accounts.registry_events(uow, acting_user())
    if OPTIONS.json and not verify:
        emit_json([{**e.__dict__, "recorded_at": e.recorded_at.isoformat()} for e in events])
        return
    if not verify:
        table = SafeTable("No.", "Waktu", "Peristiwa", "Oleh", "Rincian", "Hash")
        for e in events:
            who = e.actor_id + (f" (operator {e.operator_id})" if e.operator_id else "")
            detail = ", ".join(f"{k}={v}" for k, v in e.payload.items() if k not in ("digest",))
            table.add_row(
                str(e.seq),
                instant(e.recorded_at),
                EVENT_LABELS.get(e.event_type, e.event_type),
                who,
                detail[:120],
                e.hash[:12],
            )
        console.print(table)
        return
    report = verify_registry(uow)
    if OPTIONS.json:
        emit_json({"events": report.events, "intact": report.intact, "findings": report.findings})
    else:
        for finding in report.findings:
            console.print(f"[red]✗[/] {shown(finding)}")
        console.print(
            f"Riwayat registri: {report.events} peristiwa — {'Utuh' if report.intact else 'RUSAK'}"
        )
    if not report.intact:
        raise typer.Exit(7)
