"""`netra case ...`: open, show, list, advance, timeline, and one command per lifecycle step."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click
from typer.core import TyperGroup

from cases import queries
from cli.case_lists import print_case_list, print_steps
from cli.common import (
    OPTIONS,
    acting_user,
    clock,
    emit_json,
    handles_errors,
    open_read_uow,
    open_uow,
    parse_pairs,
)
from cli.render import print_case, print_timeline
from db.case_filter import CaseFilter

if TYPE_CHECKING:
    from rules.step_fields import StepField


class CaseGroup(TyperGroup):
    """The `case` commands. The lifecycle step commands (one per trigger of the latest rule
    set, built from its data) are added only when a name is not one of the fixed commands or
    when the commands are listed (help, completion): `case show` neither loads the rule set
    for them nor builds their options."""

    _steps_added = False

    def _add_step_commands(self) -> None:
        if not self._steps_added:
            self._steps_added = True
            self.commands.update(typer.main.get_group(step_commands()).commands)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._add_step_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_step_commands()
        return super().list_commands(ctx)


app = typer.Typer(
    cls=CaseGroup,
    help="Perkara: buka, lihat, daftar, dan langkah penanganan.",
    no_args_is_help=True,
)


@app.command("open")
@handles_errors
def open_(
    channel: Annotated[str, typer.Option(help="laporan (warga) atau temuan (Bawaslu)")],
    election: Annotated[str, typer.Option(help="pemilu atau pilkada")],
    region: Annotated[str, typer.Option(help="Kode wilayah Kemendagri, mis. 35.75")],
    received: Annotated[str, typer.Option(help="Waktu diterima, ISO (waktu setempat)")],
    known: Annotated[str, typer.Option(help="Waktu pelanggaran diketahui")],
    incident: Annotated[str, typer.Option(help="Waktu kejadian")],
    place: Annotated[str, typer.Option(help="Tempat kejadian")],
    summary: Annotated[str, typer.Option(help="Uraian singkat peristiwa")],
    violation: Annotated[list[str], typer.Option(help="Kode pelanggaran (NET-NN), dapat diulang")],
    nip: Annotated[str, typer.Option(help="NIP terlapor (18 digit)")],
    name: Annotated[str, typer.Option(help="Nama terlapor")],
    position: Annotated[str, typer.Option(help="Jabatan terlapor")] = "",
    unit: Annotated[str, typer.Option(help="Unit kerja terlapor")] = "",
    agency: Annotated[str, typer.Option(help="Instansi terlapor")] = "",
    rank: Annotated[str, typer.Option(help="Pangkat/golongan terlapor")] = "",
    reporter_name: Annotated[str | None, typer.Option(help="Nama pelapor (laporan)")] = None,
    reporter_address: Annotated[str, typer.Option(help="Alamat pelapor")] = "",
    reporter_phone: Annotated[str, typer.Option(help="Telepon pelapor")] = "",
    reporter_email: Annotated[str, typer.Option(help="Surel pelapor")] = "",
    after_determination: Annotated[
        bool, typer.Option(help="Terjadi setelah penetapan calon (disiplin, bukan etik)")
    ] = False,
    case_id: Annotated[
        str | None, typer.Option("--id", help="Nomor perkara (default: acak)")
    ] = None,
) -> None:
    """Catat laporan atau temuan baru."""
    from cases import commands  # imported when used: keeps `case show` light

    reporter = (
        commands.Reporter(reporter_name, reporter_address, reporter_phone, reporter_email)
        if reporter_name
        else None
    )
    new = commands.NewCase(
        channel=channel,
        election_type=election,
        region_code=region,
        received_at=received,
        known_at=known,
        incident_at=incident,
        incident_place=place,
        summary=summary,
        violation_codes=violation,
        terlapor=commands.Terlapor(nip, name, position, unit, agency, rank),
        reporter=reporter,
        after_determination=after_determination,
    )
    uow = open_uow()
    case = commands.open_case(uow, acting_user(), new, clock(), case_id=case_id)
    print_case(case, uow)


@app.command("show")
@handles_errors
def show(case_id: str) -> None:
    """Tampilkan satu perkara: status, tenggat, pihak yang harus bertindak."""
    uow = open_read_uow()
    print_case(queries.get_case(uow, acting_user(), case_id), uow)


@app.command("list")
@handles_errors
def list_(
    state: Annotated[str | None, typer.Option(help="Hanya status ini")] = None,
    region: Annotated[str | None, typer.Option(help="Hanya kode wilayah ini")] = None,
    nip: Annotated[str | None, typer.Option(help="Hanya NIP terlapor ini")] = None,
    violation: Annotated[str | None, typer.Option(help="Hanya kode pelanggaran ini")] = None,
    overdue: Annotated[bool, typer.Option(help="Hanya yang melewati tenggat")] = False,
    open_only: Annotated[
        bool | None, typer.Option("--open/--closed", help="Terbuka/selesai")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100000)] = 100,
) -> None:
    """Daftar perkara yang boleh dilihat petugas ini."""
    flt = CaseFilter(
        state=state,
        region_code=region,
        terlapor_nip=nip,
        violation_code=violation,
        overdue_at=clock() if overdue else None,
        is_open=open_only,
    )
    found = queries.list_cases(open_uow(), acting_user(), flt, limit=limit)
    if OPTIONS.json:
        emit_json([case.to_dict() for case in found])
        return
    print_case_list(found)


@app.command("advance")
@handles_errors
def advance_(
    case_id: str,
    trigger: str,
    set_: Annotated[list[str], typer.Option("--set", help="Data langkah: nama=nilai")] = [],  # noqa: B006
    expect_version: Annotated[int | None, typer.Option(help="Tolak jika versi berbeda")] = None,
) -> None:
    """Lakukan langkah apa pun menurut namanya (mis. register --set registration_number=...)."""
    from cases import commands  # imported when used: keeps `case show` light

    uow = open_uow()
    case = commands.advance(
        uow, acting_user(), case_id, trigger, parse_pairs(set_), clock(), expect_version
    )
    print_case(case, uow)


@app.command("timeline")
@handles_errors
def timeline_(case_id: str) -> None:
    """Riwayat lengkap: setiap peristiwa dengan pelaku, waktu, dan hash."""
    print_timeline(case_id, queries.timeline(open_uow(), acting_user(), case_id))


@app.command("note")
@handles_errors
def note(case_id: str, text: str) -> None:
    """Tambahkan catatan pada perkara."""
    from cases import commands  # imported when used: keeps `case show` light

    uow = open_uow()
    print_case(commands.add_note(uow, acting_user(), case_id, text, clock()), uow)


@app.command("reassign")
@handles_errors
def reassign(case_id: str, assignee: str) -> None:
    """Alihkan penanganan kepada petugas lain."""
    from cases import commands  # imported when used: keeps `case show` light

    uow = open_uow()
    print_case(commands.reassign(uow, acting_user(), case_id, assignee, clock()), uow)


@app.command("steps")
@handles_errors
def steps(case_id: str) -> None:
    """Langkah yang dapat diambil sekarang, dengan data yang diperlukan."""
    from rules.ruleset import load_rule_set  # the rule models: not for `case show`

    uow = open_uow()
    case = queries.get_case(uow, acting_user(), case_id)
    rules = load_rule_set(case.rule_set)
    specs = rules.triggers_from(case.state)
    if OPTIONS.json:
        emit_json([{"trigger": s.trigger, "required": s.required, "roles": s.roles} for s in specs])
        return
    print_steps(case_id, specs, rules)


def _step_command(
    trigger: str, label: str, fields: list[StepField], labels: Callable[[str], str]
) -> Any:
    """A Typer command for one lifecycle step with one option per data field.

    An option is mandatory only when every installed rule-set version requires the field;
    one that only some versions require is checked by the step itself against the case's
    own version (a case keeps the version it was opened under), and its help says which."""

    def command(case_id: str, **values: Any) -> None:
        from cases import commands  # imported when used: keeps `case show` light

        data = {name: value for name, value in values.items() if value not in (None, [])}
        uow = open_uow()
        case = commands.advance(uow, acting_user(), case_id, trigger, data, clock())
        print_case(case, uow)

    params = [inspect.Parameter("case_id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str)]
    for field in fields:
        name = field.name
        if field.always_required:
            params.append(
                inspect.Parameter(
                    name,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Annotated[str, typer.Option(help=f"{labels(name)} (wajib)")],
                )
            )
            continue
        need = (
            f"wajib untuk perkara dengan aturan {', '.join(field.required_by)}"
            if field.required_by
            else "opsional"
        )
        params.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[str | None, typer.Option(help=f"{labels(name)} ({need})")],
            )
        )
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = label
    command.__name__ = trigger
    return handles_errors(command)


def step_commands() -> typer.Typer:
    """One command per lifecycle step of the latest rule set (see CaseGroup)."""
    from rules.ruleset import load_rule_set  # the rule models: not for `case show`
    from rules.step_fields import step_fields_everywhere

    steps = typer.Typer()
    seen: set[str] = set()
    rules = load_rule_set()
    for spec in rules.lifecycle.transitions:
        if spec.trigger in seen:
            continue
        seen.add(spec.trigger)
        fields = step_fields_everywhere(spec.trigger)  # declared in each lifecycle.yaml
        steps.command(spec.trigger.replace("_", "-"))(
            _step_command(spec.trigger, spec.label, fields, rules.field_label)
        )
    return steps
