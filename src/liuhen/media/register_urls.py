"""URLs of the AV records: the AV register 音像记录台账 (R16.1, R4.3)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.media import register_views as views

urlpatterns: list[URLPattern] = [
    path("", views.register_list, name="register"),
    path("register/print/", views.register_print, name="register_print"),
    path("register/export.<str:fmt>", views.register_export, name="register_export"),
]
