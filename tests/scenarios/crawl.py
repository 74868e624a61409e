"""A breadth-first crawl of the pages a signed-in person can reach by following links.

The crawl follows same-origin GET links (``<a href>``) and GET forms' buttons, never a POST
form or the logout, and checks each page's answer and its visible text: no server error, no
link that refuses the person it is shown to, no internal requirement id ("R9.2") and no
English left on a zh-hans screen.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

# An internal requirement id (R5.2, R14.1) must never reach the screen.
REQUIREMENT_ID = re.compile(r"\bR\d+(\.\d+)?\b")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A whole word: the letters inside a digest (b0d1…5add3…) or a code (A1B2) are no word.
LATIN_WORD = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2,}(?![0-9A-Za-z])")
# English words that are UI text whenever they show (what an untranslated label looks like).
DENY = {
    "simulator",
    "system",
    "lead_check",
    "approve",
    "approval",
    "approvals",
    "case",
    "cases",
    "cancel",
    "save",
    "submit",
    "delete",
    "edit",
    "search",
    "filter",
    "home",
    "login",
    "logout",
    "next",
    "previous",
    "back",
    "yes",
    "no",
    "none",
    "status",
    "date",
    "name",
    "details",
    "download",
    "upload",
    "register",
    "document",
    "documents",
    "officer",
    "officers",
    "unit",
    "party",
    "print",
    "export",
    "view",
    "open",
    "closed",
    "pending",
    "approved",
    "rejected",
    "draft",
    "issued",
    "signed",
    "required",
    "optional",
    "error",
    "warning",
    "unknown",
    "true",
    "false",
    "add",
    "new",
    "create",
    "update",
    "change",
    "show",
    "hide",
    "select",
    "choose",
    "file",
    "page",
    "of",
    "the",
    "and",
    "for",
    "with",
    "not",
    "is",
    "are",
    "to",
    "from",
    "by",
    "at",
    "on",
    "in",
    "recorder",
    "recording",
    "deadline",
    "deadlines",
    "payment",
    "payments",
    "service",
    "decision",
    "hearing",
}
# Codes, names and abbreviations that are the same in any language.
ALLOWED_WORDS = {
    "pdf",
    "csv",
    "xlsx",
    "qr",
    "av",
    "id",
    "ip",
    "url",
    "sha",
    "mp4",
    "jpg",
    "jpeg",
    "png",
    "wav",
    "mp3",
    "mov",
    "ca",
    "utc",
    "dsj",
    "dw",
    "cjz",
    "uscc",
    "totp",
    "ocr",
    "api",
    "json",
    "gb",
    "mb",
    "kb",
    "kbps",
    "hz",
    "fps",
    "ed25519",
    "rsa",
    "sm2",
    "sm3",
    "liuhen",
    "ok",
    "https",
    "http",
    "www",
    "gov",
    "cn",
    # The language switch names each language in itself.
    "english",
}
SKIP_TAGS = {"script", "style", "template", "noscript", "svg", "code", "pre", "kbd", "samp"}
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


@dataclass
class Page:
    """What the crawl read on one page: its links and its visible text."""

    links: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0
        self._form_get: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in SKIP_TAGS:
            self._skip += 1
        if tag == "a" and a.get("href") and "download" not in a:
            self.page.links.append(a["href"])
        if tag == "form":
            method = a.get("method", "get").lower()
            self._form_get = a.get("action", "") if method == "get" else None
        submits = a.get("type", "submit" if tag == "button" else "text") == "submit"
        if tag in ("button", "input") and self._form_get is not None and submits:
            self.page.links.append(self._form_get or ".")
        for name in TEXT_ATTRIBUTES:
            if a.get(name):
                self.page.texts.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.page.texts.append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag == "form":
            self._form_get = None

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if text and not self._skip:
            self.page.texts.append(text)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page


def english_in(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The English words of ``text`` that are UI text, not a code, a number or a name
    (``names``: the login names, which are shown as they are)."""
    words = [
        w for w in LATIN_WORD.findall(text) if w.lower() not in ALLOWED_WORDS and w not in names
    ]
    if not words:
        return []
    denied = [w for w in words if w.lower() in DENY]
    if denied:
        return denied
    if CJK.search(text):
        return []
    # Latin text without a CJK character: a label nobody translated, unless it is a
    # code (DSJ-DW-0001, 92211104MA0Y8K3PXP) or a file name.
    return [w for w in words if not _is_code(w, text)]


def _is_code(word: str, text: str) -> bool:
    return word.isupper() or any(ch.isdigit() for ch in text.split()[0]) or "." in text


def pattern(url: str) -> str:
    """``/cases/1/`` and ``/cases/2/`` are one page; so are ``?page=2`` and ``?page=3``."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "<n>", parts.path)
    path = re.sub(r"[0-9a-f]{8,}(-[0-9a-f]{4,})*", "<h>", path)
    keys = sorted({q.split("=")[0] for q in parts.query.split("&") if q})
    return path + ("?" + "&".join(keys) if keys else "")


@dataclass
class Finding:
    url: str
    found_on: str
    problem: str

    def __str__(self) -> str:
        return f"{self.url} (linked from {self.found_on}): {self.problem}"


NOT_FOLLOWED = ("/accounts/logout", "/i18n/", "/static/", "/api/", "/admin/")


def crawl(
    client: Any, start: str = "/", limit: int = 400, names: frozenset[str] = frozenset()
) -> tuple[list[Finding], int]:
    """Visit every page reachable from ``start``, once per URL pattern; return the findings
    and the number of pages visited (``names``: words shown as they are, the login names)."""
    seen = {pattern(start)}
    queue: deque[tuple[str, str]] = deque([(start, "-")])
    findings: list[Finding] = []
    visited = 0
    while queue and visited < limit:
        url, found_on = queue.popleft()
        visited += 1
        response = client.get(url)
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if _followable(target) and pattern(target) not in seen:
                seen.add(pattern(target))
                queue.append((target, url))
            continue
        if status >= 400:
            findings.append(Finding(url, found_on, f"answers {status}"))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page = read(body.decode())
        for text in page.texts:
            if REQUIREMENT_ID.search(text):
                findings.append(Finding(url, found_on, f"internal id on screen: {text!r}"))
            english = english_in(text, names)
            if english:
                findings.append(Finding(url, found_on, f"English on screen {english}: {text!r}"))
        for href in page.links:
            target = urldefrag(urljoin(url, href)).url
            if _followable(target) and pattern(target) not in seen:
                seen.add(pattern(target))
                queue.append((target, url))
    return findings, visited


def _followable(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return False
    return not parts.path.startswith(NOT_FOLLOWED)
