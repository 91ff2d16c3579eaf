"""The admin pages, evidence and downloads in headless Chromium against the running app: an
administrator edits an institution's kop and uploads its logo, registers an officer who then
signs in; the case's officer uploads and downloads evidence that an officer of another region
cannot reach; the case list downloads as XLSX; a likely duplicate is shown before a laporan is
recorded; the new pages fit 1366x768 and a 390px phone and show keyboard focus.

NETRA_SCREENSHOTS=<folder> keeps screenshots at both widths (never committed).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from cases.bootstrap import unit_of_work
from cases.evidence.service import list_evidence
from cases.letterheads import current_letterhead
from tests.browser.conftest import LiveSite
from tests.browser.test_browser_journeys import shot, sign_in
from tests.web.conftest import png_bytes

PSR = "DEMO-PSR-1"
KDR_PPK = "PEMDA-3571"


@pytest.fixture(autouse=True)
def evidence_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    store = tmp_path / "bukti"
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(store))
    return store


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width + 1)


def test_admin_edits_the_kop_and_uploads_a_logo(
    browser: Any, live_site: LiveSite, tmp_path: Path
) -> None:
    logo = tmp_path / "lambang.png"
    logo.write_bytes(png_bytes("darkgreen", 64))
    page = sign_in(browser, live_site, "admin")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Ubah data & kop").nth(2).wait_for()
    page.goto(f"{live_site.base}/admin/instansi/{KDR_PPK}")
    page.get_by_label("Baris kop 1").fill("Pemerintah Kota Kediri")
    page.get_by_label("Baris kop 2").fill("Badan Kepegawaian dan Pengembangan SDM")
    page.get_by_label(re.compile("^Logo baru")).set_input_files(str(logo))
    page.get_by_role("button", name="Simpan kop").click()
    page.get_by_text("Kop surat tersimpan").wait_for()
    image = page.locator(".kop-preview img")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 64
    stored = current_letterhead(unit_of_work(live_site.url), "admin", KDR_PPK)
    assert stored["kop_lines"][0] == "PEMERINTAH KOTA KEDIRI" and stored["logo_sha256"]
    shot(page, "admin-instansi")


def test_admin_adds_an_officer_who_can_then_sign_in(browser: Any, live_site: LiveSite) -> None:
    page = sign_in(browser, live_site, "admin")
    page.goto(f"{live_site.base}/admin/petugas")
    page.get_by_label("ID petugas (untuk masuk)").fill("bawaslu.pasuruan.2")
    page.locator("#new-name").fill("Dewi Lestari")
    page.locator("#new-role").select_option("bawaslu")
    page.locator("#new-institution").select_option("BAWASLU-3575")
    page.locator("#new-title").fill("Staf Penanganan Pelanggaran")
    page.get_by_role("button", name="Daftarkan petugas").click()
    password = page.locator("code.secret").inner_text()
    shot(page, "admin-petugas")
    live_site.logins["bawaslu.pasuruan.2"] = password
    newcomer = sign_in(browser, live_site, "bawaslu.pasuruan.2")
    assert newcomer.get_by_role("heading", name="Tugas saya").is_visible()


def test_evidence_upload_and_download_refused_to_another_region(
    browser: Any, live_site: LiveSite, tmp_path: Path
) -> None:
    photo = tmp_path / "spanduk.png"
    photo.write_bytes(png_bytes("navy", 40))
    page = sign_in(browser, live_site, "bawaslu.pasuruan")
    page.goto(f"{live_site.base}/perkara/{PSR}")
    page.get_by_label(re.compile("^Berkas bukti")).set_input_files(str(photo))
    page.get_by_label("Keterangan bukti").fill("Foto spanduk ajakan memilih")
    page.get_by_role("button", name="Unggah bukti").click()
    page.get_by_text("Bukti B1 dilampirkan").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="spanduk.png").click()
    assert Path(download.value.path()).read_bytes() == photo.read_bytes()
    assert download.value.suggested_filename == "spanduk.png"
    shot(page, "perkara-bukti-1366")
    page.set_viewport_size({"width": 390, "height": 768})
    shot(page, "perkara-bukti-390")
    assert fits(page, 390)
    stranger = sign_in(browser, live_site, "bawaslu.kediri")
    answer = stranger.goto(f"{live_site.base}/perkara/{PSR}/bukti/B1")
    assert answer is not None and answer.status in (403, 404)
    assert "Tidak berwenang" in stranger.content() or "Tidak ditemukan" in stranger.content()
    assert len(list_evidence(unit_of_work(live_site.url), "admin", PSR)) == 1


def test_a_forged_upload_is_refused_inline(
    browser: Any, live_site: LiveSite, tmp_path: Path, evidence_store: Path
) -> None:
    forged = tmp_path / "foto.png"
    forged.write_bytes(b"<html><script>alert(1)</script></html>")
    page = sign_in(browser, live_site, "bawaslu.pasuruan")
    page.goto(f"{live_site.base}/perkara/{PSR}")
    page.get_by_label(re.compile("^Berkas bukti")).set_input_files(str(forged))
    page.get_by_label("Keterangan bukti").fill("Bukan foto")
    page.get_by_role("button", name="Unggah bukti").click()
    assert "Jenis berkas tidak diizinkan" in page.locator("#evidence-err").inner_text()
    assert list_evidence(unit_of_work(live_site.url), "admin", PSR) == []
    assert not evidence_store.exists() or not any(evidence_store.rglob("*.*"))


def test_case_list_downloads_as_xlsx(browser: Any, live_site: LiveSite) -> None:
    page = sign_in(browser, live_site, "bkn.analis")
    page.goto(f"{live_site.base}/perkara")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "perkara.xlsx"
    data = Path(download.value.path()).read_bytes()
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Nomor perkara" and len(rows) == 6


def test_a_likely_duplicate_is_shown_before_recording(browser: Any, live_site: LiveSite) -> None:
    page = sign_in(browser, live_site, "bawaslu.pasuruan")
    page.goto(f"{live_site.base}/perkara/baru")
    page.locator("#channel").select_option("temuan")
    page.get_by_label("Waktu diterima").fill("2024-10-14T08:00")
    page.get_by_label("Waktu pelanggaran diketahui").fill("2024-10-14T08:00")
    page.get_by_label("Waktu kejadian").fill("2024-11-15T20:00")
    page.get_by_label("Tempat kejadian").fill("Gadingrejo")
    page.get_by_label("Uraian singkat peristiwa").fill("Unggahan dukungan kepada pasangan calon")
    page.locator("#violation_codes").select_option("NET-03")
    page.get_by_label("NIP (18 angka)").fill("198503122010011003")
    page.get_by_label("Nama", exact=True).fill("Hendra Wijaya")
    page.get_by_role("button", name="Catat").click()
    warning = page.locator("#duplicates")
    warning.wait_for()
    assert PSR in warning.inner_text()
    assert page.get_by_role("button", name="Tetap catat").is_visible()
    shot(page, "duplikat")


@pytest.mark.parametrize("width", [1366, 390])
def test_new_pages_fit_the_screen_and_show_keyboard_focus(
    browser: Any, live_site: LiveSite, width: int
) -> None:
    page = sign_in(browser, live_site, "admin", width=width)
    for path, name in (
        ("/admin/instansi", "admin-instansi-daftar"),
        (f"/admin/instansi/{KDR_PPK}", "admin-instansi-ubah"),
        ("/admin/petugas", "admin-petugas-daftar"),
        ("/admin/token", "admin-token"),
        ("/admin/kalender", "admin-kalender"),
        ("/admin/riwayat", "admin-riwayat"),
        ("/admin/pemberitahuan", "admin-pemberitahuan"),
        (f"/perkara/{PSR}", "perkara"),
        ("/dasbor", "dasbor"),
    ):
        page.goto(live_site.base + path)
        shot(page, f"{name}-{width}")
        assert fits(page, width), path
    page.goto(f"{live_site.base}/admin/kalender")
    page.get_by_label(re.compile("^Keterangan dan dasar")).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cal-region"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
