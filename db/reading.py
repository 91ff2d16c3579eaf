"""What the services that authenticate, resolve the acting officer and read one case need
of a unit of work; both the full unit of work (db/unit_of_work.py) and the read-only one of
short commands (db/read_unit_of_work.py) provide it, so those services run unchanged on
either."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from db.identity_records import ApiToken
    from db.registry_records import Institution, Officer
    from states.case import Case


class OfficerLookups(Protocol):
    def officer(self, officer_id: str) -> Officer: ...

    def institution(self, code: str) -> Institution: ...


class TokenLookups(Protocol):
    def token(self, token_id: str) -> ApiToken | None: ...

    def touch_token(self, token_id: str, now: datetime) -> None: ...


class CaseLookups(Protocol):
    def get(self, case_id: str) -> Case: ...


class ReadingUnitOfWork(Protocol):
    """`with uow:` opens a transaction, `uow.commit()` ends it, anything else rolls back."""

    @property
    def operator(self) -> str | None: ...

    @property
    def registry(self) -> OfficerLookups: ...

    @property
    def identity(self) -> TokenLookups: ...

    @property
    def cases(self) -> CaseLookups: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...
