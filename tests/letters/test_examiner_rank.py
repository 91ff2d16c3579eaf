"""The examiner's pangkat/golongan (`examiner_rank`): step data checked like every text field,
required by the summons step from rule-set 2026.1 on, and printed in the Surat Panggilan and
the BAP between the examiner's NIP and Jabatan ("Selaku"), as the forms order them (Perka BKN
21/2010 Anak Lampiran I-a and I-c). A summons recorded without it still renders: "-" in the
examiner's field table (as a terlapor without a rank), no rank phrase in a team's list."""

from __future__ import annotations

import dataclasses
import re
from zoneinfo import ZoneInfo

import pytest

from cases.commands import advance
from cases.fields import normalise_step_data
from cases.whatif import migrate_rule_set
from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from letters.context import LetterInputs, prepare_letter
from letters.render import templates
from rules.errors import InvalidInput
from rules.input_limits import input_limits
from rules.ruleset import load_rule_set
from states.case import Case
from tests.conftest import wib

WIB = ZoneInfo("Asia/Jakarta")
PPK, KDR = "bkpsdm.kediri", "DEMO-KDR-1"  # DEMO-KDR-1 waits for the PPK (2024.1, berat: a team)
SUMMON = {
    "examination_at": "2024-11-04T09:00",
    "examination_place": "Ruang rapat BKPSDM Kota Kediri",
    "examiner_name": "Nur Aini Kediri",
    "examiner_nip": "198303142008012003",
    "examination_team": "Nur Aini Kediri, Yusuf Hamdani",
}
EXAMINED = {"attended": True, "findings": "Terbukti.", "examination_team": "Nur Aini Kediri, Yusuf"}
SUMMONS = "summons_issued"  # the event of the summon step (lifecycle.yaml)
ROW = re.compile(r'<td class="f-label">(.*?)</td><td class="f-colon">:</td><td>(.*?)</td>')


def parsed(value: object) -> str:
    data = normalise_step_data({"examiner_rank": value}, load_rule_set("2026.1"), WIB)
    return str(data["examiner_rank"])


def examiner_rows(html: str, after: str) -> list[tuple[str, str]]:
    """The label/value rows of the first field table after `after` (the examiner's block)."""
    start = html.index(after)
    table = html[html.index('<table class="fields">', start) : html.index("</table>", start)]
    return ROW.findall(table)


def letters_of(uow: UnitOfWork, case_id: str, kind: str) -> list[StoredLetter]:
    with uow:
        return [x for x in LetterRegister(uow.session).for_case(case_id) if x.kind == kind]


def event_count(uow: UnitOfWork, case_id: str) -> int:
    with uow:
        return len(uow.events.load(case_id))


# --- the field -------------------------------------------------------------------------------


def test_examiner_rank_is_one_line_of_text_no_longer_than_a_name() -> None:
    longest = input_limits().text.name
    assert parsed("  Penata Tk. I (III/d) ") == "Penata Tk. I (III/d)"
    assert parsed("P" * longest) == "P" * longest
    with pytest.raises(
        InvalidInput, match=rf"'Pangkat/golongan pemeriksa' terlalu panjang.*maks\. {longest}"
    ):
        parsed("P" * (longest + 1))
    for wrong in (4, ["Penata", "III/c"], {"pangkat": "Penata"}):
        with pytest.raises(
            InvalidInput, match="'Pangkat/golongan pemeriksa' harus berupa teks pangkat"
        ):
            parsed(wrong)
    for blank in ("", "   "):
        with pytest.raises(InvalidInput, match="'Pangkat/golongan pemeriksa' tidak boleh kosong"):
            parsed(blank)
    with pytest.raises(InvalidInput, match="'Pangkat/golongan pemeriksa' harus satu baris"):
        parsed("Penata Tk. I\n(III/d)")


