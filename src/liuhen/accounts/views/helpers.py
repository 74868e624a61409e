"""What the account pages share: where to go next."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` the page was given, if it stays on this site; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def redirect_keeping_next(request: HttpRequest, url_name: str) -> HttpResponseRedirect:
    url = resolve_url(url_name)
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        url = f"{url}?{urlencode({'next': target})}"
    return HttpResponseRedirect(url)
