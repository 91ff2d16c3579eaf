"""`POST /api/v1/imports`: a report file opens its cases through the import service; a bad
row writes nothing (422 with the errors by line); the same file again opens nothing; an
officer of another region and an anonymous caller are refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.api.conftest import Api
from tests.api.test_api_v1 import count
from tests.intake.report_files import HEADERS

WIB = ZoneInfo("Asia/Jakarta")


def report(*nips: str, region: str = "35.75 — Kota Pasuruan") -> bytes:
    """Excel's `;` CSV with BOM: one temuan per NIP, known yesterday, two days after the act."""
    now = datetime.now(WIB)
    day = (now - timedelta(days=1)).strftime("%d/%m/%Y %H:%M")
    incident = (now - timedelta(days=2)).strftime("%d/%m/%Y %H:%M")
    rows = [
        f"temuan;pilkada;{region};{day};{day};{incident};Kelurahan Bugul;"
        f"Unggahan dukungan pasangan calon;NET-03;{nip};Budi Santoso;Staf;"
        "Pemerintah Kota Pasuruan;;;;"
        for nip in nips
    ]
    return ("\r\n".join([HEADERS, *rows]) + "\r\n").encode("utf-8-sig")


def post(api: Api, officer: str | None, data: bytes, **form: str) -> httpx.Response:
    headers = api.auth(officer) if officer else {}
    files = {"file": ("laporan.csv", data, "text/csv")}
    return api.client.post("/api/v1/imports", headers=headers, files=files, data=form)


def test_a_report_file_opens_its_cases_once(api: Api) -> None:
    before = count(api)
    data = report("198503122010011003", "199002022015032004")
    first = post(api, "bawaslu.pasuruan", data)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["written"] and len(body["opened"]) == 2 and body["errors"] == []
    assert count(api) == before + 2
    again = post(api, "bawaslu.pasuruan", data)
    assert again.status_code == 201
    assert again.json()["opened"] == []
    assert count(api) == before + 2


def test_a_bad_row_writes_nothing_and_names_its_line(api: Api) -> None:
    before = count(api)
    data = report("198503122010011003", "bukan-nip")
    answer = post(api, "bawaslu.pasuruan", data)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "import_rejected" and "Tidak ada yang ditulis" in problem["message"]
    assert [e["row"] for e in problem["result"]["errors"]] == [3]
    assert count(api) == before
    per_row = post(api, "bawaslu.pasuruan", data, per_row="true")
    assert per_row.status_code == 201
    assert len(per_row.json()["opened"]) == 1
    assert count(api) == before + 1


def test_other_regions_anonymous_callers_and_non_reports_are_refused(api: Api) -> None:
    before = count(api)
    other = post(api, "bawaslu.kediri", report("198503122010011003"))
    assert other.status_code == 422
    assert other.json()["result"]["errors"]
    assert post(api, None, report("198503122010011003")).status_code == 401
    empty = post(api, "bawaslu.pasuruan", b"   ")
    assert empty.status_code == 422 and "kosong" in empty.json()["message"]
    assert count(api) == before
