"""Version 1 of the REST API under `/api/v1`: every CLI command and query, token auth."""
