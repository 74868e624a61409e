"""URLs of the AV records: disposal."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
