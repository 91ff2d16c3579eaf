"""The REST API under /api/v1: token auth, every command and query, errors mapped once with a
stable code, If-Match on case writes, Idempotency-Key on POSTs — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.api.conftest import Api

PSR = "DEMO-PSR-1"
KDR = "DEMO-KDR-1"
WIB = ZoneInfo("Asia/Jakarta")


def new_case_body(summary: str = "ASN mengunggah dukungan kepada pasangan calon") -> dict:
    now = datetime.now(WIB)
    when = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return {
        "channel": "temuan",
        "election_type": "pilkada",
        "region_code": "35.75",
        "received_at": when,
        "known_at": when,
        "incident_at": (now - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "incident_place": "Kota Pasuruan",
        "summary": summary,
        "violation_codes": ["NET-03"],
        "terlapor": {"nip": "198503122010011003", "name": "Budi Santoso"},
    }


def count(api: Api, officer: str = "admin") -> int:
    return int(api.client.get("/api/v1/cases", headers=api.auth(officer)).json()["total"])


def version(api: Api, case_id: str) -> int:
    return int(
        api.client.get(f"/api/v1/cases/{case_id}", headers=api.auth("admin")).json()["version"]
    )


def test_every_route_needs_a_token_and_answers_401_with_a_code(api: Api) -> None:
    for path in ("/api/v1/cases", f"/api/v1/cases/{PSR}", "/api/v1/worklist"):
        answer = api.client.get(path)
        assert answer.status_code == 401
        assert answer.json()["code"] == "unauthenticated"
        assert answer.headers["www-authenticate"] == "Bearer"
    forged = api.client.get("/api/v1/cases", headers={"Authorization": "Bearer ntr_x_y"})
    assert forged.status_code == 401


def test_case_list_is_filtered_by_permission_before_paging(api: Api) -> None:
    mine = api.client.get("/api/v1/cases", headers=api.auth("bawaslu.pasuruan")).json()
    assert mine["total"] == 1 and [c["case_id"] for c in mine["items"]] == [PSR]
    everything = api.client.get(
        "/api/v1/cases", params={"limit": 2, "offset": 0}, headers=api.auth("bkn.analis")
    ).json()
    assert everything["total"] == 5 and len(everything["items"]) == 2
    found = api.client.get(
        "/api/v1/cases", params={"q": "198503122010"}, headers=api.auth("bkn.analis")
    )
    assert found.status_code == 200


def test_case_show_timeline_and_steps(api: Api) -> None:
    auth = api.auth("bawaslu.pasuruan")
    case = api.client.get(f"/api/v1/cases/{PSR}", headers=auth)
    assert case.headers["etag"] == f'"{case.json()["version"]}"'
    timeline = api.client.get(f"/api/v1/cases/{PSR}/timeline", headers=auth).json()
    assert [e["seq"] for e in timeline] == list(range(1, len(timeline) + 1))
    steps = api.client.get(f"/api/v1/cases/{PSR}/steps", headers=auth).json()
    assess = next(s for s in steps if s["trigger"] == "assess")
    assert assess["fields"][0]["name"] == "clarification_summary"
    assert assess["fields"][0]["required"] is True


def test_another_region_gets_403_and_an_unknown_case_404(api: Api) -> None:
    other = api.client.get(f"/api/v1/cases/{PSR}", headers=api.auth("bawaslu.kediri"))
    assert other.status_code == 403 and other.json()["code"] == "forbidden"
    missing = api.client.get("/api/v1/cases/TIDAK-ADA", headers=api.auth("admin"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_open_case_with_idempotency_key_has_exactly_one_effect(api: Api) -> None:
    auth = {**api.auth("bawaslu.pasuruan"), "Idempotency-Key": "buka-1"}
    before = count(api)
    body = new_case_body()  # once: its instants follow the clock's minute, a retry resends it
    first = api.client.post("/api/v1/cases", json=body, headers=auth)
    assert first.status_code == 201, first.text
    again = api.client.post("/api/v1/cases", json=body, headers=auth)
    assert again.status_code == 201
    assert again.json()["case_id"] == first.json()["case_id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert count(api) == before + 1
    other = api.client.post("/api/v1/cases", json=new_case_body("lain"), headers=auth)
    assert other.status_code == 422 and other.json()["code"] == "invalid_input"
    assert count(api) == before + 1


def test_a_failed_request_frees_its_idempotency_key(api: Api) -> None:
    auth = {**api.auth("bawaslu.pasuruan"), "Idempotency-Key": "buka-2"}
    bad = {**new_case_body(), "violation_codes": ["NET-99"]}
    refused = api.client.post("/api/v1/cases", json=bad, headers=auth)
    assert refused.status_code == 422
    good = api.client.post(
        "/api/v1/cases", json=bad | {"violation_codes": ["NET-03"]}, headers=auth
    )
    assert good.status_code == 201


def test_step_with_stale_if_match_is_409_and_writes_nothing(api: Api) -> None:
    auth = api.auth("bawaslu.pasuruan")
    current = version(api, PSR)
    body = {"data": {"clarification_summary": "Sudah diklarifikasi"}}
    stale = api.client.post(
        f"/api/v1/cases/{PSR}/steps/assess",
        json=body,
        headers={**auth, "If-Match": f'"{current - 1}"'},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert version(api, PSR) == current
    done = api.client.post(
        f"/api/v1/cases/{PSR}/steps/assess", json=body, headers={**auth, "If-Match": f'"{current}"'}
    )
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "assessment"


def test_step_errors_map_to_422_and_409(api: Api) -> None:
    auth = api.auth("bawaslu.pasuruan")
    current = version(api, PSR)
    missing = api.client.post(f"/api/v1/cases/{PSR}/steps/assess", json={"data": {}}, headers=auth)
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    wrong = api.client.post(f"/api/v1/cases/{PSR}/steps/summon", json={"data": {}}, headers=auth)
    assert wrong.status_code == 409 and wrong.json()["code"] == "step_not_allowed"
    unknown_field = api.client.post(
        f"/api/v1/cases/{PSR}/steps/assess",
        json={"data": {"clarification_summary": "x", "bogus": 1}},
        headers=auth,
    )
    assert unknown_field.status_code == 422
    assert version(api, PSR) == current


def test_malformed_oversized_and_invalid_bodies(api: Api) -> None:
    auth = {**api.auth("bawaslu.pasuruan"), "Content-Type": "application/json"}
    broken = api.client.post(f"/api/v1/cases/{PSR}/notes", content=b"{not json", headers=auth)
    assert broken.status_code == 400 and broken.json()["code"] == "malformed_request"
    huge = api.client.post(
        f"/api/v1/cases/{PSR}/notes", content=b'{"text": "' + b"a" * 1_100_000 + b'"}', headers=auth
    )
    assert huge.status_code == 413 and huge.json()["code"] == "payload_too_large"
    extra = api.client.post(f"/api/v1/cases/{PSR}/notes", json={"text": "x", "y": 1}, headers=auth)
    assert extra.status_code == 422 and extra.json()["message"]


def test_note_and_reassign(api: Api) -> None:
    auth = api.auth("bawaslu.pasuruan")
    current = version(api, PSR)
    noted = api.client.post(
        f"/api/v1/cases/{PSR}/notes", json={"text": "Menunggu dokumen"}, headers=auth
    )
    assert noted.status_code == 200 and noted.json()["notes"] >= 1
    stale = api.client.post(
        f"/api/v1/cases/{PSR}/reassign",
        json={"assignee": "admin"},
        headers={**auth, "If-Match": f'"{current}"'},
    )
    assert stale.status_code == 409
    unknown = api.client.post(
        f"/api/v1/cases/{PSR}/reassign", json={"assignee": "tidak.ada"}, headers=auth
    )
    assert unknown.status_code == 404
    assert version(api, PSR) == current + 1


def test_letters_list_html_pdf_and_verify(api: Api) -> None:
    auth = api.auth("bkpsdm.kediri")
    listed = api.client.get(f"/api/v1/cases/{KDR}/letters", headers=auth).json()
    assert listed
    letter = listed[-1]["id"]
    html = api.client.get(f"/api/v1/letters/{letter}", headers=auth)
    assert html.status_code == 200 and "<" in html.text
    pdf = api.client.get(f"/api/v1/letters/{letter}/pdf", headers=auth)
    assert pdf.content.startswith(b"%PDF")
    checked = api.client.get(f"/api/v1/letters/{letter}/verify", headers=auth).json()
    assert checked["ok"] is True
    outsider = api.client.get(f"/api/v1/letters/{letter}", headers=api.auth("bawaslu.pasuruan"))
    assert outsider.status_code == 403


def test_worklist_of_the_ppk(api: Api) -> None:
    tasks = api.client.get("/api/v1/worklist", headers=api.auth("bkpsdm.kediri")).json()
    assert [item["case"]["case_id"] for item in tasks["items"]] == [KDR]
    assert tasks["items"][0]["overdue"] is True
    assert api.client.get("/api/v1/worklist", headers=api.auth("auditor")).json()["total"] == 0


def test_audit_verify_replay_diff_and_export(api: Api) -> None:
    auth = api.auth("auditor")
    report = api.client.get("/api/v1/audit/verify", headers=auth).json()
    assert report["ok"] is True and report["cases"] == 5
    assert (
        api.client.get("/api/v1/audit/verify", headers=api.auth("bawaslu.pasuruan")).status_code
        == 403
    )
    replayed = api.client.get(
        f"/api/v1/cases/{PSR}/replay", params={"at": "2030-01-01T00:00"}, headers=auth
    )
    assert replayed.status_code == 200
    changed = api.client.get(
        f"/api/v1/cases/{PSR}/diff",
        params={"from": "2024-11-01T00:00", "to": "2030-01-01T00:00"},
        headers=auth,
    )
    assert changed.status_code == 200 and changed.json()["case_id"] == PSR
    bundle = api.client.post("/api/v1/audit/export", json={"case_ids": [PSR]}, headers=auth)
    assert bundle.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()


def test_openapi_and_docs_page_load_nothing_from_a_cdn(api: Api) -> None:
    spec = api.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{case_id}/steps/{trigger}" in spec["paths"]
    docs = api.client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "<script" not in docs.text and "cdn" not in docs.text.lower()
    assert api.client.get("/docs").status_code == 404


def test_a_streamed_body_past_the_limit_is_413_and_unknown_routes_404(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(12):
            yield b"a" * 100_000
        yield b'"}'

    auth = {**api.auth("bawaslu.pasuruan"), "Content-Type": "application/json"}
    before = version(api, PSR)
    streamed = api.client.post(f"/api/v1/cases/{PSR}/notes", content=chunks(), headers=auth)
    assert streamed.status_code == 413 and streamed.json()["code"] == "payload_too_large"
    assert version(api, PSR) == before
    missing = api.client.get("/api/v1/tidak-ada", headers=auth)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong_method = api.client.delete(f"/api/v1/cases/{PSR}", headers=auth)
    assert wrong_method.status_code == 405 and wrong_method.json()["message"]
