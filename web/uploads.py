"""Reading a multipart form with one uploaded file (evidence, a letterhead logo): the fields,
checked against the session's CSRF token before the file is looked at, and the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from rules.errors import InvalidInput
from web.context import Posted
from web.session import Visitor, check_form

MAX_FIELDS = 20
MAX_FIELD_BYTES = 64 * 1024


@dataclass
class Upload:
    """The posted fields and the one file (None when the officer chose none)."""

    fields: Posted
    file_name: str
    stream: BinaryIO | None


async def upload_of(request: Request, who: Visitor, file_field: str) -> Upload:
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "multipart/form-data":
        raise InvalidInput("Formulir unggahan harus dikirim sebagai multipart/form-data")
    try:
        form = await request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES)
    except MultiPartException:
        raise InvalidInput("Formulir unggahan tidak dapat dibaca") from None
    fields: Posted = {}
    upload: UploadFile | None = None
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
        elif name == file_field and value.filename:
            upload = value
    check_form(who, [(name, v) for name, values in fields.items() for v in values])
    if upload is None:
        return Upload(fields, "", None)
    return Upload(fields, upload.filename or "", upload.file)
