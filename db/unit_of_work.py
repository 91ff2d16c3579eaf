"""The unit of work: one transaction per command; leaving without commit rolls back."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import command_path
from db.case_repository import CaseRepository, projection_columns
from db.event_store import EventStore
from db.identity_store import IdentityStore
from db.reference_cache import shared_reference
from db.registry import Registry
from db.registry_history import RegistryHistory
from rules.errors import ConcurrencyConflict
from states.case import Case


class UnitOfWork:
    """`with uow:` opens a transaction; `uow.commit()` ends it; anything else rolls back.

    `operator` names the authenticated administrator who enters acts on an officer's behalf
    from the server's command line; the services record it on every event they write.
    """

    session: Session
    events: EventStore
    cases: CaseRepository
    registry: Registry
    registry_history: RegistryHistory
    identity: IdentityStore

    def __init__(self, engine: Engine, operator: str | None = None) -> None:
        self.engine = engine
        self.operator = operator
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.events = EventStore(self.session)
        self.cases = CaseRepository(self.session)
        self.registry = Registry(self.session)
        self.registry_history = RegistryHistory(self.session)
        self.identity = IdentityStore(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def read_for_command(self, case_id: str) -> dict[str, Any] | None:
        """Start a command: the case's snapshot (None if there is none) and, in the same
        statement, the reference data version; from here the transaction takes officers,
        institutions, overrides and settings from the process cache at that version, and
        holds its events until `save_command`."""
        version, snapshot = command_path.read(self.session, case_id)
        shared = shared_reference(self.engine, version)
        self.registry.shared = shared
        self.events.shared = shared
        self.events.deferred = []
        return snapshot

    def save_command(self, case: Case, expected_version: int) -> None:
        """Write the command's events and the case's projection (from `expected_version`):
        one statement on PostgreSQL, two on SQLite; nothing is committed."""
        events = self.events.deferred or []
        self.events.deferred = None
        if self.engine.dialect.name == "postgresql":
            command_path.write_pg(
                self.session, case.case_id, events, projection_columns(case), expected_version
            )
            return
        self.events.insert(events)
        self.cases.save(case, expected_version)

    def commit(self) -> None:
        try:
            self.session.commit()
        except (IntegrityError, OperationalError) as error:
            self.session.rollback()
            if _is_conflict(error):
                raise ConcurrencyConflict(
                    "Transaksi bertabrakan dengan perubahan lain; muat ulang dan ulangi"
                ) from error
            raise

    def rollback(self) -> None:
        self.session.rollback()


def _is_conflict(error: Exception) -> bool:
    text = str(error).lower()
    return any(
        marker in text
        for marker in ("unique", "duplicate key", "could not serialize", "database is locked")
    )
