from __future__ import annotations

from django.urls import path

from liuhen.core import config_views

app_name = "config"
urlpatterns = [
    path("rules/", config_views.rule_list, name="rules"),
    path("rules/<slug:key>/", config_views.rule_edit, name="rule_edit"),
    path("calendar/", config_views.calendar_page, name="calendar"),
]
