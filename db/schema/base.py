"""What every model module shares: the declarative `Base` (its `metadata` holds every
table), the column types `JsonType` (JSONB on PostgreSQL) and `Instant` (timestamp with
time zone), and `table_of` for statements that skip the ORM layer."""

from typing import cast

from sqlalchemy import JSON, DateTime, Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

JsonType = JSON().with_variant(JSONB(), "postgresql")
Instant = DateTime(timezone=True)


class Base(DeclarativeBase):
    """The declarative base: its `metadata` holds every table of Netra."""


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class, for statements that skip the ORM layer."""
    return cast(Table, model.__table__)
