"""Evidence on the case page: the case's officer uploads and downloads; an officer of another
region can do neither; forged and over-size files are refused inline with nothing written;
downloads are attachments that no browser renders as a page."""

from __future__ import annotations

import re
from pathlib import Path

from cases import queries
from cases.bootstrap import unit_of_work
from tests.web.conftest import FORGED_HTML, SCRIPTED_SVG, Site, png_bytes

PSR = "DEMO-PSR-1"  # in clarification: Bawaslu Pasuruan gathers evidence


def version(site: Site, case_id: str) -> int:
    return queries.get_case(unit_of_work(site.url), "admin", case_id).version


def stored_files(store: Path) -> list[Path]:
    return [p for p in store.rglob("*") if p.is_file()] if store.exists() else []


def upload(client, csrf: str, name: str, data: bytes, kind: str = "image/png"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/perkara/{PSR}/bukti",
        data={"csrf_token": csrf, "description": "Foto spanduk kampanye"},
        files={"file": (name, data, kind)},
    )


def test_case_officer_uploads_and_downloads_evidence(site: Site, evidence_dir: Path) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    image = png_bytes()
    page = upload(client, csrf, "spanduk.png", image)
    assert page.status_code == 200 and "Bukti B1 dilampirkan" in page.text
    assert "spanduk.png" in page.text and "Foto spanduk kampanye" in page.text
    got = client.get(f"/perkara/{PSR}/bukti/B1")
    assert got.status_code == 200 and got.content == image
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in got.headers["content-security-policy"]
    thumb = client.get(f"/perkara/{PSR}/bukti/B1/kecil")
    assert thumb.headers["content-type"] == "image/jpeg" and thumb.content[:2] == b"\xff\xd8"


def test_another_regions_officer_can_neither_download_nor_upload(
    site: Site, evidence_dir: Path
) -> None:
    owner, csrf = site.signed_in("bawaslu.pasuruan")
    upload(owner, csrf, "spanduk.png", png_bytes())
    files = stored_files(evidence_dir)
    before = version(site, PSR)
    stranger, csrf2 = site.signed_in("bawaslu.kediri")
    assert stranger.get(f"/perkara/{PSR}/bukti/B1").status_code in (403, 404)
    assert stranger.get(f"/perkara/{PSR}/bukti/B1/kecil").status_code in (403, 404)
    refused = upload(stranger, csrf2, "lain.png", png_bytes("blue"))
    assert refused.status_code in (403, 404)
    assert version(site, PSR) == before and stored_files(evidence_dir) == files


def test_forged_and_oversize_uploads_are_refused_inline_with_nothing_written(
    site: Site, evidence_dir: Path
) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    before = version(site, PSR)
    forged = [
        ("foto.png", FORGED_HTML, "image/png"),  # HTML disguised as a PNG
        ("logo.svg", SCRIPTED_SVG, "image/svg+xml"),  # an SVG carrying a script
        ("besar.png", png_bytes() + b"\0" * 250_000, "image/png"),  # over the 200 KB limit
        ("kosong.png", b"", "image/png"),
    ]
    for name, data, kind in forged:
        page = upload(client, csrf, name, data, kind)
        assert page.status_code == 422, name
        assert 'id="evidence-err"' in page.text, name
    assert version(site, PSR) == before
    assert stored_files(evidence_dir) == []
    assert "Belum ada bukti" in client.get(f"/perkara/{PSR}").text


def test_upload_without_the_csrf_token_is_refused(site: Site, evidence_dir: Path) -> None:
    client, _ = site.signed_in("bawaslu.pasuruan")
    answer = client.post(
        f"/perkara/{PSR}/bukti",
        data={"description": "x"},
        files={"file": ("a.png", png_bytes(), "image/png")},
    )
    assert answer.status_code == 403
    assert stored_files(evidence_dir) == []


def test_hostile_file_name_cannot_break_the_download_header(site: Site, evidence_dir: Path) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    upload(client, csrf, 'a";\r\nX-Evil: 1; b.html', png_bytes())
    got = client.get(f"/perkara/{PSR}/bukti/B1")
    header = got.headers["content-disposition"]
    assert "x-evil" not in {k.lower() for k in got.headers}
    assert re.fullmatch(r'attachment; filename="[^"\\]*"; filename\*=UTF-8\'\'[^\s";]*', header)


def test_evidence_is_withdrawn_with_a_reason(site: Site, evidence_dir: Path) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    upload(client, csrf, "spanduk.png", png_bytes())
    blank = client.post(f"/perkara/{PSR}/bukti/B1/tarik", data={"csrf_token": csrf, "reason": ""})
    assert blank.status_code == 422
    done = client.post(
        f"/perkara/{PSR}/bukti/B1/tarik", data={"csrf_token": csrf, "reason": "Salah unggah"}
    )
    assert "ditarik" in done.text and "Salah unggah" in done.text
