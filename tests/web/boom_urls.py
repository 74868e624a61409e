"""A URL that fails, to see the 500 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom for the 500 page test")


urlpatterns = [path("boom/", boom), path("", include("liuhen.urls"))]
handler500 = "liuhen.web.views.server_error"
