"""What an evidence file is, judged from its bytes: the media type sniffed from the content
(never the extension or the client's word), the allowlist, a safe file name and thumbnails."""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

import filetype

from rules.errors import InvalidInput

SNIFF_BYTES = 8192
THUMBNAIL_EDGE = 320
# A thumbnail is made only for images up to this many pixels (a 108 MP phone photo passes);
# larger headers are decompression bombs or not worth decoding on upload.
THUMBNAIL_MAX_PIXELS = 120_000_000
NAME_MAX = 200


@dataclass(frozen=True)
class Kind:
    """An allowed kind of evidence and its Indonesian label."""

    label: str
    extension: str


ALLOWED: dict[str, Kind] = {
    "image/jpeg": Kind("foto", "jpg"),
    "image/png": Kind("foto/tangkapan layar", "png"),
    "image/webp": Kind("foto/tangkapan layar", "webp"),
    "image/gif": Kind("gambar", "gif"),
    "image/heic": Kind("foto", "heic"),
    "image/tiff": Kind("pindaian", "tif"),
    "image/bmp": Kind("gambar", "bmp"),
    "video/mp4": Kind("video", "mp4"),
    "video/x-m4v": Kind("video", "m4v"),
    "video/quicktime": Kind("video", "mov"),
    "video/3gpp": Kind("video", "3gp"),
    "video/webm": Kind("video", "webm"),
    "video/x-matroska": Kind("video", "mkv"),
    "video/x-msvideo": Kind("video", "avi"),
    "video/mpeg": Kind("video", "mpg"),
    "audio/mpeg": Kind("rekaman suara", "mp3"),
    "audio/mp4": Kind("rekaman suara", "m4a"),
    "audio/aac": Kind("rekaman suara", "aac"),
    "audio/ogg": Kind("rekaman suara", "ogg"),
    "audio/x-wav": Kind("rekaman suara", "wav"),
    "audio/amr": Kind("rekaman suara", "amr"),
    "audio/x-flac": Kind("rekaman suara", "flac"),
    "application/pdf": Kind("dokumen PDF", "pdf"),
    "application/msword": Kind("dokumen Word", "doc"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Kind(
        "dokumen Word", "docx"
    ),
    "application/vnd.ms-excel": Kind("lembar kerja Excel", "xls"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Kind(
        "lembar kerja Excel", "xlsx"
    ),
    "application/vnd.ms-powerpoint": Kind("presentasi", "ppt"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": Kind(
        "presentasi", "pptx"
    ),
    "application/vnd.oasis.opendocument.text": Kind("dokumen ODT", "odt"),
    "application/vnd.oasis.opendocument.spreadsheet": Kind("lembar kerja ODS", "ods"),
    "application/vnd.oasis.opendocument.presentation": Kind("presentasi ODP", "odp"),
}
THUMBNAILED = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp"})


def sniff(head: bytes) -> str:
    """The media type of a file from its first bytes; refused unless on the allowlist."""
    guess = filetype.guess(head)
    media_type = guess.mime if guess is not None else None
    if not isinstance(media_type, str) or media_type not in ALLOWED:
        found = media_type or "tidak dikenali"
        raise InvalidInput(
            f"Jenis berkas tidak diizinkan ({found}); yang diizinkan: foto, tangkapan layar, "
            "video, rekaman suara, PDF dan dokumen perkantoran"
        )
    return media_type


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def safe_file_name(raw: str, media_type: str) -> str:
    """The client's file name without path, control or reserved characters, at most 200
    characters; an empty result becomes `bukti.<extension of the sniffed type>`."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name:
        name = f"bukti.{ALLOWED[media_type].extension}"
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: NAME_MAX - len(extension) - 1] + "." + extension
        else:
            name = name[:NAME_MAX]
    return name


def thumbnail(path: str, media_type: str) -> bytes | None:
    """A JPEG thumbnail (longest edge 320 px, orientation applied, no EXIF) of an image, or
    None when the type has none, the header announces too many pixels, or it cannot be
    decoded. The original file is never changed."""
    if media_type not in THUMBNAILED:
        return None
    from PIL import Image, ImageOps, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
                if width * height > THUMBNAIL_MAX_PIXELS:
                    return None
                image.draft("RGB", (THUMBNAIL_EDGE * 2, THUMBNAIL_EDGE * 2))
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
                out = io.BytesIO()
                upright.convert("RGB").save(out, "JPEG", quality=80)
                return out.getvalue()
        except (
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            UnidentifiedImageError,
            OSError,
            ValueError,
            SyntaxError,
        ):
            return None
