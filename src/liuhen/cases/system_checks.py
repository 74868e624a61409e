"""System checks of the approval steps the apps registered (R7.1): a step whose approval
must carry something out has a handler; registered by ``CasesConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.core import checks

from liuhen.cases import approvals


def approval_steps(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"the approval step {key!r} has no handler: approving it would do nothing",
            hint="Give it on_approved, or needs_handler=False if its approval is only read.",
            id="liuhen.E010",
        )
        for key, step in approvals.steps().items()
        if step.needs_handler and step.on_approved is None
    ]


SYSTEM_CHECKS = (approval_steps,)
