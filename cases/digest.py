"""The daily digest per institution: what is due soon and what is late."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cases.access import acting
from cases.calendar import calendar_for
from db.deadline_store import FAILED, DeadlineStore, NoticeDeliveryStore, Notification
from db.registry import Institution
from db.settings import get_settings
from db.unit_of_work import UnitOfWork
from rules.calendar import local_date
from rules.errors import PermissionDenied
from rules.indonesian_dates import day as tanggal
from rules.models import Role
from rules.regions import timezone_for
from states.canonical import parse_utc

DIGEST_HORIZON_WORKING_DAYS = 5


def default_zone() -> ZoneInfo:
    """The time zone of national institutions and of digest days (NETRA_TIMEZONE)."""
    return ZoneInfo(get_settings().timezone)


@dataclass(frozen=True)
class DigestItem:
    case_id: str
    state: str
    action: str
    due_on: str
    missed: bool


@dataclass(frozen=True)
class Digest:
    """What an institution must do soon and what is already late."""

    institution: str
    generated_at: datetime
    horizon_on: date
    due: list[DigestItem]
    late: list[DigestItem]
    undelivered: list[str] = field(default_factory=list)  # addresses that failed for good

    def message(self) -> str:
        lines = [
            f"Ringkasan tenggat {self.institution} per "
            f"{tanggal(local_date(self.generated_at, default_zone()))}:",
            f"{len(self.late)} perkara terlambat, {len(self.due)} perkara jatuh tempo "
            f"sampai {tanggal(self.horizon_on)}.",
        ]
        for label, items in (("Terlambat", self.late), ("Jatuh tempo", self.due)):
            for item in items:
                lines.append(
                    f"- {label}: {item.case_id} ({item.action}), tenggat {tanggal(item.due_on)}"
                )
        if self.undelivered:
            lines.append("Notifikasi yang gagal dikirim (mohon perbaiki alamatnya):")
            lines += [f"- {entry}" for entry in self.undelivered]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "institution": self.institution,
            "generated_at": self.generated_at.isoformat(),
            "horizon_on": self.horizon_on.isoformat(),
            "due": [item.__dict__ for item in self.due],
            "late": [item.__dict__ for item in self.late],
            "undelivered": list(self.undelivered),
        }


def digest(
    uow: UnitOfWork,
    institution: str,
    now: datetime,
    horizon_working_days: int = DIGEST_HORIZON_WORKING_DAYS,
) -> Digest:
    """Open cases an institution must act on: late ones, and those due within the horizon
    (the daily flow's view, run by the system for every institution)."""
    with uow:
        return _digest(uow, uow.registry.institution(institution), now, horizon_working_days)


def officer_digest(
    uow: UnitOfWork,
    officer_id: str,
    institution: str,
    now: datetime,
    horizon_working_days: int = DIGEST_HORIZON_WORKING_DAYS,
) -> Digest:
    """The digest as an officer asks for it: only an officer of that institution, or an
    administrator, may see which of its cases are due or late (and which of its notice
    addresses failed)."""
    with uow:
        actor, _ = acting(uow, officer_id)
        inst = uow.registry.institution(institution)
        if actor.role is not Role.ADMIN and actor.institution != inst.code:
            raise PermissionDenied(
                f"Ringkasan tenggat {inst.code} hanya untuk petugas instansi itu atau administrator"
            )
        return _digest(uow, inst, now, horizon_working_days)


def _digest(uow: UnitOfWork, inst: Institution, now: datetime, horizon_working_days: int) -> Digest:
    zone = timezone_for(inst.region_code) if inst.region_code else default_zone()
    calendar = calendar_for(uow, inst.region_code)
    today = local_date(now, zone)
    horizon = calendar.add_working_days(today, horizon_working_days)
    until = datetime.combine(horizon + timedelta(days=1), datetime.min.time(), zone)
    cases = DeadlineStore(uow.session).open_deadlines(
        inst.kind, None if inst.kind == "bkn" else inst.code, until
    )
    failed = NoticeDeliveryStore(uow.session).deliveries(FAILED, inst.code)
    undelivered = sorted({f"{d.address} ({d.channel}): {d.last_error or 'gagal'}" for d in failed})
    due: list[DigestItem] = []
    late: list[DigestItem] = []
    for case in cases:
        deadline = case.deadline
        assert deadline is not None
        item = DigestItem(
            case.case_id, case.state, deadline.action, deadline.due_on, deadline.missed
        )
        (late if now >= parse_utc(deadline.due_at) else due).append(item)
    return Digest(inst.code, now, horizon, due, late, undelivered)


def notify_digest(uow: UnitOfWork, result: Digest) -> bool:
    """Put the digest in the outbox once per institution and local day; False if already there."""
    day = local_date(result.generated_at, default_zone())
    key = int(f"{day:%Y%m%d}")
    kind = f"ringkasan:{result.institution}"[:48]
    with uow:
        store = DeadlineStore(uow.session)
        if store.has_notification("RINGKASAN", key, kind):
            return False
        inst = uow.registry.institution(result.institution)
        store.notify(
            Notification(
                "RINGKASAN", key, kind, inst.kind, inst.code, result.message(), result.generated_at
            )
        )
        uow.commit()
    return True
