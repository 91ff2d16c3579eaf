"""The officers' pages: sign-in, Tugas saya, the case list, the case page, step forms (inline
errors, confirmation, stale-form conflict), notes, letters — and that nothing is written on
an error, a missing CSRF token or another region's case."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest

from cases import queries
from cases.bootstrap import unit_of_work
from letters.render import PACKAGE_TEMPLATES, TEMPLATES_ENV
from tests.web.conftest import Site, csrf_of, version_of
from web import labels
from web.routes import case_list
from web.routes.case_list import count_label

PSR = "DEMO-PSR-1"  # Kota Pasuruan, in clarification, Bawaslu Pasuruan acts
KDR = "DEMO-KDR-1"  # Kota Kediri, waiting on the PPK


def version(site: Site, case_id: str) -> int:
    return queries.get_case(unit_of_work(site.url), "admin", case_id).version


def test_pages_need_a_session_and_redirect_to_sign_in(site: Site) -> None:
    page = site.client().get("/perkara/DEMO-PSR-1")
    assert page.url.path == "/masuk"
    assert 'name="password"' in page.text
    assert page.url.query == b"next=/perkara/DEMO-PSR-1"


def test_wrong_password_and_unknown_officer_get_the_same_answer(site: Site) -> None:
    client = site.client()
    wrong = client.post("/masuk", data={"user_id": "bawaslu.pasuruan", "password": "salah"})
    unknown = client.post("/masuk", data={"user_id": "tidak.ada", "password": "salah"})
    assert wrong.status_code == unknown.status_code == 401
    message = re.compile(r'role="alert">([^<]+)<')
    assert message.findall(wrong.text) == message.findall(unknown.text)
    assert "netra_sesi" not in client.cookies


def test_session_cookie_is_httponly_and_sign_out_ends_it(site: Site) -> None:
    client = site.client()
    answer = client.post(
        "/masuk",
        data={"user_id": "bawaslu.pasuruan", "password": site.logins["bawaslu.pasuruan"]},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    client.cookies.set("netra_sesi", answer.cookies["netra_sesi"])
    page = client.get("/")
    out = client.post("/keluar", data={"csrf_token": csrf_of(page.text)})
    assert out.url.path == "/masuk"
    client.cookies.set("netra_sesi", answer.cookies["netra_sesi"])  # a replayed cookie
    assert client.get("/").url.path == "/masuk"


def test_sign_in_never_redirects_off_site(site: Site) -> None:
    client = site.client()
    answer = client.post(
        "/masuk",
        data={
            "user_id": "bawaslu.pasuruan",
            "password": site.logins["bawaslu.pasuruan"],
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_sign_in_posted_from_another_site_is_refused(site: Site) -> None:
    answer = site.client().post(
        "/masuk",
        data={"user_id": "bawaslu.pasuruan", "password": site.logins["bawaslu.pasuruan"]},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403


def test_tugas_saya_lists_the_cases_waiting_on_my_office(site: Site) -> None:
    client, _ = site.signed_in("bawaslu.pasuruan")
    page = client.get("/")
    assert "Tugas saya" in page.text
    assert PSR in page.text and KDR not in page.text
    assert "Lewat tenggat" in page.text  # the demo's 2024 deadlines have passed
    ppk, _ = site.signed_in("bkpsdm.kediri")
    assert KDR in ppk.get("/").text


def test_case_list_search_and_filters_respect_permission(site: Site) -> None:
    client, _ = site.signed_in("bawaslu.pasuruan")
    everything = client.get("/perkara")
    assert PSR in everything.text and KDR not in everything.text
    assert "1 perkara" in everything.text
    other, _ = site.signed_in("bkn.analis")
    found = other.get("/perkara", params={"q": "DEMO-KDR-1"})
    assert KDR in found.text and PSR not in found.text
    none = other.get("/perkara", params={"q": "tidak-ada-yang-cocok"})
    assert "Tidak ada perkara yang cocok" in none.text
    csv = other.get("/perkara.csv", params={"state": "dismissed"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert "DEMO-BKS-1" in csv.text and PSR not in csv.text


def test_a_broad_search_states_more_than_the_counted_cap_and_still_pages_on(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_list, "COUNT_SHOWN", 1)
    monkeypatch.setattr(case_list, "PAGE_SIZE", 1)
    client, _ = site.signed_in("bkn.analis")  # reads all five demo cases
    first = client.get("/perkara").text
    assert "Lebih dari 1 perkara" in first and "1–1 dari lebih dari 1" in first
    assert "offset=1" in first  # the next page is offered although the count stopped
    assert count_label(5, 6) == "5" and count_label(1001, 1001) == "lebih dari 1.000"


def test_case_page_shows_deadline_steps_and_timeline_in_indonesian(site: Site) -> None:
    client, _ = site.signed_in("bawaslu.pasuruan")
    page = client.get(f"/perkara/{PSR}")
    assert page.status_code == 200
    assert "clarification" not in re.sub(r"<[^>]+>", "", page.text).split("Riwayat")[0].lower()
    assert "Dasar hukum" in page.text
    assert f"/perkara/{PSR}/langkah/assess" in page.text
    assert "utuh" in page.text and "RUSAK" not in page.text
    assert "WIB" in page.text


def test_pages_name_regions_and_institutions_instead_of_their_codes(site: Site) -> None:
    client, _ = site.signed_in("bkpsdm.kediri")
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/perkara/{KDR}").text).split())
    header = page.split("Keluar")[0]
    assert "PPK/BKPSDM · Pemerintah Kota Kediri" in header and "PEMDA-3571" not in header
    facts = page.split("Riwayat")[0]
    assert "Wilayah Kota Kediri (35.71)" in facts
    assert "Bawaslu Badan Pengawas Pemilihan Umum Kota Kediri" in facts
    assert "PPK Pemerintah Kota Kediri" in facts
    assert "BAWASLU-3571" not in facts and "PEMDA-3571" not in facts
    listed = re.sub(r"<[^>]+>", " ", client.get("/perkara").text)
    assert "Kota Kediri" in listed.split("Wilayah")[-1]
    assert labels.region("99.99") == "99.99" and labels.region(None) == "-"


def test_a_letter_to_the_recommending_body_names_the_body_of_the_cases_rule_set() -> None:
    # KASN received Bawaslu's forwarding until UU 20/2023 moved its role to BKN
    assert labels.recipient("bkn", "2023.1") == "Ketua Komisi Aparatur Sipil Negara"
    assert labels.recipient("bkn_bawaslu", "2023.1") == "KASN dan Bawaslu"
    assert labels.recipient("bkn", "2024.1") == "Kepala Badan Kepegawaian Negara"
    assert labels.recipient("bkn_bawaslu", "2024.1") == "BKN dan Bawaslu"
    assert labels.recipient("terlapor", "2024.1") == "Terlapor"


def test_another_regions_officer_sees_nothing_of_the_case(site: Site) -> None:
    client, _ = site.signed_in("bawaslu.kediri")
    assert client.get(f"/perkara/{PSR}").status_code == 403
    assert client.get(f"/perkara/{PSR}/langkah/assess").status_code == 403
    assert "0 perkara" in client.get("/perkara", params={"q": PSR}).text


def test_blank_required_field_is_shown_inline_and_nothing_is_written(site: Site) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    form = client.get(f"/perkara/{PSR}/langkah/assess")
    before = version(site, PSR)
    answer = client.post(
        f"/perkara/{PSR}/langkah/assess",
        data={"csrf_token": csrf, "version": version_of(form.text), "action": "simpan"},
    )
    assert answer.status_code == 422
    assert 'class="field-error"' in answer.text and 'aria-invalid="true"' in answer.text
    assert version(site, PSR) == before


def test_confirmation_writes_nothing_and_save_records_the_step(site: Site) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    form = client.get(f"/perkara/{PSR}/langkah/assess")
    data = {
        "csrf_token": csrf,
        "version": version_of(form.text),
        "clarification_summary": "Pelapor dan terlapor telah diklarifikasi",
    }
    before = version(site, PSR)
    confirm = client.post(f"/perkara/{PSR}/langkah/assess", data={**data, "action": "pratinjau"})
    assert confirm.status_code == 200 and "Konfirmasi" in confirm.text
    assert version(site, PSR) == before
    saved = client.post(f"/perkara/{PSR}/langkah/assess", data={**data, "action": "simpan"})
    assert saved.status_code == 200 and "tersimpan" in saved.text
    assert version(site, PSR) > before


def test_stale_form_shows_a_conflict_and_writes_nothing(site: Site) -> None:
    first, csrf = site.signed_in("bawaslu.pasuruan")
    stale_form = first.get(f"/perkara/{PSR}/langkah/dismiss")
    second, csrf2 = site.signed_in("bawaslu.pasuruan")
    fresh = second.get(f"/perkara/{PSR}/langkah/assess")
    second.post(
        f"/perkara/{PSR}/langkah/assess",
        data={
            "csrf_token": csrf2,
            "version": version_of(fresh.text),
            "clarification_summary": "Sudah diklarifikasi",
            "action": "simpan",
        },
    )
    moved = version(site, PSR)
    answer = first.post(
        f"/perkara/{PSR}/langkah/dismiss",
        data={
            "csrf_token": csrf,
            "version": version_of(stale_form.text),
            "reason": "Tidak terbukti",
            "action": "simpan",
        },
    )
    assert answer.status_code == 409
    assert "telah diubah petugas lain" in answer.text
    assert version(site, PSR) == moved


def test_a_post_without_the_csrf_token_is_refused(site: Site) -> None:
    client, _ = site.signed_in("bawaslu.pasuruan")
    before = version(site, PSR)
    answer = client.post(f"/perkara/{PSR}/catatan", data={"text": "catatan"})
    assert answer.status_code == 403
    assert version(site, PSR) == before


def test_note_is_added_and_an_empty_note_is_refused_inline(site: Site) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    empty = client.post(f"/perkara/{PSR}/catatan", data={"csrf_token": csrf, "text": "  "})
    assert empty.status_code == 422 and "field-error" in empty.text
    page = client.post(
        f"/perkara/{PSR}/catatan", data={"csrf_token": csrf, "text": "Menunggu <b>dokumen</b>"}
    )
    assert "Menunggu &lt;b&gt;dokumen&lt;/b&gt;" in page.text  # escaped, never markup


def test_note_and_reassign_forms_appear_only_for_who_may_use_them(site: Site) -> None:
    handling, _ = site.signed_in("bawaslu.pasuruan")
    own = handling.get(f"/perkara/{PSR}").text
    assert 'action="/perkara/DEMO-PSR-1/catatan"' in own
    assert 'action="/perkara/DEMO-PSR-1/alihkan"' in own
    auditor, csrf = site.signed_in("auditor")
    read_only = auditor.get(f"/perkara/{PSR}").text
    assert "/catatan" not in read_only and "/alihkan" not in read_only
    before = version(site, PSR)
    refused = auditor.post(f"/perkara/{PSR}/catatan", data={"csrf_token": csrf, "text": "x"})
    assert refused.status_code == 403 and version(site, PSR) == before


def test_letters_open_as_html_and_download_as_pdf(site: Site) -> None:
    client, _ = site.signed_in("bkpsdm.kediri")
    page = client.get(f"/perkara/{KDR}")
    ids = re.findall(r'href="/surat/([^"/]+)"', page.text)
    assert ids
    view = client.get(f"/surat/{ids[0]}")
    assert (
        view.status_code == 200 and "script-src 'none'" in view.headers["content-security-policy"]
    )
    pdf = client.get(f"/surat/{ids[0]}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_an_officer_checks_a_letter_is_what_was_issued(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case page links each letter's check; it re-renders the letter from the case's
    history with the templates it was issued with, and says so in Indonesian."""
    client, _ = site.signed_in("auditor")
    page = client.get(f"/perkara/{KDR}")
    checks = re.findall(r'href="/surat/([^"/]+)/periksa"', page.text)
    assert checks
    check = client.get(f"/surat/{checks[0]}/periksa")
    assert check.status_code == 200
    assert "<b>Asli.</b>" in check.text and "Bermasalah" not in check.text
    assert "Catatan" not in check.text
    # a later template release: still Asli, with the templates kept at issue, and a note
    copy = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, copy)
    layout = copy / "_layout.html.j2"
    layout.write_text(layout.read_text(encoding="utf-8") + "{# rilis baru #}\n", "utf-8")
    monkeypatch.setenv(TEMPLATES_ENV, str(copy))
    check = client.get(f"/surat/{checks[0]}/periksa")
    assert "<b>Asli.</b>" in check.text
    assert "templat terpasang telah berubah sejak surat diterbitkan" in check.text
    # an officer who may not read the case gets no check of its letters
    other, _ = site.signed_in("bawaslu.pasuruan")
    refused = other.get(f"/surat/{checks[0]}/periksa")
    assert refused.status_code in (403, 404) and "Asli" not in refused.text


