from __future__ import annotations

from django.urls import path

from liuhen.supervision.views import statistics as views

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("annual-report/", views.annual_report, name="annual_report"),
]
