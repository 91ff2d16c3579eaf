"""The authorization matrix: every role x action x own / other jurisdiction, each cell asserted
allowed or denied, through the service layer and through HTTP.

"Allowed" for a step is proved without moving the case: the step is sent without its required
fields, so an authorised officer gets InvalidInput (the guard after authorization) and an
unauthorised one PermissionDenied.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from cases.commands import NewCase, Terlapor, add_note, advance, open_case
from cases.demo import DemoLoad
from cases.identity.accounts import register_officer
from cases.identity.tokens import create_token
from cases.queries import get_case, list_cases
from db.registry import Officer
from db.unit_of_work import UnitOfWork
from rules.errors import InvalidInput, PermissionDenied
from rules.models import Role

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2024, 11, 20, 10, 0, tzinfo=WIB)

ACTORS = (
    "bawaslu.pasuruan",
    "bawaslu.kediri",
    "bkn.analis",
    "bkpsdm.kediri",
    "bkpsdm.pasuruan",
    "auditor",
    "admin",
    "system",
)
# DEMO-PSR-1: Kota Pasuruan, at Bawaslu (clarification). DEMO-KDR-1: Kota Kediri, at the PPK.
READ = {
    "DEMO-PSR-1": {"bawaslu.pasuruan", "bkn.analis", "auditor", "admin", "system"},
    "DEMO-KDR-1": {"bawaslu.kediri", "bkn.analis", "bkpsdm.kediri", "auditor", "admin", "system"},
}
STEP = {  # (case, trigger): who may take it
    ("DEMO-PSR-1", "assess"): {"bawaslu.pasuruan", "admin"},
    ("DEMO-KDR-1", "summon"): {"bkpsdm.kediri", "admin"},
}
NOTE = {
    "DEMO-PSR-1": {"bawaslu.pasuruan", "bkn.analis", "admin"},
    "DEMO-KDR-1": {"bawaslu.kediri", "bkn.analis", "bkpsdm.kediri", "admin"},
}
OPEN_IN_PASURUAN = {"bawaslu.pasuruan"}
ADMINISTER = {"admin"}


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


def _outcome(call: object) -> str:
    try:
        assert callable(call)
        call()
    except PermissionDenied:
        return "denied"
    except InvalidInput:
        return "allowed"
    return "allowed"


@pytest.mark.parametrize(("actor", "case_id"), list(itertools.product(ACTORS, READ)))
def test_reading_a_case(
    shared_demo: tuple[str, Engine, DemoLoad], actor: str, case_id: str
) -> None:
    _, engine, _ = shared_demo
    expected = "allowed" if actor in READ[case_id] else "denied"
    assert _outcome(lambda: get_case(_uow(engine), actor, case_id)) == expected


@pytest.mark.parametrize(("actor", "step"), list(itertools.product(ACTORS, STEP)))
def test_taking_a_step(
    shared_demo: tuple[str, Engine, DemoLoad], actor: str, step: tuple[str, str]
) -> None:
    _, engine, _ = shared_demo
    case_id, trigger = step
    expected = "allowed" if actor in STEP[step] else "denied"
    before = get_case(_uow(engine), "auditor", case_id).version
    assert _outcome(lambda: advance(_uow(engine), actor, case_id, trigger, {}, NOW)) == expected
    assert get_case(_uow(engine), "auditor", case_id).version == before  # nothing written


@pytest.mark.parametrize(("actor", "case_id"), list(itertools.product(ACTORS, NOTE)))
def test_adding_a_note(shared_demo: tuple[str, Engine, DemoLoad], actor: str, case_id: str) -> None:
    _, engine, _ = shared_demo
    expected = "allowed" if actor in NOTE[case_id] else "denied"
    before = get_case(_uow(engine), "auditor", case_id).version
    outcome = _outcome(lambda: add_note(_uow(engine), actor, case_id, "Catatan uji", NOW))
    assert outcome == expected
    after = get_case(_uow(engine), "auditor", case_id).version
    assert after == (before + 1 if expected == "allowed" else before)


@pytest.mark.parametrize("actor", ACTORS)
def test_opening_a_case_in_pasuruan(shared_demo: tuple[str, Engine, DemoLoad], actor: str) -> None:
    _, engine, _ = shared_demo
    new = NewCase(
        channel="temuan",
        election_type="pilkada",
        region_code="35.75",
        received_at=NOW,
        known_at=NOW,
        incident_at=NOW,
        incident_place="Balai kota",
        summary="Temuan pengawasan",
        violation_codes=["NET-08"],
        terlapor=Terlapor("198503122010011003", "Budi", "Staf", "Kelurahan", "Pemkot"),
    )
    case_id = f"OPEN-{ACTORS.index(actor)}"
    expected = "allowed" if actor in OPEN_IN_PASURUAN else "denied"
    assert _outcome(lambda: open_case(_uow(engine), actor, new, NOW, case_id=case_id)) == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_registering_an_officer(shared_demo: tuple[str, Engine, DemoLoad], actor: str) -> None:
    _, engine, _ = shared_demo
    officer = Officer(
        f"baru.{ACTORS.index(actor)}", "Petugas Baru", Role.BAWASLU, "BAWASLU-3571", "Staf", None
    )
    expected = "allowed" if actor in ADMINISTER else "denied"
    assert _outcome(lambda: register_officer(_uow(engine), actor, officer)) == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_lists_hold_exactly_the_readable_demo_cases(
    shared_demo: tuple[str, Engine, DemoLoad], actor: str
) -> None:
    _, engine, _ = shared_demo
    listed = {c.case_id for c in list_cases(_uow(engine), actor, limit=None)}
    for case_id, readers in READ.items():
        assert (case_id in listed) == (actor in readers)


# --- the same matrix through HTTP --------------------------------------------------------------


@pytest.fixture(scope="module")
def http(shared_demo: tuple[str, Engine, DemoLoad]) -> tuple[TestClient, dict[str, str]]:
    url, engine, _ = shared_demo
    tokens = {
        actor: create_token(_uow(engine), "admin", "uji", 1, for_officer=actor)[1]
        for actor in ACTORS
    }
    return TestClient(create_app(url)), tokens


@pytest.mark.parametrize(("actor", "case_id"), list(itertools.product(ACTORS, READ)))
def test_http_reading_a_case(
    http: tuple[TestClient, dict[str, str]], actor: str, case_id: str
) -> None:
    client, tokens = http
    response = client.get(f"/cases/{case_id}", headers={"Authorization": f"Bearer {tokens[actor]}"})
    assert response.status_code == (200 if actor in READ[case_id] else 403)
    if response.status_code == 200 and actor not in ("bawaslu.pasuruan", "admin"):
        assert "Yono" not in response.text  # no reporter outside Bawaslu


@pytest.mark.parametrize("actor", ACTORS)
def test_http_lists(http: tuple[TestClient, dict[str, str]], actor: str) -> None:
    client, tokens = http
    response = client.get("/cases?limit=1000", headers={"Authorization": f"Bearer {tokens[actor]}"})
    assert response.status_code == 200
    listed = {c["case_id"] for c in response.json()}
    for case_id, readers in READ.items():
        assert (case_id in listed) == (actor in readers)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Netra-User": "admin"},
        {"Authorization": "Bearer ntr_000000000000_forged"},
        {"Authorization": "Basic YWRtaW46YWRtaW4="},
        {"Authorization": "Bearer "},
    ],
)
def test_http_without_a_valid_token_is_401_with_one_answer(
    http: tuple[TestClient, dict[str, str]], headers: dict[str, str]
) -> None:
    client, _ = http
    response = client.get("/cases/DEMO-PSR-1", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "AuthenticationFailed"
    assert "admin" not in response.json()["message"]