def test_a_bad_rank_is_refused_with_its_reason_and_nothing_is_written(
    demo_uow: UnitOfWork,
) -> None:
    before = event_count(demo_uow, KDR)
    with pytest.raises(InvalidInput, match="Pangkat/golongan pemeriksa"):
        advance(
            demo_uow,
            PPK,
            KDR,
            "summon",
            {**SUMMON, "examiner_rank": "x" * 201},
            wib("2024-10-21T09:00"),
        )
    assert event_count(demo_uow, KDR) == before
    assert letters_of(demo_uow, KDR, "surat_panggilan") == []


# --- the letters -----------------------------------------------------------------------------


def test_summons_and_team_bap_name_the_examiners_rank_between_nip_and_jabatan(
    demo_uow: UnitOfWork,
) -> None:
    data = {**SUMMON, "examiner_rank": "Pembina (IV/a)"}
    advance(demo_uow, PPK, KDR, "summon", data, wib("2024-10-21T09:00"))
    [summons] = letters_of(demo_uow, KDR, "surat_panggilan")
    assert examiner_rows(summons.html, "untuk menghadap kepada:") == [
        ("Nama", "Nur Aini Kediri"),
        ("NIP", "19830314 200801 2 003"),
        ("Pangkat/Golongan", "Pembina (IV/a)"),
        ("Selaku", "Ketua Tim Pemeriksa"),
    ]
    advance(demo_uow, PPK, KDR, "record_examination", EXAMINED, wib("2024-11-04T12:00"))
    [bap] = letters_of(demo_uow, KDR, "berita_acara_pemeriksaan")
    assert (
        "<li>Nur Aini Kediri, NIP 19830314 200801 2 003, pangkat/golongan Pembina (IV/a), "
        "selaku Ketua Tim Pemeriksa;</li>"
    ) in bap.html
    assert "<li>Yusuf;</li>" in bap.html  # a member's own rank is not recorded: none printed


def test_a_summons_without_a_rank_still_renders_under_an_older_rule_set(
    demo_uow: UnitOfWork,
) -> None:
    assert "examiner_rank" not in load_rule_set("2024.1").step_fields("summon")[0]
    advance(demo_uow, PPK, KDR, "summon", SUMMON, wib("2024-10-21T09:00"))
    [summons] = letters_of(demo_uow, KDR, "surat_panggilan")
    assert ("Pangkat/Golongan", "-") in examiner_rows(summons.html, "untuk menghadap kepada:")
    advance(demo_uow, PPK, KDR, "record_examination", EXAMINED, wib("2024-11-04T12:00"))
    [bap] = letters_of(demo_uow, KDR, "berita_acara_pemeriksaan")
    assert (
        "<li>Nur Aini Kediri, NIP 19830314 200801 2 003, selaku Ketua Tim Pemeriksa;</li>"
        in bap.html
    )


def test_a_single_examiners_bap_lists_the_rank_in_the_examiners_fields(
    samples_uow: UnitOfWork,
) -> None:
    # SAMPLE-SDG-1 (Bekasi): hukuman disiplin sedang, examined by the atasan langsung alone
    expected = [
        ("Nama", "Nur Aini Bekasi"),
        ("NIP", "19830314 200801 2 003"),
        ("Pangkat/Golongan", "Penata Tk. I (III/d)"),
        ("Selaku", "Atasan Langsung"),
    ]
    for letter in letters_of(samples_uow, "SAMPLE-SDG-1", "surat_panggilan"):
        assert examiner_rows(letter.html, "untuk menghadap kepada:") == expected
    [bap] = letters_of(samples_uow, "SAMPLE-SDG-1", "berita_acara_pemeriksaan")
    assert examiner_rows(bap.html, "saya:") == expected


