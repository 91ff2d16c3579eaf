"""Every sample letter cites the law of its case's election and each law in full only once.

Pilkada cases cite UU 1/2015 (Pemilihan Gubernur, Bupati, dan Walikota) and the Pilkada
Perbawaslu, never UU 7/2017 or Perbawaslu 7/2022; Pemilu cases the reverse. In every letter
a law (and the SKB 2022) appears in full once, before any short mention, and by its short
name after; a decree's Mengingat/Memperhatikan keep full titles and the SKB stands under
Memperhatikan, its title never repeated.
"""

from __future__ import annotations

import re

from db.letter_register import StoredLetter
from db.unit_of_work import UnitOfWork
from letters.citations import cite_laws
from rules.ruleset import load_rule_set
from tests.letters.test_issued_letters import all_letters

PEMILU_LAW = (
    "Undang-Undang Nomor 7 Tahun 2017",
    "UU 7/2017",
    "Nomor 7 Tahun 2022",
    "Perbawaslu 7/2022",
)
PILKADA_LAW = (
    "Undang-Undang Nomor 1 Tahun 2015",
    "UU 1/2015",
    "Nomor 8 Tahun 2020",
    "Perbawaslu 8/2020",
)


def _text(html: str) -> str:
    body = html[html.find("<body") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _outside_basis(html: str) -> str:
    return re.sub(r'<ol class="basis">.*?</ol>', " ", html, flags=re.S)


def test_each_case_cites_the_law_of_its_election(samples_uow: UnitOfWork) -> None:
    letters = all_letters(samples_uow)
    seen = {"pemilu": 0, "pilkada": 0}
    for letter in letters:
        election = letter.context["case"]["election_type"]
        text = _text(letter.html)
        right, wrong = (
            (PILKADA_LAW, PEMILU_LAW) if election == "pilkada" else (PEMILU_LAW, PILKADA_LAW)
        )
        for phrase in wrong:
            assert phrase not in text, (letter.id, election, phrase)
        if letter.kind in ("penerusan_bawaslu", "pemberitahuan_status"):
            assert right[0] in text or right[2] in text, (letter.id, election)
            seen[election] += 1
    assert seen["pemilu"] >= 1 and seen["pilkada"] >= 3, seen


def test_the_pilkada_forwarding_letter_cites_pilkada_statutes(samples_uow: UnitOfWork) -> None:
    letter = next(x for x in all_letters(samples_uow) if x.id == "DEMO-KDR-1-L11-PNR")
    text = _text(letter.html)
    assert (
        "Pasal 70 ayat (1) huruf b dan Pasal 71 ayat (1) Undang-Undang Nomor 1 Tahun 2015" in text
    )
    assert "Peraturan Badan Pengawas Pemilihan Umum Nomor 8 Tahun 2020" in text
    assert "Pasal 455" not in text


def test_every_law_in_full_once_then_short(samples_uow: UnitOfWork) -> None:
    for letter in all_letters(samples_uow):
        rule_set = load_rule_set(letter.context["legal"]["rule_set"])
        text = _text(_outside_basis(letter.html))
        full_text = _text(letter.html)
        for law in rule_set.legal.laws.values():
            assert full_text.count(law.text) <= 1 + letter.html.count('<ol class="basis">'), (
                letter.id,
                law.short,
            )
            first_full = full_text.find(law.text)
            first_short = re.search(re.escape(law.short) + r"(?![0-9/])", full_text)
            if first_short:
                assert 0 <= first_full < first_short.start(), (letter.id, law.short)
                assert f"(selanjutnya disebut {law.short})" in full_text, (letter.id, law.short)
            assert text.count(law.text) <= 1, (letter.id, law.short)
        skb = rule_set.law("skb_2022")
        assert full_text.count(skb) == 1, letter.id  # the SKB title never repeated in full


def test_decrees_put_the_skb_under_memperhatikan(samples_uow: UnitOfWork) -> None:
    decrees = [x for x in all_letters(samples_uow) if x.kind == "keputusan_sanksi"]
    assert len(decrees) >= 4
    for decree in decrees:
        skb = load_rule_set(decree.context["legal"]["rule_set"]).law("skb_2022")
        text = _text(decree.html)
        memperhatikan = text.index("Memperhatikan")
        assert text.index(skb) > memperhatikan > text.index("Mengingat"), decree.id
        assert "SKB 2022" not in text[: text.index(skb)], decree.id


def test_citation_pass_orders_articles_and_annex_rows_the_indonesian_way() -> None:
    laws = [
        {
            "full": "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil",
            "short": "PP 94/2021",
        },
        {"full": "Keputusan Bersama X tentang Y", "short": "SKB 2022"},
    ]
    html = (
        "<body><p>menurut Keputusan Bersama X tentang Y, (Lampiran SKB 2022 huruf B angka 4) "
        "melanggar PP 94/2021 Pasal 5 huruf n jo. Pasal 14 huruf i, dan PP 94/2021 Pasal 8 ayat (4) huruf b.</p>"
        '<ol class="basis"><li>Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil;</li></ol></body>'
    )
    out = _text(cite_laws(html, laws))
    assert out.strip() == (
        "menurut Keputusan Bersama X tentang Y (selanjutnya disebut SKB 2022), (Lampiran huruf B "
        "angka 4 SKB 2022) melanggar Pasal 5 huruf n jo. Pasal 14 huruf i Peraturan Pemerintah "
        "Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil (selanjutnya disebut PP 94/2021), "
        "dan Pasal 8 ayat (4) huruf b PP 94/2021. Peraturan Pemerintah Nomor 94 Tahun 2021 tentang "
        "Disiplin Pegawai Negeri Sipil;"
    )
    assert cite_laws(html, []) == html
    joined = (
        "<body><p>berdasarkan PP 94/2021 Pasal 26 ayat (3), Pasal 27 dan Pasal 28 dan X.</p></body>"
    )
    assert "berdasarkan Pasal 26 ayat (3), Pasal 27 dan Pasal 28 Peraturan Pemerintah" in cite_laws(
        joined, laws
    )


def _bap(letters: list[StoredLetter], case_id: str) -> StoredLetter:
    return next(x for x in letters if x.case_id == case_id and x.kind == "berita_acara_pemeriksaan")


def test_the_bap_signature_names_who_examined(samples_uow: UnitOfWork) -> None:
    letters = all_letters(samples_uow)
    alone = _bap(letters, "SAMPLE-SDG-1")  # sedang, no tim pemeriksa: the atasan langsung
    assert "Atasan Langsung," in _text(alone.html)
    assert "Tim Pemeriksa" not in _text(alone.html)
    team = _bap(letters, "SAMPLE-PTH-1")  # PTDH, absent: berita acara ketidakhadiran by the team
    assert "BERITA ACARA KETIDAKHADIRAN" in team.html
    assert "Ketua Tim Pemeriksa," in _text(team.html)
    assert "Anggota Tim Pemeriksa" in _text(team.html)
    for summons in (
        x for x in letters if x.case_id == "SAMPLE-SDG-1" and x.kind == "surat_panggilan"
    ):
        assert "Atasan Langsung" in _text(summons.html) and "Tim Pemeriksa" not in _text(
            summons.html
        )
