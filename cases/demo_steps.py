"""Demo steps: the demo's clock (wall-clock times in WIB) and the steps the demo cases share —
a dated `advance`, Bawaslu's register → clarification → assessment, and a demo terlapor.

The sample letters' cases (`cases.letter_sample_cases`) walk with the same steps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cases.commands import Terlapor, advance
from db.unit_of_work import UnitOfWork

WIB = ZoneInfo("Asia/Jakarta")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


def step(uow: UnitOfWork, who: str, case_id: str, trigger: str, when: str, **data: Any) -> None:
    advance(uow, who, case_id, trigger, data, at(when))


def clarify_and_assess(uow: UnitOfWork, who: str, cid: str, day: int, month: int) -> None:
    step(
        uow,
        who,
        cid,
        "register",
        f"2024-{month:02d}-{day:02d}T14:00",
        registration_number=f"{day:03d}/Reg/LP/PW/{month:02d}/2024",
    )
    step(
        uow,
        who,
        cid,
        "invite_clarification",
        f"2024-{month:02d}-{day:02d}T15:00",
        clarification_at=f"2024-{month:02d}-{day + 1:02d}T10:00",
        clarification_place="Kantor Bawaslu",
    )
    step(
        uow,
        who,
        cid,
        "assess",
        f"2024-{month:02d}-{day + 1:02d}T15:00",
        clarification_summary="Pelapor, terlapor dan dua saksi telah diklarifikasi.",
    )


def demo_terlapor(n: int, name: str, position: str, unit: str, agency: str) -> Terlapor:
    return Terlapor(
        nip=f"1985031220100{n}1003",
        name=name,
        position=position,
        unit=unit,
        agency=agency,
        rank="Penata (III/c)",
    )
