"""The REST API beyond the lifecycle steps, as the CLI offers it: evidence (upload, list,
download, withdraw; another region refused; forged files refused with nothing written),
dashboards, the case export, likely duplicates, step previews, deadlines, letter corrections
and the registry administration (non-admins refused) — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.validation_problems import problem_text
from tests.api.conftest import Api
from tests.web.conftest import FORGED_HTML, SCRIPTED_SVG, png_bytes

PSR = "DEMO-PSR-1"
KDR = "DEMO-KDR-1"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "bukti"
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(path))
    monkeypatch.setenv("NETRA_EVIDENCE_MAX_BYTES", "200000")
    return path


def files_in(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def version(api: Api, case_id: str) -> int:
    return int(
        api.client.get(f"/api/v1/cases/{case_id}", headers=api.auth("admin")).json()["version"]
    )


def send(api: Api, officer: str, name: str, data: bytes, kind: str = "image/png"):  # type: ignore[no-untyped-def]
    return api.client.post(
        f"/api/v1/cases/{PSR}/evidence",
        data={"description": "Tangkapan layar unggahan"},
        files={"file": (name, data, kind)},
        headers=api.auth(officer),
    )


def test_evidence_upload_list_download_and_withdraw(api: Api, store: Path) -> None:
    image = png_bytes()
    made = send(api, "bawaslu.pasuruan", "layar.png", image)
    assert made.status_code == 201 and made.json()["evidence"] == "B1"
    assert made.json()["media_type"] == "image/png"
    listed = api.client.get(f"/api/v1/cases/{PSR}/evidence", headers=api.auth("bawaslu.pasuruan"))
    assert [i["evidence"] for i in listed.json()] == ["B1"]
    got = api.client.get(f"/api/v1/cases/{PSR}/evidence/B1", headers=api.auth("bawaslu.pasuruan"))
    assert got.content == image and got.headers["content-disposition"].startswith("attachment")
    assert got.headers["x-content-type-options"] == "nosniff"
    again = send(api, "bawaslu.pasuruan", "ulang.png", image)  # a retried upload
    assert again.status_code == 422 and "B1" in again.json()["message"]
    gone = api.client.post(
        f"/api/v1/cases/{PSR}/evidence/B1/withdraw",
        json={"reason": "Salah berkas"},
        headers=api.auth("bawaslu.pasuruan"),
    )
    assert gone.status_code == 200 and gone.json()["withdrawn_reason"] == "Salah berkas"


def test_evidence_is_refused_to_another_region_and_forged_files_write_nothing(
    api: Api, store: Path
) -> None:
    before = version(api, PSR)
    stranger = send(api, "bawaslu.kediri", "a.png", png_bytes())
    assert stranger.status_code in (403, 404)
    listing = api.client.get(f"/api/v1/cases/{PSR}/evidence", headers=api.auth("bawaslu.kediri"))
    assert listing.status_code in (403, 404)
    for name, data, kind in (
        ("foto.png", FORGED_HTML, "image/png"),
        ("logo.svg", SCRIPTED_SVG, "image/svg+xml"),
        ("besar.png", png_bytes() + b"\0" * 250_000, "image/png"),
    ):
        refused = send(api, "bawaslu.pasuruan", name, data, kind)
        assert refused.status_code == 422 and refused.json()["code"] == "invalid_input", name
    assert version(api, PSR) == before and files_in(store) == []


def test_dashboards_count_only_readable_cases(api: Api) -> None:
    own = api.client.get("/api/v1/dashboards", headers=api.auth("bawaslu.pasuruan")).json()
    everyone = api.client.get("/api/v1/dashboards", headers=api.auth("bkn.analis")).json()
    assert own["total"] == 1 and everyone["total"] == 5
    assert "PEMDA-3571" in [f["ppk"] for f in everyone["follow_up"]]
    assert own["follow_up"] == []


def test_case_export_as_xlsx_and_csv(api: Api) -> None:
    xlsx = api.client.get(
        "/api/v1/export/cases", params={"format": "xlsx"}, headers=api.auth("bkn.analis")
    )
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "case_id" and len(rows) == 6
    csv = api.client.get("/api/v1/export/cases", headers=api.auth("bawaslu.pasuruan"))
    assert PSR in csv.text and KDR not in csv.text
    bad = api.client.get(
        "/api/v1/export/cases", params={"format": "pdf"}, headers=api.auth("admin")
    )
    assert bad.status_code == 422


def test_likely_duplicates_and_step_preview_write_nothing(api: Api) -> None:
    found = api.client.get(
        "/api/v1/duplicates",
        params={"nip": "198503122010011003", "region": "35.75", "incident_date": "2024-11-15"},
        headers=api.auth("bawaslu.pasuruan"),
    )
    assert [c["case_id"] for c in found.json()] == [PSR]
    before = version(api, KDR)
    drafts = api.client.post(
        f"/api/v1/cases/{KDR}/steps/warn_ppk/preview",
        json={"data": {}},
        headers=api.auth("bkn.analis"),
    )
    assert drafts.status_code in (200, 409, 422)
    if drafts.status_code == 200:
        assert all("DRAFT" in d["html"] for d in drafts.json() if d["html"])
    assert version(api, KDR) == before


def test_deadline_stop_needs_a_reason_and_the_right_officer(api: Api) -> None:
    before = version(api, KDR)
    blank = api.client.post(
        f"/api/v1/cases/{KDR}/deadline/stop", json={"reason": ""}, headers=api.auth("bkn.analis")
    )
    assert blank.status_code == 422
    stranger = api.client.post(
        f"/api/v1/cases/{KDR}/deadline/stop",
        json={"reason": "menunggu"},
        headers=api.auth("bawaslu.pasuruan"),
    )
    assert stranger.status_code in (403, 404)
    assert version(api, KDR) == before


def test_letter_revoke_is_recorded(api: Api) -> None:
    letters = api.client.get(f"/api/v1/cases/{KDR}/letters", headers=api.auth("admin")).json()
    target = letters[-1]["id"]
    before = version(api, KDR)
    blank = api.client.post(
        f"/api/v1/letters/{target}/revoke", json={"reason": " "}, headers=api.auth("admin")
    )
    assert blank.status_code == 422 and version(api, KDR) == before
    done = api.client.post(
        f"/api/v1/letters/{target}/revoke",
        json={"reason": "Salah alamat"},
        headers={**api.auth("admin"), "Idempotency-Key": "revoke-1"},
    )
    assert done.status_code == 200 and done.json()["status"] == "revoked", done.text
    replayed = api.client.post(
        f"/api/v1/letters/{target}/revoke",
        json={"reason": "Salah alamat"},
        headers={**api.auth("admin"), "Idempotency-Key": "revoke-1"},
    )
    assert replayed.headers.get("idempotent-replayed") == "true"
    assert version(api, KDR) == before + 1


def test_registry_administration_is_for_administrators(api: Api) -> None:
    hostile = api.auth("bawaslu.pasuruan")
    history = api.client.get("/api/v1/audit/registry", headers=api.auth("admin")).json()
    for method, path, body in (
        ("get", "/api/v1/officers", None),
        (
            "post",
            "/api/v1/officers",
            {"id": "x.y", "name": "X", "role": "admin", "institution": "NETRA", "title": "x"},
        ),
        ("post", "/api/v1/officers/admin/password", None),
        ("post", "/api/v1/officers/bawaslu.pasuruan", {"role": "admin"}),
        ("get", "/api/v1/tokens?all=true", None),
        ("post", "/api/v1/tokens", {"name": "x", "days": 1, "officer": "admin"}),
        ("post", "/api/v1/calendar/overrides", {"day": "2026-12-24", "name": "Libur"}),
        ("get", "/api/v1/audit/registry", None),
        ("get", "/api/v1/notices/failed", None),
    ):
        answer = (
            getattr(api.client, method)(path, json=body, headers=hostile)
            if body
            else getattr(api.client, method)(path, headers=hostile)
        )
        assert answer.status_code == 403, path
    after = api.client.get("/api/v1/audit/registry", headers=api.auth("admin")).json()
    assert len(after) == len(history)  # nothing recorded


def test_admin_registers_an_officer_and_manages_tokens_and_calendar(api: Api) -> None:
    admin = api.auth("admin")
    made = api.client.post(
        "/api/v1/officers",
        json={
            "id": "bkn.analis.2",
            "name": "Rina",
            "role": "bkn",
            "institution": "BKN",
            "title": "Analis",
        },
        headers=admin,
    )
    assert made.status_code == 201 and len(made.json()["password"]) >= 12
    token = api.client.post(
        "/api/v1/tokens",
        json={"name": "integrasi", "days": 5, "officer": "bkn.analis.2"},
        headers=admin,
    ).json()
    own = api.client.get("/api/v1/worklist", headers={"Authorization": f"Bearer {token['token']}"})
    assert own.status_code == 200
    assert api.client.post(f"/api/v1/tokens/{token['id']}/revoke", headers=admin).status_code == 204
    revoked = api.client.get(
        "/api/v1/worklist", headers={"Authorization": f"Bearer {token['token']}"}
    )
    assert revoked.status_code == 401
    day = api.client.post(
        "/api/v1/calendar/overrides",
        json={"day": "2026-12-24", "name": "Cuti bersama"},
        headers=admin,
    )
    assert day.status_code == 201
    assert (
        api.client.post("/api/v1/calendar/overrides/2026-12-24/remove", headers=admin).status_code
        == 204
    )
    assert (
        api.client.post("/api/v1/calendar/overrides/2026-12-24/remove", headers=admin).status_code
        == 404
    )
    verified = api.client.get("/api/v1/audit/registry/verify", headers=admin).json()
    assert verified["intact"] is True


def test_admin_corrects_an_institution(api: Api) -> None:
    admin = api.auth("admin")
    current = next(
        i
        for i in api.client.get("/api/v1/institutions", headers=admin).json()
        if i["code"] == "PEMDA-3571"
    )
    changed = api.client.post(
        "/api/v1/institutions/PEMDA-3571",
        json={**current, "address": "Jl. Basuki Rahmat 15, Kediri", "reason": "pindah kantor"},
        headers=admin,
    )
    assert changed.status_code == 200 and changed.json()["address"].startswith("Jl. Basuki")
    kind = api.client.post(
        "/api/v1/institutions/PEMDA-3571", json={**current, "kind": "bkn"}, headers=admin
    )
    assert kind.status_code == 422


def test_letterhead_by_api_refuses_forged_logos_and_stores_a_png(api: Api) -> None:
    from cases.bootstrap import unit_of_work
    from cases.letterheads import current_letterhead

    url = "/api/v1/institutions/PEMDA-3571/letterhead"
    for name, data, kind in (
        ("l.png", FORGED_HTML, "image/png"),
        ("l.svg", SCRIPTED_SVG, "image/svg+xml"),
    ):
        refused = api.client.post(
            url,
            data={"kop_line": ["PEMERINTAH KOTA KEDIRI"]},
            files={"logo": (name, data, kind)},
            headers=api.auth("admin"),
        )
        assert refused.status_code == 422, name
    assert not current_letterhead(unit_of_work(api.url), "admin", "PEMDA-3571")["stored"]
    hostile = api.client.post(
        url, data={"kop_line": ["DIRETAS"]}, headers=api.auth("bkpsdm.kediri")
    )
    assert hostile.status_code == 403
    stored = api.client.post(
        url,
        data={"kop_line": ["Pemerintah Kota Kediri", "BKPSDM"]},
        files={"logo": ("l.png", png_bytes("green", 32), "image/png")},
        headers=api.auth("admin"),
    )
    assert stored.status_code == 200 and stored.json()["logo_sha256"]


def test_only_evidence_uploads_may_exceed_the_ordinary_body_limit(api: Api, store: Path) -> None:
    big = b"\0" * 1_500_000
    note = api.client.post(
        f"/api/v1/cases/{PSR}/notes",
        content=b'{"text": "' + big + b'"}',
        headers={**api.auth("bawaslu.pasuruan"), "Content-Type": "application/json"},
    )
    assert note.status_code == 413
    upload = send(api, "bawaslu.pasuruan", "besar.png", png_bytes() + big)
    assert upload.status_code == 422  # reached the evidence service, which applies its limit
    assert "batas ukuran" in upload.json()["message"]
    assert files_in(store) == []


def test_a_malformed_request_names_each_problem_in_indonesian(api: Api) -> None:
    auth = api.auth("bawaslu.pasuruan")
    before = api.client.get("/api/v1/cases", headers=auth).json()
    refused = api.client.post(
        "/api/v1/cases", json={"channel": "laporan", "summary": 5}, headers=auth
    )
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_input"
    problems = {d["field"]: (d["problem"], d["type"]) for d in refused.json()["details"]}
    assert problems["body.region_code"] == ("wajib diisi", "missing")
    assert problems["body.summary"] == ("harus teks", "string_type")
    paged = api.client.get("/api/v1/cases", params={"limit": "banyak"}, headers=auth)
    assert paged.status_code == 422
    assert paged.json()["details"][0]["problem"] == "harus bilangan bulat"
    assert api.client.get("/api/v1/cases", headers=auth).json() == before


def test_validation_problems_carry_their_limits_and_keep_unknown_messages() -> None:
    too_long = {"type": "string_too_long", "ctx": {"max_length": 64}, "msg": "String too long"}
    assert problem_text(too_long) == "terlalu panjang (paling banyak 64 karakter)"
    assert problem_text({"type": "string_too_long", "msg": "x"}) == "terlalu panjang"
    assert problem_text({"type": "url_scheme", "msg": "URL scheme should be 'https'"}) == (
        "URL scheme should be 'https'"
    )
