"""Kop surat: the two- or three-line letterhead of an institution, its head's kop, its logo.

Tata Naskah Dinas (Permendagri 1/2023; LETTER-FORMS §5): a regional office's letter carries
PEMERINTAH <DAERAH> / <NAMA PERANGKAT DAERAH> / address; letters and decrees of the regional
head carry the office of the head (BUPATI <X> / WALI KOTA <X>) under the emblem. An
institution without a stored letterhead gets one derived from its registry entry.

Logos are uploaded by an administrator and are hostile input: `validate_logo` accepts a PNG
(re-encoded with Pillow: no metadata or extra chunks survive) or an SVG made only of
drawing elements (no script, no event handler, no external reference, no DTD), each within
a size limit; anything else is refused with the reason.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

from rules.errors import InvalidInput

MAX_LOGO_BYTES = 512 * 1024
MAX_SVG_BYTES = 128 * 1024
MAX_LOGO_PIXELS = 2048
MAX_KOP_LINES = 3
BKPSDM = "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "defs",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "title",
        "desc",
        "use",
        "text",
        "tspan",
    }
)
_UNSAFE_STYLE = re.compile(r"url\s*\(|@import|expression\s*\(|javascript:", re.I)
_LOCAL_URL = re.compile(r"url\s*\(\s*#[\w.-]+\s*\)", re.I)


@dataclass(frozen=True)
class Logo:
    """A validated logo: media type, the bytes to store, and their SHA-256."""

    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _local_name(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag


def _check_svg(data: bytes) -> Logo:
    if len(data) > MAX_SVG_BYTES:
        raise InvalidInput(
            f"Logo SVG terlalu besar ({len(data)} bita; paling besar {MAX_SVG_BYTES})"
        )
    text = data.decode("utf-8", errors="strict") if data else ""
    if re.search(r"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet", text, re.I):
        raise InvalidInput("Logo SVG tidak boleh memuat DOCTYPE, ENTITY, atau stylesheet luar")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise InvalidInput(f"Logo SVG tidak dapat dibaca: {exc}") from None
    if _local_name(root.tag) != (SVG_NS, "svg"):
        raise InvalidInput("Berkas logo bukan SVG (elemen akar harus <svg> SVG)")
    if not (root.get("viewBox") or (root.get("width") and root.get("height"))):
        raise InvalidInput("Logo SVG harus memiliki viewBox atau width dan height")
    for element in root.iter():
        ns, name = _local_name(element.tag)
        if ns != SVG_NS or name not in SVG_ELEMENTS:
            raise InvalidInput(f"Logo SVG memuat elemen yang tidak diizinkan: <{name}>")
        for attribute, value in element.attrib.items():
            attr_ns, attr = _local_name(attribute)
            if attr.lower().startswith("on"):
                raise InvalidInput(f"Logo SVG memuat penangan peristiwa '{attr}'")
            if attr == "href" and attr_ns in (None, XLINK_NS) and not value.startswith("#"):
                raise InvalidInput("Logo SVG memuat rujukan ke luar berkas")
            if attr_ns not in (None, XLINK_NS, "http://www.w3.org/XML/1998/namespace"):
                raise InvalidInput(f"Logo SVG memuat atribut asing '{attribute}'")
            if _UNSAFE_STYLE.search(_LOCAL_URL.sub("", value)):
                raise InvalidInput(f"Logo SVG memuat nilai yang tidak aman pada '{attr}'")
        if element.text and name not in ("title", "desc", "text", "tspan") and element.text.strip():
            raise InvalidInput(f"Logo SVG memuat teks di dalam <{name}>")
    return Logo("image/svg+xml", data)


def _check_png(data: bytes) -> Logo:
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_LOGO_BYTES:
        raise InvalidInput(
            f"Logo PNG terlalu besar ({len(data)} bita; paling besar {MAX_LOGO_BYTES})"
        )
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format != "PNG":
                raise InvalidInput("Berkas logo bukan PNG")
            width, height = image.size
            if max(width, height) > MAX_LOGO_PIXELS or min(width, height) < 16:
                raise InvalidInput(
                    f"Ukuran logo {width}x{height} piksel di luar batas 16..{MAX_LOGO_PIXELS}"
                )
            image.load()
            clean = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"Logo PNG rusak atau palsu: {exc}") from None
    out = BytesIO()
    clean.save(out, format="PNG", optimize=False)
    return Logo("image/png", out.getvalue())


def validate_logo(data: bytes) -> Logo:
    """A logo fit for a letterhead, judged by its content (never by a file name or claim)."""
    if not data:
        raise InvalidInput("Berkas logo kosong")
    if data.startswith(PNG_MAGIC):
        return _check_png(data)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml")):
        return _check_svg(data)
    raise InvalidInput("Logo harus berupa PNG atau SVG")


def check_kop_lines(lines: list[str]) -> list[str]:
    """Two or three non-empty lines of at most 120 characters, upper-cased."""
    clean = [" ".join(str(line).split()).upper() for line in lines]
    if not 1 <= len(clean) <= MAX_KOP_LINES or any(not line for line in clean):
        raise InvalidInput("Kop surat terdiri atas 1 sampai 3 baris yang tidak kosong")
    if any(len(line) > 120 for line in clean):
        raise InvalidInput("Baris kop surat paling panjang 120 karakter")
    return clean


def head_office(head_title: str) -> str:
    """`Penjabat Wali Kota Kediri` -> `WALI KOTA KEDIRI` (the office, for a head's kop)."""
    title = re.sub(r"^(Penjabat|Pj\.|Plt\.|Plh\.|Pjs\.)\s+", "", head_title.strip(), flags=re.I)
    return title.upper()


def default_letterhead(institution: dict[str, Any]) -> dict[str, Any]:
    """The kop derived from the registry when the institution stored none."""
    kind = institution.get("kind")
    name = str(institution.get("name") or "")
    if kind == "ppk":
        lines = [name.upper(), BKPSDM]
    elif kind == "bawaslu":
        prefix = "Badan Pengawas Pemilihan Umum "
        region = name[len(prefix) :] if name.startswith(prefix) else name
        lines = ["BADAN PENGAWAS PEMILIHAN UMUM", region.upper()]
    else:
        lines = [name.upper(), "REPUBLIK INDONESIA"]
    return {
        "kop_lines": lines,
        "head_kop": head_office(str(institution.get("head_title") or "")),
        "logo_sha256": None,
    }
