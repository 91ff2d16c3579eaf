"""The administrator's pages: institutions (registry data, kop, logo), officers (add, change,
disable, reset password), API tokens, calendar overrides, the registry history with its
verification, rule sets and notices — and a hostile non-admin refused on every one of them
with nothing written; forged logos refused with nothing stored."""

from __future__ import annotations

import re

from cases.bootstrap import unit_of_work
from cases.identity.accounts import registry_events, verify_registry_history
from cases.letterheads import current_letterhead
from tests.web.conftest import FORGED_HTML, SCRIPTED_SVG, Site, png_bytes
from web.routes.admin_records import details

KDR_PPK = "PEMDA-3571"

ADMIN_GETS = [
    "/admin",
    "/admin/instansi",
    f"/admin/instansi/{KDR_PPK}",
    "/admin/petugas",
    "/admin/token",
    "/admin/kalender",
    "/admin/riwayat",
    "/admin/aturan",
    "/admin/pemberitahuan",
]
ADMIN_POSTS = [
    "/admin/instansi",
    f"/admin/instansi/{KDR_PPK}",
    "/admin/petugas",
    "/admin/petugas/bawaslu.kediri",
    "/admin/token",
    "/admin/kalender",
    "/admin/kalender/hapus",
]


def history_length(site: Site) -> int:
    return len(registry_events(unit_of_work(site.url), "admin"))


def secret_on(html: str) -> str:
    found = re.search(r'<code class="secret">([^<]+)</code>', html)
    assert found, "no secret shown"
    return found.group(1)


def test_a_non_admin_gets_403_on_every_admin_route_and_writes_nothing(site: Site) -> None:
    before = history_length(site)
    hostile, csrf = site.signed_in("bawaslu.pasuruan")
    for path in ADMIN_GETS:
        assert hostile.get(path).status_code == 403, path
    form = {
        "csrf_token": csrf,
        "code": "X",
        "kind": "ppk",
        "id": "penyusup",
        "name": "Penyusup",
        "role": "admin",
        "institution": "BAWASLU-3575",
        "title": "x",
        "action": "sandi",
        "day": "2026-12-24",
        "officer": "admin",
        "days": "30",
    }
    for path in ADMIN_POSTS:
        assert hostile.post(path, data=form).status_code == 403, path
    kop = hostile.post(
        f"/admin/instansi/{KDR_PPK}/kop",
        data={"csrf_token": csrf, "kop_line": "DIRETAS"},
        files={"logo": ("l.png", png_bytes(), "image/png")},
    )
    assert kop.status_code == 403
    assert history_length(site) == before
    assert not current_letterhead(unit_of_work(site.url), "admin", KDR_PPK)["stored"]
    assert hostile.get("/").status_code == 200  # still signed in, only refused


def test_admin_edits_the_kop_and_uploads_a_logo(site: Site) -> None:
    admin, csrf = site.signed_in("admin")
    page = admin.get(f"/admin/instansi/{KDR_PPK}")
    assert page.status_code == 200 and 'for="kop-0"' in page.text
    saved = admin.post(
        f"/admin/instansi/{KDR_PPK}/kop",
        data={"csrf_token": csrf, "kop_line": ["Pemerintah Kota Kediri", "BKPSDM", ""]},
        files={"logo": ("lambang.png", png_bytes("green", 32), "image/png")},
    )
    assert saved.status_code == 200 and "Kop surat tersimpan" in saved.text
    stored = current_letterhead(unit_of_work(site.url), "admin", KDR_PPK)
    assert stored["kop_lines"] == ["PEMERINTAH KOTA KEDIRI", "BKPSDM"]
    logo = admin.get(f"/admin/instansi/{KDR_PPK}/logo/{stored['logo_sha256']}")
    assert logo.headers["content-type"] == "image/png" and logo.content.startswith(b"\x89PNG")
    assert logo.headers["x-content-type-options"] == "nosniff"


def test_forged_logos_are_refused_with_nothing_stored(site: Site) -> None:
    admin, csrf = site.signed_in("admin")
    for name, data, kind in (
        ("lambang.png", FORGED_HTML, "image/png"),
        ("lambang.svg", SCRIPTED_SVG, "image/svg+xml"),
        ("besar.png", png_bytes() + b"\0" * 600_000, "image/png"),
    ):
        page = admin.post(
            f"/admin/instansi/{KDR_PPK}/kop",
            data={"csrf_token": csrf, "kop_line": ["PEMERINTAH KOTA KEDIRI"]},
            files={"logo": (name, data, kind)},
        )
        assert page.status_code == 422, name
        assert 'id="kop-err"' in page.text, name
    assert not current_letterhead(unit_of_work(site.url), "admin", KDR_PPK)["stored"]


def test_admin_corrects_the_letter_number_format_as_a_registry_event(site: Site) -> None:
    admin, csrf = site.signed_in("admin")
    page = admin.get(f"/admin/instansi/{KDR_PPK}")
    fields = dict(
        re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', page.text.split("Data registri")[1])
    )
    fields.update(
        csrf_token=csrf, letter_number_format="800/{serial:04d}/419.{year}", reason="SE 2026"
    )
    bad = admin.post(f"/admin/instansi/{KDR_PPK}", data={**fields, "letter_number_format": "800"})
    assert bad.status_code == 422 and "{serial}" in bad.text
    before = history_length(site)
    done = admin.post(f"/admin/instansi/{KDR_PPK}", data=fields)
    assert "Data instansi tersimpan" in done.text and "800/{serial:04d}/419.{year}" in done.text
    assert history_length(site) == before + 1
    assert verify_registry_history(unit_of_work(site.url), "admin").intact


