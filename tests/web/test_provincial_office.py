"""A provincial Bawaslu office in the web app: it opens its province's regency cases with
their letters, chooses the region of a new case itself, and another province's office is
refused the page."""

from __future__ import annotations

from dataclasses import replace

from cases.bootstrap import unit_of_work
from cases.demo_registry import institutions
from cases.letters import list_letters
from cases.registry import add_institution, add_officer
from db.registry import Officer
from rules.models import Role
from tests.web.conftest import Site

CASE = "DEMO-KDR-1"  # Kota Kediri (35.71), Jawa Timur


def _provincial_office(site: Site, code: str, province: str, officer_id: str) -> None:
    kediri = next(i for i in institutions() if i.code == "BAWASLU-3571")
    office = replace(
        kediri,
        code=code,
        name=f"Badan Pengawas Pemilihan Umum Provinsi {province}",
        region_code=code[-2:],
    )
    uow = unit_of_work(site.url)
    add_institution(uow, office, "admin")
    officer = Officer(officer_id, officer_id, Role.BAWASLU, code, "Analis", None)
    site.logins[officer_id] = add_officer(uow, officer, "admin")


def test_a_provincial_office_reads_its_regency_cases_and_chooses_a_new_cases_region(
    site: Site,
) -> None:
    _provincial_office(site, "BAWASLU-35", "Jawa Timur", "bawaslu.jatim")
    _provincial_office(site, "BAWASLU-32", "Jawa Barat", "bawaslu.jabar")
    letter = list_letters(unit_of_work(site.url), "bawaslu.kediri", CASE)[0]
    client, _ = site.signed_in("bawaslu.jatim")

    page = client.get(f"/perkara/{CASE}")
    assert page.status_code == 200
    assert "Kota Kediri <small>(35.71)</small>" in page.text and letter.id in page.text
    form = client.get("/perkara/baru")
    assert 'id="region_code" name="region_code" required value=""' in form.text
    regency, _ = site.signed_in("bawaslu.kediri")  # a regency office's own region, as before
    assert 'name="region_code" required value="35.71"' in regency.get("/perkara/baru").text

    other, _ = site.signed_in("bawaslu.jabar")
    refused = other.get(f"/perkara/{CASE}")
    assert refused.status_code == 403 and letter.id not in refused.text


def test_a_province_code_reads_as_the_provinces_name() -> None:
    from web import labels

    assert labels.region("35") == "Provinsi Jawa Timur"
    assert labels.region("35.71") == "Kota Kediri"
    assert labels.region("99") == "99"  # unknown: the code as it is
