"""Letters as PDF/A-3b: the shipped fonts, the verification QR code, the embedded context.

`letter_pdf` renders a letter's stored HTML with WeasyPrint (`pdf_variant="pdf/a-3b"`),
embeds the letter's canonical JSON context as an associated file (`konteks-surat.json`,
relationship `Data`), adds a QR code pointing to the public verification page and, for a
preview, a "DRAFT" watermark. The output is deterministic: the document identifier is
derived from the content, the dates from the letter's own date, and the fonts (Liberation
Serif, SIL OFL, in `letters/static/fonts`) ship with the package, so the same letter gives
the same bytes on any machine. The QR and watermark are added to the PDF only: the stored,
hashed HTML of a letter is never changed by them.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import UTC, datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any

from markupsafe import escape

from rules.errors import InvalidInput
from states.canonical import canonical_json

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONTS_DIR = PACKAGE_DIR / "static" / "fonts"
CONTEXT_ATTACHMENT = "konteks-surat.json"
PDF_VARIANT = "pdf/a-3b"
IMAGE_CACHE_LIMIT = 256  # decoded images (logos, QR codes) kept per thread between letters

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_BODY = re.compile(r"<body[^>]*>")
_CREATED = re.compile(r'<meta name="dcterms\.created" content="([0-9-]+)">')
_CACHE = threading.local()  # per thread: WeasyPrint objects are not shared across threads

_EXTRA_CSS = """
.netra-qr { position: running(netraqr); font-size: 7pt; line-height: 1.15; color: #000;
  border-collapse: collapse; }
.netra-qr td { padding: 0; vertical-align: middle; }
.netra-qr img { width: 1.4cm; height: 1.4cm; margin-right: 4pt; display: block; }
.netra-qr p { margin: 0; text-align: left; hyphens: none; white-space: nowrap; }
@page { @bottom-left { content: element(netraqr); vertical-align: middle; } }
.netra-draft { position: fixed; top: 9cm; left: 0; width: 100%; text-align: center;
  font-size: 96pt; font-weight: bold; color: rgba(150, 150, 150, 0.35);
  transform: rotate(-35deg); letter-spacing: 12pt; z-index: -1; }
"""


def qr_png(url: str) -> bytes:
    """A QR code of `url` as a PNG (segno, error correction M, 4 px per module)."""
    import segno

    out = BytesIO()
    # A fixed mask pattern: scoring all eight (segno's default) costs ~10 ms per letter.
    segno.make_qr(url, error="m", mask=2).save(out, kind="png", scale=4, border=1)
    return out.getvalue()


def qr_data_uri(url: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


def verification_block(url: str) -> str:
    """The small QR block placed at the bottom left of every page."""
    return (
        '<table class="netra-qr"><tr>'
        f'<td><img src="{qr_data_uri(url)}" alt="QR verifikasi"></td>'
        "<td><p>Keaslian surat ini dapat diperiksa dengan memindai kode QR</p>"
        f"<p>atau membuka {escape(url.split('?')[0])}</p></td></tr></table>"
    )


DRAFT_BLOCK = '<div class="netra-draft">DRAFT</div>'


def with_overlays(html: str, verification_url: str | None = None, draft: bool = False) -> str:
    """The letter's HTML with the QR block and/or the DRAFT watermark added after `<body>`."""
    extra = ""
    if draft:
        extra += DRAFT_BLOCK
    if verification_url:
        extra += verification_block(verification_url)
    if not extra:
        return html
    match = _BODY.search(html)
    if not match:
        raise InvalidInput("HTML surat tidak memiliki <body>")
    return f"{html[: match.end()]}{extra}{html[match.end() :]}"


def _document_date(html: str) -> datetime | None:
    match = _CREATED.search(html)
    if not match:
        return None
    return datetime.combine(datetime.fromisoformat(match.group(1)).date(), time(0), tzinfo=UTC)


