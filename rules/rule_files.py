"""Where the rule-set versions live (`rules/data/<version>/`) and reading one version's files.

Plain file access, no parsing: the rule-set loader (rules/ruleset.py) and the label view of
short commands (rules/case_labels.py) read the same bytes, so both key their caches alike.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from rules.errors import NotFound, RuleSetError

RULE_FILES = (
    "ruleset.yaml",
    "lifecycle.yaml",
    "deadlines.yaml",
    "violations.yaml",
    "sanctions.yaml",
    "regions.yaml",
    "labels.yaml",
    "legal.yaml",
)


def data_root() -> Any:
    return resources.files("rules").joinpath("data")


def available_versions() -> list[str]:
    """Every rule-set version shipped with this release, oldest first."""
    root = data_root()
    names = [entry.name for entry in root.iterdir() if entry.is_dir() and entry.name[0].isdigit()]
    return sorted(names, key=lambda v: tuple(int(p) for p in v.split(".")))


def latest_version() -> str:
    versions = available_versions()
    if not versions:
        raise RuleSetError("Tidak ada versi aturan yang terpasang")
    return versions[-1]


def read_rule_files(version: str) -> dict[str, bytes]:
    """The bytes of every file of rule-set `version` (NotFound for a version not shipped)."""
    folder = data_root().joinpath(version)
    if not folder.is_dir():
        raise NotFound(
            f"Versi aturan '{version}' tidak ada (tersedia: {', '.join(available_versions())})"
        )
    return {name: folder.joinpath(name).read_bytes() for name in RULE_FILES}
