"""The channels a notice leaves by, and what the transports on them are handed.

A notice goes out by e-mail (`EMAIL`) or through apprise (`APPRISE`). `OutgoingNotice` is what
a transport (`NoticeTransport`; workflows/ has the SMTP and apprise ones) is handed, and
`DeliveryFailed` what it raises when it cannot hand it over. `DeliveryPolicy` holds where
links point, who sends and how often to retry (NETRA_* settings by default); a delivery's
Message-ID (`message_id_for`) is its idempotency key, and apprise URLs are configured as
`CODE=url` entries (`apprise_entries`) and stored without their token (`apprise_label`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Protocol
from urllib.parse import urlsplit

from db.settings import get_settings

EMAIL, APPRISE = "email", "apprise"


class DeliveryFailed(Exception):
    """A transport could not hand a notice over; `permanent` when retrying cannot help."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingNotice:
    """A notice ready for one address: Indonesian subject and body, and its idempotency key."""

    message_id: str
    channel: str
    address: str
    recipient_name: str
    subject: str
    body: str


class NoticeTransport(Protocol):
    """Hands notices to a channel (SMTP relay, apprise); raises DeliveryFailed."""

    def send(self, notice: OutgoingNotice) -> None: ...


@dataclass(frozen=True)
class DeliveryPolicy:
    """Where links point, who sends, how often to retry (from NETRA_* settings by default)."""

    web_base_url: str
    mail_from: str
    apprise_urls: tuple[str, ...] = ()
    max_attempts: int = 6
    backoff_seconds: int = 60

    @classmethod
    def from_settings(cls) -> DeliveryPolicy:
        s = get_settings()
        return cls(
            web_base_url=s.web_base_url,
            mail_from=s.mail_from,
            apprise_urls=tuple(s.apprise_urls.split()),
            max_attempts=s.delivery_max_attempts,
            backoff_seconds=s.delivery_backoff_seconds,
        )

    @property
    def mail_domain(self) -> str:
        address = parseaddr(self.mail_from)[1]
        return address.rpartition("@")[2] or "netra.localhost"

    def retry_at(self, attempts: int, now: datetime) -> datetime | None:
        """Exponential backoff after `attempts` failed tries; None once they are used up."""
        if attempts >= self.max_attempts:
            return None
        return now + timedelta(seconds=self.backoff_seconds * 2 ** (attempts - 1))


def message_id_for(outbox_id: int, channel: str, address: str, domain: str) -> str:
    """The idempotency key of one notice to one address: the same on every retry."""
    digest = hashlib.sha256(f"{channel}\n{address}".encode()).hexdigest()[:16]
    return f"<netra.{outbox_id}.{digest}@{domain}>"


def apprise_label(url: str) -> str:
    """An apprise URL as stored and shown: scheme and host, never its token."""
    parts = urlsplit(url)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return f"{parts.scheme}://{parts.hostname or ''}#{digest}"


def apprise_entries(raw: Sequence[str]) -> list[tuple[str | None, str]]:
    """NETRA_APPRISE_URLS entries: `CODE=url` (one institution) or a plain `url` (all)."""
    entries: list[tuple[str | None, str]] = []
    for entry in raw:
        code, sep, url = entry.partition("=")
        if sep and "://" not in code:
            entries.append((code, url))
        else:
            entries.append((None, entry))
    return entries
