"""Public pages without login: verification (/verify/) and payment (/pay/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.portal import views

app_name = "portal"

urlpatterns: list[URLPattern] = [
    path("verify/<str:code>/", views.verify, name="verify"),
    # Before the notice page: "callback" is not a notice number.
    path("pay/callback/", views.callback, name="pay_callback"),
    path("pay/<str:number>/", views.pay_page, name="pay"),
]
