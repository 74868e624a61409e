"""Session security on every request (R4.2; GB/T 22239-2019 8.1.4.1 b, d).

- idle timeout and absolute lifetime from the security settings;
- sessions begun before ``user.sessions_valid_after`` (account disabled, 2FA reset) end;
- a person who needs a second factor reaches nothing but the 2FA pages until verified;
- a password that must be changed (expired, or set by an administrator) is changed first.

The API under /api/ authenticates by token, not session, and is left to its own checks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts import security
from liuhen.accounts.actions import sessions
from liuhen.accounts.session_keys import LAST_SEEN, LOGIN_AT

# How often the last-activity stamp is rewritten, at most: a tenth of the idle timeout,
# capped, so a busy page does not write its session on every request.
LAST_SEEN_MAX_STALENESS = 60.0


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def open_prefixes(self) -> tuple[str, ...]:
        return (
            settings.STATIC_URL,
            "/api/",
            "/i18n/",
            "/favicon.ico",
            reverse("accounts:login"),
            reverse("accounts:logout"),
        )

    @cached_property
    def two_factor_paths(self) -> tuple[str, ...]:
        return (reverse("accounts:otp"), reverse("accounts:otp_setup"))

    @cached_property
    def password_path(self) -> str:
        return reverse("accounts:password_change")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(self.open_prefixes) or not request.user.is_authenticated:
            return self.get_response(request)
        refused = self._check(request, path)
        if refused is not None:
            return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest, path: str) -> HttpResponse | None:
        user = request.user
        policy = security.current(request)
        session = request.session
        now = timezone.now().timestamp()
        login_at = session.get(LOGIN_AT)
        if login_at is None:
            # A session made outside the login view (the test client's force_login).
            login_at = session[LOGIN_AT] = session[LAST_SEEN] = now
        last_seen = float(session.get(LAST_SEEN, login_at))
        valid_after = getattr(user, "sessions_valid_after", None)
        reason = None
        if valid_after is not None and float(login_at) < valid_after.timestamp():
            reason = "revoked"
        elif now - float(login_at) > policy.session_max_age_seconds:
            reason = "max_age"
        elif now - last_seen > policy.session_idle_seconds:
            reason = "idle"
        if reason is not None:
            sessions.end_session(request, reason)
            return _redirect(request, reverse("accounts:login"), next_path=path)
        if now - last_seen >= min(LAST_SEEN_MAX_STALENESS, policy.session_idle_seconds / 10):
            session[LAST_SEEN] = now

        if security.needs_two_factor(user, policy) and not _verified(request):
            if path in self.two_factor_paths:
                return None
            target = "accounts:otp" if security.has_confirmed_device(user) else "accounts:otp_setup"
            return _redirect(request, reverse(target), next_path=path)
        if path != self.password_path and security.must_change_password(user, policy):
            return _redirect(request, self.password_path, next_path=path)
        return None


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _redirect(request: HttpRequest, url: str, *, next_path: str) -> HttpResponse:
    htmx = bool(request.headers.get("HX-Request"))
    if htmx and urlsplit(request.headers.get("HX-Current-URL", "")).path == url:
        # A part of the page the person must stay on (say the navbar's count on the
        # password page) is left empty: loading that page again would lose their input.
        return HttpResponse(status=204)
    if request.method == "GET" and next_path not in ("/", url):
        url = f"{url}?{urlencode({'next': next_path})}"
    if request.headers.get("HX-Request"):
        # htmx swaps responses in place; this header makes it load the page instead.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
