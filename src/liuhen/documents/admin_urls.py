"""Seal certificate (security admin) and bureau forms (system admin)."""

from __future__ import annotations

from django.urls import path

from liuhen.documents import admin_views

urlpatterns = [
    path("seal/", admin_views.seal_page, name="seal"),
    path("forms/", admin_views.forms_page, name="forms"),
    path("forms/new/", admin_views.form_create_page, name="form_create"),
    path("forms/<int:pk>/", admin_views.form_edit_page, name="form_edit"),
    path("forms/standard/<slug:code>/", admin_views.form_view_page, name="form_view"),
]