def test_letters_of_a_summons_recorded_before_the_rank_existed_render_with_a_dash(
    samples_uow: UnitOfWork,
) -> None:
    """The same case replayed from a summons event without `examiner_rank` (as recorded
    before this field): its summonses and BAP render, the rank row showing "-"."""
    with samples_uow:
        events = samples_uow.events.load("SAMPLE-SDG-1")
    old_style = [
        dataclasses.replace(
            e,
            payload={
                **e.payload,
                "data": {k: v for k, v in e.payload["data"].items() if k != "examiner_rank"},
            },
        )
        if e.event_type == SUMMONS
        else e
        for e in events
    ]
    assert any(e.event_type == SUMMONS for e in old_style)
    rendered = 0
    for kind, block in (
        ("surat_panggilan", "untuk menghadap kepada:"),
        ("berita_acara_pemeriksaan", "saya:"),
    ):
        for letter in letters_of(samples_uow, "SAMPLE-SDG-1", kind):
            case = Case.replay(letter.case_id, old_style[: letter.case_seq])
            inputs = LetterInputs.from_dict(letter.context["inputs"])
            prepared = prepare_letter(case, inputs, load_rule_set(case.rule_set), templates())
            # no rank recorded: the body is what it was before the field existed
            assert "examiner_rank" not in prepared.context["body"]
            assert {k: v for k, v in letter.context["body"].items() if k != "examiner_rank"} == (
                prepared.context["body"]
            )
            rows = examiner_rows(prepared.html, block)
            assert [label for label, _ in rows] == ["Nama", "NIP", "Pangkat/Golongan", "Selaku"]
            assert dict(rows)["Pangkat/Golongan"] == "-"
            assert "Penata Tk. I (III/d)" not in prepared.html
            rendered += 1
    assert rendered >= 2


# --- the rule set ----------------------------------------------------------------------------


def test_from_rule_set_2026_1_the_summons_requires_the_rank(demo_uow: UnitOfWork) -> None:
    required = {v: load_rule_set(v).step_fields("summon")[0] for v in ("2025.1", "2026.1")}
    assert "examiner_rank" not in required["2025.1"]
    assert "examiner_rank" in required["2026.1"]
    migrate_rule_set(
        demo_uow,
        "admin",
        KDR,
        "2026.1",
        "Formulir pemeriksaan memuat pangkat",
        wib("2024-10-14T09:00"),
    )
    before = event_count(demo_uow, KDR)
    with pytest.raises(
        InvalidInput,
        match=r"^Langkah \"Surat panggilan I untuk pemeriksaan\" memerlukan: "
        r"Pangkat/golongan pemeriksa$",
    ):
        advance(demo_uow, PPK, KDR, "summon", SUMMON, wib("2024-10-21T09:00"))
    assert event_count(demo_uow, KDR) == before
    data = {**SUMMON, "examiner_rank": "Penata Tk. I (III/d)"}
    case = advance(demo_uow, PPK, KDR, "summon", data, wib("2024-10-21T09:00"))
    assert case.rule_set == "2026.1" and case.state == "ppk_examination"
    [summons] = letters_of(demo_uow, KDR, "surat_panggilan")
    assert ("Pangkat/Golongan", "Penata Tk. I (III/d)") in examiner_rows(
        summons.html, "untuk menghadap kepada:"
    )


def test_the_record_of_absence_names_the_examiner_by_rank_too(samples_uow: UnitOfWork) -> None:
    """The berita acara ketidakhadiran opens as the BAP does (Anak Lampiran I-c): Nama, NIP,
    Pangkat/Golongan, Selaku."""
    [absence] = letters_of(samples_uow, "SAMPLE-PTH-1", "berita_acara_pemeriksaan")
    assert absence.template_name == "berita_acara_ketidakhadiran.html.j2"  # did not attend
    rows = examiner_rows(absence.html, "bertempat di")
    assert [label for label, _ in rows] == ["Nama", "NIP", "Pangkat/Golongan", "Selaku"]
    assert dict(rows)["Pangkat/Golongan"] == "Penata Tk. I (III/d)"
