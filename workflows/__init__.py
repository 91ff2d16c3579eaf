"""Prefect flows and deployments: the deadline sweep, daily digests and nightly chain checks."""
