"""The unit of work: one transaction per command; leaving without commit rolls back.

On PostgreSQL the unit of work holds one pooled connection per transaction and the command
path talks to its psycopg connection directly (`db.command_path`, `db.command_writes`); the
ORM Session is made only when a service asks for it, bound to that same connection and
transaction, so every other service works unchanged. SQLite uses the Session throughout.
After a PostgreSQL command commits, the snapshot it wrote is kept for the process's next
command on the case (`db.case_cache`, `read_for_command(cached=True)`).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, cast

import orjson
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import PoolProxiedConnection

from db import case_cache, command_path, wire
from db.case_repository import CaseRepository, projection_columns
from db.command_writes import CommandWrites, HeldWrite, as_sqlalchemy_error
from db.event_store import EventStore
from db.identity_store import IdentityStore
from db.letter_records import LetterRecords
from db.letter_register import LetterRegister
from db.letter_template_guard import TemplatesNotStored
from db.reference_cache import SharedReference, current_reference, shared_reference
from db.registry import Registry
from db.registry_history import RegistryHistory
from db.storage_errors import CONFLICT_MESSAGE, is_conflict
from db.template_store import TemplateStore, forget_stored, mark_stored
from rules.errors import ConcurrencyConflict
from states.case import Case


class _SessionOnDemand:
    """Stands in for the unit of work's Session: makes it at the first use."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow.session, name)


