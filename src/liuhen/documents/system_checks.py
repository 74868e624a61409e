"""System checks of the document forms (R6.1): every behaviour a built-in form names is
provided by an app (``registry.document_behaviours``); registered by
``DocumentsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.core import checks

from liuhen.core import registry
from liuhen.documents.catalog import catalog


def form_behaviours(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"the form {spec.code!r} names the behaviour {key!r}, which no app provides",
            id="liuhen.E020",
        )
        for spec in catalog.builtin_forms()
        for key in spec.behaviours
        if key not in registry.document_behaviours
    ]


SYSTEM_CHECKS = (form_behaviours,)
