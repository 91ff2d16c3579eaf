"""Notices leave the outbox over real SMTP (aiosmtpd in-process): once, retried, recorded.

The in-process server keeps every transmission and, like Mailpit with
MP_IGNORE_DUPLICATE_IDS (the compose relay) or a mail system, files a message whose
Message-ID it already holds as the same message: that is how the idempotency key makes a
resend after a crash harmless.
"""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from typer.testing import CliRunner

from cases import notice_delivery as notices
from cases.digest import digest
from cases.identity.accounts import change_officer
from cases.notice_channels import APPRISE, EMAIL, DeliveryFailed, DeliveryPolicy, OutgoingNotice
from cases.notice_composing import compose
from cases.sweep import sweep
from cli.main import app
from db.deadline_store import Delivery, NoticeDeliveryStore, Notification
from db.schema import OutboxRow
from db.unit_of_work import UnitOfWork
from tests.conftest import sign_in_cli, wib
from workflows.notice_transports import AppriseTransport, SmtpTransport

NOW = wib("2024-11-20T08:00")
POLICY = DeliveryPolicy(
    web_base_url="https://netra.bawaslu.example",
    mail_from="Netra <netra@bawaslu.example>",
    max_attempts=3,
    backoff_seconds=60,
)


@dataclass
class Relay:
    """What the SMTP server received: every transmission, and the mailbox by Message-ID."""

    transmissions: list[Message] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply

    @property
    def mailbox(self) -> dict[str, Message]:
        kept: dict[str, Message] = {}
        for message in self.transmissions:
            kept.setdefault(str(message["Message-ID"]), message)
        return kept

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        self.transmissions.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def relay() -> Iterator[tuple[Relay, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _smtp(port: int) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", port, POLICY.mail_from)


def _deliver(uow: UnitOfWork, port: int, now: datetime) -> notices.DeliveryReport:
    transport = _smtp(port)
    try:
        return notices.deliver(uow, {EMAIL: transport}, now, POLICY)
    finally:
        transport.close()


def _outbox_unsent(uow: UnitOfWork) -> int:
    with uow:
        return len(
            uow.session.scalars(select(OutboxRow.id).where(OutboxRow.sent_at.is_(None))).all()
        )


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_the_notices_of_a_sweep_arrive_once_in_indonesian_with_the_case_link(
    demo_uow: UnitOfWork, relay: tuple[Relay, int]
) -> None:
    server, port = relay
    sweep(demo_uow, NOW)
    report = _deliver(demo_uow, port, NOW)
    assert report.planned >= 3 and len(report.sent) == report.planned
    assert not report.failed and not report.retrying
    assert len(server.transmissions) == report.planned == len(server.mailbox)
    by_subject = {str(m["Subject"]): m for m in server.transmissions}
    reminder = by_subject["Pengingat tenggat perkara DEMO-PSR-1"]
    assert reminder["To"] == "bawaslu.pasuruan@bawaslu.go.id"
    body = _body(reminder)
    assert "Yth. " in body and "jatuh pada" in body
    assert "https://netra.bawaslu.example/cases/DEMO-PSR-1" in body
    assert str(reminder["Message-ID"]) in body  # the key is shown to the reader as well
    # Bawaslu is told who the reporter is; the PPK and BKN are not.
    assert "Yono Saputra" in body
    with demo_uow:
        reporters = [
            value
            for case_id in demo_uow.cases.ids()
            for value in (demo_uow.cases.get(case_id).reporter or {}).values()
            if isinstance(value, str) and len(value) >= 3
        ]
    outside = [m for m in server.transmissions if not str(m["To"]).startswith("bawaslu.")]
    assert outside and "Yono Saputra" in reporters
    for message in outside:
        text = (_body(message) + str(message["Subject"])).lower()
        assert not [value for value in reporters if value.lower() in text]
    assert by_subject["Eskalasi perkara DEMO-KDR-1"]["To"] == "humas@bkn.go.id"
    assert _outbox_unsent(demo_uow) == 0
    # Delivering again sends nothing.
    again = _deliver(demo_uow, port, NOW + timedelta(hours=1))
    assert (again.planned, again.sent) == (0, [])
    assert len(server.transmissions) == report.planned


class CrashAfterSending(SmtpTransport):
    """Hands the first notice to the relay, then the process dies before recording it."""

    crashed: str | None = None

    def send(self, notice: OutgoingNotice) -> None:
        super().send(notice)
        if CrashAfterSending.crashed is None:
            CrashAfterSending.crashed = notice.message_id
            raise SystemExit("killed between send and record")


def test_a_crash_between_sending_and_recording_delivers_each_notice_once(
    demo_uow: UnitOfWork, relay: tuple[Relay, int]
) -> None:
    server, port = relay
    sweep(demo_uow, NOW)
    CrashAfterSending.crashed = None
    crashing = CrashAfterSending("127.0.0.1", port, POLICY.mail_from)
    with pytest.raises(SystemExit):
        notices.deliver(demo_uow, {EMAIL: crashing}, NOW, POLICY)
    crashing.close()
    crashed = CrashAfterSending.crashed
    assert crashed is not None and len(server.transmissions) == 1
    # A restarted runner delivers the rest at once; the crashed one waits for its lease.
    resumed = _deliver(demo_uow, port, NOW + timedelta(minutes=1))
    assert crashed not in resumed.sent and resumed.sent
    later = _deliver(demo_uow, port, NOW + notices.LEASE + timedelta(minutes=1))
    assert later.sent == [crashed]
    with demo_uow:
        rows = NoticeDeliveryStore(demo_uow.session).deliveries()
    assert {row.status for row in rows} == {"sent"}
    assert {row.message_id for row in rows} == set(server.mailbox)
    # The resend carried the same key, so the mailbox holds every notice exactly once.
    keys = [str(m["Message-ID"]) for m in server.transmissions]
    assert keys.count(crashed) == 2
    assert all(keys.count(key) == 1 for key in set(keys) - {crashed})
    assert len(server.mailbox) == len(rows)
    assert next(r for r in rows if r.message_id == crashed).attempts == 2


def test_a_temporary_refusal_is_retried_with_backoff_and_recorded(
    demo_uow: UnitOfWork, relay: tuple[Relay, int]
) -> None:
    server, port = relay
    server.refuse["humas@bkn.go.id"] = "451 4.3.0 Mailbox temporarily unavailable"
    sweep(demo_uow, NOW)
    first = _deliver(demo_uow, port, NOW)
    assert len(first.retrying) == 1 and not first.failed
    with demo_uow:
        pending = NoticeDeliveryStore(demo_uow.session).deliveries("pending")
    assert [(d.address, d.attempts) for d in pending] == [("humas@bkn.go.id", 1)]
    assert "451" in (pending[0].last_error or "")
    assert pending[0].next_attempt_at == NOW + timedelta(seconds=60)
    assert _deliver(demo_uow, port, NOW + timedelta(seconds=30)).retrying == {}  # not yet
    del server.refuse["humas@bkn.go.id"]
    second = _deliver(demo_uow, port, NOW + timedelta(seconds=61))
    assert second.sent == [pending[0].message_id]
    assert _outbox_unsent(demo_uow) == 0


def test_a_permanently_refused_address_fails_and_is_reported_to_admins_and_in_the_digest(
    demo_uow: UnitOfWork, relay: tuple[Relay, int]
) -> None:
    server, port = relay
    server.refuse["bkpsdm@kediri.go.id"] = "550 5.1.1 No such user"
    sweep(demo_uow, NOW)
    report = _deliver(demo_uow, port, NOW)
    assert len(report.failed) == 1
    failed = notices.failed_deliveries(demo_uow, "admin")
    assert [(d.address, d.status, d.attempts) for d in failed] == [
        ("bkpsdm@kediri.go.id", "failed", 1)
    ]
    assert "550" in (failed[0].last_error or "")
    later = _deliver(demo_uow, port, NOW + timedelta(days=1))
    assert later.sent == [] and later.failed == {}  # never retried
    result = digest(demo_uow, "PEMDA-3571", NOW + timedelta(days=1))
    assert "bkpsdm@kediri.go.id" in result.message()
    assert "gagal" in result.message()


def test_retries_stop_after_the_last_attempt(demo_uow: UnitOfWork) -> None:
    class Down:
        def send(self, notice: OutgoingNotice) -> None:
            raise DeliveryFailed("server surel tidak dapat dihubungi")

    sweep(demo_uow, NOW)
    at = NOW
    outcomes = []
    for _ in range(POLICY.max_attempts):
        report = notices.deliver(demo_uow, {EMAIL: Down()}, at, POLICY)
        outcomes.append((len(report.retrying), len(report.failed)))
        at += timedelta(days=1)
    total = outcomes[0][0]
    assert outcomes[-1] == (0, total) and all(f == 0 for _, f in outcomes[:-1])


def test_a_reporter_named_in_a_stored_message_is_masked_for_anyone_outside_bawaslu(
    demo_uow: UnitOfWork,
) -> None:
    with demo_uow:
        case = demo_uow.cases.get("DEMO-PSR-1")
    note = Notification(
        case.case_id, 1, "eskalasi", "bkn", "BKN", "Laporan YONO SAPUTRA diteruskan.", NOW
    )
    delivery = Delivery(
        1,
        1,
        "email",
        "humas@bkn.go.id",
        None,
        "bkn",
        "BKN",
        "<k@x>",
        "sending",
        1,
        None,
        NOW,
        NOW,
        None,
    )
    outside = compose(note, delivery, case, "BKN", POLICY)
    assert "yono" not in outside.body.lower() and "[disamarkan]" in outside.body
    inside = compose(
        Notification(case.case_id, 1, "eskalasi", "bawaslu", "BAWASLU-3575", "x", NOW),
        delivery,
        case,
        "Bawaslu Kota Pasuruan",
        POLICY,
    )
    assert "Nama pelapor: Yono Saputra" in inside.body


def test_flows_deliver_and_notices_commands(
    db_url: str, demo_uow: UnitOfWork, relay: tuple[Relay, int]
) -> None:
    server, port = relay
    server.refuse["humas@bkn.go.id"] = "550 5.1.1 No such user"
    sweep(demo_uow, NOW)
    runner = CliRunner()
    env = {"NETRA_SMTP_HOST": "127.0.0.1", "NETRA_SMTP_PORT": str(port)}
    sign_in_cli(demo_uow, db_url, "bawaslu.kediri")
    officer = runner.invoke(app, ["--db", db_url, "flows", "deliver"], env=env)
    assert officer.exit_code == 5 and not server.transmissions  # only system or an admin
    sign_in_cli(demo_uow, db_url, "admin")
    sent = runner.invoke(app, ["--db", db_url, "--json", "flows", "deliver"], env=env)
    assert sent.exit_code == 0, sent.output
    report = json.loads(sent.stdout)
    assert len(report["sent"]) == len(server.transmissions) and len(report["failed"]) == 1
    listed = runner.invoke(app, ["--db", db_url, "--json", "flows", "notices", "--failed"])
    assert listed.exit_code == 0, listed.output
    assert [item["address"] for item in json.loads(listed.stdout)] == ["humas@bkn.go.id"]
    nothing = runner.invoke(app, ["--db", db_url, "flows", "deliver"], env={"NETRA_SMTP_HOST": ""})
    assert nothing.exit_code == 2
    sign_in_cli(demo_uow, db_url, "bkpsdm.sukabumi")
    refused = runner.invoke(app, ["--db", db_url, "flows", "notices"])
    assert refused.exit_code == 5


def test_officers_who_chose_email_receive_their_institutions_notices_others_do_not(
    demo_uow: UnitOfWork, relay: tuple[Relay, int]
) -> None:
    server, port = relay
    change_officer(demo_uow, "admin", "bkn.analis", email="analis@bkn.go.id", notify="email")
    with demo_uow:
        others = [
            o.id
            for o in demo_uow.registry.officers()
            if o.role.value == "bkn" and o.id != "bkn.analis"
        ]
    for other in others:  # e-mail on file, but they chose none
        change_officer(demo_uow, "admin", other, email=f"{other}@bkn.go.id", notify="none")
    sweep(demo_uow, NOW)
    _deliver(demo_uow, port, NOW)
    to_bkn = [m for m in server.transmissions if "bkn.go.id" in str(m["To"])]
    assert [str(m["To"]) for m in to_bkn] == ["analis@bkn.go.id"]  # not the BKN mailbox
    with demo_uow:
        analis = demo_uow.registry.officer("bkn.analis")
    assert f"Yth. {analis.name}," in _body(to_bkn[0])


class _Gateway(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Gateway.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_apprise_urls_are_told_of_notices_for_their_institution_without_reporter_data(
    demo_uow: UnitOfWork,
) -> None:
    _Gateway.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"json://127.0.0.1:{server.server_address[1]}/hook"
    try:
        policy = DeliveryPolicy(
            web_base_url=POLICY.web_base_url,
            mail_from=POLICY.mail_from,
            apprise_urls=(f"BAWASLU-3575={url}",),
        )
        sweep(demo_uow, NOW)
        report = notices.deliver(demo_uow, {APPRISE: AppriseTransport([url])}, NOW, policy)
    finally:
        server.shutdown()
    assert len(report.sent) == 1 and not report.failed
    [message] = _Gateway.received
    assert message["title"] == "Pengingat tenggat perkara DEMO-PSR-1"
    assert "https://netra.bawaslu.example/cases/DEMO-PSR-1" in message["message"]
    assert "Yono" not in message["message"]  # only e-mail to Bawaslu carries the reporter
    with demo_uow:
        [delivery] = NoticeDeliveryStore(demo_uow.session).deliveries("sent")
    assert delivery.address.startswith("json://127.0.0.1#") and "hook" not in delivery.address


def test_without_any_channel_the_notices_stay_in_the_outbox(demo_uow: UnitOfWork) -> None:
    sweep(demo_uow, NOW)
    unsent = _outbox_unsent(demo_uow)
    assert unsent and notices.deliver(demo_uow, {}, NOW, POLICY).planned == 0
    assert _outbox_unsent(demo_uow) == unsent