def test_admin_adds_an_officer_who_can_then_sign_in(site: Site) -> None:
    admin, csrf = site.signed_in("admin")
    added = admin.post(
        "/admin/petugas",
        data={
            "csrf_token": csrf,
            "id": "bawaslu.kediri.2",
            "name": "Siti Rahma",
            "role": "bawaslu",
            "institution": "BAWASLU-3571",
            "title": "Staf Penanganan Pelanggaran",
        },
    )
    assert added.status_code == 200
    password = secret_on(added.text)
    assert password not in admin.get("/admin/petugas").text  # shown once
    newcomer = site.client()
    page = newcomer.post("/masuk", data={"user_id": "bawaslu.kediri.2", "password": password})
    assert page.status_code == 200 and "Tugas saya" in page.text


def test_admin_disables_resets_and_changes_an_officer(site: Site) -> None:
    admin, csrf = site.signed_in("admin")
    url = "/admin/petugas/bawaslu.kediri"
    no_reason = admin.post(url, data={"csrf_token": csrf, "action": "nonaktifkan"})
    assert no_reason.status_code == 422 and "Alasan wajib" in no_reason.text
    admin.post(url, data={"csrf_token": csrf, "action": "nonaktifkan", "reason": "Mutasi"})
    refused = site.client().post(
        "/masuk", data={"user_id": "bawaslu.kediri", "password": site.logins["bawaslu.kediri"]}
    )
    assert refused.status_code == 401
    admin.post(url, data={"csrf_token": csrf, "action": "aktifkan", "reason": "Kembali"})
    reset = admin.post(url, data={"csrf_token": csrf, "action": "sandi"})
    password = secret_on(reset.text)
    old = site.client().post(
        "/masuk", data={"user_id": "bawaslu.kediri", "password": site.logins["bawaslu.kediri"]}
    )
    assert old.status_code == 401
    fresh = site.client().post("/masuk", data={"user_id": "bawaslu.kediri", "password": password})
    assert fresh.status_code == 200
    changed = admin.post(
        url,
        data={
            "csrf_token": csrf,
            "action": "ubah",
            "role": "auditor",
            "institution": "BAWASLU-3571",
            "title": "Pemeriksa",
            "reason": "Penugasan baru",
        },
    )
    assert changed.status_code == 200 and "Pemeriksa" in changed.text
    assert verify_registry_history(unit_of_work(site.url), "admin").intact


def test_admin_creates_a_token_for_another_account_shown_once(site: Site) -> None:
    admin, csrf = site.signed_in("admin")
    made = admin.post(
        "/admin/token",
        data={"csrf_token": csrf, "officer": "bkn.analis", "name": "integrasi", "days": "10"},
    )
    token = secret_on(made.text)
    api = admin.get("/api/v1/worklist", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    listing = admin.get("/admin/token").text
    assert token not in listing and "integrasi" in listing
    bad = admin.post("/admin/token", data={"csrf_token": csrf, "name": "x", "days": "999"})
    assert bad.status_code == 422


def test_admin_adds_and_removes_a_calendar_override(site: Site) -> None:
    admin, csrf = site.signed_in("admin")
    before = history_length(site)
    blank = admin.post("/admin/kalender", data={"csrf_token": csrf, "day": "2026-12-24"})
    assert blank.status_code == 422
    admin.post(
        "/admin/kalender",
        data={"csrf_token": csrf, "day": "2026-12-24", "kind": "libur", "name": "Cuti bersama"},
    )
    page = admin.get("/admin/kalender").text
    assert "24 Desember 2026" in page and "Cuti bersama" in page
    admin.post("/admin/kalender/hapus", data={"csrf_token": csrf, "day": "2026-12-24"})
    assert "Belum ada penyesuaian" in admin.get("/admin/kalender").text
    assert history_length(site) == before + 2


def test_registry_history_shows_its_verification(site: Site) -> None:
    admin, _ = site.signed_in("admin")
    page = admin.get("/admin/riwayat")
    assert "Utuh" in page.text and "petugas didaftarkan" in page.text
    assert "pengaturan: jam tetap" in page.text and "nilai: diizinkan" in page.text
    assert "fixed_clock" not in page.text and "allowed" not in page.text
    assert details({"day": "2026-12-24", "kind": "holiday"}) == (
        "tanggal: 24 Desember 2026; jenis: hari libur"
    )
    assert details({"scope": "sweep", "expires_at": "2026-12-31T10:00:00+00:00"}) == (
        "cakupan: penyisiran tenggat; berlaku sampai: 31 Desember 2026 17.00 WIB"
    )
    auditor, _ = site.signed_in("auditor")
    assert auditor.get("/admin/riwayat").status_code == 200
    assert admin.get("/admin/aturan").status_code == 200
    assert "Tidak ada pengiriman yang gagal" in admin.get("/admin/pemberitahuan").text


def test_every_form_field_has_a_label(site: Site) -> None:
    admin, _ = site.signed_in("admin")
    pages = [*ADMIN_GETS[1:], "/pengaturan", "/perkara", "/perkara/DEMO-PSR-1", "/perkara/baru"]
    for path in pages:
        html = admin.get(path).text
        ids = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
        )
        labelled = set(re.findall(r'<label for="([^"]+)"', html))
        assert set(ids) <= labelled, (path, set(ids) - labelled)
        fields = re.findall(r"<(?:input|select|textarea)(?![^>]*type=\"hidden\")[^>]*>", html)
        assert all(' id="' in f for f in fields), path
