"""What an official reads when a code is not in a rule set's catalog: the one wording shared
by the validated rule set (rules/ruleset.py) and its label view (rules/case_labels.py)."""

from __future__ import annotations

from rules.errors import NotFound


def unknown_state(name: str, version: str) -> NotFound:
    return NotFound(f"Status '{name}' tidak dikenal dalam aturan {version}")


def unknown_category(code: str) -> NotFound:
    return NotFound(f"Kategori sanksi '{code}' tidak dikenal")


def unknown_violation(code: str) -> NotFound:
    return NotFound(f"Kode pelanggaran '{code}' tidak ada dalam katalog")


def unknown_sanction(code: str) -> NotFound:
    return NotFound(f"Jenis sanksi '{code}' tidak ada dalam katalog")
