"""Letterheads: an administrator sets an institution's kop surat lines, its head's kop and logo.

The logo is hostile input until proven otherwise (`letters.letterhead.validate_logo`): only
a PNG (re-encoded) or a plain drawing SVG within the size limits is stored, addressed by its
SHA-256. Letters issued afterwards snapshot the new letterhead; letters already issued keep
the one they were issued with.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cases.access import acting, require_role
from db.letter_records import LetterRecords
from db.unit_of_work import UnitOfWork
from letters.letterhead import check_kop_lines, default_letterhead, validate_logo
from rules.errors import InvalidInput
from rules.models import Role


def set_letterhead(
    uow: UnitOfWork,
    officer_id: str,
    institution_code: str,
    kop_lines: list[str],
    now: datetime,
    head_kop: str | None = None,
    logo: bytes | None = None,
    keep_logo: bool = True,
) -> dict[str, Any]:
    """Store the institution's kop (1-3 lines), its head's kop and, optionally, a new logo."""
    lines = check_kop_lines(kop_lines)
    office = " ".join(head_kop.split()).upper() if head_kop else None
    if office is not None and not 0 < len(office) <= 200:
        raise InvalidInput("Kop jabatan pimpinan paling panjang 200 karakter")
    checked = validate_logo(logo) if logo is not None else None
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        institution = uow.registry.institution(institution_code)
        records = LetterRecords(uow.session)
        current = records.letterhead(institution.code) or {}
        logo_sha = current.get("logo_sha256") if keep_logo else None
        if checked is not None:
            records.add_logo(checked.sha256, checked.media_type, checked.data, now)
            logo_sha = checked.sha256
        derived = default_letterhead(institution.__dict__)
        records.save_letterhead(
            institution.code,
            lines,
            office or derived["head_kop"],
            logo_sha,
            actor.user_id,
            now,
        )
        stored = records.letterhead(institution.code)
        uow.commit()
    assert stored is not None
    return stored


def current_letterhead(uow: UnitOfWork, officer_id: str, institution_code: str) -> dict[str, Any]:
    """The institution's letterhead as letters issued now would carry it: the stored one, or
    the one derived from the registry (`stored` tells which)."""
    with uow:
        acting(uow, officer_id)
        institution = uow.registry.institution(institution_code)
        stored = LetterRecords(uow.session).letterhead(institution.code)
    if stored is not None:
        return {**stored, "stored": True}
    return {**default_letterhead(institution.__dict__), "logo_sha256": None, "stored": False}


def stored_logo(uow: UnitOfWork, officer_id: str, sha256: str) -> tuple[str, bytes]:
    """A validated logo by its SHA-256: (media type, bytes)."""
    with uow:
        acting(uow, officer_id)
        return LetterRecords(uow.session).logo(sha256)