def test_static_assets_are_served_from_the_package(site: Site) -> None:
    client = site.client()
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/static/netra.css").status_code == 200
    page = client.get("/masuk")
    assert "http://" not in page.text and "https://" not in page.text


def test_dashboard_counts_only_what_the_reader_may_see(site: Site) -> None:
    client, _ = site.signed_in("bawaslu.pasuruan")
    page = client.get("/dasbor")
    assert page.status_code == 200 and "1 perkara yang dapat Anda lihat" in page.text
    everyone, _ = site.signed_in("bkn.analis")
    assert "5 perkara yang dapat Anda lihat" in everyone.get("/dasbor").text
    follow = everyone.get("/dasbor/tindak-lanjut.csv").text
    assert "PEMDA-3571" in follow  # Kediri: the BKN recommendation still waits on the PPK
    own = client.get("/dasbor/tindak-lanjut.csv").text
    assert "PEMDA-3571" not in own


def test_dashboard_charts_are_svg_without_scripts(site: Site) -> None:
    client, _ = site.signed_in("bkn.analis")
    for name in ("tahap", "wilayah", "pelanggaran"):
        chart = client.get(f"/dasbor/grafik/{name}.svg")
        assert chart.headers["content-type"].startswith("image/svg+xml")
        assert "<svg" in chart.text and "<script" not in chart.text
    assert client.get("/dasbor/grafik/lain.svg").status_code == 404