class UnitOfWork:
    """`with uow:` opens a transaction; `uow.commit()` ends it; anything else rolls back.

    `operator` names the authenticated administrator who enters acts on an officer's behalf
    from the server's command line; the services record it on every event they write.
    """

    events: EventStore
    cases: CaseRepository
    _stores_session: Session
    registry: Registry
    registry_history: RegistryHistory
    identity: IdentityStore

    def __init__(self, engine: Engine, operator: str | None = None) -> None:
        self.engine = engine
        self.operator = operator
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
        self._postgres = engine.dialect.name == "postgresql"
        self._session: Session | None = None
        # PostgreSQL: the transaction's pooled connection, and its SQLAlchemy Connection,
        # made only when a service asks for the Session
        self._pooled: PoolProxiedConnection | None = None
        self._connection: Connection | None = None
        self._writes: CommandWrites | None = None
        self._read: command_path.ReadHead | None = None
        self._written_snapshot: tuple[str, str] | None = None
        self._written_templates: set[str] = set()
        self._assumed_templates: set[str] = set()
        self.read_from_cache = False

    @property
    def session(self) -> Session:
        """The ORM Session of this transaction (on PostgreSQL made at the first use, bound to
        the transaction's connection)."""
        if self._session is None:
            if self._pooled is None:  # outside `with`: a Session of its own, as before
                self._session = self._sessions()
            else:
                if self._connection is None:
                    self._connection = Connection(self.engine, connection=self._pooled)
                self._session = Session(
                    bind=self._connection, expire_on_commit=False, autoflush=False
                )
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = None
        self._writes = None
        self._read = None
        self._written_snapshot = None
        self._written_templates.clear()
        self._assumed_templates.clear()
        if self._postgres:
            self._pooled = self.engine.raw_connection()
            session = cast(Session, _SessionOnDemand(self))
        else:
            session = self.session
        self.events = EventStore(session)
        self.cases = CaseRepository(session)
        self.registry = Registry(session)
        self.registry_history = RegistryHistory(session)
        self.identity = IdentityStore(session)
        self._stores_session = session
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
            if self.read_from_cache and self._read is not None:  # a cached start that failed
                case_cache.forget_snapshot(self.engine, self._read.case_id)
        finally:
            try:
                if self._session is not None:
                    self._session.close()
            finally:
                self._session = None
                self._writes = None
                self._release()

    def _release(self) -> None:
        """Give the transaction's connection back to the pool (through its SQLAlchemy
        Connection when the Session made one); a lost one is invalidated first, so the
        pool never hands it out again."""
        pooled, self._pooled = self._pooled, None
        connection, self._connection = self._connection, None
        if pooled is None:
            return
        if pooled.is_valid and not _usable(pooled):
            pooled.invalidate()
        if connection is not None:
            connection.close()
        else:
            pooled.close()

    def read_one_snapshot(self) -> None:
        """Make this transaction read one snapshot: called first inside `with uow:`, before
        anything is read. On PostgreSQL it begins the transaction REPEATABLE READ, READ ONLY
        (BEGIN and SET TRANSACTION in one round trip), so every read in it sees the database
        as of its first query and any write is refused; the setting ends with the
        transaction, and the pooled connection goes back READ COMMITTED and read-write. A
        read already made in the transaction makes PostgreSQL refuse it (an error, never a
        silent READ COMMITTED). On SQLite it does nothing: the transaction (BEGIN IMMEDIATE,
        `db/engine.py`) already sees one state to its end."""
        if self._pooled is not None:
            wire.execute_in_transaction(
                self._driver(), "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}
            )

    def letter_register(self) -> LetterRegister:
        """The letter register of this transaction (a command holds its rows for the commit)."""
        return LetterRegister(
            self._stores_session, self._command_writes(), self._forget_assumed_templates
        )

    def letter_records(self) -> LetterRecords:
        """Letterheads, external letters and status (a command holds its rows for the commit)."""
        return LetterRecords(self._stores_session, self._command_writes())

    def letter_templates(self) -> TemplateStore:
        """The letter template store of this transaction (a command holds its rows for the
        commit); the hashes it writes count as stored in this process once it commits."""
        return TemplateStore(
            self._stores_session,
            self.engine,
            self._command_writes(),
            self._written_templates,
            self._assumed_templates,
        )

    def _forget_assumed_templates(self) -> None:
        """The database refused a letter for want of its template sources (migration 0123):
        stop taking as stored what this transaction did not send on the strength of the
        process's memory, so the next attempt sends them."""
        forget_stored(self.engine, self._assumed_templates)

    def _command_writes(self) -> CommandWrites | None:
        """The held writes of a PostgreSQL command transaction (None elsewhere)."""
        command = self.events.deferred is not None
        if self._writes is None and self._pooled is not None and command:
            self._writes = CommandWrites(self._driver())
        return self._writes

    def _driver(self) -> Any:
        assert self._pooled is not None
        return self._pooled.driver_connection

    def read_for_command(self, case_id: str, cached: bool = False) -> dict[str, Any] | None:
        """Start a command: the case's snapshot (None if there is none) and, in the same
        statement, the reference data version; from here the transaction takes officers,
        institutions, overrides and settings from the process cache at that version, and
        holds its events until `save_command`.

        With `cached`, on PostgreSQL, the snapshot this process's last command on the case
        wrote is taken instead when there is one (`db.case_cache`: no round trip), with the
        reference data the process read last; `read_from_cache` then says so, and the write
        checks that both still hold. A caller that asks for it takes the command again with
        a fresh read when it fails (`cases.commands`)."""
        self.read_from_cache = False
        if cached and self._pooled is not None:
            hit = self._cached_read(case_id)
            if hit is not None:
                return hit
        if self._pooled is not None:
            try:
                version, snapshot = command_path.read_pg(self._driver(), case_id)
            except Exception as error:
                raise as_sqlalchemy_error(
                    error, "read_for_command", {"case_id": case_id}
                ) from error
        else:
            version, snapshot = command_path.read(self.session, case_id)
        self._start_command(shared_reference(self.engine, version), case_id, snapshot, False)
        return snapshot

    def _cached_read(self, case_id: str) -> dict[str, Any] | None:
        reference = current_reference(self.engine)
        text = case_cache.cached_snapshot(self.engine, case_id)
        if reference is None or text is None:
            return None
        snapshot: dict[str, Any] = orjson.loads(text)
        self._start_command(reference, case_id, snapshot, True)
        self.read_from_cache = True
        return snapshot

    def _start_command(
        self,
        shared: SharedReference,
        case_id: str,
        snapshot: dict[str, Any] | None,
        cached: bool,
    ) -> None:
        self.registry.shared = shared
        self.events.shared = shared
        self.events.deferred = []
        if snapshot is not None:
            self._read = command_path.ReadHead(
                case_id,
                int(snapshot["version"]),
                str(snapshot["head_hash"]),
                shared.version if cached else None,
            )

    def save_command(self, case: Case, expected_version: int) -> None:
        """Write the command's events and the case's projection (from `expected_version`):
        one statement on PostgreSQL, two on SQLite; nothing is committed."""
        events = self.events.deferred or []
        writes = self._command_writes()
        self.events.deferred = None
        if writes is not None:
            read = self._read
            if read is not None and (read.case_id, read.version) != (
                case.case_id,
                expected_version,
            ):
                read = None
            statement, params = command_path.write_pg(
                case.case_id, events, projection_columns(case), expected_version, read
            )
            seq = events[0].seq if events else expected_version + 1
            writes.hold(
                HeldWrite(
                    statement,
                    params,
                    "case_events",
                    command_path.seq_taken(case.case_id, seq),
                    command_path.stale_version(case.case_id, expected_version),
                )
            )
            self._written_snapshot = (case.case_id, params["snapshot"])
            return
        self.events.insert(events)
        self.cases.save(case, expected_version)

    def commit(self) -> None:
        """Commit the transaction; a PostgreSQL command sends its held writes with it."""
        try:
            if self._pooled is None:
                self.session.commit()
                self._committed_templates()
                return
            if self._session is not None:
                self._session.flush()
            writes = self._writes or CommandWrites(self._driver())
            self._writes = None
            written, self._written_snapshot = self._written_snapshot, None
            writes.commit()
            self._committed_templates()
            if written is not None:  # the next command on the case may start from it
                case_cache.keep_snapshot(self.engine, *written)
            self.read_from_cache = False
            if self._session is not None:
                self._session.commit()  # bookkeeping only: the connection is idle already
        except (IntegrityError, OperationalError) as error:
            self.rollback()
            if is_conflict(error):
                raise ConcurrencyConflict(CONFLICT_MESSAGE) from error
            raise
        except ConcurrencyConflict as conflict:
            self.rollback()
            if isinstance(conflict, TemplatesNotStored):
                self._forget_assumed_templates()
            raise

    def _committed_templates(self) -> None:
        if self._written_templates:
            mark_stored(self.engine, self._written_templates)
            self._written_templates.clear()

    def rollback(self) -> None:
        self._written_templates.clear()  # a rolled-back transaction stored nothing
        if self._writes is not None:
            self._writes.discard()
        if self._session is not None:
            self._session.rollback()
        if self._pooled is not None and _usable(self._pooled):
            wire.rollback(self._driver())


def _usable(pooled: PoolProxiedConnection) -> bool:
    """The pooled connection and its driver connection are open (not lost, not invalidated)."""
    if not pooled.is_valid:
        return False
    driver = pooled.driver_connection
    return not (getattr(driver, "broken", False) or getattr(driver, "closed", False))
