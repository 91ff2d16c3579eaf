"""Admin: institutions — register one, correct its registry entry (address, head, letter
number format; a registry event), and set its letterhead (kop lines, head's kop, logo: a PNG
or plain SVG checked by letters/letterhead.py, refused with the reason and nothing stored)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.downloads import DOWNLOAD_HEADERS
from cases.letterheads import current_letterhead, set_letterhead, stored_logo
from cases.registry import INSTITUTION_KINDS, add_institution, change_institution, list_institutions
from db.registry import Institution
from letters.letterhead import MAX_LOGO_BYTES
from rules.errors import InvalidInput, NetraError
from web.context import Pages, Posted, one
from web.session import Visitor
from web.uploads import upload_of

TEXT_FIELDS = (
    ("name", "Nama instansi", True),
    ("parent_name", "Instansi induk", False),
    ("region_code", "Kode wilayah (Kemendagri)", False),
    ("city", "Kota (tempat surat)", True),
    ("address", "Alamat", True),
    ("phone", "Telepon", False),
    ("email", "Surel", False),
    ("website", "Laman", False),
    ("head_title", "Jabatan pimpinan", True),
    ("head_name", "Nama pimpinan", True),
    ("head_nip", "NIP pimpinan", False),
    ("letter_number_format", "Format nomor surat", True),
)
LOGO_TYPES = {"image/png", "image/svg+xml"}


def institution_of(posted: Posted, code: str, kind: str) -> Institution:
    """The institution typed into the form; blanks of optional fields become None."""
    values: dict[str, Any] = {}
    for name, label, required in TEXT_FIELDS:
        text = one(posted, name)
        if required and not text:
            raise InvalidInput(f"{label} wajib diisi")
        values[name] = text or (None if not required else text)
    return Institution(code=code, kind=kind, **values)


def router(pages: Pages) -> APIRouter:
    routes = APIRouter()

    def list_page(request: Request, who: Visitor, status: int = 200, **extra: Any) -> HTMLResponse:
        return pages.page(
            request,
            "admin_institutions.html",
            who,
            status=status,
            institutions=list_institutions(pages.uow()),
            kinds=INSTITUTION_KINDS[:-1],
            fields=TEXT_FIELDS,
            **extra,
        )

    def edit_page(
        request: Request, who: Visitor, code: str, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        work = pages.uow()
        with work:
            institution = work.registry.institution(code)
        return pages.page(
            request,
            "admin_institution.html",
            who,
            status=status,
            institution=institution,
            letterhead=current_letterhead(pages.uow(), who.officer_id, code),
            fields=TEXT_FIELDS,
            max_logo_kb=MAX_LOGO_BYTES // 1024,
            **extra,
        )

    @routes.get("/admin/instansi", response_class=HTMLResponse)
    def institutions(request: Request) -> HTMLResponse:
        return list_page(request, pages.admin(request), values={})

    @routes.post("/admin/instansi", response_class=HTMLResponse)
    async def add(request: Request) -> Response:
        who = pages.admin(request)
        posted = await pages.posted(request, who)
        code = one(posted, "code")
        try:
            institution = institution_of(posted, code, one(posted, "kind"))
            add_institution(pages.uow(), institution, who.officer_id)
        except NetraError as error:
            if error.http_status >= 500:
                raise
            values = {k: v[-1] for k, v in posted.items()}
            return list_page(request, who, status=422, add_error=error.message, values=values)
        return RedirectResponse(f"/admin/instansi/{code}?ok=baru", status_code=303)

    @routes.get("/admin/instansi/{code}", response_class=HTMLResponse)
    def edit(request: Request, code: str) -> HTMLResponse:
        return edit_page(request, pages.admin(request), code)

    @routes.post("/admin/instansi/{code}", response_class=HTMLResponse)
    async def change(request: Request, code: str) -> Response:
        who = pages.admin(request)
        posted = await pages.posted(request, who)
        work = pages.uow()
        with work:
            kind = work.registry.institution(code).kind
        try:
            institution = institution_of(posted, code, kind)
            change_institution(pages.uow(), who.officer_id, institution, one(posted, "reason"))
        except NetraError as error:
            if error.http_status >= 500:
                raise
            return edit_page(request, who, code, status=422, change_error=error.message)
        return RedirectResponse(f"/admin/instansi/{code}?ok=data", status_code=303)

    @routes.post("/admin/instansi/{code}/kop", response_class=HTMLResponse)
    async def letterhead(request: Request, code: str) -> Response:
        who = pages.admin(request)
        sent = await upload_of(request, who, "logo")
        lines = [line for line in sent.fields.get("kop_line", []) if line.strip()]
        try:
            logo = _read_logo(sent.stream)
            set_letterhead(
                pages.uow(),
                who.officer_id,
                code,
                lines,
                pages.now(),
                head_kop=one(sent.fields, "head_kop") or None,
                logo=logo,
                keep_logo=one(sent.fields, "remove_logo") != "ya",
            )
        except NetraError as error:
            if error.http_status >= 500:
                raise
            return edit_page(request, who, code, status=422, kop_error=error.message)
        return RedirectResponse(f"/admin/instansi/{code}?ok=kop", status_code=303)

    @routes.get("/admin/instansi/{code}/logo/{sha256}")
    def logo(request: Request, code: str, sha256: str) -> Response:
        """The stored logo for the admin's preview (<img>): checked on upload, served with
        a sandbox policy and never sniffed."""
        who = pages.admin(request)
        media_type, data = stored_logo(pages.uow(), who.officer_id, sha256)
        if media_type not in LOGO_TYPES:
            raise InvalidInput("Logo tersimpan bukan PNG atau SVG")
        return Response(data, media_type=media_type, headers=DOWNLOAD_HEADERS)

    return routes


def _read_logo(stream: Any) -> bytes | None:
    """The uploaded logo's bytes, read no further than the limit allows."""
    if stream is None:
        return None
    data: bytes = stream.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise InvalidInput(f"Logo melebihi {MAX_LOGO_BYTES // 1024} KB")
    return data
