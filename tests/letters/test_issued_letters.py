"""Every letter the demo and sample cases issue: complete, cited, numbered, genuine, discreet."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from cases.letter_samples import SAMPLE_CASES
from cases.letters import list_letters, verify_letter
from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from letters.context import LetterInputs, prepare_letter
from letters.render import content_hash, templates
from rules.ruleset import load_rule_set
from states.case import Case

DEMO_CASES = ("DEMO-PSR-1", "DEMO-KDR-1", "DEMO-PBL-1", "DEMO-SKB-1", "DEMO-BKS-1")
ALL_CASES = DEMO_CASES + SAMPLE_CASES
SKB_PARTS = (
    "Nomor 2 Tahun 2022",
    "Nomor 800-5474 Tahun 2022",
    "Nomor 246 Tahun 2022",
    "Nomor 30 Tahun 2022",
    "Nomor 1447.1/PM.01/K.1/09/2022",
    "Pedoman Pembinaan dan Pengawasan Netralitas Pegawai Aparatur Sipil Negara",
)
INDONESIAN_DATE = re.compile(
    r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
    r"November|Desember) \d{4}\b"
)


def all_letters(uow: UnitOfWork) -> list[StoredLetter]:
    with uow:
        register = LetterRegister(uow.session)
        return [letter for cid in ALL_CASES for letter in register.for_case(cid)]


def reporters(uow: UnitOfWork) -> dict[str, dict[str, str]]:
    with uow:
        found = {cid: uow.cases.get(cid).reporter for cid in ALL_CASES}
    return {cid: r for cid, r in found.items() if r}


def test_every_template_is_issued_by_the_demo_and_sample_cases(samples_uow: UnitOfWork) -> None:
    issued = {letter.template_name for letter in all_letters(samples_uow)}
    assert issued == set(templates().names())


def test_every_letter_renders_completely(samples_uow: UnitOfWork) -> None:
    for letter in all_letters(samples_uow):
        html = letter.html
        for leftover in ("{{", "}}", "{%", "%}", "{#", "None", "Undefined"):
            assert leftover not in html, (letter.id, leftover)
        assert html.startswith("<!DOCTYPE html>"), letter.id
        assert letter.number in html, letter.id


def articles(citation: str) -> list[str]:
    """The article references of a rule-data citation ("PP 94/2021 Pasal 5; UU 20/2023 Pasal
    52"), as a letter states them after moving each law's name behind them."""
    parts = re.split(r";\s*", citation)
    return [
        re.sub(r"^(?:UU|PP|Perbawaslu|Peraturan BKN) [0-9/]+ ", "", part).split(" sebagaimana")[0]
        for part in parts
    ]


def test_every_letter_cites_the_skb_2022_in_full(samples_uow: UnitOfWork) -> None:
    for letter in all_letters(samples_uow):
        for part in SKB_PARTS:
            assert part in letter.html, (letter.id, part)


def test_letters_cite_the_articles_that_apply(samples_uow: UnitOfWork) -> None:
    for letter in all_letters(samples_uow):
        rule_set = load_rule_set(letter.context["legal"]["rule_set"])
        case = letter.context["case"]
        for violation in case["violations"]:
            if letter.kind != "pemberitahuan_status":
                for article in articles(violation["citation"]):
                    assert article in letter.html, (letter.id, article)
        if letter.kind == "keputusan_sanksi":
            sanction = rule_set.sanction(case["sanction"]["code"])
            for article in articles(sanction.citation.text):
                assert article in letter.html, (letter.id, article)
            law = (
                "Peraturan Pemerintah Nomor 42 Tahun 2004"
                if sanction.category == "moral"
                else "Peraturan Pemerintah Nomor 94 Tahun 2021"
            )
            assert law in letter.html, letter.id
        if letter.kind == "surat_panggilan":
            assert re.search(
                r"Pasal 26 ayat \(\d\) (?:PP 94/2021|Peraturan Pemerintah Nomor 94)", letter.html
            ), letter.id


def test_letters_are_numbered_and_dated_the_indonesian_way(samples_uow: UnitOfWork) -> None:
    with samples_uow:
        notice = LetterRegister(samples_uow.session).get("DEMO-PSR-1-L5-PST")
    assert notice.number == "001/PP.01.02/K.JI-30/11/2024"
    assert "Pasuruan, 18 November 2024" in notice.html
    assert "Pemberitahuan Status Laporan" in notice.html
    for letter in all_letters(samples_uow):
        assert INDONESIAN_DATE.search(letter.html), letter.id


def test_letters_carry_letterhead_terlapor_signatory_and_tembusan(
    samples_uow: UnitOfWork,
) -> None:
    for letter in all_letters(samples_uow):
        context = letter.context
        html = letter.html
        letterhead = context["sender"]["letterhead"]
        if letter.kind in ("keputusan_sanksi", "laporan_tindak_lanjut"):
            assert letterhead["head_kop"] in html, letter.id  # e.g. WALI KOTA KEDIRI
        else:
            for line in letterhead["kop_lines"]:
                assert line in html, (letter.id, line)
            assert 2 <= len(letterhead["kop_lines"]) <= 3, letter.id
            assert context["sender"]["address"] in html, letter.id
        assert context["case"]["terlapor"]["name"] in html, letter.id
        assert context["signatory"]["name"] in html or context["signatory"]["name"].upper() in html
        for item in context["tembusan"]:
            assert item in html, (letter.id, item)


def test_letters_outside_bawaslu_never_carry_the_reporters_identity(
    samples_uow: UnitOfWork,
) -> None:
    people = reporters(samples_uow)
    assert set(people) >= {"DEMO-PSR-1", "DEMO-PBL-1", "DEMO-BKS-1", "SAMPLE-TLK-1"}
    identities = [v for r in people.values() for k, v in r.items() if v and k != "redacted"]
    checked = 0
    for letter in all_letters(samples_uow):
        if letter.context["letter"]["recipient"] == "pelapor":
            assert people[letter.case_id]["name"] in letter.html
            continue
        checked += 1
        assert letter.context["case"]["reporter"] is None, letter.id
        for value in identities:
            assert value not in letter.html, (letter.id, value)
    kinds = {
        x.kind for x in all_letters(samples_uow) if x.context["letter"]["recipient"] != "pelapor"
    }
    assert {"penerusan_bawaslu", "rekomendasi_bkn", "keputusan_sanksi"} <= kinds and checked > 20


def test_a_temuan_has_no_reporter_to_notify(samples_uow: UnitOfWork) -> None:
    kinds = [x.kind for x in list_letters(samples_uow, "admin", "DEMO-KDR-1")]
    assert "pemberitahuan_status" not in kinds
    assert kinds == ["undangan_klarifikasi", "penerusan_bawaslu", "rekomendasi_bkn"]


def test_each_register_is_gap_free(samples_uow: UnitOfWork) -> None:
    registers: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for letter in all_letters(samples_uow):
        registers[(letter.institution_code, letter.year, letter.classification)].append(
            letter.serial
        )
    for key, serials in registers.items():
        assert sorted(serials) == list(range(1, len(serials) + 1)), key


def test_the_chain_records_each_letters_hashes(samples_uow: UnitOfWork) -> None:
    for cid in ("DEMO-PBL-1", "SAMPLE-ESK-1"):
        with samples_uow:
            events = samples_uow.events.load(cid)
            letters = {x.id: x for x in LetterRegister(samples_uow.session).for_case(cid)}
        issued = [e for e in events if e.event_type == "letter_issued"]
        assert len(issued) == len(letters)
        for event in issued:
            letter = letters[event.payload["letter_id"]]
            assert event.seq == letter.case_seq + 1 or event.seq > letter.case_seq
            for name in ("number", "template_hash", "context_hash", "content_hash"):
                assert event.payload[name] == getattr(letter, name)
            assert event.payload["addressee"] != "Yono Saputra"
    escalation = [e for e in issued if e.payload["kind"] == "eskalasi_ppk"]
    assert escalation and escalation[0].actor.user_id == "system"


def test_the_same_case_state_renders_the_same_bytes(samples_uow: UnitOfWork) -> None:
    for letter in all_letters(samples_uow)[::5]:
        with samples_uow:
            events = samples_uow.events.load(letter.case_id, until_seq=letter.case_seq)
        case = Case.replay(letter.case_id, events)
        inputs = LetterInputs.from_dict(letter.context["inputs"])
        first = prepare_letter(case, inputs, load_rule_set(case.rule_set))
        second = prepare_letter(
            case.copy(), inputs, load_rule_set(case.rule_set), templates(fresh=True)
        )
        assert first.html == second.html == letter.html
        assert first.content_hash == content_hash(letter.html) == letter.content_hash


@pytest.mark.parametrize("officer", ["auditor", "bkn.analis"])
def test_every_stored_letter_verifies_as_genuine(samples_uow: UnitOfWork, officer: str) -> None:
    letters = all_letters(samples_uow)
    for letter in letters if officer == "auditor" else letters[::7]:
        report = verify_letter(samples_uow, officer, letter.id)
        assert report.ok, (letter.id, report.problems)
