"""The SMS gateway interface and the embedded simulator (R19.1).

A real gateway is reached at ``settings.SMS_URL``: the text is posted as JSON
``{"to": …, "text": …}`` and a 2xx answer means accepted. ``"simulator"`` (the default)
sends nothing: it keeps every message in :data:`OUTBOX` (the tests and the demo read it),
and ``"simulator:fail"`` refuses every message, so that the retry can be seen working.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIMULATOR = "simulator"
FAILING_SIMULATOR = "simulator:fail"


class SmsFailed(Exception):
    """The gateway did not take the message."""


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str


# What the simulator "sent", oldest first.
OUTBOX: list[SentSms] = []


@runtime_checkable
class SmsGateway(Protocol):
    name: str

    def send(self, to: str, text: str) -> None:
        """Hand ``text`` to the gateway for ``to``, or raise :class:`SmsFailed`."""
        ...


class SimulatorSms:
    name = "simulator"

    def __init__(self, *, failing: bool = False) -> None:
        self.failing = failing

    def send(self, to: str, text: str) -> None:
        if self.failing:
            raise SmsFailed("the SMS simulator refuses every message (simulator:fail)")
        OUTBOX.append(SentSms(to=to, text=text))


class HttpSms:
    name = "http"

    def __init__(self, url: str, timeout: int) -> None:
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"LIUHEN_SMS_URL {url!r} is not an http(s) address")
        self.url = url
        self.timeout = timeout

    def send(self, to: str, text: str) -> None:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 — http(s) only, checked above
            self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                status = answer.status
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsFailed(str(error)[:200]) from error
        if not 200 <= status < 300:
            raise SmsFailed(f"the gateway answered {status}")


def gateway() -> SmsGateway:
    """The configured gateway (``settings.SMS_URL``)."""
    url = str(getattr(settings, "SMS_URL", "") or SIMULATOR)
    if url == SIMULATOR:
        return SimulatorSms()
    if url == FAILING_SIMULATOR:
        return SimulatorSms(failing=True)
    return HttpSms(url, int(getattr(settings, "SMS_TIMEOUT", 10)))


def is_simulated() -> bool:
    return isinstance(gateway(), SimulatorSms)
