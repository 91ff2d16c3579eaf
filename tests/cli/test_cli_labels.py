"""What an official reads on the command line: Bahasa Indonesia labels of the case's rule set,
dates and times the Indonesian way in the case region's zone, institutions by name; never
an internal code (`recommended_to_ppk`, `NET-09`, `case_registered`, `undangan_klarifikasi`).
`--json` keeps the codes for scripts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from cli.common import console
from cli.labels import label, labels_of, latest_labels
from cli.main import app
from rules.indonesian_dates import day, instant
from rules.rule_files import latest_version

runner = CliRunner()
SNAKE_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # recommended_to_ppk, case_registered, ...


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(tmp_path / "evidence"))
    url = f"sqlite:///{tmp_path / 'netra.db'}"
    result = runner.invoke(app, ["--db", url, "demo"])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables 200 columns wide, so each cell's words stay on one line (the console measured
    the terminal when it was created; the width is what it would be in a wide terminal)."""
    monkeypatch.setattr(console, "width", 200)


def netra(db: str, command: str, *more: str) -> str:
    """`netra --db <db> <command words> <more...>`, which must succeed; its output."""
    result = runner.invoke(app, ["--db", db, *command.split(), *more])
    assert result.exit_code == 0, result.output
    return result.output


def flat(text: str) -> str:
    """The output's words on one line: table borders and wrapping removed."""
    return " ".join(text.replace("│", " ").replace("┃", " ").split())


def test_case_list_shows_labels_names_and_indonesian_dates(db: str) -> None:
    out = netra(db, "--as", "admin", "case", "list")
    for shown in (
        "Rekomendasi BKN kepada PPK",  # the state
        "Menghadiri deklarasi/kampanye dan mendukung",  # NET-09's short title
        "Kota Kediri",
        "PPK/BKPSDM",  # who must act
        "31 Oktober 2024",  # by when
        "Dihentikan (bukan pelanggaran)",
    ):
        assert shown in out, shown
    for code in ("recommended_to_ppk", "NET-09", "NET-", "2024-10-31", "dismissed"):
        assert code not in out, code
    assert not re.search(r"\b(ppk|bawaslu|bkn)\b", out)  # owners are roles' labels
    assert not SNAKE_CODE.search(out)
    listed = json.loads(netra(db, "--as", "admin", "--json", "case", "list"))
    kediri = next(case for case in listed if case["case_id"] == "DEMO-KDR-1")
    assert kediri["state"] == "recommended_to_ppk" and kediri["violation_codes"] == ["NET-09"]
    assert kediri["deadline"]["owner"] == "ppk" and kediri["deadline"]["due_on"] == "2024-10-31"


def test_case_list_stays_readable_at_80_columns(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "width", 80)
    out = netra(db, "--as", "admin", "case", "list")
    assert max(len(line) for line in out.splitlines()) <= 80
    for case_id in ("DEMO-PSR-1", "DEMO-KDR-1", "DEMO-PBL-1", "DEMO-SKB-1", "DEMO-BKS-1"):
        assert f"│ {case_id} │" in out  # never cut
    assert "Kota Kediri" in out and "PPK/BKPSDM" in out and "recommended_to_ppk" not in out


def test_case_show_names_the_ppk_and_the_letters_and_dates_the_deadline(db: str) -> None:
    out = flat(netra(db, "--as", "bawaslu.kediri", "case", "show", "DEMO-KDR-1"))
    assert "DEMO-KDR-1 Rekomendasi BKN kepada PPK" in out
    assert "Wilayah: Kota Kediri (Pilkada, Temuan)" in out
    assert "Rekomendasi BKN: Hukuman disiplin berat → PPK Pemerintah Kota Kediri" in out
    assert "Harus bertindak: PPK/BKPSDM" in out and "paling lambat 31 Oktober 2024" in out
    assert "Undangan Klarifikasi 001/PP.01.02/K.JI-26/10/2024" in out
    assert "Rekomendasi atas Pelanggaran Netralitas Pegawai ASN B-1/KP.10/10/2024" in out
    for code in ("PEMDA-3571", "undangan_klarifikasi", "rekomendasi_bkn", "2024-10-31"):
        assert code not in out, code
    assert not re.search(r"\b(pilkada|temuan|ppk)\b", out)
    assert not SNAKE_CODE.search(out)
    data = json.loads(netra(db, "--as", "bawaslu.kediri", "--json", "case", "show", "DEMO-KDR-1"))
    assert data["ppk_institution"] == "PEMDA-3571" and data["channel"] == "temuan"
    assert data["letters"][0]["kind"] == "undangan_klarifikasi"


def test_a_closed_case_says_how_and_when_it_ended_in_its_zone(db: str) -> None:
    out = flat(netra(db, "--as", "bawaslu.probolinggo", "case", "show", "DEMO-PBL-1"))
    assert "Berakhir pada 2 Oktober 2024 10.00 WIB: Selesai" in out
    assert "Pemberitahuan Status Laporan" in out and "Keputusan Penjatuhan Sanksi" in out
    assert "closed" not in out and "2024-10-02T" not in out
    assert not SNAKE_CODE.search(out)


