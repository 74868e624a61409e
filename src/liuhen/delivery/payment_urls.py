"""Payment status, proceedings and deferrals of a decision (R11.1)."""

from __future__ import annotations

from django.urls import path

from liuhen.delivery import payment_views

urlpatterns = [
    path("payments/<int:decision_id>/", payment_views.payment_page, name="payments"),
]
