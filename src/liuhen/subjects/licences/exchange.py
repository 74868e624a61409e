"""The client of the government data exchange 政务数据共享交换平台 (R20), and its simulator.

Given a subject's unified social credit code or resident id number, the exchange answers
the subject's licences and permits, each with its electronic file and the exchange's
signature over the item. ``settings.EXCHANGE_URL`` chooses the client: ``"simulator"``
(the default) answers for the demo subjects, so the embedded installation and the tests
go the whole way; ``"simulator:timeout"`` never answers (a slow or absent exchange); any
other value is the base URL of a real exchange, asked with :class:`HttpExchange`.

A failure or a timeout is :class:`ExchangeUnavailable` with a message a person reads:
the caller shows it and carries on, casework never waits for the exchange.

What the exchange answers (``GET <url>/licences?uscc=…`` or ``?resident_id=…``): JSON
``{"items": [{"payload": {...}, "signature": "...", "file": {"name", "content_base64"}}]}``
where ``payload`` holds ``licence_type, number, issuer, valid_from, valid_until, scope,
status`` and ``file_sha256``; the simulator signs ``payload`` (canonical JSON) with
HMAC-SHA256 under its own key, shown as ``hmac-sha256=<hex>``.

The exchange also answers who is registered under a code or number (``GET
<url>/subjects?uscc=…`` or ``?resident_id=…``): ``{"item": {"payload": {...},
"signature": "..."}}``, or ``{"item": null}`` when nobody is, where ``payload`` holds
``name, legal_representative, address``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

SIMULATOR = "simulator"
SIMULATOR_TIMEOUT = "simulator:timeout"
# The simulator's own signing key: it proves nothing outside the demo, and says so.
SIMULATOR_KEY = b"liuhen-exchange-simulator"
SIGNATURE_PREFIX = "hmac-sha256="


class ExchangeUnavailable(Exception):
    """The exchange did not answer usefully; ``str()`` is the message a person reads."""


@dataclass(frozen=True)
class ExchangeItem:
    """One licence as the exchange answered it."""

    payload: dict[str, Any]
    signature: str
    file_name: str
    file_content: bytes

    def canonical(self) -> str:
        return canonical_json(self.payload)


@dataclass(frozen=True)
class ExchangeAnswer:
    source: str  # which exchange answered (kept with every item)
    query: str  # what was asked, without the resident id in clear
    items: list[ExchangeItem]


@dataclass(frozen=True)
class RegisteredSubject:
    """Who the exchange has registered under the code or number asked; ``payload`` is
    None when nobody is."""

    source: str
    query: str
    payload: dict[str, Any] | None
    signature: str = ""

    def canonical(self) -> str:
        return canonical_json(self.payload) if self.payload is not None else ""


class ExchangeClient(Protocol):
    name: str

    def licences(self, *, uscc: str = "", resident_id: str = "") -> ExchangeAnswer:
        """The subject's licences, or :class:`ExchangeUnavailable`."""
        ...

    def subject(self, *, uscc: str = "", resident_id: str = "") -> RegisteredSubject:
        """Who is registered under the code or number, or :class:`ExchangeUnavailable`."""
        ...


def canonical_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def simulator_signature(payload: dict[str, Any]) -> str:
    mac = hmac.new(SIMULATOR_KEY, canonical_json(payload).encode(), hashlib.sha256)
    return SIGNATURE_PREFIX + mac.hexdigest()


def verify_simulator_signature(payload: dict[str, Any], signature: str) -> bool:
    return hmac.compare_digest(simulator_signature(payload).encode(), signature.encode())


def _query(uscc: str, resident_id: str) -> str:
    # The resident id is personal (R18.5): the query is kept by its last four digits only.
    if uscc:
        return f"uscc={uscc}"
    return f"resident_id=**************{resident_id[-4:]}"


def unavailable(reason: str = "") -> ExchangeUnavailable:
    message = _(
        "The government data exchange did not answer in time or could not be reached: "
        "nothing was fetched. Carry on with the case and try again later, or enter the "
        "licence by hand."
    )
    return ExchangeUnavailable(f"{message} ({reason})" if reason else message)


# --- the simulator --------------------------------------------------------------------


def simulated_pdf(title: str, number: str) -> bytes:
    """A small, fixed PDF standing for the licence's electronic file (same bytes each time)."""
    text = f"{title} {number}".encode("ascii", "replace")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{index} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# The demo subjects (web/demo.py) and the licence the simulator holds for each.
SIMULATED_LICENCES: dict[str, dict[str, str]] = {
    "92211104MA0Y8K3PXP": {
        "licence_type": "农药经营许可证",
        "number": "农药经许（辽）21110400123",
        "issuer": "盘锦市大洼区农业农村局",
        "valid_from": "2024-03-01",
        "valid_until": "2029-02-28",
        "scope": "农药（不含限制使用农药）零售",
        "status": "valid",
    },
    "91211104MA0QF2L79Q": {
        "licence_type": "种子生产经营许可证",
        "number": "D（辽盘）农种许字（2023）第0007号",
        "issuer": "盘锦市农业农村局",
        "valid_from": "2023-06-15",
        "valid_until": "2028-06-14",
        "scope": "稻、玉米种子生产、加工、包装、批发、零售",
        "status": "valid",
    },
    "91211100MA0UH7N456": {
        "licence_type": "饲料生产许可证",
        "number": "辽饲证（2022）11003",
        "issuer": "辽宁省农业农村厅",
        "valid_from": "2022-09-01",
        "valid_until": "2027-08-31",
        "scope": "配合饲料、浓缩饲料",
        "status": "valid",
    },
}


