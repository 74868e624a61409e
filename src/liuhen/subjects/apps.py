from __future__ import annotations

from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "liuhen.subjects"
    label = "subjects"
    default_auto_field = "django.db.models.BigAutoField"
