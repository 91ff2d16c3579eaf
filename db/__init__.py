"""Persistence: SQLAlchemy 2 schema, the event store (the one place that writes events),
repositories, the unit of work and Alembic migrations (`db/migrations/`)."""
