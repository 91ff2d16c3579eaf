"""Imports an older release's letter templates into the template store (administrators).

Letters issued before the template store existed carry a template hash but no stored
sources, so they are verified against the installed templates, which a later release may
have changed. An administrator points `netra letter templates import DIR` at the templates
folder of the release that issued them: each template there whose hash (with everything it
uses) equals the template hash of issued letters is stored under that hash; nothing else is
stored. The store is content-addressed, so what is imported proves itself: verification
re-checks that the sources hash to the letter's template hash, which its chained
`letter_issued` event recorded. Who imported which sets is appended to the registry's
history (`letter_templates_imported`). One transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cases.access import acting, require_role
from cases.identity.history import LETTER_TEMPLATES_IMPORTED, record
from db.unit_of_work import UnitOfWork
from letters.render import TemplateSet, templates
from rules.errors import InvalidInput
from rules.models import Role


@dataclass(frozen=True)
class ImportedTemplate:
    """A template set of the folder that issued letters used: stored now, or already."""

    template_name: str
    template_hash: str
    letters: int  # how many issued letters it covers
    stored_now: bool

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _folder_templates(directory: Path) -> TemplateSet:
    if not directory.is_dir():
        raise InvalidInput(f"Folder templat '{directory}' tidak ditemukan")
    try:
        template_set = templates(directory, fresh=True)
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"Folder templat '{directory}' tidak terbaca: {error}") from None
    if not template_set.names():
        raise InvalidInput(f"Folder '{directory}' tidak berisi templat surat (*.html.j2)")
    return template_set


def import_templates(
    uow: UnitOfWork, officer_id: str, directory: Path | str
) -> list[ImportedTemplate]:
    """Store the folder's templates that match issued letters' template hashes."""
    with uow:
        actor, _ = acting(uow, officer_id)
        require_role(actor, Role.ADMIN)
        template_set = _folder_templates(Path(directory))
        store = uow.letter_templates()
        stored = store.stored_hashes()
        found: list[ImportedTemplate] = []
        for name, template_hash, count in store.issued():
            if not template_set.matches(name, template_hash):
                continue
            new = template_hash not in stored
            if new:
                store.add(name, template_hash, template_set.template_sources(name))
                stored.add(template_hash)
            found.append(ImportedTemplate(name, template_hash, count, new))
        stored_now = [x for x in found if x.stored_now]
        if stored_now:  # who imported which sets, in the registry's chained history
            record(
                uow,
                LETTER_TEMPLATES_IMPORTED,
                actor.user_id,
                {
                    "folder": str(Path(directory).resolve()),
                    "templates": [
                        {"template_name": x.template_name, "template_hash": x.template_hash}
                        for x in stored_now
                    ],
                },
            )
        uow.commit()
    return found
