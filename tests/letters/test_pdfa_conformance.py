"""The structural PDF/A-3b check fails on each kind of breach a forged or careless PDF has."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from letters.conformance import pdfa_3b_problems
from letters.pdf import TEMPLATES_DIR, letter_pdf

HTML = (
    "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>Surat Uji</title>"
    '<meta name="dcterms.created" content="2024-11-19">'
    f"<style>{(TEMPLATES_DIR / '_print.css.j2').read_text(encoding='utf-8')}</style></head>"
    "<body><p>Dengan hormat, <b>surat uji</b>.</p></body></html>"
)


@pytest.fixture(scope="module")
def letter() -> bytes:
    return letter_pdf(
        HTML, {"letter": {"id": "UJI-1"}}, verification_url="https://x/verifikasi/UJI-1"
    )


def _rewrite(pdf: bytes, change: Any) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_rendered_letter_has_no_problem(letter: bytes) -> None:
    assert pdfa_3b_problems(letter) == []


def _drop_output_intents(writer: PdfWriter) -> None:
    del writer.root_object[NameObject("/OutputIntents")]


def _unembed_fonts(writer: PdfWriter) -> None:
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object()["/DescendantFonts"]:
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                del descriptor[NameObject("/FontFile2")]


def _retitle_info(writer: PdfWriter) -> None:
    writer.add_metadata({"/Title": "Judul lain"})


def _add_javascript(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _add_launch(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _attach_without_relationship(writer: PdfWriter) -> None:
    writer.add_attachment("lain.txt", b"isi lain")


def _encrypt(writer: PdfWriter) -> None:
    writer.encrypt("rahasia", algorithm="AES-128")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_drop_output_intents, "OutputIntent"),
        (_unembed_fonts, "tidak disematkan"),
        (_retitle_info, "/Title"),
        (_add_javascript, "JavaScript"),
        (_add_launch, "/Launch"),
        (_attach_without_relationship, "AFRelationship"),
        (_encrypt, "dienkripsi"),
    ],
)
def test_each_breach_is_named(letter: bytes, change: Any, expected: str) -> None:
    problems = pdfa_3b_problems(_rewrite(letter, change))
    assert any(expected in problem for problem in problems), problems


def test_a_damaged_file_is_a_finding_not_a_crash(letter: bytes) -> None:
    assert pdfa_3b_problems(letter[: len(letter) // 3]) != []
    assert pdfa_3b_problems(b"bukan pdf") != []
