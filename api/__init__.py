"""The HTTP API (FastAPI): health and read-only case views; the web UI will grow here."""
