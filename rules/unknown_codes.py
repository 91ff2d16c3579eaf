"""What an official reads when a code is not in a rule set's catalog: the one wording shared
by the validated rule set (rules/ruleset.py) and its label view (rules/case_labels.py), and
the code itself where a display must not fail (`label_or_code`: pages, the CLI, notices)."""

from __future__ import annotations

from collections.abc import Callable

from rules.errors import NotFound


def label_or_code(lookup: Callable[[str], str], code: str) -> str:
    """What `lookup` (a RuleSet or CaseLabels label method) says for `code`; the code itself
    when the rule data does not know it."""
    try:
        return lookup(code)
    except (NotFound, KeyError, ValueError):
        return code


def unknown_state(name: str, version: str) -> NotFound:
    return NotFound(f"Status '{name}' tidak dikenal dalam aturan {version}")


def unknown_category(code: str) -> NotFound:
    return NotFound(f"Kategori sanksi '{code}' tidak dikenal")


def unknown_violation(code: str) -> NotFound:
    return NotFound(f"Kode pelanggaran '{code}' tidak ada dalam katalog")


def unknown_sanction(code: str) -> NotFound:
    return NotFound(f"Jenis sanksi '{code}' tidak ada dalam katalog")
