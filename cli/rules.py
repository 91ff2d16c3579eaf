"""`netra rules violations|sanctions|states|deadlines|elections`: the catalog of the law in
force (or `--version`), with Indonesian titles, annex rows and citations.

`--json` gives the catalog rows with their codes. The tables read as an official would:
labels, Indonesian dates; a code is shown only in the column that says which option takes
it (`case open --violation`, `case list --state`, the step field `--sanction-code`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from cases.intake import catalog
from cli.common import OPTIONS, console, emit_json, handles_errors
from cli.labels import CLOSED_STAGE, DAY_TYPES, OBJECTIONS, label, word
from cli.safe_text import SafeTable as Table
from rules.indonesian_dates import day
from rules.indonesian_terms import election_type_label
from rules.models import annex_citation
from rules.ruleset import RuleSet, load_rule_set

app = typer.Typer(
    help="Katalog aturan: pelanggaran, sanksi, status, tenggat, jadwal pemilihan.",
    no_args_is_help=True,
)

Version = Annotated[str | None, typer.Option("--version", help="Versi aturan (default: terbaru)")]
Column = tuple[str, Callable[[dict[str, Any]], str]]  # header, the cell of one row


def _show(title: str, rows: list[dict[str, Any]], columns: list[Column]) -> None:
    if OPTIONS.json:
        emit_json(rows)
        return
    table = Table(title=title, show_lines=True)
    for header, _ in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(cell(row) or "—" for _, cell in columns))
    console.print(table)


def _stage(rules: RuleSet, stage: dict[str, str | None] | None) -> str:
    """A violation's classification at one stage: matter, level, annex row, article."""
    if stage is None:
        return "tidak tercantum"
    matter = stage["matter"] or ""
    parts = [next((text for key, text in rules.labels.matters.items() if key == matter), matter)]
    if stage["sanction_category"]:
        parts.append(label(rules.category_label, stage["sanction_category"]))
    if stage["annex_row"]:
        parts.append(annex_citation(stage["annex_row"]))
    parts.append(stage["citation"] or "")
    return "; ".join(part for part in parts if part)


@app.command("violations")
@handles_errors
def violations(version: Version = None) -> None:
    """Jenis pelanggaran (Lampiran SKB 2022) dan penggolongannya sebelum/sesudah penetapan."""
    rules = load_rule_set(version)
    _show(
        "Jenis pelanggaran netralitas",
        catalog.violation_rows(version),
        [
            ("Kode (--violation)", lambda r: r["code"]),
            ("Judul", lambda r: r["title"]),
            ("Butir Lampiran", lambda r: r["annex_rows"]),
            ("Sebelum penetapan calon", lambda r: _stage(rules, r["before_determination"])),
            ("Sesudah penetapan calon", lambda r: _stage(rules, r["after_determination"])),
        ],
    )


@app.command("sanctions")
@handles_errors
def sanctions(version: Version = None) -> None:
    """Jenis sanksi dan dasar hukumnya."""
    _show(
        "Sanksi",
        catalog.sanction_rows(version),
        [
            ("Kode (--sanction-code)", lambda r: r["code"]),
            ("Sanksi", lambda r: r["name"]),
            ("Tingkat", lambda r: r["category_name"]),
            ("Bulan", lambda r: str(r["duration_months"] or "")),
            ("Upaya administratif", lambda r: word(OBJECTIONS, r["objection"])),
            ("Dasar hukum", lambda r: r["citation"]),
        ],
    )


@app.command("states")
@handles_errors
def states(version: Version = None) -> None:
    """Status perkara dan langkah yang dapat diambil dari tiap status."""
    rules = load_rule_set(version)
    _show(
        "Status perkara",
        catalog.state_rows(version),
        [
            ("Status", lambda r: r["label"]),
            ("Kode (--state)", lambda r: r["name"]),
            ("Tahap", lambda r: _stage_owner(rules, r["stage"])),
            ("Langkah", lambda r: "; ".join(label(rules.step_label, s) for s in r["steps"])),
        ],
    )


def _stage_owner(rules: RuleSet, stage: str) -> str:
    return CLOSED_STAGE if stage == "closed" else label(rules.role_label, stage)


@app.command("deadlines")
@handles_errors
def deadlines(version: Version = None) -> None:
    """Tenggat tiap status: siapa, berapa hari, dasar hukum."""
    rules = load_rule_set(version)
    _show(
        "Tenggat",
        catalog.deadline_rows(version),
        [
            ("Status", lambda r: label(rules.state_label, r["state"])),
            ("Pemilihan", lambda r: election_type_label(r["election_type"])),
            ("Pihak", lambda r: label(rules.role_label, r["owner"])),
            ("Hari", lambda r: f"{r['days']} {word(DAY_TYPES, r['day_type'])}"),
            ("Tindakan", lambda r: r["action"]),
            ("Dasar hukum", lambda r: r["citation"]),
        ],
    )


@app.command("elections")
@handles_errors
def elections(version: Version = None) -> None:
    """Jadwal penetapan calon per pemilihan (menentukan sebelum/sesudah penetapan)."""
    rules = load_rule_set(version)
    _show(
        "Jadwal pemilihan",
        catalog.election_rows(version),
        [
            ("Pemilihan", lambda r: election_type_label(r["election_type"])),
            ("Nama", lambda r: r["title"]),
            ("Penetapan calon", lambda r: day(r["candidate_determination"])),
            ("Periode", lambda r: " s.d. ".join(day(d) for d in r["period"].split(".."))),
            (
                "Daerah berbeda",
                lambda r: "; ".join(
                    f"{_region_name(rules, code)}: {day(on)}" for code, on in r["overrides"].items()
                ),
            ),
            ("Dasar", lambda r: r["citation"]),
        ],
    )


def _region_name(rules: RuleSet, code: str) -> str:
    """A regency's or a province's name (an override names either); its code when unlisted."""
    regions = rules.regions
    return regions.regencies.get(code) or regions.provinces.get(code) or code