def _fetcher(logos: dict[str, tuple[str, bytes]]) -> Any:
    """A URL fetcher that reads only the package's own files, data URIs and stored logos.

    A letter never loads anything from the network or from elsewhere on disk, whatever
    its text says.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LetterFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("netra-logo:"):
                found = logos.get(url.removeprefix("netra-logo:"))
                if found is None:
                    raise ValueError(f"logo {url} tidak tersedia")
                media_type, data = found
                return URLFetcherResponse(url, data, {"Content-Type": media_type})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if path.is_relative_to(PACKAGE_DIR / "static"):
                    return super().fetch(url, headers)
            raise ValueError(f"sumber {url[:60]} tidak diizinkan dalam surat")

    return LetterFetcher(allowed_protocols=("file", "data", "netra-logo"))


class _Deflate:
    """pydyf's zlib with streams deflated at level 6 instead of 9.

    pydyf (WeasyPrint's PDF writer) compresses every stream at zlib level 9; for a letter's
    text and font streams level 6 is ~5 ms (5 %) cheaper per PDF for 0.6 % more bytes. The
    output stays deterministic (same zlib, same level). Installed once per process by
    `_stylesheets`, before the first letter is written; pydyf is used by WeasyPrint only.
    """

    LEVEL = 6

    def __init__(self, module: Any) -> None:
        self._zlib = module

    def compressobj(self, level: int = LEVEL) -> Any:
        return self._zlib.compressobj(level=self.LEVEL)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._zlib, name)


def _install_deflate_level() -> None:
    import pydyf

    if not isinstance(pydyf.zlib, _Deflate):
        pydyf.zlib = _Deflate(pydyf.zlib)


def _stylesheets(css_text: str) -> list[Any]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    cache = _CACHE.__dict__
    if "fonts" not in cache:  # one font configuration per thread (creating one costs ~15 ms)
        _install_deflate_level()
        cache["fonts"] = FontConfiguration()
        cache["sheets"] = {}
    fonts = cache["fonts"]
    sheets: dict[str, Any] = cache["sheets"]
    key = css_text + _EXTRA_CSS
    sheet = sheets.get(key)
    if sheet is None:
        sheet = sheets[key] = CSS(
            string=key,
            base_url=str(TEMPLATES_DIR) + "/",
            font_config=fonts,
            url_fetcher=_fetcher({}),
        )
    return [sheet]


def letter_pdf(
    html: str,
    context: dict[str, Any] | None = None,
    *,
    verification_url: str | None = None,
    draft: bool = False,
    logos: dict[str, tuple[str, bytes]] | None = None,
) -> bytes:
    """A PDF/A-3b of a rendered letter, with its context embedded when given.

    The letter's own `<style>` is parsed once per thread and reused, with one font
    configuration per thread (the fonts are read once).
    """
    from weasyprint import HTML, Attachment

    html = with_overlays(html, verification_url, draft)
    match = _STYLE.search(html)
    css_text = match.group(1) if match else ""
    if match:
        html = html[: match.start()] + html[match.end() :]
    stylesheets = _stylesheets(css_text)
    created = _document_date(html)
    attachments = []
    if context is not None:
        attachments.append(
            Attachment(
                string=canonical_json(context),
                name=CONTEXT_ATTACHMENT,
                description="Konteks surat (JSON kanonik) yang dicatat pada saat penerbitan",
                created=created,
                modified=created,
                relationship="Data",
            )
        )
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    document = HTML(
        string=html, base_url=str(TEMPLATES_DIR) + "/", url_fetcher=_fetcher(logos or {})
    )
    images: dict[str, Any] = _CACHE.__dict__.setdefault("images", {})
    if len(images) > IMAGE_CACHE_LIMIT:  # each letter's QR adds entries; logos stay useful
        images.clear()
    pdf = document.write_pdf(
        stylesheets=stylesheets,
        font_config=_CACHE.fonts,
        cache=images,
        pdf_variant=PDF_VARIANT,
        pdf_identifier=identifier,
        attachments=attachments,
    )
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise InvalidInput("PDF tidak dapat dibuat")
    return bytes(pdf)


def embedded_context(pdf: bytes) -> dict[str, Any] | None:
    """The context JSON embedded in a letter PDF, or None when it carries none."""
    import orjson
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(pdf))
        files = reader.attachments
    except Exception:  # a damaged or hostile upload is "no context", never a crash
        return None
    blobs = files.get(CONTEXT_ATTACHMENT) or []
    if len(blobs) != 1:
        return None
    try:
        value = orjson.loads(blobs[0])
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


PdfJob = tuple[str, dict[str, Any] | None, str | None]  # html, context, verification URL


def _render_job(job: PdfJob) -> bytes:
    html, context, url = job
    return letter_pdf(html, context, verification_url=url)


def _warm_worker() -> None:
    """Load WeasyPrint, the fonts and the print CSS once per worker process."""
    sample = (TEMPLATES_DIR / "_print.css.j2").read_text(encoding="utf-8")
    letter_pdf(f"<html><head><style>{sample}</style></head><body><p>x</p></body></html>")


def pdf_workers(workers: int | None = None) -> Any:
    """A pool of worker processes, each with WeasyPrint, the fonts and the print CSS loaded
    (`_warm_worker`); use it as a context manager and pass it to `render_many` for batch
    after batch, as a long-running exporter would, instead of starting processes per batch."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker)


def render_many(
    jobs: list[PdfJob], workers: int | None = None, pool: Any | None = None
) -> list[bytes]:
    """Render many letters to PDF/A in worker processes (one per CPU by default), in order;
    in `pool` (see `pdf_workers`) when given, else in a pool started for this batch."""
    if pool is None and (len(jobs) <= 1 or workers == 1):
        return [_render_job(job) for job in jobs]
    chunks = max(1, len(jobs) // 16)
    if pool is not None:
        return list(pool.map(_render_job, jobs, chunksize=chunks))
    with pdf_workers(workers) as started:
        return list(started.map(_render_job, jobs, chunksize=chunks))