def test_dashboard_page_draws_its_charts_from_its_own_figures(site: Site) -> None:
    client, _ = site.signed_in("bkn.analis")
    page = client.get("/dasbor").text
    embedded = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(embedded) == 3
    chart_id = re.compile(rb"chart-[0-9a-f-]{36}")
    for name, image in zip(("tahap", "wilayah", "pelanggaran"), embedded, strict=True):
        svg = base64.b64decode(image)
        served = client.get(f"/dasbor/grafik/{name}.svg").content
        assert chart_id.sub(b"", svg) == chart_id.sub(b"", served)  # pygal ids are random
        assert b"<script" not in svg


def test_settings_show_tokens_rule_sets_and_only_admins_see_accounts(site: Site) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    page = client.get("/pengaturan")
    assert page.status_code == 200
    assert "Versi aturan" in page.text and "/admin/petugas" not in page.text
    made = client.post(
        "/pengaturan/token", data={"csrf_token": csrf, "name": "laptop", "days": "7"}
    )
    token = re.search(r'<code class="secret">(ntr_[^<]+)</code>', made.text)
    assert token
    answer = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert answer.status_code == 200
    token_id = token.group(1).split("_")[1]
    client.post(f"/pengaturan/token/{token_id}/cabut", data={"csrf_token": csrf})
    revoked = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert revoked.status_code == 401
    admin, _ = site.signed_in("admin")
    assert 'href="/admin/petugas"' in admin.get("/pengaturan").text
