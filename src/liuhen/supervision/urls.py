from __future__ import annotations

from django.urls import URLPattern

app_name = "supervision"
urlpatterns: list[URLPattern] = []

from django.urls import path  # noqa: E402

from liuhen.supervision.views import coverage, spot_checks  # noqa: E402

urlpatterns += [
    path("coverage/", coverage.coverage, name="coverage"),
    path("spot-checks/", spot_checks.spot_checks, name="spot_checks"),
    path("spot-checks/ledger.<str:fmt>", spot_checks.ledger_export, name="spot_check_export"),
    path("spot-checks/<int:pk>/", spot_checks.plan_page, name="spot_check_plan"),
    path("spot-checks/<int:pk>/draw/", spot_checks.draw, name="spot_check_draw"),
    path("spot-checks/review/<int:pk>/", spot_checks.review, name="spot_check_review"),
]
