"""The `cases` projection: load a Case snapshot, save it with an optimistic version check, query."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    bindparam,
    cast,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from db.case_filter import CaseFilter as CaseFilter
from db.case_filter import ReadScope as ReadScope
from db.core_rows import CoreRows
from db.lookups import case_snapshot
from db.schema import CaseRow, CaseSearchRow, table_of
from rules.errors import ConcurrencyConflict
from states.canonical import parse_utc
from states.case import Case


def utc(instant: datetime) -> datetime:
    """Instants go to the database in UTC (SQLite keeps no offset)."""
    return instant.astimezone(UTC)


# the instants a case carries from command to command (opened, due, reminder), parsed once
_parse_kept = lru_cache(maxsize=4096)(parse_utc)


def _instant(text: str | None) -> datetime | None:
    return _parse_kept(text) if text else None


def projection_columns(case: Case) -> dict[str, Any]:
    """The queryable columns derived from a Case (the snapshot holds everything)."""
    deadline = case.deadline
    return {
        "version": case.version,
        "state": case.state,
        "rule_set": case.rule_set,
        "head_hash": case.head_hash,
        "channel": case.channel,
        "election_type": case.election_type,
        "region_code": case.region_code,
        "bawaslu_office": case.bawaslu_office,
        "ppk_institution": case.ppk_institution,
        "assignee": case.assignee,
        "terlapor_nip": case.terlapor.get("nip", ""),
        "terlapor_name": case.terlapor.get("name", ""),
        "violation_codes": list(case.violation_codes),
        "recommended_category": case.recommended_category,
        "sanction_code": case.sanction_code,
        "deadline_owner": deadline.owner if deadline else None,
        "deadline_due_on": date.fromisoformat(deadline.due_on) if deadline else None,
        "deadline_at": _instant(deadline.due_at) if deadline else None,
        "deadline_missed": bool(deadline and deadline.missed),
        "alarm_at": _instant(deadline.alarm_at) if deadline else None,
        "is_open": case.is_open,
        "opened_at": _parse_kept(case.opened_at),
        "updated_at": parse_utc(case.updated_at),
        "closed_at": _instant(case.closed_at),
        "snapshot": case.snapshot(),
    }


def _scoped(query: Select[Any], scope: ReadScope) -> Select[Any]:
    if scope.nothing:
        return query.where(false())
    if scope.ppk_institution is not None:
        query = query.where(CaseRow.ppk_institution == scope.ppk_institution)
    if scope.bawaslu_office is not None:
        own = CaseRow.bawaslu_office == scope.bawaslu_office
        if scope.territory is None:
            return query.where(own)
        query = query.where(
            or_(
                own,
                CaseRow.region_code == scope.territory,
                CaseRow.region_code.like(scope.territory + ".%"),
            )
        )
    return query


def _searched(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """The case's `case_search` row meets `conditions`. As a correlated EXISTS the planner may
    start from either side: from the search indexes when few rows match, or from the
    list's order on `cases`, looking each row up by key, when many do."""
    return exists().where(CaseSearchRow.case_id == CaseRow.id, *conditions)


