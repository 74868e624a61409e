"""Service records (R10.1) and the delivery register 送达台账 (R10.2)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.delivery import service_views as views

urlpatterns: list[URLPattern] = [
    path("", views.register, name="register"),
    path("export.<str:fmt>", views.register_export, name="register_export"),
    path("serve/<int:issued_id>/", views.serve, name="serve"),
    path("consent/<int:case_id>/", views.consent, name="consent"),
    path("service/<int:pk>/", views.service, name="service"),
    path(
        "service/<int:pk>/proof/<int:attachment_id>/",
        views.attachment,
        name="service_attachment",
    ),
]
