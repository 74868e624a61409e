"""System checks of the cases app's wiring, registered by ``CasesConfig.ready()``: a step
whose approval must carry something out has a handler (R7.1); one app records the activity
of an on-the-spot penalty (R5.1)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from liuhen.cases import approvals
from liuhen.core import registry


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


def activity_recorder(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if len(registry.activity_recorders) == 1:
        return []
    return [
        checks.Error(
            f"{len(registry.activity_recorders)} activity recorders registered, not one: the "
            "simple procedure cannot record its on-the-spot penalty as an activity",
            hint="The activities app registers record_activity_within in its ready().",
            id="liuhen.E011",
        )
    ]


SYSTEM_CHECKS = (approval_steps, activity_recorder)
