"""The typed SQLAlchemy 2 schema of Netra, one module per part of the domain: `cases` (the
event log and the case projection), `registry` (institutions, officers, calendar, settings
and their history), `letters`, `audit`, `identity` (credentials, tokens, sessions,
idempotency keys), `notices` (outbox and delivery) and `intake` (evidence, import register),
on the shared `Base`, column types and `table_of` of `base`.

Importing `db.schema` imports every module, so every table is on `Base.metadata` (the
migrations and the tests rely on it); import the models from here.

No `from __future__ import annotations` in the model modules: the `Mapped[...]` annotations
are evaluated as the classes are built, so SQLAlchemy need not parse and evaluate every one
as a string (a part of every command's start-up)."""

from db.schema.audit import AuditExportRow, CheckpointHeadRow, CheckpointRow
from db.schema.base import Base, Instant, JsonType, table_of
from db.schema.cases import FOLLOW_UP_EVENTS, CaseEventRow, CaseRow, CaseSearchRow
from db.schema.identity import ApiTokenRow, CredentialRow, IdempotencyRow, WebSessionRow
from db.schema.intake import EvidenceRow, ImportRowRow
from db.schema.letters import (
    ExternalLetterRow,
    LetterCounterRow,
    LetterheadRow,
    LetterLogoRow,
    LetterRow,
    LetterStatusRow,
    LetterTemplateRow,
)
from db.schema.notices import NoticeDeliveryRow, OutboxRow
from db.schema.registry import (
    CalendarOverrideRow,
    InstitutionRow,
    OfficerRow,
    ReferenceVersionRow,
    RegistryEventRow,
    SettingRow,
)

__all__ = [
    "FOLLOW_UP_EVENTS",
    "ApiTokenRow",
    "AuditExportRow",
    "Base",
    "CalendarOverrideRow",
    "CaseEventRow",
    "CaseRow",
    "CaseSearchRow",
    "CheckpointHeadRow",
    "CheckpointRow",
    "CredentialRow",
    "EvidenceRow",
    "ExternalLetterRow",
    "IdempotencyRow",
    "ImportRowRow",
    "Instant",
    "InstitutionRow",
    "JsonType",
    "LetterCounterRow",
    "LetterLogoRow",
    "LetterRow",
    "LetterStatusRow",
    "LetterTemplateRow",
    "LetterheadRow",
    "NoticeDeliveryRow",
    "OfficerRow",
    "OutboxRow",
    "ReferenceVersionRow",
    "RegistryEventRow",
    "SettingRow",
    "WebSessionRow",
    "table_of",
]
