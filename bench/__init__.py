"""Netra benchmarks: `python -m bench` runs the suite (see bench/README.md)."""
