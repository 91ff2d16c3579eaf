"""Recording a case that is likely a duplicate (warned, nothing written until the officer
confirms), the XLSX downloads of the case list and of every dashboard table (formulas
neutralised), and a case page that offers only the steps whose guards would pass now."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook

from cases import queries
from cases.bootstrap import unit_of_work
from db.case_repository import CaseFilter
from tests.web.conftest import Site, csrf_of

KDR = "DEMO-KDR-1"  # at the PPK, recommendation disiplin: a summons, never an ethics council


def case_count(site: Site) -> int:
    return queries.count_cases(unit_of_work(site.url), "admin", CaseFilter())


def laporan(csrf: str, name: str = "Hendra Wijaya", **extra: str) -> dict[str, Any]:
    """A laporan against the terlapor of DEMO-PSR-1, same region, the same evening."""
    return {
        "csrf_token": csrf,
        "channel": "laporan",
        "election_type": "pilkada",
        "region_code": "35.75",
        "received_at": "2024-11-18T09:00",
        "known_at": "2024-11-16T08:00",
        "incident_at": "2024-11-15T21:00",
        "incident_place": "Balai Kelurahan Gadingrejo",
        "summary": "Terlapor mengunggah ajakan memilih pasangan calon",
        "violation_codes": "NET-03",
        "nip": "198503122010011003",
        "name": name,
        "reporter_name": "Warga Pelapor",
        "reporter_address": "Jl. Merdeka 1",
        **extra,
    }


def test_a_likely_duplicate_is_shown_and_nothing_is_written_until_confirmed(site: Site) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    before = case_count(site)
    warned = client.post("/perkara/baru", data=laporan(csrf))
    assert warned.status_code == 200 and "Kemungkinan duplikat" in warned.text
    assert "DEMO-PSR-1" in warned.text
    assert 'value="Balai Kelurahan Gadingrejo"' in warned.text  # what was typed is kept
    key = re.search(r'name="confirm_duplicate" value="([^"]+)"', warned.text)
    assert key and case_count(site) == before
    moved = client.post(  # confirmed for one incident time, then changed: warned again
        "/perkara/baru",
        data=laporan(csrf, confirm_duplicate=key.group(1), incident_at="2024-11-16T07:00"),
    )
    assert "Kemungkinan duplikat" in moved.text and case_count(site) == before
    opened = client.post("/perkara/baru", data=laporan(csrf, confirm_duplicate=key.group(1)))
    assert "tercatat" in opened.text and opened.url.path.startswith("/perkara/N")
    assert case_count(site) == before + 1


def test_case_list_downloads_as_xlsx_with_formulas_neutralised(site: Site) -> None:
    client, csrf = site.signed_in("bawaslu.pasuruan")
    hostile = '=HYPERLINK("http://evil.example","klik")'
    confirm = "198503122010011003|35.75|2024-11-15T21:00"
    opened = client.post("/perkara/baru", data=laporan(csrf, hostile, confirm_duplicate=confirm))
    case_id = opened.url.path.rsplit("/", 1)[-1]
    answer = client.get("/perkara.xlsx", params={"q": case_id})
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert answer.headers["content-disposition"].startswith('attachment; filename="perkara.xlsx"')
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nomor perkara", "Status", "Wilayah", "Kode wilayah")
    assert [r[0] for r in rows[1:]] == [case_id]
    assert rows[1][2:4] == ("Kota Pasuruan", "35.75")
    assert rows[1][4] == "'" + hostile
    everything = client.get("/perkara.xlsx")
    listed = [
        r[0]
        for r in load_workbook(io.BytesIO(everything.content)).active.iter_rows(values_only=True)
    ]
    assert "DEMO-PSR-1" in listed and KDR not in listed  # only what the officer may read
    assert client.get("/perkara.pdf").status_code == 404


def test_every_dashboard_table_downloads_as_xlsx(site: Site) -> None:
    client, _ = site.signed_in("bkn.analis")
    for name in ("tahap", "wilayah", "pelanggaran", "kepatuhan", "tindak-lanjut"):
        answer = client.get(f"/dasbor/{name}.xlsx")
        assert answer.status_code == 200, name
        sheet = load_workbook(io.BytesIO(answer.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) >= 2 and all(isinstance(h, str) for h in rows[0]), name
    follow = load_workbook(io.BytesIO(client.get("/dasbor/tindak-lanjut.xlsx").content)).active
    assert "PEMDA-3571" in [row[0] for row in follow.iter_rows(values_only=True)]
    assert client.get("/dasbor/lain.xlsx").status_code == 404


def test_case_page_offers_only_steps_whose_guards_pass(site: Site) -> None:
    client, csrf = site.signed_in("bkpsdm.kediri")
    page = client.get(f"/perkara/{KDR}")
    assert f"/perkara/{KDR}/langkah/summon" in page.text
    assert f"/perkara/{KDR}/langkah/convene_ethics_council" not in page.text
    refused = client.get(f"/perkara/{KDR}/langkah/convene_ethics_council")
    assert refused.status_code == 409
    assert csrf_of(page.text) == csrf


def _summons_form_rank(site: Site) -> tuple[str, str, str]:
    """The summons form of KDR as its PPK officer sees it: the page, and the examiner's rank
    field's label and input attributes (the field must be there)."""
    client, _ = site.signed_in("bkpsdm.kediri")
    form = client.get(f"/perkara/{KDR}/langkah/summon")
    assert form.status_code == 200
    field = re.search(r'<label for="f-examiner_rank">(.*?)</label>\s*<input ([^>]*)>', form.text)
    assert field, "no examiner_rank field on the summons form"
    assert 'name="examiner_rank"' in field.group(2)
    return form.text, field.group(1), field.group(2)


def test_summons_form_asks_for_the_examiners_rank_under_rule_set_2026_1(site: Site) -> None:
    from cases.whatif import migrate_rule_set
    from tests.conftest import wib

    uow = unit_of_work(site.url)
    reason = "Formulir pemeriksaan memuat pangkat pemeriksa"
    migrate_rule_set(uow, "admin", KDR, "2026.1", reason, wib("2024-10-14T09:00"))
    page, label, attributes = _summons_form_rank(site)
    assert label.startswith("Pangkat/golongan pemeriksa")
    assert "required" in attributes
    order = [page.index(f'name="{n}"') for n in ("examiner_nip", "examiner_rank")]
    assert order == sorted(order)  # asked right after the NIP, as the letters print it


def test_summons_form_of_an_older_case_offers_the_examiners_rank_as_optional(site: Site) -> None:
    """A case keeps its rule set (here the demo's 2024.1); the field 2026.1 added is offered,
    not required (that the service takes it and the letters print it on such a case:
    tests/letters/test_examiner_rank.py)."""
    _, label, attributes = _summons_form_rank(site)
    assert label.startswith("Pangkat/golongan pemeriksa")
    assert "required" not in attributes
