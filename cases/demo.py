"""Demo data: the institutions of the five seed regions and five fictional cases in different
stages, modelled on the seed news reports (Kota Pasuruan, Kota Kediri, Kabupaten Probolinggo,
Kota Sukabumi, Kota Bekasi). Every person and number here is fictional.

This module loads the demo (`load_demo`, `load_demo_with_logins`); the data lives in
`cases.demo_registry` (institutions, officers), `cases.demo_steps` (the demo clock and shared
steps), `cases.demo_cases_review` (Pasuruan, Kediri, Bekasi) and `cases.demo_cases_sanction`
(Probolinggo, Sukabumi).
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.demo_cases_review import load_bekasi, load_kediri, load_pasuruan
from cases.demo_cases_sanction import load_probolinggo, load_sukabumi
from cases.demo_registry import ADMIN_ID as ADMIN_ID
from cases.demo_registry import BKN_ID as BKN_ID
from cases.demo_registry import KASN_ID as KASN_ID
from cases.demo_registry import REGIONS as REGIONS
from cases.demo_registry import Region as Region
from cases.demo_registry import institutions, officers
from cases.demo_steps import WIB as WIB
from cases.demo_steps import at as at
from cases.identity.accounts import initialise
from cases.registry import add_institution, add_officer
from db.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DemoLoad:
    """What the demo loaded: the case ids and each demo account's generated password."""

    cases: list[str]
    logins: dict[str, str]


def load_demo(uow: UnitOfWork) -> list[str]:
    """Load institutions, officers and five cases; returns the case ids (idempotent: [] if
    the demo was loaded already)."""
    return load_demo_with_logins(uow).cases


def load_demo_with_logins(uow: UnitOfWork) -> DemoLoad:
    """Set up an empty database as a demo: fixed clocks allowed (the cases are dated 2024),
    the administrator and one account per role with generated passwords, and five cases.

    A database that was already set up (a production one included) is refused by
    `initialise`; a database that already holds the demo is left alone.
    """
    with uow:
        if uow.cases.exists("DEMO-PSR-1"):
            return DemoLoad([], {})
    demo_officers = officers()
    logins: dict[str, str] = {}
    admin_id, logins[admin_id] = initialise(uow, demo_officers[0], allow_fixed_clock=True)
    for institution in institutions():
        add_institution(uow, institution, admin_id)
    for officer in demo_officers[1:]:
        logins[officer.id] = add_officer(uow, officer, admin_id)
    cases = [
        load_pasuruan(uow),
        load_kediri(uow),
        load_probolinggo(uow),
        load_sukabumi(uow),
        load_bekasi(uow),
    ]
    return DemoLoad(cases, logins)
