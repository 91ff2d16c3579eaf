"""The officers' journeys in headless Chromium against the running app: Bawaslu records and
carries a laporan to its recommendation (checking the confirmation before issuing), BKN
recommends to the PPK, the BKPSDM summons, examines, sanctions and downloads the decree, an
auditor reads the timeline and downloads a bundle, another region sees nothing, and a stale
form shows a conflict and writes nothing.

Set NETRA_SCREENSHOTS=<folder> to keep screenshots of the main pages (never committed).
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from cases import queries
from cases.bootstrap import unit_of_work
from rules.ruleset import load_rule_set
from states.guards_bkn import proposed_category
from tests.browser.conftest import LiveSite

NIP = "198703152011011002"


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("NETRA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(browser: Any, site: LiveSite, officer: str, width: int = 1366) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)  # the CI machine may be busy; PDFs take a while
    page.goto(site.base + "/")
    page.get_by_label("ID petugas").fill(officer)
    page.get_by_label("Kata sandi").fill(site.logins[officer])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(site.base + "/")
    return page


def take_step(page: Any, trigger: str, fields: dict[str, Any], confirm: bool = True) -> None:
    """Click the step's button, fill its form, go to the confirmation and save."""
    page.locator(f".steps a[href$='/langkah/{trigger}']").click()
    for name, value in fields.items():
        selector = f"#f-{name}"
        tag = page.eval_on_selector(selector, "e => e.tagName")
        if tag == "SELECT" and isinstance(value, dict):
            page.select_option(selector, **value)  # e.g. {"index": 0}: the first officer
        elif tag == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.get_by_role("button", name="Lanjut ke konfirmasi").click()
    page.get_by_role("heading", name=re.compile("^Konfirmasi")).wait_for()
    if confirm:
        page.get_by_role("button", name="Simpan").click()
        page.get_by_text("tersimpan").wait_for()


def local(site: LiveSite, days: float = 0, hour: int | None = None) -> str:
    moment = site.clock.at + timedelta(days=days)
    if hour is not None:
        moment = moment.replace(hour=hour, minute=0)
    return moment.strftime("%Y-%m-%dT%H:%M")


def case_state(site: LiveSite, case_id: str) -> tuple[str, int]:
    case = queries.get_case(unit_of_work(site.url), "admin", case_id)
    return case.state, case.version


def open_laporan(page: Any, site: LiveSite) -> str:
    page.get_by_role("link", name="Perkara", exact=True).click()
    page.get_by_role("link", name="Catat laporan/temuan").click()
    page.select_option("#channel", "laporan")
    page.select_option("#election_type", "pilkada")
    page.fill("#received_at", local(site, -1))
    page.fill("#known_at", local(site, -2))
    page.fill("#incident_at", local(site, -2))
    page.fill("#incident_place", "Alun-alun Kota Pasuruan")
    page.fill("#summary", "Terlapor mengunggah foto bersama pasangan calon dengan pose jari.")
    page.select_option("#violation_codes", ["NET-03"])
    page.fill("#nip", NIP)
    page.fill("#name", "Dewi Lestari")
    page.fill("#position", "Kepala Seksi")
    page.fill("#agency", "Pemerintah Kota Pasuruan")
    page.fill("#reporter_name", "Warga Pelapor")
    page.fill("#reporter_address", "Jl. Contoh 1, Pasuruan")
    page.get_by_role("button", name="Catat").click()
    page.get_by_text("tercatat").wait_for()
    found = re.search(r"/perkara/([^/?#]+)", page.url)
    assert found
    return found.group(1)


