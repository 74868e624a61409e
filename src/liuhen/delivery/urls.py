"""Service and payment pages (namespace "delivery", mounted at /delivery/): the delivery
register 送达台账 and its exports, the service of a document, the party's consent to
electronic service, a service record and its proofs (R10), and a decision's payments
(R11.1)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.delivery.views import payments, register, service

app_name = "delivery"

urlpatterns: list[URLPattern] = [
    path("", register.register, name="register"),
    path("export.<str:fmt>", register.register_export, name="register_export"),
    path("serve/<int:issued_id>/", service.serve, name="serve"),
    path("serve/<int:issued_id>/receipt/", service.draft_receipt, name="draft_receipt"),
    path("consent/<int:case_id>/", service.consent, name="consent"),
    path("service/<int:pk>/", service.service, name="service"),
    path(
        "service/<int:pk>/proof/<int:attachment_id>/",
        service.attachment,
        name="service_attachment",
    ),
    path("payments/<int:decision_id>/", payments.payment_page, name="payments"),
]
