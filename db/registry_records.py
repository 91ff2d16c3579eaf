"""An institution and an officer as the registry holds them (plain records, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass

from rules.roles import Role


@dataclass(frozen=True)
class Institution:
    code: str
    kind: str
    name: str
    parent_name: str | None
    region_code: str | None
    city: str
    address: str
    phone: str | None
    email: str | None
    website: str | None
    head_title: str
    head_name: str
    head_nip: str | None
    letter_number_format: str


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    role: Role
    institution_code: str
    title: str
    nip: str | None
    active: bool = True
    email: str | None = None
    notify: str = "none"  # email | none: how the officer receives deadline notices


INSTITUTION_FIELDS = tuple(Institution.__dataclass_fields__)
OFFICER_FIELDS = tuple(Officer.__dataclass_fields__)
