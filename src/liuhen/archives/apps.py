from __future__ import annotations

from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "liuhen.archives"
    label = "archives"
    verbose_name = "Archives"
