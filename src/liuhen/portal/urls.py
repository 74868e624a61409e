"""Public pages without login: verification (/verify/) and payment (/pay/)."""

from __future__ import annotations

from django.urls import include, path

app_name = "portal"

urlpatterns = [
    path("", include("liuhen.portal.verify_urls")),
    path("", include("liuhen.portal.pay_urls")),
]
