"""The fast paths of letter rendering find exactly what the plain code found.

`cite_laws` tries its alternation only where a law's name can begin; `reporter_leaks`
collapses whitespace with `str.split` and scans for phone numbers only when the digits are
there at all; the letters' Jinja environment reads a dict's fields without raising
AttributeError first. Each is compared here with the plain formulation on real letters and on
inputs built to catch the edge cases (overlapping openings, Unicode whitespace, separators).
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from types import SimpleNamespace

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError

from db.letter_register import LetterRegister
from db.unit_of_work import UnitOfWork
from letters import citations
from letters.privacy import normalised, phone_numbers, reporter_leaks
from letters.render import LetterEnvironment
from rules.ruleset import load_rule_set
from tests.letters.test_issued_letters import ALL_CASES

TITLES = (
    ("Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara", "UU 20/2023"),
    (
        "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil",
        "PP 94/2021",
    ),
    ("Peraturan Badan Kepegawaian Negara Nomor 6 Tahun 2022 (PP 94/2021)", "Peraturan BKN 6/2022"),
)
TRICKY_RUNS = (
    "UU UU 20/2023 dan UU 20/20231 serta UU 20/2023/",
    "PP 94/2021PP 94/2021 Pasal 5 huruf n",
    "PerPeraturan BKN 6/2022 Peraturan Badan Kepegawaian Negara Nomor 6 Tahun 2022 (PP 94/2021)",
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil NegaraUU 20/2023",
    "PP 94/20 PP 94/202 PP 94/2021",
    "",
    "tanpa undang-undang",
)


def _plain(finder: citations._LawFinder, text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in finder.pattern.finditer(text)]


def _fast(finder: citations._LawFinder, text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in finder.finditer(text)]


@pytest.mark.parametrize("text", TRICKY_RUNS)
def test_law_finder_matches_the_plain_alternation(text: str) -> None:
    finder = citations._law_finder(TITLES)
    assert _fast(finder, text) == _plain(finder, text)


def test_law_finder_matches_the_plain_alternation_on_every_sample_letter(
    samples_uow: UnitOfWork,
) -> None:
    with samples_uow:
        register = LetterRegister(samples_uow.session)
        letters = [letter for cid in ALL_CASES for letter in register.for_case(cid)]
    for letter in letters:
        legal = letter.context["legal"]
        assert legal["titles"] == [
            {"full": law.text, "short": law.short}
            for _, law in sorted(load_rule_set(legal["rule_set"]).legal.laws.items())
        ]
        finder = citations._law_finder(tuple((t["full"], t["short"]) for t in legal["titles"]))
        for run in citations._TAG.split(letter.html)[::2]:
            assert _fast(finder, run) == _plain(finder, run), letter.id


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def _plain_normalised(text: str) -> str:
    """`letters.privacy.normalised` as first written (translate, `\\s+` substitution)."""
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html_lib.unescape(text)))
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return re.sub(r"\s+", " ", text).strip()


WHITESPACE_AND_QUOTES = (
    "  Ma&#39;rufah\u00a0binti\tYono\r\n",
    "<p>Sdr.\u2003YONO\u2009SAPUTRA</p>\x1c\x1d\x1e\x1f\x85 ujung ",
    "D’Silva ‘x’ ʼy` ´z &nbsp;&amp;nbsp; Ω ﬁ ２０２４",
    "\u3000\u2028\u2029\x0b\x0c kosong",
    "",
)


@pytest.mark.parametrize("text", WHITESPACE_AND_QUOTES)
def test_normalised_equals_the_plain_formulation(text: str) -> None:
    assert normalised(text) == _plain_normalised(text)


@pytest.mark.parametrize(
    "written",
    ["0812-9876-5432", "(0812) 9876 5432", "+62 812.9876.5432", "0812\u00a09876\u00a05432"],
)
def test_a_phone_number_written_with_separators_is_still_a_leak(written: str) -> None:
    reporter = {"name": "Siti Maemunah", "address": "Desa Sumberlele", "phone": "081298765432"}
    if written.startswith("+62"):
        reporter["phone"] = "+62 812 9876 5432"
    document = f"<p>Hubungi {written} untuk keterangan.</p>"
    assert reporter_leaks(document, reporter) == ["phone"]


@pytest.mark.parametrize(
    "document",
    [
        "<p>0812 nomor 98765432</p><style>p { margin: 081298 x 765432; }</style>",
        # the digits follow one another once separators are dropped, yet "+" only opens a
        # number: the full scan decides, and finds none
        "<p>Nomor 0812+98765432</p>",
    ],
)
def test_digits_split_by_other_text_are_not_a_phone_number(document: str) -> None:
    reporter = {"name": "Siti Maemunah", "phone": "081298765432"}
    assert not any("081298765432" in n for n in phone_numbers(normalised(document)))
    assert reporter_leaks(document, reporter) == []


def test_letter_environment_reads_dict_fields_as_jinja_does() -> None:
    plain = Environment(undefined=StrictUndefined, autoescape=True)
    fast = LetterEnvironment(undefined=StrictUndefined, autoescape=True)
    context = {
        "d": {"name": "A & B", "items": "kunci", "n": 3},
        "obj": SimpleNamespace(name="objek"),
        "xs": [1, 2],
    }
    for source in (
        "{{ d.name }} {{ d.n }} {{ obj.name }} {{ xs.0 }}",
        "{{ d.items is defined }} {{ d.missing is defined }} {{ d.get('n') }}",
        "{{ d['items'] }} {{ d.items() | list | length }}",
    ):
        assert fast.from_string(source).render(context) == plain.from_string(source).render(context)
    for source in ("{{ d.missing }}", "{{ d.missing.deeper }}"):
        with pytest.raises(UndefinedError):
            fast.from_string(source).render(context)
