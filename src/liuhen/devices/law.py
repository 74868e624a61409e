"""The legal rules of the AV devices (R2.1, R13.1).

Law is configuration with citations: the only place a legal number of this app is
written; code asks ``rules.value(key)``. Registered by the app's ``ready()``; the
defaults and citations are listed in docs/rules.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

RULES: tuple[Rule, ...] = (
    # --- the device ledger (R13.1) ----------------------------------------------------
    Rule(
        key="device_checkout_hours",
        label=_("Longest checkout of an AV device"),
        description=_(
            "A recorder or other AV device out longer than this is flagged as not returned."
        ),
        kind=Kind.HOURS,
        default=24,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,  # the regulation requires the ledger, not a period: the bureau's own
        citations=(Citation(Law.REGULATION, "13"),),
    ),
)