def test_timeline_shows_events_states_and_local_times_in_words(db: str) -> None:
    out = netra(db, "--as", "auditor", "case", "timeline", "DEMO-KDR-1")
    first, second = next(
        (line, after)
        for line, after in zip(out.splitlines(), out.splitlines()[1:], strict=False)
        if line.startswith("│   1 │")
    )
    assert "│ 3 Oktober 2024 " in first and "│ 09.00 WIB " in second  # 02:00 UTC in Kediri
    assert "┃ Waktu " in out and "(UTC)" not in out
    for shown in (
        "Laporan/temuan dicatat",  # case_opened
        "Registrasi laporan/temuan",  # case_registered: the step's label
        "Diregistrasi s.d. 6 Oktober 2024",  # deadline_set: the state and the day
        "Tenggat dipenuhi",
        "Surat diterbitkan",
        "Undangan Klarifikasi 001/PP.01.02/K.JI-26/10/2024",  # the letter's subject
        "Pemeriksaan oleh BKN → Rekomendasi BKN kepada PPK",  # the step's move
        "│ bkn.analis ",  # officer ids stay ...
        "│ (BKN) ",  # ... their role by its label
    ):
        assert shown in out, shown
    for code in ("case_registered", "case_opened", "deadline_set", "received", "2024-10-03"):
        assert code not in out, code
    assert not SNAKE_CODE.search(out)
    events = json.loads(netra(db, "--as", "auditor", "--json", "case", "timeline", "DEMO-KDR-1"))
    assert events[0]["event_type"] == "case_opened"
    assert events[3]["event_type"] == "case_registered"


def test_steps_name_each_step_its_actors_command_and_fields(db: str) -> None:
    out = flat(netra(db, "--as", "bkpsdm.kediri", "case", "steps", "DEMO-KDR-1"))
    assert "Pembentukan Majelis Kode Etik dan penjadwalan sidang (PPK/BKPSDM)" in out
    assert "perintah: netra case convene-ethics-council DEMO-KDR-1" in out
    assert "Nomor keputusan pembentukan Majelis Kode Etik (--council-decree-number)" in out
    assert "Teguran kepada PPK yang belum menindaklanjuti rekomendasi" in out
    assert "convene_ethics_council" not in out and "council_decree_number" not in out
    assert not SNAKE_CODE.search(out)
    steps = json.loads(netra(db, "--as", "bkpsdm.kediri", "--json", "case", "steps", "DEMO-KDR-1"))
    assert "convene_ethics_council" in [step["trigger"] for step in steps]


def test_letter_list_shows_each_letters_subject_and_addressee(db: str) -> None:
    out = flat(netra(db, "--as", "bawaslu.probolinggo", "letter", "list", "DEMO-PBL-1"))
    assert "Pemberitahuan Status Laporan" in out and "Pelapor" in out
    assert "Kepala Badan Kepegawaian Negara" in out and "BKN dan Bawaslu" in out
    assert "Laporan Tindak Lanjut Rekomendasi" in out
    for code in ("pemberitahuan_status", "laporan_tindak_lanjut", "bkn_bawaslu", "pelapor"):
        assert code not in out, code


def test_evidence_list_shows_the_kind_the_size_the_stage_and_when(db: str, tmp_path: Path) -> None:
    photo = tmp_path / "unggahan.png"
    Image.new("RGB", (8, 8), "red").save(photo)
    added = netra(
        db,
        "--as bawaslu.pasuruan --now 2024-11-20T10:00 evidence add DEMO-PSR-1",
        str(photo),
        "-d",
        "Tangkapan layar",
    )
    assert "foto/tangkapan layar" in added and "image/png" not in added
    out = flat(netra(db, "--as", "bawaslu.pasuruan", "evidence", "list", "DEMO-PSR-1"))
    assert "foto/tangkapan layar" in out and "bita" in out
    assert "20 November 2024 10.00 WIB" in out and "tahap: Klarifikasi" in out
    assert "image/png" not in out and "clarification" not in out


def test_digest_outbox_and_duplicates_read_in_words(db: str) -> None:
    digest = flat(
        netra(
            db,
            "--as bkpsdm.kediri deadlines digest PEMDA-3571 --now 2024-10-30T09:00",
        )
    )
    assert "Tenggat Pemerintah Kota Kediri (sampai 6 November 2024)" in digest
    assert "Rekomendasi BKN kepada PPK" in digest and "31 Oktober 2024" in digest
    assert "recommended_to_ppk" not in digest and "PEMDA-3571" not in digest
    swept = netra(db, "--as", "admin", "deadlines", "sweep", "--now", "2024-11-25T09:00")
    assert "Penyisiran 25 November 2024 09.00 WIB" in flat(swept)
    outbox = flat(netra(db, "--as", "auditor", "deadlines", "outbox"))
    assert "Tenggat terlampaui → Pemerintah Kota Kediri" in outbox
    assert "Eskalasi → Badan Kepegawaian Negara" in outbox
    assert "tenggat_terlampaui" not in outbox and "PEMDA-3571" not in outbox
    found = flat(
        netra(
            db,
            "--as bawaslu.kediri intake duplicates 198503122010021003 --region 35.71 --incident 2024-10-01",
        )
    )
    assert "2 Oktober 2024" in found and "3 Oktober 2024 09.00 WIB" in found
    assert not SNAKE_CODE.search(found) and "2024-10-0" not in found


