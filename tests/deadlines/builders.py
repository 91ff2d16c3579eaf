"""Cases for deadline tests, built through the public services up to the state a test needs."""

from __future__ import annotations

from datetime import datetime, timedelta

from cases.commands import advance, open_case
from db.unit_of_work import UnitOfWork
from rules.ruleset import load_rule_set
from states.case import Case
from tests.cases.helpers import kediri_laporan

BKN = "bkn.analis"
SLUGS = {"35.71": "kediri", "35.75": "pasuruan", "32.72": "sukabumi"}


def _iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M")


def open_in(
    uow: UnitOfWork, case_id: str, received: datetime, region: str = "35.71", **changes: object
) -> Case:
    """A laporan received at `received` (known the day before) in `region`."""
    new = kediri_laporan(
        region_code=region,
        received_at=_iso(received),
        known_at=_iso(received - timedelta(days=1)),
        incident_at=_iso(received - timedelta(days=2)),
        **changes,
    )
    return open_case(uow, f"bawaslu.{SLUGS[region]}", new, received, case_id=case_id)


def case_at_ppk(
    uow: UnitOfWork, case_id: str, recommended_at: datetime, region: str = "35.71"
) -> Case:
    """A case BKN recommended to the region's PPK at `recommended_at` (`recommended_to_ppk`)."""
    start = recommended_at - timedelta(days=6)
    bawaslu = f"bawaslu.{SLUGS[region]}"
    opened = open_in(uow, case_id, start, region)
    # the recommending body of the law in force: KASN before 24 August 2024, then BKN
    body = load_rule_set(opened.rule_set).legal.recommending_body.institution
    recommender = "kasn.analis" if body == "KASN" else BKN
    advance(
        uow,
        bawaslu,
        case_id,
        "register",
        {"registration_number": "1/Reg"},
        start + timedelta(hours=5),
    )
    advance(
        uow,
        bawaslu,
        case_id,
        "invite_clarification",
        {
            "clarification_at": _iso(start + timedelta(days=1, hours=1)),
            "clarification_place": "Kantor Bawaslu",
        },
        start + timedelta(hours=6),
    )
    advance(
        uow,
        bawaslu,
        case_id,
        "assess",
        {"clarification_summary": "Diklarifikasi."},
        start + timedelta(days=1, hours=6),
    )
    advance(
        uow,
        bawaslu,
        case_id,
        "recommend",
        {"findings": "Terbukti.", "recommendation_number": "9/PP/2024"},
        start + timedelta(days=2, hours=7),
    )
    advance(uow, recommender, case_id, "bkn_accept", {}, start + timedelta(days=3))
    return advance(
        uow,
        recommender,
        case_id,
        "bkn_recommend",
        {
            "sanction_category": "disiplin_berat",
            "ppk_institution": f"PEMDA-{region.replace('.', '')}",
            "bkn_letter_number": "B-1/KP.10/2024",
            "justification": "Uji tenggat",
        },
        recommended_at,
    )
