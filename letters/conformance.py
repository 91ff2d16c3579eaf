"""Structural PDF/A-3b checks of a letter PDF, beyond the conformance markers.

veraPDF (the reference validator) is a Java application distributed outside the package
registries this project installs from, so `pdfa_3b_problems` checks with pypdf what ISO
19005-3 level B requires of a document like a letter:

- not encrypted; a file identifier (/ID) in the trailer;
- XMP metadata with `pdfaid:part` 3 and `pdfaid:conformance` B, whose title, producer,
  creator tool and creation date match the document information dictionary;
- an /OutputIntent of subtype GTS_PDFA1 with an embedded ICC profile (an `acsp` header);
- every font used on any page (also in form XObjects and annotation appearances) embedded;
- no JavaScript, no launch, no other forbidden action, anywhere in the object graph;
- every embedded file with an /AFRelationship, a MIME /Subtype and a /ModDate, listed
  in the catalogue's /AF array.

It returns the problems found (an empty list for a conforming letter); it never raises on
a damaged or hostile file, which is a problem like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from typing import Any

_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData"}
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _xmp_value(xmp: str, name: str) -> str | None:
    attribute = re.search(rf'{name}="([^"]*)"', xmp)
    if attribute:
        return attribute.group(1)
    element = re.search(rf"<{name}(?:\s[^>]*)?>(.*?)</{name}>", xmp, re.S)
    if element is None:
        return None
    inner = re.search(r"<rdf:li[^>]*>(.*?)</rdf:li>", element.group(1), re.S)
    return (inner.group(1) if inner else element.group(1)).strip()


def _pdf_date(value: str) -> str:
    """`D:20241119` or `D:20241119093000+07'00'` as the ISO date (and time) XMP uses."""
    digits = re.sub(r"[^0-9]", "", value.removeprefix("D:"))[:14]
    date = f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}"
    return date if len(digits) <= 8 else f"{date}T{digits[8:10]}:{digits[10:12]}"


def _walk(root: Any) -> Iterator[Any]:
    """Every dictionary and array reachable from `root`, each object once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[int] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = item.idnum * 65536 + item.generation
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, ArrayObject):
            yield item
            stack.extend(item)


def _metadata_problems(reader: Any, root: Any) -> list[str]:
    if "/Metadata" not in root:
        return ["tanpa metadata XMP"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    problems = []
    if _xmp_value(xmp, "pdfaid:part") != "3":
        problems.append("XMP pdfaid:part bukan 3")
    if _xmp_value(xmp, "pdfaid:conformance") != "B":
        problems.append("XMP pdfaid:conformance bukan B")
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    pairs = (
        ("/Title", "dc:title"),
        ("/Producer", "pdf:Producer"),
        ("/Creator", "xmp:CreatorTool"),
        ("/CreationDate", "xmp:CreateDate"),
        ("/ModDate", "xmp:ModifyDate"),
    )
    for key, name in pairs:
        in_info, in_xmp = info.get(key), _xmp_value(xmp, name)
        if in_info is None and in_xmp is None:
            continue
        if key.endswith("Date") and in_info is not None:
            in_info = _pdf_date(str(in_info))
            in_xmp = in_xmp[: len(in_info)] if in_xmp else in_xmp
        if in_info is None or in_xmp is None or str(in_info) != in_xmp:
            problems.append(f"{key} di Info ({in_info}) tidak sama dengan {name} ({in_xmp})")
    return problems


def _output_intent_problems(root: Any) -> list[str]:
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        return ["tanpa OutputIntent GTS_PDFA1"]
    profile = pdfa[0].get("/DestOutputProfile")
    if profile is None:
        return ["OutputIntent tanpa profil ICC"]
    data = profile.get_object().get_data()
    return [] if data[36:40] == b"acsp" else ["profil ICC OutputIntent tidak sah"]


def _font_problems(objects: list[Any]) -> list[str]:
    problems = []
    for item in objects:
        if not hasattr(item, "get") or item.get("/Type") != "/Font":
            continue
        if item.get("/Subtype") == "/Type0":
            descendants = item.get("/DescendantFonts") or []
            fonts = [d.get_object() for d in descendants]
        elif item.get("/Subtype") == "/Type3":
            continue  # glyphs are content streams: nothing to embed
        else:
            fonts = [item]
        for font in fonts:
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in _FONT_FILES):
                problems.append(f"fon {font.get('/BaseFont')} tidak disematkan")
    return problems


def _action_problems(objects: list[Any]) -> list[str]:
    problems = []
    for item in objects:
        if not hasattr(item, "get"):
            continue
        if item.get("/S") in _FORBIDDEN_ACTIONS:
            problems.append(f"aksi terlarang {item.get('/S')}")
        if "/JS" in item or "/JavaScript" in item or "/AA" in item:
            problems.append("JavaScript atau aksi otomatis (/AA)")
    return problems


def _attachment_problems(root: Any, objects: list[Any]) -> list[str]:
    problems = []
    listed = {id(ref.get_object()) for ref in root.get("/AF", [])}
    for item in objects:
        if not hasattr(item, "get") or item.get("/Type") != "/Filespec" or "/EF" not in item:
            continue
        name = item.get("/UF") or item.get("/F")
        if "/AFRelationship" not in item:
            problems.append(f"lampiran {name} tanpa AFRelationship")
        if id(item) not in listed:
            problems.append(f"lampiran {name} tidak tercantum dalam /AF katalog")
        stream = item["/EF"].get_object().get("/F")
        stream = stream.get_object() if stream is not None else {}
        if "/Subtype" not in stream:
            problems.append(f"lampiran {name} tanpa jenis MIME")
        params = stream.get("/Params")
        if params is None or "/ModDate" not in params.get_object():
            problems.append(f"lampiran {name} tanpa tanggal perubahan")
    return problems


def pdfa_3b_problems(pdf: bytes) -> list[str]:
    """What keeps `pdf` from being a PDF/A-3b letter (empty when none), in Indonesian."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(pdf))
        if reader.is_encrypted:
            return ["berkas dienkripsi"]
        root = reader.trailer["/Root"].get_object()
        objects = list(_walk(reader.trailer["/Root"]))
    except Exception as error:  # a damaged or hostile file is a finding, not a crash
        return [f"berkas PDF rusak: {type(error).__name__}"]
    problems = []
    if not pdf.startswith(b"%PDF-1."):
        problems.append("kepala berkas bukan %PDF-1.x")
    if "/ID" not in reader.trailer:
        problems.append("tanpa /ID pada trailer")
    problems += _metadata_problems(reader, root)
    problems += _output_intent_problems(root)
    problems += _font_problems(objects)
    problems += _action_problems(objects)
    problems += _attachment_problems(root, objects)
    return problems
