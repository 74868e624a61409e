"""/verify/<code>/: check an issued document (no login)."""

from __future__ import annotations

from django.urls import path

from liuhen.portal import verify_views

urlpatterns = [
    path("verify/<str:code>/", verify_views.verify, name="verify"),
]
