"""The registry's history as a service: record each registry change, prove the tables by it.

`record` appends one hash-chained registry event in the caller's transaction (time from the
server clock, never from the caller). `verify_registry` re-computes the chain and replays it
into the officers, institutions, credentials, tokens, settings and calendar overrides the
history says should exist, then compares them with the tables: a role granted by direct SQL, a
swapped password hash or a deleted history row is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cases.identity.passwords import credential_digest
from db.registry import Institution, Officer
from db.registry_history import RegistryEvent
from db.unit_of_work import UnitOfWork
from states.canonical import GENESIS_HASH

OFFICER_REGISTERED = "officer_registered"
OFFICER_CHANGED = "officer_changed"
INSTITUTION_REGISTERED = "institution_registered"
INSTITUTION_CHANGED = "institution_changed"
PASSWORD_SET = "password_set"
TOTP_CHANGED = "totp_changed"
TOKEN_CREATED = "token_created"
TOKEN_REVOKED = "token_revoked"
CALENDAR_OVERRIDE_ADDED = "calendar_override_added"
CALENDAR_OVERRIDE_REMOVED = "calendar_override_removed"
SETTING_CHANGED = "setting_changed"
LETTER_TEMPLATES_IMPORTED = "letter_templates_imported"

EVENT_LABELS = {
    OFFICER_REGISTERED: "petugas didaftarkan",
    OFFICER_CHANGED: "data petugas diubah",
    INSTITUTION_REGISTERED: "instansi didaftarkan",
    INSTITUTION_CHANGED: "data instansi diubah",
    PASSWORD_SET: "kata sandi ditetapkan",
    TOTP_CHANGED: "verifikasi dua langkah diubah",
    TOKEN_CREATED: "token API dibuat",
    TOKEN_REVOKED: "token API dicabut",
    CALENDAR_OVERRIDE_ADDED: "koreksi kalender ditambahkan",
    CALENDAR_OVERRIDE_REMOVED: "koreksi kalender dihapus",
    SETTING_CHANGED: "pengaturan diubah",
    LETTER_TEMPLATES_IMPORTED: "templat surat rilis lama diimpor",
}


def officer_record(officer: Officer) -> dict[str, Any]:
    return {**officer.__dict__, "role": officer.role.value}


def record(
    uow: UnitOfWork, event_type: str, actor_id: str, payload: dict[str, Any]
) -> RegistryEvent:
    """Append one registry event (server time; the operator, if any, is recorded)."""
    operator = uow.operator if uow.operator and uow.operator != actor_id else None
    return uow.registry_history.append(
        event_type, actor_id, payload, datetime.now(UTC), operator_id=operator
    )


@dataclass
class RegistryReport:
    events: int = 0
    findings: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


@dataclass
class _Expected:
    officers: dict[str, dict[str, Any]] = field(default_factory=dict)
    institutions: dict[str, dict[str, Any]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    overrides: set[tuple[str, str | None]] = field(default_factory=set)


def _apply(expected: _Expected, event: RegistryEvent) -> None:
    payload = event.payload
    kind = event.event_type
    if kind in (OFFICER_REGISTERED, OFFICER_CHANGED):
        expected.officers[payload["officer"]["id"]] = payload["officer"]
    elif kind in (INSTITUTION_REGISTERED, INSTITUTION_CHANGED):
        expected.institutions[payload["institution"]["code"]] = payload["institution"]
    elif kind == PASSWORD_SET:
        expected.digests[payload["officer_id"]] = payload["digest"]
    elif kind == TOKEN_CREATED:
        expected.tokens[payload["token_id"]] = {
            "officer_id": payload["officer_id"],
            "scope": payload["scope"],
            "revoked": False,
        }
    elif kind == TOKEN_REVOKED and payload["token_id"] in expected.tokens:
        expected.tokens[payload["token_id"]]["revoked"] = True
    elif kind == SETTING_CHANGED:
        expected.settings[payload["key"]] = payload["value"]
    elif kind == CALENDAR_OVERRIDE_ADDED:
        expected.overrides.add((payload["day"], payload.get("region_code")))
    elif kind == CALENDAR_OVERRIDE_REMOVED:
        expected.overrides.discard((payload["day"], payload.get("region_code")))


def verify_registry(uow: UnitOfWork) -> RegistryReport:
    """Check the registry chain and that the tables are exactly what the history says."""
    report = RegistryReport()
    expected = _Expected()
    prev = GENESIS_HASH
    previous_time: datetime | None = None
    with uow:
        for event in uow.registry_history.stream():
            report.events += 1
            if event.seq != report.events:
                report.findings.append(
                    f"Riwayat registri: urutan {report.events} hilang (ditemukan {event.seq})"
                )
                report.events = event.seq
            if event.prev_hash != prev or event.expected_hash() != event.hash:
                report.findings.append(f"Riwayat registri: peristiwa {event.seq} diubah")
            if previous_time is not None and event.recorded_at < previous_time:
                report.findings.append(
                    f"Riwayat registri: waktu pencatatan peristiwa {event.seq} mundur"
                )
            previous_time = event.recorded_at
            prev = event.hash
            _apply(expected, event)
        _compare_officers(uow, expected, report)
        _compare_institutions(uow, expected, report)
        _compare_credentials(uow, expected, report)
        _compare_tokens(uow, expected, report)
        for key, value in uow.registry.settings().items():
            if expected.settings.get(key) != value:
                report.findings.append(f"Pengaturan '{key}' tidak sesuai riwayat registri")
        for override in uow.registry.calendar_overrides():
            if (override.day.isoformat(), override.region_code) not in expected.overrides:
                report.findings.append(
                    f"Koreksi kalender {override.day} tidak tercatat dalam riwayat registri"
                )
    return report


def _compare_officers(uow: UnitOfWork, expected: _Expected, report: RegistryReport) -> None:
    actual = {officer.id: officer_record(officer) for officer in uow.registry.officers()}
    for officer_id, values in actual.items():
        if officer_id not in expected.officers:
            report.findings.append(f"Petugas '{officer_id}' tidak tercatat dalam riwayat registri")
        elif expected.officers[officer_id] != values:
            changed = sorted(
                key for key in values if expected.officers[officer_id].get(key) != values[key]
            )
            report.findings.append(
                f"Petugas '{officer_id}' berbeda dari riwayat registri: {', '.join(changed)}"
            )
    for officer_id in expected.officers.keys() - actual.keys():
        report.findings.append(f"Petugas '{officer_id}' hilang dari registri")


def _compare_institutions(uow: UnitOfWork, expected: _Expected, report: RegistryReport) -> None:
    actual: dict[str, Institution] = {i.code: i for i in uow.registry.institutions()}
    for code, institution in actual.items():
        if expected.institutions.get(code) != institution.__dict__:
            report.findings.append(f"Instansi '{code}' berbeda dari riwayat registri")
    for code in expected.institutions.keys() - actual.keys():
        report.findings.append(f"Instansi '{code}' hilang dari registri")


def _compare_credentials(uow: UnitOfWork, expected: _Expected, report: RegistryReport) -> None:
    for officer_id in expected.officers:
        credential = uow.identity.credential(officer_id)
        digest = credential_digest(credential.password_hash) if credential else None
        if digest != expected.digests.get(officer_id):
            report.findings.append(
                f"Kata sandi petugas '{officer_id}' diganti di luar Netra (tidak sesuai riwayat)"
            )


def _compare_tokens(uow: UnitOfWork, expected: _Expected, report: RegistryReport) -> None:
    actual = {token.id: token for token in uow.identity.tokens()}
    for token_id, token in actual.items():
        wanted = expected.tokens.get(token_id)
        if (
            wanted is None
            or wanted["officer_id"] != token.officer_id
            or wanted["scope"] != token.scope
            or (wanted["revoked"] and token.revoked_at is None)
        ):
            report.findings.append(f"Token API '{token_id}' tidak sesuai riwayat registri")
