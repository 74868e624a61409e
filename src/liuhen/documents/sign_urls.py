"""The party's signature on the tablet and refusals (R9)."""

from __future__ import annotations

from django.urls import path

from liuhen.documents import sign_views

urlpatterns = [
    path("issued/<int:pk>/sign/", sign_views.sign, name="sign"),
    path("issued/<int:pk>/sign/read/", sign_views.read, name="sign_read"),
    path("issued/<int:pk>/refuse/", sign_views.refuse, name="refuse"),
    path("issued/<int:pk>/finalise/", sign_views.finalise, name="finalise"),
]
