"""Kop surat per institution: an administrator's lines and logo; hostile logos are refused."""

from __future__ import annotations

import zlib
from io import BytesIO

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader

from cases.commands import advance
from cases.letterheads import set_letterhead
from cases.letters import list_letters, render_pdf
from db.letter_register import LetterRegister
from db.unit_of_work import UnitOfWork
from letters.letterhead import MAX_SVG_BYTES, validate_logo
from rules.errors import InvalidInput, PermissionDenied
from tests.conftest import wib

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
    b'<title>Lambang</title><circle cx="50" cy="50" r="40" fill="#c00"/>'
    b'<path d="M10 10 L90 90" stroke="#000"/></svg>'
)


def png(size: tuple[int, int] = (64, 64), text: str | None = None) -> bytes:
    out = BytesIO()
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    Image.new("RGB", size, (200, 0, 0)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def test_a_png_logo_is_re_encoded_without_its_metadata() -> None:
    logo = validate_logo(png(text="<script>alert(1)</script>"))
    assert logo.media_type == "image/png"
    assert b"script" not in logo.data and b"Comment" not in logo.data
    assert Image.open(BytesIO(logo.data)).size == (64, 64)


def test_a_plain_svg_logo_is_accepted() -> None:
    assert validate_logo(SVG).media_type == "image/svg+xml"


@pytest.mark.parametrize(
    "hostile",
    [
        SVG.replace(b"<title>", b'<script>alert("x")</script><title>'),
        SVG.replace(b"<circle", b'<circle onload="alert(1)"'),
        SVG.replace(b"<title>Lambang</title>", b'<image href="https://evil.example/x.png"/>'),
        SVG.replace(b"<title>Lambang</title>", b'<use href="file:///etc/passwd#x"/>'),
        SVG.replace(b"<title>Lambang</title>", b"<foreignObject><p>x</p></foreignObject>"),
        SVG.replace(b'fill="#c00"', b'style="fill:url(https://evil.example/a)"'),
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        + SVG.replace(b"Lambang", b"&b;"),
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
        + b" " * MAX_SVG_BYTES
        + b"</svg>",
        b"<html><body>not an svg</body></html>",
    ],
)
def test_a_hostile_or_oversized_svg_is_refused(hostile: bytes) -> None:
    with pytest.raises(InvalidInput):
        validate_logo(hostile)


@pytest.mark.parametrize(
    "forged",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,  # a PNG signature on garbage
        png(size=(4000, 20)),  # too wide
        b"GIF89a" + b"\x00" * 50,  # neither PNG nor SVG
        png()[:40] + zlib.compress(b"x") + png()[40:],  # corrupted chunk
        b"",
    ],
)
def test_a_forged_or_oversized_png_is_refused(forged: bytes) -> None:
    with pytest.raises(InvalidInput):
        validate_logo(forged)


def test_letters_issued_after_a_letterhead_change_carry_its_lines_and_logo(
    demo_uow: UnitOfWork,
) -> None:
    lines = ["Pemerintah Kota Kediri", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"]
    with pytest.raises(PermissionDenied):
        set_letterhead(demo_uow, "bkpsdm.kediri", "PEMDA-3571", lines, wib("2024-10-20T08:00"))
    with pytest.raises(InvalidInput):
        set_letterhead(
            demo_uow, "admin", "PEMDA-3571", ["a", "b", "c", "d"], wib("2024-10-20T08:00")
        )
    stored = set_letterhead(
        demo_uow, "admin", "PEMDA-3571", lines, wib("2024-10-20T08:00"), logo=png()
    )
    assert stored["kop_lines"] == [line.upper() for line in lines]
    assert stored["head_kop"] == "WALI KOTA KEDIRI"
    advance(
        demo_uow,
        "bkpsdm.kediri",
        "DEMO-KDR-1",
        "summon",
        {
            "examination_at": "2024-11-04T09:00",
            "examination_place": "Ruang rapat BKPSDM Kota Kediri",
            "examiner_name": "Nur Aini Kediri",
            "examiner_nip": "198303142008012003",
            "examination_team": "Nur Aini Kediri, Yusuf Hamdani",  # berat: team at the order
        },
        wib("2024-10-21T09:00"),
    )
    summons = next(
        x for x in list_letters(demo_uow, "admin", "DEMO-KDR-1") if x.kind == "surat_panggilan"
    )
    with demo_uow:
        letter = LetterRegister(demo_uow.session).get(summons.id)
    assert "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA" in letter.html
    assert f"netra-logo:{stored['logo_sha256']}" in letter.html
    pdf = render_pdf(demo_uow, "admin", summons.id)
    sizes = {Image.open(BytesIO(i.data)).size for i in PdfReader(BytesIO(pdf)).pages[0].images}
    assert (64, 64) in sizes  # the logo is drawn in the kop
