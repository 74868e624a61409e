from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.supervision.views import accountability, findings, guidance, rectification

app_name = "supervision"
urlpatterns: list[URLPattern] = []

urlpatterns += [
    path("findings/", findings.finding_list, name="findings"),
    path("findings/export.<str:fmt>", findings.finding_export, name="findings_export"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding"),
    path("rectifications/", rectification.order_list, name="rectifications"),
    path(
        "rectifications/export.<str:fmt>", rectification.order_export, name="rectifications_export"
    ),
    path("rectifications/new/", rectification.order_new, name="rectification_new"),
    path("rectifications/<int:pk>/", rectification.order_detail, name="rectification"),
    path(
        "rectifications/evidence/<int:pk>/",
        rectification.evidence_file,
        name="rectification_evidence",
    ),
    path("accountability/", accountability.record_list, name="accountability"),
    path(
        "accountability/export.<str:fmt>",
        accountability.record_export,
        name="accountability_export",
    ),
    path("accountability/new/", accountability.record_new, name="accountability_new"),
    path("accountability/<int:pk>/", accountability.record_detail, name="accountability_record"),
    path("guidance/", guidance.guidance_page, name="guidance"),
    path("guidance/<int:pk>/", guidance.guidance_entry, name="guidance_entry"),
]
