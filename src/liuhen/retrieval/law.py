"""How long a 调阅 grant lasts (制度第二十一条: retrieval strictly limited, R21.1).

The regulation sets no figure: the bureau chooses the default period and the longest one
a request may ask for. Registered by ``RetrievalConfig.ready()``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

RULES = (
    Rule(
        key="retrieval_grant_days",
        label=_("Default period of a retrieval grant"),
        description=_(
            "A retrieval request asks for this many days unless the requester asks for fewer "
            "or more; the grant ends when they have passed."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=7,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "21"),),
    ),
    Rule(
        key="retrieval_grant_max_days",
        label=_("Longest period of a retrieval grant"),
        description=_("A retrieval request may not ask for more days than this."),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "21"),),
    ),
)
