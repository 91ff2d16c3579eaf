"""How notices leave Netra: an SMTP relay (stdlib smtplib) and apprise URLs.

Each transport raises `DeliveryFailed`, permanent when retrying cannot help (the relay
refused the address or the message with a 5xx code, an apprise URL that cannot be parsed).
The SMTP transport keeps one connection for a delivery run.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from types import TracebackType

from cases.notice_channels import (
    APPRISE,
    EMAIL,
    DeliveryFailed,
    NoticeTransport,
    OutgoingNotice,
    apprise_entries,
    apprise_label,
)
from db.settings import Settings, get_settings

SMTP_TIMEOUT_S = 30.0


class SmtpTransport:
    """Sends each notice as one e-mail whose Message-ID is the notice's idempotency key."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        sender: str = "Netra <netra@localhost>",
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.starttls = user, password, starttls
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_S)
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def message(self, notice: OutgoingNotice) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = notice.address
        mail["Subject"] = notice.subject
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = notice.message_id
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(notice.body, charset="utf-8")
        return mail

    def send(self, notice: OutgoingNotice) -> None:
        try:
            self._connection().send_message(self.message(notice))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            self.close()
            raise DeliveryFailed(
                f"alamat ditolak server surel: {error.recipients}",
                permanent=all(code >= 500 for code in codes),
            ) from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raw = error.smtp_error
            text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
            raise DeliveryFailed(
                f"server surel menjawab {error.smtp_code}: {text}",
                permanent=error.smtp_code >= 500,
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise DeliveryFailed(f"server surel tidak dapat dihubungi: {error}") from error


class AppriseTransport:
    """Sends each notice to the apprise URL its delivery was planned for.

    Deliveries store a label of the URL (scheme, host and a hash, never the token), so the
    transport keeps the URLs themselves, from NETRA_APPRISE_URLS, by label.
    """

    def __init__(self, urls: list[str]) -> None:
        self.urls = {apprise_label(url): url for url in urls}

    def send(self, notice: OutgoingNotice) -> None:
        import apprise

        url = self.urls.get(notice.address)
        if url is None:
            raise DeliveryFailed("URL apprise tidak lagi dikonfigurasi", permanent=True)
        sender = apprise.Apprise()
        if not sender.add(url):
            raise DeliveryFailed("URL apprise tidak dikenali", permanent=True)
        if not sender.notify(title=notice.subject, body=notice.body):
            raise DeliveryFailed("gateway apprise menolak atau tidak menjawab")


def transports_from_settings(settings: Settings | None = None) -> dict[str, NoticeTransport]:
    """The transports NETRA_SMTP_* and NETRA_APPRISE_URLS configure (none: nothing is sent)."""
    s = settings or get_settings()
    found: dict[str, NoticeTransport] = {}
    if s.smtp_host:
        found[EMAIL] = SmtpTransport(
            s.smtp_host, s.smtp_port, s.mail_from, s.smtp_user, s.smtp_password, s.smtp_starttls
        )
    urls = [url for _, url in apprise_entries(s.apprise_urls.split())]
    if urls:
        found[APPRISE] = AppriseTransport(urls)
    return found


def close_all(transports: dict[str, NoticeTransport]) -> None:
    for transport in transports.values():
        if isinstance(transport, SmtpTransport):
            transport.close()