def test_a_laporan_travels_from_bawaslu_through_bkn_to_the_ppks_decree(
    browser: Any, live_site: LiveSite, tmp_path: Path
) -> None:
    site = live_site
    bawaslu = sign_in(browser, site, "bawaslu.pasuruan")
    shot(bawaslu, "tugas-saya")
    case_id = open_laporan(bawaslu, site)
    take_step(bawaslu, "register", {"registration_number": "001/Reg/LP/PW/10/2024"})
    assert case_state(site, case_id)[0] == "registered"
    take_step(
        bawaslu,
        "invite_clarification",
        {"clarification_at": local(site, 1, hour=10), "clarification_place": "Kantor Bawaslu"},
    )
    site.clock.at += timedelta(days=2)
    take_step(
        bawaslu,
        "assess",
        {"clarification_summary": "Pelapor, terlapor dan saksi telah diklarifikasi."},
    )
    assert case_state(site, case_id)[0] == "assessment"
    take_step(
        bawaslu,
        "recommend",
        {"findings": "Terbukti mengunggah dukungan."},
        confirm=False,
    )
    assert bawaslu.get_by_text("Surat yang akan diterbitkan").is_visible()
    drafts = bawaslu.locator("figure.preview")
    assert drafts.count() >= 1 and "DRAFT" in drafts.first.inner_text()
    draft_html = drafts.first.locator("iframe").get_attribute("srcdoc") or ""
    assert "DRAFT" in draft_html and "…/…/…" in draft_html  # watermark, no number yet
    assert case_state(site, case_id)[0] == "assessment"  # the confirmation wrote nothing
    shot(bawaslu, "konfirmasi-langkah")
    bawaslu.get_by_role("button", name="Simpan").click()
    bawaslu.get_by_text("tersimpan").wait_for()
    assert case_state(site, case_id)[0] == "recommended_to_bkn"
    shot(bawaslu, "halaman-perkara")
    letter = bawaslu.locator("a", has_text="Lihat").first.get_attribute("href")
    preview = bawaslu.context.new_page()
    preview.goto(site.base + letter)
    shot(preview, "surat")
    assert "Bawaslu" in preview.content() or "BAWASLU" in preview.content()

    bkn = sign_in(browser, site, "bkn.analis")
    bkn.goto(f"{site.base}/perkara/{case_id}")
    take_step(bkn, "bkn_accept", {})
    case = queries.get_case(unit_of_work(site.url), "admin", case_id)
    category = proposed_category(case, load_rule_set(case.rule_set))
    take_step(
        bkn,
        "bkn_recommend",
        {
            "sanction_category": category,
            "ppk_institution": "PEMDA-3575",
            "bkn_letter_number": "B-100/KP.10/10/2024",
        },
    )
    assert case_state(site, case_id)[0] == "recommended_to_ppk"

    ppk = sign_in(browser, site, "bkpsdm.pasuruan")
    assert case_id in ppk.content()  # on Tugas saya
    ppk.goto(f"{site.base}/perkara/{case_id}")
    take_step(
        ppk,
        "summon",
        {
            "examination_at": local(site, 21, hour=10),
            "examination_place": "Ruang rapat BKPSDM",
            "examiner_name": "Siti Rahmawati",
            "examiner_nip": "197001011995031001",
            "examination_team": {"index": 0},  # a heavy sanction needs a team (PP 94/2021)
        },
    )
    site.clock.at += timedelta(days=22)
    take_step(
        ppk,
        "record_examination",
        {"attended": "ya", "findings": "Terlapor mengakui perbuatannya."},
    )
    assert case_state(site, case_id)[0] == "examined"
    ppk.locator(".steps a[href$='/langkah/impose_sanction']").click()
    sanction = ppk.eval_on_selector("#f-sanction_code", "e => e.options[1].value")
    ppk.go_back()
    take_step(
        ppk,
        "impose_sanction",
        {
            "sanction_code": sanction,
            "decree_number": "800/12/KEP/2026",
            "decree_date": site.clock.at.date().isoformat(),
        },
    )
    assert case_state(site, case_id)[0] == "sanction_imposed"
    with ppk.expect_download(timeout=90_000) as download:
        ppk.locator("a", has_text="Unduh PDF").last.click()
    saved = tmp_path / "keputusan.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    auditor = sign_in(browser, site, "auditor")
    auditor.goto(f"{site.base}/perkara/{case_id}")
    assert auditor.locator("#riwayat tbody tr").count() >= 8
    assert auditor.locator("#riwayat .badge.late").count() == 0  # every link intact
    assert "Warga Pelapor" not in auditor.content()  # the reporter is Bawaslu's only
    with auditor.expect_download(timeout=90_000) as bundle:
        auditor.get_by_role("button", name=re.compile("bundel audit")).click()
    bundle_path = tmp_path / "bundel.zip"
    bundle.value.save_as(bundle_path)
    assert zipfile.ZipFile(bundle_path).namelist()

    bkn.goto(f"{site.base}/dasbor")
    assert bkn.get_by_role("heading", name="Dasbor").is_visible()
    shot(bkn, "dasbor")

    elsewhere = sign_in(browser, site, "bawaslu.kediri")
    assert case_id not in elsewhere.content()
    elsewhere.goto(f"{site.base}/perkara?q={case_id}")
    assert elsewhere.get_by_text("Tidak ada perkara yang cocok").is_visible()
    answer = elsewhere.goto(f"{site.base}/perkara/{case_id}")
    assert answer is not None and answer.status == 403
    assert "Dewi Lestari" not in elsewhere.content()


def test_a_stale_form_shows_a_conflict_and_writes_nothing(
    browser: Any, live_site: LiveSite
) -> None:
    site = live_site
    first = sign_in(browser, site, "bawaslu.pasuruan")
    second = sign_in(browser, site, "bawaslu.pasuruan")
    for page in (first, second):
        page.goto(f"{site.base}/perkara/DEMO-PSR-1")
    first.locator(".steps a[href$='/langkah/dismiss']").click()
    first.fill("#f-reason", "Tidak memenuhi unsur")
    take_step(
        second,
        "assess",
        {"clarification_summary": "Sudah diklarifikasi"},
    )
    moved = case_state(site, "DEMO-PSR-1")
    first.get_by_role("button", name="Lanjut ke konfirmasi").click()
    assert first.get_by_role("heading", name="Perkara telah berubah").is_visible()
    assert first.get_by_text("telah diubah petugas lain").is_visible()
    assert case_state(site, "DEMO-PSR-1") == moved


def test_pages_work_at_phone_width_and_by_keyboard(browser: Any, live_site: LiveSite) -> None:
    page = sign_in(browser, live_site, "bawaslu.pasuruan", width=390)
    shot(page, "tugas-saya-ponsel")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Langsung ke isi"
    page.goto(f"{live_site.base}/perkara/DEMO-PSR-1")
    shot(page, "perkara-ponsel")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