def _matches(text: str) -> ColumnElement[bool]:
    """Case id or NIP exactly, terlapor name or summary words case-insensitively (on
    PostgreSQL one bitmap over the key, the NIP index and the two trigram indexes)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped.lower()}%"
    return _searched(
        or_(
            CaseSearchRow.case_id == text,
            CaseSearchRow.terlapor_nip == text.replace(" ", ""),
            func.lower(CaseSearchRow.terlapor_name).like(pattern, escape="\\"),
            func.lower(CaseSearchRow.summary).like(pattern, escape="\\"),
        )
    )


def apply_scope(query: Any, scope: ReadScope) -> Any:
    """`query` over `cases` limited to what `scope` may read (for aggregates elsewhere)."""
    return _scoped(query, scope)


_CASES = table_of(CaseRow)
_INSERT_CASE = insert(_CASES)
_UPDATE_CASE = update(_CASES).where(
    _CASES.c.id == bindparam("b_id"), _CASES.c.version == bindparam("expected_version")
)


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, case_id: str) -> Case:
        return case_snapshot(CoreRows(self.session.connection()), case_id)

    def exists(self, case_id: str) -> bool:
        found = self.session.execute(select(CaseRow.id).where(CaseRow.id == case_id)).first()
        return found is not None

    def add(self, case: Case) -> None:
        self.session.connection().execute(
            _INSERT_CASE, {"id": case.case_id, **projection_columns(case)}
        )

    def save(self, case: Case, expected_version: int) -> None:
        """Write the new state only if nobody else wrote since `expected_version`."""
        result = self.session.connection().execute(
            _UPDATE_CASE,
            {
                **projection_columns(case),
                "b_id": case.case_id,
                "expected_version": expected_version,
            },
        )
        if result.rowcount != 1:
            raise ConcurrencyConflict(
                f"Perkara {case.case_id} telah diubah pihak lain (versi {expected_version} "
                "sudah usang); muat ulang dan ulangi"
            )

    def filtered(self, query: Select[Any], flt: CaseFilter) -> Select[Any]:
        """`query` over `cases` narrowed by `flt`, the reader's scope first."""
        query = _scoped(query, flt.scope)
        if flt.violation_code:
            query = query.where(self._has_code(flt.violation_code))
        if flt.state:
            query = query.where(CaseRow.state == flt.state)
        if flt.election_type:
            query = query.where(CaseRow.election_type == flt.election_type)
        if flt.search and flt.search.strip():
            query = query.where(_matches(flt.search.strip()))
        if flt.region_code:
            query = query.where(CaseRow.region_code == flt.region_code)
        if flt.bawaslu_office:
            query = query.where(CaseRow.bawaslu_office == flt.bawaslu_office)
        if flt.ppk_institution:
            query = query.where(CaseRow.ppk_institution == flt.ppk_institution)
        if flt.terlapor_nip:
            query = query.where(_searched(CaseSearchRow.terlapor_nip == flt.terlapor_nip))
        if flt.is_open is not None:
            query = query.where(CaseRow.is_open == flt.is_open)
        if flt.overdue_at is not None:
            query = query.where(CaseRow.is_open, CaseRow.deadline_at <= utc(flt.overdue_at))
        if flt.opened_from is not None:
            query = query.where(CaseRow.opened_at >= utc(flt.opened_from))
        if flt.opened_to is not None:
            query = query.where(CaseRow.opened_at < utc(flt.opened_to))
        return query

    def _has_code(self, code: str) -> ColumnElement[bool]:
        """The case lists violation `code`: JSONB containment in `case_search` on PostgreSQL
        (its GIN index; no text cast of every row), a match of the quoted code in the JSON
        text on SQLite."""
        if self.session.get_bind().dialect.name == "postgresql":
            return _searched(type_coerce(CaseSearchRow.violation_codes, JSONB).contains([code]))
        cleaned = code.replace("\\", "").replace("%", "").replace("_", "\\_")
        return cast(CaseRow.violation_codes, Text).like(f'%"{cleaned}"%', escape="\\")

    def iterate(
        self, flt: CaseFilter, limit: int | None = None, offset: int = 0, batch: int = 1000
    ) -> Iterator[Case]:
        """Cases matching `flt`, oldest first, streamed in batches.

        A page (`limit` given) is found in two steps: the ids in order (narrow rows, read
        from the indexes), then the snapshots of just those ids.
        """
        if limit is not None:
            yield from self._page(flt, limit, offset)
            return
        query = self.filtered(select(CaseRow.snapshot), flt).order_by(CaseRow.opened_at, CaseRow.id)
        if offset:
            query = query.offset(offset)
        for (snapshot,) in self.session.execute(query.execution_options(yield_per=batch)):
            yield Case.from_dict(snapshot)

    def _page(self, flt: CaseFilter, limit: int, offset: int) -> Iterator[Case]:
        ordered = self.filtered(select(CaseRow.id), flt).order_by(CaseRow.opened_at, CaseRow.id)
        ids = list(self.session.execute(ordered.limit(limit).offset(offset)).scalars())
        yield from self.snapshots(ids, lambda query: self.filtered(query, flt))

    def snapshots(
        self, ids: Sequence[str], still: Callable[[Select[Any]], Select[Any]] = lambda q: q
    ) -> Iterator[Case]:
        """The cases `ids`, in that order. `still` re-applies the filter (permission included)
        that chose them: a case changed by another transaction in between is left out, never
        shown to a reader who may no longer see it."""
        if not ids:
            return
        query = still(select(CaseRow.id, CaseRow.snapshot).where(CaseRow.id.in_(ids)))
        found: dict[str, dict[str, Any]] = dict(self.session.execute(query).all())
        for case_id in ids:
            if case_id in found:
                yield Case.from_dict(found[case_id])

    def count(self, flt: CaseFilter, cap: int | None = None) -> int:
        """How many cases match; with `cap`, counting stops there (a page showing "more
        than N" need not scan every match of a broad search)."""
        if cap is None:
            query = self.filtered(select(func.count()).select_from(CaseRow), flt)
        else:
            matches = self.filtered(select(CaseRow.id), flt).limit(cap).subquery()
            query = select(func.count()).select_from(matches)
        return int(self.session.execute(query).scalar_one())

    def due_for_sweep(self, now: datetime, limit: int) -> list[str]:
        """Open cases whose next reminder or due instant has come (uses ix_cases_alarm_at_open)."""
        query = (
            select(CaseRow.id)
            .where(CaseRow.alarm_at.is_not(None), CaseRow.alarm_at <= utc(now))
            .order_by(CaseRow.alarm_at, CaseRow.id)
            .limit(limit)
        )
        return list(self.session.execute(query).scalars())

    def heads(self) -> Iterator[tuple[str, int, str]]:
        """(case_id, version, head_hash) for every case, by id."""
        query = select(CaseRow.id, CaseRow.version, CaseRow.head_hash).order_by(CaseRow.id)
        for row in self.session.execute(query.execution_options(yield_per=5000)):
            yield str(row[0]), int(row[1]), str(row[2])

    def resync_search(self) -> list[str]:
        """Make `case_search` equal to `cases` again (after a restore, or a row changed behind
        the triggers' back); the ids of the cases whose search row was missing or differed.
        The comparison runs in the database; only the differing ids come back."""
        cases, search = table_of(CaseRow), table_of(CaseSearchRow)
        wanted = {
            "case_id": cases.c.id,
            "terlapor_nip": cases.c.terlapor_nip,
            "terlapor_name": cases.c.terlapor_name,
            "summary": func.coalesce(cases.c.snapshot["summary"].as_string(), ""),
            "violation_codes": cases.c.violation_codes,
        }
        differing = (
            select(cases.c.id)
            .outerjoin(search, search.c.case_id == cases.c.id)
            .where(
                or_(
                    search.c.case_id.is_(None),
                    *(
                        search.c[name].is_distinct_from(value)
                        for name, value in wanted.items()
                        if name != "case_id"
                    ),
                )
            )
            .order_by(cases.c.id)
        )
        ids = list(self.session.execute(differing).scalars())
        if ids:  # rewritten by statements, not by a list of ids (a restore may miss them all)
            self.session.execute(
                delete(search).where(search.c.case_id.in_(differing.order_by(None)))
            )
            missing = ~exists().where(search.c.case_id == cases.c.id)
            self.session.execute(
                insert(search).from_select(list(wanted), select(*wanted.values()).where(missing))
            )
        return ids

    def ids(self, flt: CaseFilter | None = None) -> Sequence[str]:
        query = self.filtered(select(CaseRow.id), flt or CaseFilter()).order_by(CaseRow.id)
        return list(self.session.execute(query).scalars())
