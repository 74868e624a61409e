"""Service records and the delivery register (/delivery/), payments of a decision."""

from __future__ import annotations

from django.urls import include, path

app_name = "delivery"

urlpatterns = [
    path("", include("liuhen.delivery.service_urls")),
    path("", include("liuhen.delivery.payment_urls")),
]
