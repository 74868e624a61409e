from __future__ import annotations

from django.urls import URLPattern

app_name = "supervision"
urlpatterns: list[URLPattern] = []

from django.urls import path  # noqa: E402

from liuhen.supervision.views import home  # noqa: E402

urlpatterns += [path("", home.home, name="home")]
