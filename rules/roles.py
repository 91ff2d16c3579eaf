"""The roles an officer can hold: a plain enum, importable without the rule models (pydantic)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who may act. BKPSDM staff act for their PPK, so both are the `ppk` role."""

    BAWASLU = "bawaslu"
    BKN = "bkn"
    PPK = "ppk"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"
