"""The sample letters as PDF: shipped fonts embedded, PDF/A-3b with the context attached,
deterministic bytes, one-page letters on one page, no signature or tembusan alone on a page,
page numbers from the second page, and no internal codes in the text."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import orjson
import pytest
from pypdf import PdfReader

from cases.letter_samples import write_samples
from letters.conformance import pdfa_3b_problems
from letters.pdf import CONTEXT_ATTACHMENT, embedded_context, letter_pdf, render_many
from states.canonical import canonical_json

DEVELOPER_NOTES = (
    "(pemeriksaan, tim pemeriksa, BAP)",
    "menggantikan KASN",
    "telah melakukan perbuatan: Terlapor",
    "hari ke-15",
    "ke-15 (lima belas) kerja",
    "recommended_to",
    "rule_set",
)
ONE_PAGE = ("pemberitahuan_status", "undangan_klarifikasi", "laporan_tindak_lanjut")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    """`netra letter samples --all` output: (pdf, html) of every letter of every sample case,
    Pilkada and Pemilu alike."""
    out = tmp_path_factory.mktemp("samples")
    written = write_samples(out, every_letter=True)
    pdfs = sorted(p for p in written if p.suffix == ".pdf")
    assert len(pdfs) >= 14
    return [(pdf, pdf.with_suffix(".html").read_text(encoding="utf-8")) for pdf in pdfs]


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages]


def test_every_font_in_every_sample_is_the_shipped_liberation_serif_embedded(
    samples: list[tuple[Path, str]],
) -> None:
    for path, _ in samples:
        reader = PdfReader(path)
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
        assert fonts, path.name
        for name, embedded in fonts.items():
            assert embedded, (path.name, name)
            assert "Netra-Serif" in name, (path.name, name)  # never a system fallback


def test_samples_are_pdf_a_3b_with_the_canonical_context_attached(
    samples: list[tuple[Path, str]],
) -> None:
    path, html = samples[0]
    data = path.read_bytes()
    reader = PdfReader(BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp or "<pdfaid:part>3</pdfaid:part>" in xmp
    assert 'pdfaid:conformance="B"' in xmp or "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    attached = embedded_context(data)
    assert attached is not None
    assert attached["letter"]["number"] in html
    assert canonical_json(attached) == reader.attachments[CONTEXT_ATTACHMENT][0]
    assert orjson.loads(reader.attachments[CONTEXT_ATTACHMENT][0]) == attached


def test_a_letter_renders_to_the_same_bytes_every_time_and_in_other_processes(
    samples: list[tuple[Path, str]],
) -> None:
    _, html = samples[-1]
    context = {"letter": {"id": "X"}}
    url = "https://netra.example.go.id/verifikasi/X?h=0"
    here = letter_pdf(html, context, verification_url=url)
    assert here == letter_pdf(html, context, verification_url=url)
    elsewhere = render_many([(html, context, url), (html, context, url)], workers=2)
    assert elsewhere == [here, here]  # fresh worker processes: fonts shipped, no system lookup


def test_one_page_letters_fit_on_one_page(samples: list[tuple[Path, str]]) -> None:
    checked = 0
    for path, _ in samples:
        if any(kind in path.name for kind in ONE_PAGE):
            assert len(PdfReader(path).pages) == 1, path.name
            checked += 1
    assert checked >= 15


def test_no_page_holds_only_the_signature_or_the_tembusan(
    samples: list[tuple[Path, str]],
) -> None:
    for path, html in samples:
        pages = page_texts(path.read_bytes())
        signer = re.search(r'<p class="name">([^<]+)</p>', html)
        assert signer, path.name
        name = signer.group(1).strip()
        sign_pages = [i for i, text in enumerate(pages) if name in text]
        assert sign_pages, (path.name, name)
        page = " ".join(pages[sign_pages[-1]].split())
        before = page.split(name)[0]
        closing = ("Demikian", "disampaikan kepada yang bersangkutan", "Kesimpulan")
        assert any(word in before for word in closing) or sign_pages[-1] == 0, (
            f"{path.name}: the signature stands without the closing paragraph on page "
            f"{sign_pages[-1] + 1}"
        )
        if "Tembusan" in html:
            assert "Tembusan" in page, f"{path.name}: the tembusan is not with the signature"


def test_page_numbers_start_on_the_second_page(samples: list[tuple[Path, str]]) -> None:
    multi = 0
    for path, _ in samples:
        pages = page_texts(path.read_bytes())
        assert "- 1 -" not in pages[0], path.name
        for number, text in enumerate(pages[1:], start=2):
            assert f"- {number} -" in text, (path.name, number)
            multi += 1
    assert multi >= 1


def test_no_internal_codes_or_developer_notes_in_any_sample(
    samples: list[tuple[Path, str]],
) -> None:
    for path, _ in samples:
        text = " ".join(page_texts(path.read_bytes()))
        text = re.sub(r"/verifikasi/\S+", "", text)  # the QR's address names the letter id
        for leftover in ("NET-", "DEMO-", "SAMPLE-", "verify", "source:", "TODO", "None"):
            assert leftover not in text, (path.name, leftover)
        flat = " ".join(text.split())
        for note in DEVELOPER_NOTES:  # what the issue found in earlier letters
            assert note not in flat, (path.name, note)
        if (
            "keputusan_sanksi_disiplin" in path.name
            or "keputusan_sanksi_pemberhentian" in path.name
        ):
            assert "hari kerja ke-15 (lima belas)" in flat or "akhir bulan" in flat, path.name


def test_every_sample_is_structurally_pdf_a_3b(samples: list[tuple[Path, str]]) -> None:
    """XMP matching Info, ICC OutputIntent, fonts embedded, no actions, files with
    AFRelationship: checked on every sample letter (veraPDF is not installable here)."""
    for path, _ in samples:
        assert pdfa_3b_problems(path.read_bytes()) == [], path.name


def test_pdffonts_sees_every_font_embedded(samples: list[tuple[Path, str]]) -> None:
    import shutil
    import subprocess

    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "poppler-utils (pdffonts) is part of the development machine"
    for path, _ in samples[:: max(1, len(samples) // 8)]:
        listing = subprocess.run(
            [pdffonts, str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listing, path.name
        for line in listing:
            assert line.split()[-5] == "yes", (path.name, line)  # the "emb" column


_RENDER_SCRIPT = """
import sys
from pathlib import Path
from letters.pdf import letter_pdf
source, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir()
for html in sorted(source.glob("*.html")):
    pdf = letter_pdf(html.read_text(encoding="utf-8"), {"letter": {"id": html.stem}},
                     verification_url="https://netra.example.go.id/verifikasi/" + html.stem)
    (out / (html.stem + ".pdf")).write_bytes(pdf)
"""


def test_two_fresh_processes_render_byte_equal_pdfs(
    samples: list[tuple[Path, str]], tmp_path: Path
) -> None:
    """Separate interpreters (different hash seeds, nothing inherited by fork) give the same
    bytes; `python -m bench.letters_reproducibility venvs` does the same across virtualenvs."""
    import os
    import subprocess
    import sys

    source = tmp_path / "html"
    source.mkdir()
    for path, html in samples[:: max(1, len(samples) // 4)][:4]:
        (source / f"{path.stem}.html").write_text(html, encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", _RENDER_SCRIPT, str(source), str(out)], check=True, env=env
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))})
    assert len(outputs[0]) == 4
    assert outputs[0] == outputs[1]
