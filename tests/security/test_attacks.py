"""Each attack of the trust review, tried again: it must now fail to do harm.

Identity, trusted time, the registry's own history, permission-filtered lists, the PPK a BKN
recommendation may reach, the reporter's identity, and hostile input.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text, update
from typer.testing import CliRunner

from cases.bulk import export_rows, write_csv
from cases.commands import NewCase, Reporter, Terlapor, advance, open_case
from cases.demo import load_demo_with_logins
from cases.identity.accounts import initialise, set_password
from cases.identity.history import verify_registry
from cases.identity.sessions import session_officer, sign_in
from cases.identity.tokens import authenticate_token, create_token, revoke_token
from cases.queries import list_cases
from cli.main import app
from db.case_repository import CaseFilter
from db.registry import Officer
from db.schema import CredentialRow, OfficerRow
from db.unit_of_work import UnitOfWork
from letters.privacy import reporter_leaks
from rules.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from rules.models import Role
from tests.cases.helpers import database_dump
from tests.conftest import sign_in_cli

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2024, 11, 20, 10, 0, tzinfo=WIB)
runner = CliRunner()


def _engine(uow: UnitOfWork) -> Engine:
    return uow.engine


def _temuan(region: str = "35.71", **changes: object) -> NewCase:
    values: dict[str, object] = {
        "channel": "temuan",
        "election_type": "pilkada",
        "region_code": region,
        "received_at": NOW,
        "known_at": NOW,
        "incident_at": NOW,
        "incident_place": "Balai kota",
        "summary": "Temuan pengawasan",
        "violation_codes": ["NET-08"],
        "terlapor": Terlapor("198503122010011003", "Budi", "Staf", "Kelurahan", "Pemkot"),
    }
    values.update(changes)
    return NewCase(**values)  # type: ignore[arg-type]


# --- identity --------------------------------------------------------------------------------


def test_the_cli_refuses_to_act_as_anyone_without_a_credential(
    demo_uow: UnitOfWork, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_USER", "admin")  # the old way: no longer an identity
    before = database_dump(_engine(demo_uow))
    result = runner.invoke(app, ["--db", db_url, "--as", "admin", "case", "list"])
    assert result.exit_code == 5 and "netra login" in result.output
    result = runner.invoke(
        app, ["--db", db_url, "--as", "bawaslu.kediri", "case", "note", "DEMO-KDR-1", "x"]
    )
    assert result.exit_code == 5
    assert database_dump(_engine(demo_uow)) == before


def test_an_officer_token_cannot_act_for_someone_else(demo_uow: UnitOfWork, db_url: str) -> None:
    sign_in_cli(demo_uow, db_url, "bawaslu.kediri")
    result = runner.invoke(app, ["--db", db_url, "--as", "bkn.analis", "case", "list"])
    assert result.exit_code == 5 and "administrator" in result.output


def test_an_operator_acting_for_an_officer_is_recorded_on_the_event(
    demo_uow: UnitOfWork, db_url: str
) -> None:
    sign_in_cli(demo_uow, db_url, "admin")
    result = runner.invoke(
        app,
        [
            "--db",
            db_url,
            "--now",
            "2024-11-20T10:00",
            "--as",
            "bawaslu.kediri",
            "--json",
            "case",
            "note",
            "DEMO-KDR-1",
            "Catatan dari operator",
        ],
    )
    assert result.exit_code == 0, result.output
    with demo_uow:
        last = demo_uow.events.load("DEMO-KDR-1")[-1]
    assert last.actor.user_id == "bawaslu.kediri" and last.actor.operator == "admin"
    assert last.hash == last.expected_hash()


def test_unknown_and_wrong_credentials_get_the_same_answer_and_failures_lock(
    demo_uow: UnitOfWork,
) -> None:
    with pytest.raises(AuthenticationFailed) as unknown:
        sign_in(demo_uow, "tidak.ada", "salah-sekali-123")
    with pytest.raises(AuthenticationFailed) as wrong:
        sign_in(demo_uow, "bawaslu.kediri", "salah-sekali-123")
    assert unknown.value.message == wrong.value.message
    for _ in range(6):
        with pytest.raises(AuthenticationFailed):
            sign_in(demo_uow, "bawaslu.kediri", "salah-sekali-123")
    with demo_uow:
        credential = demo_uow.identity.credential("bawaslu.kediri")
    assert credential is not None and credential.failed_attempts == 6  # the 7th came while locked
    assert credential.locked_until is not None and credential.locked_until > datetime.now(UTC)


def test_a_locked_account_refuses_even_the_right_password(db_url: str) -> None:
    from cases.bootstrap import unit_of_work

    loaded = load_demo_with_logins(unit_of_work(db_url))
    uow = unit_of_work(db_url)
    for _ in range(6):
        with pytest.raises(AuthenticationFailed):
            sign_in(uow, "bkn.analis", "bukan-sandinya-1")
    with pytest.raises(AuthenticationFailed):
        sign_in(uow, "bkn.analis", loaded.logins["bkn.analis"])


def test_sessions_and_tokens_end_when_revoked_or_the_account_is_disabled(db_url: str) -> None:
    from cases.bootstrap import unit_of_work
    from cases.identity.accounts import change_officer

    loaded = load_demo_with_logins(unit_of_work(db_url))
    uow = unit_of_work(db_url)
    signed = sign_in(uow, "bkn.analis", loaded.logins["bkn.analis"])
    assert session_officer(uow, signed.session_id)[0] == "bkn.analis"
    token, text_ = create_token(uow, "bkn.analis", "laptop", 30)
    assert authenticate_token(uow, text_) == "bkn.analis"
    revoke_token(uow, "bkn.analis", token.id)
    with pytest.raises(AuthenticationFailed):
        authenticate_token(uow, text_)
    _, second = create_token(uow, "bkn.analis", "laptop 2", 30)
    change_officer(uow, "admin", "bkn.analis", active=False, reason="pindah tugas")
    with pytest.raises(AuthenticationFailed):
        authenticate_token(uow, second)
    with pytest.raises(AuthenticationFailed):
        session_officer(uow, signed.session_id)


def test_only_the_tokens_hash_is_stored(demo_uow: UnitOfWork) -> None:
    _, text_ = create_token(demo_uow, "auditor", "skrip", 7)
    secret = text_.split("_", 2)[2]
    assert secret not in database_dump(_engine(demo_uow))


def test_a_fresh_install_has_no_officers_until_init_and_init_runs_once(uow: UnitOfWork) -> None:
    with uow:
        assert not uow.registry.has_officers()
    admin = Officer("kepala.admin", "Admin", Role.ADMIN, "netra", "Administrator", None)
    _, password = initialise(uow, admin)
    assert len(password) >= 16
    with pytest.raises(PermissionDenied):
        initialise(uow, Officer("kedua", "Admin", Role.ADMIN, "netra", "Administrator", None))


def test_password_change_needs_the_current_password(db_url: str) -> None:
    from cases.bootstrap import unit_of_work

    loaded = load_demo_with_logins(unit_of_work(db_url))
    uow = unit_of_work(db_url)
    with pytest.raises(AuthenticationFailed):
        set_password(uow, "bkn.analis", "bkn.analis", "sandi-baru-yang-kuat", "salah")
    with pytest.raises(PermissionDenied):
        set_password(uow, "bkn.analis", "auditor", "sandi-baru-yang-kuat")
    set_password(
        uow, "bkn.analis", "bkn.analis", "sandi-baru-yang-kuat", loaded.logins["bkn.analis"]
    )
    sign_in(uow, "bkn.analis", "sandi-baru-yang-kuat")


# --- trusted time ----------------------------------------------------------------------------


def test_a_production_database_refuses_a_user_set_clock(
    demo_uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = database_dump(_engine(demo_uow))
    monkeypatch.setenv("NETRA_ENV", "production")  # production refuses whatever the setting
    with pytest.raises(InvalidInput, match="jam server"):
        open_case(demo_uow, "bawaslu.kediri", _temuan(), NOW, case_id="CLOCK-1")
    monkeypatch.delenv("NETRA_ENV")
    with _engine(demo_uow).begin() as connection:
        connection.execute(text("UPDATE netra_settings SET value = 'refused'"))
    with pytest.raises(InvalidInput, match="jam server"):
        open_case(demo_uow, "bawaslu.kediri", _temuan(), NOW, case_id="CLOCK-1")
    assert "CLOCK-1" not in database_dump(_engine(demo_uow))
    del before
    moment = datetime.now(UTC)
    real = open_case(
        demo_uow,
        "bawaslu.kediri",
        _temuan(received_at=moment, known_at=moment, incident_at=moment - timedelta(days=1)),
        moment,
        case_id="CLOCK-2",
    )
    with demo_uow:
        assert all(e.clock is None for e in demo_uow.events.load(real.case_id))


def test_the_cli_now_option_is_refused_on_a_production_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    out = runner.invoke(app, ["--db", url, "init", "--admin", "kepala"])
    assert out.exit_code == 0, out.output
    password = next(
        line.split(":")[-1].strip() for line in out.output.splitlines() if "Kata sandi" in line
    )
    login = runner.invoke(
        app, ["--db", url, "login", "kepala", "--password-stdin"], input=password + "\n"
    )
    assert login.exit_code == 0, login.output
    result = runner.invoke(app, ["--db", url, "--now", "2020-01-01T00:00", "deadlines", "sweep"])
    assert result.exit_code == 2 and "--now" in result.output


def test_events_under_a_fixed_clock_say_so_and_real_time_ones_do_not(demo_uow: UnitOfWork) -> None:
    with demo_uow:
        events = demo_uow.events.load("DEMO-KDR-1")
    assert all(event.clock == "fixed" for event in events)  # the demo is dated 2024
    case = (
        advance(demo_uow, "bawaslu.kediri", "DEMO-KDR-1", "summon", {}, datetime.now(UTC))
        if False
        else None
    )
    del case


def test_a_late_paper_act_is_marked_and_bounded(demo_uow: UnitOfWork) -> None:
    open_case(demo_uow, "bawaslu.kediri", _temuan(), NOW, case_id="LATE-1")
    later = NOW + timedelta(days=2)
    with pytest.raises(InvalidInput, match="masa depan"):
        advance(
            demo_uow,
            "bawaslu.kediri",
            "LATE-1",
            "register",
            {"registration_number": "1", "effective_at": (later + timedelta(hours=1)).isoformat()},
            later,
        )
    with pytest.raises(InvalidInput, match="sebelum langkah sebelumnya"):
        advance(
            demo_uow,
            "bawaslu.kediri",
            "LATE-1",
            "register",
            {"registration_number": "1", "effective_at": (NOW - timedelta(hours=1)).isoformat()},
            later,
        )
    with pytest.raises(InvalidInput, match="paling lama"):
        advance(
            demo_uow,
            "bawaslu.kediri",
            "LATE-1",
            "register",
            {"registration_number": "1", "effective_at": NOW.isoformat()},
            NOW + timedelta(days=45),
        )
    effective = NOW + timedelta(days=1)
    advance(
        demo_uow,
        "bawaslu.kediri",
        "LATE-1",
        "register",
        {"registration_number": "1", "effective_at": effective.isoformat()},
        later,
    )
    with demo_uow:
        step = next(e for e in demo_uow.events.load("LATE-1") if "entered_late" in e.payload)
    assert step.occurred_at == effective and step.recorded_at == later
    assert step.payload["entered_late"]["effective_at"].startswith("2024-11-21")


# --- the registry is history -----------------------------------------------------------------


def test_making_an_officer_admin_by_direct_sql_is_caught(demo_uow: UnitOfWork) -> None:
    assert verify_registry(demo_uow).intact
    with _engine(demo_uow).begin() as connection:
        connection.execute(
            update(OfficerRow).where(OfficerRow.id == "bawaslu.kediri").values(role="admin")
        )
    report = verify_registry(demo_uow)
    assert not report.intact
    assert any("bawaslu.kediri" in finding and "role" in finding for finding in report.findings)


def test_a_password_hash_swapped_by_direct_sql_is_caught(demo_uow: UnitOfWork) -> None:
    from cases.identity.passwords import hash_password

    with _engine(demo_uow).begin() as connection:
        connection.execute(
            update(CredentialRow)
            .where(CredentialRow.officer_id == "admin")
            .values(password_hash=hash_password("dikuasai-penyerang"))
        )
    assert any("admin" in f and "Kata sandi" in f for f in verify_registry(demo_uow).findings)


def test_the_registry_history_cannot_be_updated_or_deleted(demo_uow: UnitOfWork) -> None:
    from sqlalchemy.exc import DBAPIError

    for statement in ("UPDATE registry_events SET actor_id = 'x'", "DELETE FROM registry_events"):
        with pytest.raises(DBAPIError), _engine(demo_uow).begin() as connection:
            connection.execute(text(statement))


# --- lists, jurisdiction, the reporter -------------------------------------------------------


def test_pages_count_only_cases_the_reader_may_see(demo_uow: UnitOfWork) -> None:
    for n in range(30):
        open_case(demo_uow, "bawaslu.kediri", _temuan(), NOW, case_id=f"KDR-{n:03d}")
    first = list_cases(demo_uow, "bawaslu.sukabumi", CaseFilter(), limit=1, offset=0)
    assert [c.case_id for c in first] == ["DEMO-SKB-1"]
    assert list_cases(demo_uow, "bawaslu.sukabumi", CaseFilter(), limit=1, offset=1) == []


def test_bkn_may_address_only_the_ppk_that_employs_the_terlapor(demo_uow: UnitOfWork) -> None:
    open_case(demo_uow, "bawaslu.kediri", _temuan(), NOW, case_id="BKN-1")
    for trigger, data in (
        ("register", {"registration_number": "1"}),
        (
            "invite_clarification",
            {"clarification_at": "2024-11-21T10:00", "clarification_place": "Kantor"},
        ),
        ("assess", {"clarification_summary": "Diklarifikasi"}),
        ("recommend", {"findings": "Terbukti", "recommendation_number": "1"}),
    ):
        advance(demo_uow, "bawaslu.kediri", "BKN-1", trigger, data, NOW)
    advance(demo_uow, "bkn.analis", "BKN-1", "bkn_accept", {}, NOW)
    before = database_dump(_engine(demo_uow))
    with pytest.raises(InvalidInput, match="PPK yang membina terlapor"):
        advance(
            demo_uow,
            "bkn.analis",
            "BKN-1",
            "bkn_recommend",
            {
                "ppk_institution": "PEMDA-3272",
                "sanction_category": "disiplin_sedang",
                "bkn_letter_number": "1",
            },
            NOW,
        )
    assert database_dump(_engine(demo_uow)) == before


def test_bkn_and_ppk_step_results_carry_no_reporter(demo_uow: UnitOfWork) -> None:
    case = list_cases(demo_uow, "bkn.analis", CaseFilter(region_code="35.75"))[0]
    assert case.reporter == {"redacted": True}
    from cases.commands import add_note

    result = add_note(demo_uow, "bkn.analis", "DEMO-PSR-1", "Dipantau", NOW)
    assert "Yono" not in json.dumps(result.to_dict())


@pytest.mark.parametrize(
    ("letter", "reporter"),
    [
        ("<p>Pelapor: Siti Ma&#39;rufah</p>", {"name": "Siti Ma'rufah"}),
        ("<p>PELAPOR YONO   SAPUTRA</p>", {"name": "Yono Saputra"}),
        ("<p>Telp. 0812-3456-7890</p>", {"name": "x", "phone": "081234567890"}),
        ("<p>Siti Ma’rufah</p>", {"name": "Siti Ma'rufah"}),
    ],
)
def test_the_letter_leak_check_sees_through_escaping_case_and_spacing(
    letter: str, reporter: dict[str, str]
) -> None:
    assert reporter_leaks(letter, reporter)


def test_the_leak_check_does_not_cry_wolf() -> None:
    assert (
        reporter_leaks(
            "<p>Nomor 001/PP.01.02/2024 tanggal 18 November</p>",
            {"name": "Yono Saputra", "phone": "081234567890"},
        )
        == []
    )


# --- hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"summary": "x" * 20001}, "terlalu panjang"),
        ({"summary": "ada\x00nul"}, "karakter kendali"),
        ({"incident_place": "kantor\x1b[31m"}, "karakter kendali"),
        (
            {"terlapor": Terlapor("198503122010011003", "B" * 201, "Staf", "Unit", "Pemkot")},
            "terlalu panjang",
        ),
    ],
)
def test_hostile_text_is_refused_and_nothing_written(
    demo_uow: UnitOfWork, changes: dict[str, object], message: str
) -> None:
    before = database_dump(_engine(demo_uow))
    with pytest.raises(InvalidInput, match=message):
        open_case(demo_uow, "bawaslu.kediri", _temuan(**changes), NOW, case_id="HOSTILE-1")
    assert database_dump(_engine(demo_uow)) == before


@pytest.mark.parametrize("case_id", ["../../x", "A\nB", "X" * 200, "abc def", ""])
def test_case_ids_follow_their_pattern(demo_uow: UnitOfWork, case_id: str) -> None:
    with pytest.raises(InvalidInput):
        open_case(demo_uow, "bawaslu.kediri", _temuan(), NOW, case_id=case_id or "-")


def test_rich_markup_and_escape_codes_in_a_name_are_printed_as_text(
    demo_uow: UnitOfWork, db_url: str
) -> None:
    open_case(
        demo_uow,
        "bawaslu.kediri",
        _temuan(
            terlapor=Terlapor("198503122010011003", "[/red][bold]Budi", "Staf", "Unit", "Pemkot")
        ),
        NOW,
        case_id="MARKUP-1",
    )
    sign_in_cli(demo_uow, db_url, "admin")
    result = runner.invoke(app, ["--db", db_url, "--as", "bawaslu.kediri", "case", "list"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(
        app, ["--db", db_url, "--as", "bawaslu.kediri", "case", "show", "MARKUP-1"]
    )
    assert shown.exit_code == 0 and "[/red][bold]Budi" in shown.output


def test_spreadsheet_exports_neutralise_formulas(demo_uow: UnitOfWork) -> None:
    open_case(
        demo_uow,
        "bawaslu.kediri",
        _temuan(incident_place='=HYPERLINK("http://x","klik")', summary="=cmd|' /C calc'!A0"),
        NOW,
        case_id="FORMULA-1",
    )
    header, rows = export_rows(demo_uow, "bawaslu.kediri", CaseFilter(region_code="35.71"))
    out = io.StringIO()
    write_csv(out, header, rows)
    for row in csv.reader(io.StringIO(out.getvalue())):
        assert not any(cell.startswith(("=", "+", "@")) for cell in row)


def test_database_errors_reach_the_user_as_a_named_error_without_sql(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-database.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(app, ["--db", f"sqlite:///{bad}", "init"])
    assert result.exit_code == 9
    assert "SELECT" not in result.output and "Traceback" not in result.output


def test_a_laporan_with_a_reporter_is_still_accepted(demo_uow: UnitOfWork) -> None:
    new = _temuan(channel="laporan", reporter=Reporter("Siti Ma'rufah", "Jalan Melati 1"))
    assert open_case(demo_uow, "bawaslu.kediri", new, NOW, case_id="LAP-1").reporter


def test_audit_verify_names_a_registry_change_made_behind_netras_back(
    demo_uow: UnitOfWork, db_url: str
) -> None:
    sign_in_cli(demo_uow, db_url, "admin")
    intact = runner.invoke(app, ["--db", db_url, "--as", "auditor", "audit", "verify"])
    assert intact.exit_code == 0, intact.output
    with _engine(demo_uow).begin() as connection:
        connection.execute(
            update(OfficerRow).where(OfficerRow.id == "bkn.analis").values(role="admin")
        )
    broken = runner.invoke(app, ["--db", db_url, "--as", "auditor", "audit", "verify"])
    assert broken.exit_code == 7 and "registri" in broken.output and "bkn.analis" in broken.output


def test_export_out_never_follows_a_symlink_nor_overwrites_without_force(
    demo_uow: UnitOfWork, db_url: str, tmp_path: Path
) -> None:
    sign_in_cli(demo_uow, db_url, "admin")
    victim = tmp_path / "victim.txt"
    victim.write_text("tidak boleh berubah")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    base = ["--db", db_url, "--as", "auditor", "export", "cases", "--format", "csv"]
    for target in (link, victim):
        result = runner.invoke(app, [*base, "--out", str(target)])
        assert result.exit_code == 2, result.output
    assert victim.read_text() == "tidak boleh berubah"
    result = runner.invoke(app, [*base, "--out", str(link), "--force"])
    assert result.exit_code == 2 and victim.read_text() == "tidak boleh berubah"
    fresh = tmp_path / "perkara.xlsx"
    result = runner.invoke(app, [*base[:-2], "--format", "xlsx", "--out", str(fresh)])
    assert result.exit_code == 0 and fresh.stat().st_mode & 0o077 == 0
