"""/pay/<number>/: the payment simulator page and the gateway callback."""

from __future__ import annotations

from django.urls import path

from liuhen.portal import pay_views

urlpatterns = [
    # Before the notice page: "callback" is not a notice number.
    path("pay/callback/", pay_views.callback, name="pay_callback"),
    path("pay/<str:number>/", pay_views.pay_page, name="pay"),
]