def test_registry_lists_show_kinds_roles_scopes_and_dates_in_words(db: str) -> None:
    institutions = netra(db, "--as", "admin", "institution", "list")
    assert "│ PEMDA-3571   │ PPK     │ Pemerintah Kota Kediri" in institutions
    assert not re.search(r"│ (bawaslu|bkn|ppk|sistem) +│", institutions)
    officers = netra(db, "--as", "admin", "user", "list")
    assert re.search(r"│ bkpsdm\.kediri +│ [^│]+│ PPK/BKPSDM +│ PEMDA-3571 +│", officers)
    assert re.search(r"│ bkn\.analis +│ [^│]+│ BKN +│", officers)
    assert not re.search(r"│ [^│]+│ [^│]+│ (bawaslu|bkn|ppk|admin|auditor|system) +│", officers)
    tokens = flat(netra(db, "--as", "admin", "token", "list"))
    assert "petugas" in tokens and "officer" not in tokens and "WIB" in tokens


def test_rule_catalog_reads_in_words_with_codes_only_where_an_option_takes_them(db: str) -> None:
    deadlines = flat(netra(db, "rules", "deadlines", "--version", "2024.1"))
    assert "Rekomendasi BKN kepada PPK" in deadlines and "14 hari kerja" in deadlines
    assert "Pilkada" in deadlines and "PPK/BKPSDM" in deadlines
    assert not SNAKE_CODE.search(deadlines) and "working" not in deadlines
    states = flat(netra(db, "rules", "states", "--version", "2024.1"))
    assert "Kode (--state)" in states and "Surat panggilan I untuk pemeriksaan" in states
    elections = flat(netra(db, "rules", "elections", "--version", "2024.1"))
    assert "22 September 2024" in elections and "pilkada_2024" not in elections
    violations = flat(netra(db, "rules", "violations", "--version", "2024.1"))
    assert "pelanggaran disiplin; Hukuman disiplin berat" in violations
    assert "disiplin_berat" not in violations


def test_calendar_shows_indonesian_dates(db: str) -> None:
    out = flat(netra(db, "--as", "admin", "calendar", "show", "2024", "--region", "35.71"))
    assert "Hari libur 2024 (wilayah Kota Kediri)" in out
    assert "17 Agustus 2024 Sabtu Hari Kemerdekaan Republik Indonesia nasional" in out
    assert "2024-08-17" not in out


def test_audit_outputs_read_in_words(db: str) -> None:
    whatif = flat(
        netra(db, "--as", "auditor", "audit", "whatif", "DEMO-KDR-1", "--rules", "2025.1")
    )
    assert "Rekomendasi penjatuhan sanksi kepada PPK" in whatif
    assert "31 Oktober 2024" in whatif and "25 Oktober 2024" in whatif
    assert not SNAKE_CODE.search(whatif)
    changes = flat(
        netra(
            db,
            "--as auditor audit diff DEMO-KDR-1 --from 2024-10-04T00:00 --to 2024-10-06T00:00",
        )
    )
    assert "Tenggat: pihak yang harus bertindak Bawaslu Badan Kepegawaian Negara" in changes
    assert "Status Klarifikasi Diteruskan ke BKN" in changes
    assert "peristiwa 12, 5 Oktober 2024 16.00 WIB: Surat diterbitkan" in changes
    assert "deadline.owner" not in changes and not SNAKE_CODE.search(changes)
    netra(db, "--as", "auditor", "--now", "2024-12-01T09:00", "audit", "checkpoint")
    checkpoints = flat(netra(db, "--as", "auditor", "audit", "checkpoints"))
    assert "1 Desember 2024 09.00 WIB" in checkpoints and "(UTC)" not in checkpoints


def test_a_code_the_rule_set_does_not_know_is_shown_as_it_is() -> None:
    labels = labels_of("2024.1")
    assert label(labels.state_label, "no_such_state") == "no_such_state"
    assert label(labels.role_label, "no_such_role") == "no_such_role"
    assert labels.event_label("no_such_event") == "no_such_event"
    assert labels.step_label("register") == "Registrasi laporan/temuan"
    assert label(labels.state_label, None) == "-"
    # a case replayed before it was opened names no version; an unshipped one: the newest
    assert labels_of("") == labels_of("1999.1") == latest_labels() == labels_of(latest_version())


def test_dates_and_times_are_in_the_regions_own_zone() -> None:
    assert day("2024-12-05") == "5 Desember 2024"
    assert instant("2024-12-05T06:30:00Z", "35.71") == "5 Desember 2024 13.30 WIB"
    assert instant("2024-12-05T06:30:00Z", "73.71") == "5 Desember 2024 14.30 WITA"  # Makassar
    assert instant("2024-12-05T06:30:00Z", "91.71") == "5 Desember 2024 15.30 WIT"  # Jayapura
    assert instant(None) == "-" and day(None) == "-"