# Who the simulator has registered: the demo subjects, and a farmer by resident id.
SIMULATED_SUBJECTS: dict[str, dict[str, str]] = {
    "92211104MA0Y8K3PXP": {
        "name": "盘锦市大洼区丰收农资经营部",
        "legal_representative": "孙立新",
        "address": "盘锦市大洼区大洼街道建设路88号",
    },
    "91211104MA0QF2L79Q": {
        "name": "盘锦金禾种业有限公司",
        "legal_representative": "钱永安",
        "address": "盘锦市大洼区田家街道工业园区3号",
    },
    "91211100MA0UH7N456": {
        "name": "盘锦宏达饲料有限公司",
        "legal_representative": "李建国",
        "address": "盘锦市兴隆台区经济开发区12号",
    },
    "211104197803152511": {
        "name": "张某",
        "legal_representative": "",
        "address": "盘锦市大洼区西安镇西安村5组",
    },
}


class SimulatorExchange:
    """The embedded stand-in for the exchange: answers for the demo subjects only."""

    name = SIMULATOR

    def __init__(self, *, times_out: bool = False) -> None:
        self.times_out = times_out

    def licences(self, *, uscc: str = "", resident_id: str = "") -> ExchangeAnswer:
        if self.times_out:
            raise unavailable(_("timed out"))
        items = []
        licence = SIMULATED_LICENCES.get(uscc) if uscc else None
        if licence is not None:
            content = simulated_pdf("Licence", uscc)
            payload = {**licence, "holder_uscc": uscc}
            payload["file_sha256"] = hashlib.sha256(content).hexdigest()
            items.append(
                ExchangeItem(
                    payload=payload,
                    signature=simulator_signature(payload),
                    file_name=f"licence-{uscc}.pdf",
                    file_content=content,
                )
            )
        return ExchangeAnswer(source=self.name, query=_query(uscc, resident_id), items=items)

    def subject(self, *, uscc: str = "", resident_id: str = "") -> RegisteredSubject:
        if self.times_out:
            raise unavailable(_("timed out"))
        found = SIMULATED_SUBJECTS.get(uscc or resident_id)
        payload = {**found, "uscc": uscc} if found is not None and uscc else found
        return RegisteredSubject(
            source=self.name,
            query=_query(uscc, resident_id),
            payload=dict(payload) if payload is not None else None,
            signature=simulator_signature(payload) if payload is not None else "",
        )


# --- a real exchange over HTTP --------------------------------------------------------


class HttpExchange:
    """An exchange at ``base_url`` speaking the JSON described in the module docstring."""

    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.name = urllib.parse.urlsplit(self.base_url).netloc or self.base_url

    def licences(self, *, uscc: str = "", resident_id: str = "") -> ExchangeAnswer:
        params = {"uscc": uscc} if uscc else {"resident_id": resident_id}
        url = f"{self.base_url}/licences?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
                body = json.loads(response.read())
        except TimeoutError:
            raise unavailable(_("timed out")) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise unavailable(type(error).__name__) from None
        return ExchangeAnswer(source=self.name, query=_query(uscc, resident_id), items=_items(body))

    def subject(self, *, uscc: str = "", resident_id: str = "") -> RegisteredSubject:
        params = {"uscc": uscc} if uscc else {"resident_id": resident_id}
        url = f"{self.base_url}/subjects?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
                body = json.loads(response.read())
        except TimeoutError:
            raise unavailable(_("timed out")) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise unavailable(type(error).__name__) from None
        if not isinstance(body, dict) or "item" not in body:
            raise unavailable(_("the answer was not understood"))
        item = body["item"]
        if item is None:
            return RegisteredSubject(self.name, _query(uscc, resident_id), None)
        if not isinstance(item, dict) or not isinstance(item.get("payload"), dict):
            raise unavailable(_("the answer was not understood"))
        return RegisteredSubject(
            self.name,
            _query(uscc, resident_id),
            dict(item["payload"]),
            str(item.get("signature") or "")[:200],
        )


def _items(body: Any) -> list[ExchangeItem]:
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise unavailable(_("the answer was not understood"))
    items = []
    for raw in body["items"]:
        try:
            payload = raw["payload"]
            file = raw.get("file") or {}
            content = base64.b64decode(file.get("content_base64") or "", validate=True)
            items.append(
                ExchangeItem(
                    payload=dict(payload),
                    signature=str(raw.get("signature") or "")[:200],
                    file_name=str(file.get("name") or "")[:200],
                    file_content=content,
                )
            )
        except (KeyError, TypeError, ValueError):
            raise unavailable(_("the answer was not understood")) from None
    return items


def client() -> ExchangeClient:
    """The configured exchange (``settings.EXCHANGE_URL``)."""
    url = str(getattr(settings, "EXCHANGE_URL", "") or SIMULATOR)
    if url == SIMULATOR_TIMEOUT:
        return SimulatorExchange(times_out=True)
    if url == SIMULATOR:
        return SimulatorExchange()
    return HttpExchange(url, float(getattr(settings, "EXCHANGE_TIMEOUT", 10)))


def is_simulated(source: str) -> bool:
    return source == SIMULATOR
