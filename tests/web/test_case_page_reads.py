"""The case page reads its data in one unit of work (one pooled connection checked out), and
refuses exactly as before: another region's officer 403, an unknown case 404, nothing
written."""

from __future__ import annotations

import traceback
from collections import Counter
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from cases.bootstrap import engine_for
from tests.cases.helpers import database_dump
from tests.web.conftest import Site

PSR = "DEMO-PSR-1"  # Kota Pasuruan, a laporan in clarification
KDR = "DEMO-KDR-1"  # Kota Kediri, with letters, waiting on its PPK

# Who checks a connection out while the page renders, by the code on the stack:
PAGE_DATA = ("cases/case_page.py", "case_page")  # the case page's data: one unit of work
SESSION = ("web/session.py", "current")  # the session cookie (it may refresh its idle timer)
HEADER = ("web/context.py", "officer")  # the signed-in officer named in the page header
NAMES = ("web/context.py", "__call__")  # InstitutionNames: a name the template asks for,
# read lazily (once per institution code and page) while the template renders


def _caller(stack: traceback.StackSummary) -> str:
    for frame in reversed(stack):  # innermost first
        for label, (path, function) in {
            "page data": PAGE_DATA,
            "session": SESSION,
            "header officer": HEADER,
            "institution names": NAMES,
        }.items():
            if frame.filename.endswith(path) and frame.name == function:
                return label
    return "elsewhere"


def _checkouts_while(site: Site, client: TestClient, path: str) -> tuple[int, Counter[str]]:
    engine = engine_for(site.url)
    callers: Counter[str] = Counter()

    def checkout(*_args: Any) -> None:
        callers[_caller(traceback.extract_stack())] += 1

    event.listen(engine, "checkout", checkout)
    try:
        status = client.get(path).status_code
    finally:
        event.remove(engine, "checkout", checkout)
    return status, callers


def test_the_case_page_data_take_one_unit_of_work(site: Site) -> None:
    for officer_id, case_id in (
        ("bawaslu.pasuruan", PSR),
        ("auditor", PSR),
        ("bkpsdm.kediri", KDR),
    ):
        client, _ = site.signed_in(officer_id)
        status, callers = _checkouts_while(site, client, f"/perkara/{case_id}")
        assert status == 200
        # the page's data: one checkout (it was seven, one per service)
        assert callers["page data"] == 1, callers
        # the layout's own: the session check and the header's officer, one each; the
        # institution names the template shows, each read once per page
        assert callers["session"] == 1 and callers["header officer"] == 1, callers
        assert callers["elsewhere"] == 0, callers


def test_refusals_are_unchanged_and_write_nothing(site: Site) -> None:
    engine = engine_for(site.url)

    def records() -> str:  # the session's idle timer may move: everything else must not
        return "\n## ".join(
            part
            for part in database_dump(engine).split("\n## ")
            if not part.startswith(("web_sessions", "## web_sessions"))
        )

    client, _ = site.signed_in("bawaslu.kediri")
    ppk, _ = site.signed_in("bkpsdm.pasuruan")
    before = records()
    assert client.get("/perkara/DEMO-XXX-9").status_code == 404
    assert ppk.get(f"/perkara/{PSR}").status_code == 403  # not addressed to this PPK yet
    status, callers = _checkouts_while(site, client, f"/perkara/{PSR}")
    assert status == 403  # another region's case, refused by the page's one unit of work
    assert callers["page data"] == 1 and callers["header officer"] == 0, callers
    assert records() == before
