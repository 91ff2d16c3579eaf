"""The letters of the demo and sample cases state the law as it is (issue 17)."""

from __future__ import annotations

import re

from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from tests.letters.test_issued_letters import all_letters


def _text(letter: StoredLetter) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", letter.html))


def _letters_of(uow: UnitOfWork, case_id: str) -> list[StoredLetter]:
    with uow:
        return LetterRegister(uow.session).for_case(case_id)


def test_no_letter_shows_an_internal_violation_code(samples_uow: UnitOfWork) -> None:
    letters = all_letters(samples_uow)
    assert letters
    for letter in letters:
        assert "NET-" not in letter.html, letter.id


def test_letters_cite_the_annex_row_of_each_violation(samples_uow: UnitOfWork) -> None:
    cited = [
        letter
        for letter in all_letters(samples_uow)
        if letter.kind in ("rekomendasi_bkn", "penerusan_bawaslu", "keputusan_sanksi")
    ]
    assert cited
    for letter in cited:
        text = _text(letter)
        assert re.search(r"Lampiran huruf [AB] angka \d+ (?:SKB 2022|Keputusan Bersama)", text) or (
            "tidak tercantum sebagai butir tersendiri dalam Lampiran SKB 2022" in text
        ), letter.id


def test_a_2023_case_is_recommended_by_kasn_and_never_cites_uu_20_2023(
    samples_uow: UnitOfWork,
) -> None:
    with samples_uow:
        case = samples_uow.cases.get("SAMPLE-KASN-1")
    assert case.rule_set == "2023.1"
    letters = _letters_of(samples_uow, "SAMPLE-KASN-1")
    assert {x.kind for x in letters} >= {"rekomendasi_bkn", "keputusan_sanksi"}
    for letter in letters:
        text = _text(letter)
        assert "20 Tahun 2023" not in text and "UU 20/2023" not in text, letter.id
    recommendation = next(x for x in letters if x.kind == "rekomendasi_bkn")
    assert recommendation.institution_code == "KASN"
    assert "Komisi Aparatur Sipil Negara" in recommendation.html
    decree = next(x for x in letters if x.kind == "keputusan_sanksi")
    assert "Undang-Undang Nomor 5 Tahun 2014 tentang Aparatur Sipil Negara" in decree.html
    assert "Surat Ketua Komisi Aparatur Sipil Negara Nomor" in _text(decree)
    assert "Kepala Badan Kepegawaian Negara Nomor" not in _text(decree)


def test_an_ethics_case_never_threatens_a_hukuman_disiplin(samples_uow: UnitOfWork) -> None:
    for case_id in ("DEMO-PBL-1", "SAMPLE-TTP-1"):
        letters = _letters_of(samples_uow, case_id)
        assert any(x.kind == "keputusan_sanksi" for x in letters)
        assert not any(x.kind in ("surat_panggilan", "berita_acara_pemeriksaan") for x in letters)
        for letter in letters:
            assert not re.search("hukuman disiplin", letter.html, re.IGNORECASE), letter.id
        decree = next(x for x in letters if x.kind == "keputusan_sanksi")
        assert "Majelis Kode Etik" in decree.html


def test_the_ptdh_decree_takes_effect_at_the_end_of_the_month_of_party_entry(
    samples_uow: UnitOfWork,
) -> None:
    decree = next(
        x for x in _letters_of(samples_uow, "SAMPLE-PTH-1") if x.kind == "keputusan_sanksi"
    )
    text = _text(decree)
    # joined 18 March 2024 -> PTDH from 31 March 2024 (PP 11/2017 Pasal 255 ayat (5))
    assert "terhitung mulai tanggal 31 Maret 2024" in text
    assert "18 Maret 2024" in text
    assert "Pasal 52 ayat (3) huruf j jo. ayat (4) UU 20/2023" in text
    assert "Pasal 255 ayat (5)" in text
    assert "banding administratif kepada Badan Pertimbangan Aparatur Sipil Negara" in text


def test_decrees_name_keberatan_or_banding_as_the_law_gives_them(samples_uow: UnitOfWork) -> None:
    decrees = {
        x.context["case"]["sanction"]["code"]: _text(x)
        for x in all_letters(samples_uow)
        if x.kind == "keputusan_sanksi"
    }
    assert "mengajukan keberatan" in decrees["sedang_tukin_6"]
    assert "banding administratif" not in decrees["sedang_tukin_6"]
    assert "mengajukan keberatan" in decrees["berat_pembebasan_jabatan"]  # not BPASN
    assert "banding administratif" not in decrees["berat_pembebasan_jabatan"]


def test_warning_comes_before_blocking_and_the_president_is_asked_about_the_ppk(
    samples_uow: UnitOfWork,
) -> None:
    letters = _letters_of(samples_uow, "SAMPLE-ESK-1")
    kinds = [x.kind for x in letters]
    assert kinds.index("teguran_ppk") < kinds.index("eskalasi_ppk")
    blocking = _text(letters[kinds.index("eskalasi_ppk")])
    assert "terhadap Pejabat Pembina Kepegawaian kepada Presiden" in blocking
    assert (
        "Peraturan Badan Kepegawaian Negara Nomor 1 Tahun 2023 tentang Pemblokiran Data "
        "Kepegawaian dan/atau Layanan Kepegawaian pada Sistem Informasi Aparatur Sipil Negara"
    ) in blocking
    recommendation = _text(letters[kinds.index("rekomendasi_bkn")])
    assert "tingkat layanan yang ditetapkan" in recommendation  # the unconfirmed PPK period
