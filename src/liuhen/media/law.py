"""The legal rules of the AV records (R2.1, R18.4).

Law is configuration with citations: the only place a legal number of this app is
written; code asks ``rules.value(key)``. Registered by the app's ``ready()``; the
defaults and citations are listed in docs/rules.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

RULES: tuple[Rule, ...] = (
    Rule(
        key="av_raw_retention_months",
        label=_("Retention of raw AV material"),
        description=_(
            "Raw AV is kept at least this many months, counted from the day after the later "
            "of capture and upload; AV used as evidence is kept with its case file."
        ),
        # 不少于六个月: calendar months (民法典 Art. 201, 202), never shortened, and the
        # bureau's own duty to keep the material, so a rest day does not move its end.
        kind=Kind.MONTHS,
        default=6,
        minimum=6,
        serves=Serves.AGENCY,
        at_least=True,
        citations=(Citation(Law.REGULATION, "18"),),
    ),
    Rule(
        key="av_upload_grace_hours",
        label=_("Upload time after continuous or remote work"),
        description=_(
            "AV that could not be stored on the day of return (continuous work, remote or "
            "hard-to-reach places) is stored within this many hours of the device's return."
        ),
        # The regulation's 24 hours are the bureau's own duty: it may shorten them only.
        kind=Kind.HOURS,
        default=24,
        minimum=1,
        maximum=24,
        serves=Serves.AGENCY,
        citations=(Citation(Law.REGULATION, "15"),),
    ),
    Rule(
        key="av_capture_time_tolerance_minutes",
        label=_("Tolerance between the capture time given and the file's own"),
        description=_(
            "The capture time written inside a file (the container's creation time, a "
            "photo's EXIF time) is the record's capture time; when the time given at upload "
            "differs from it by more than this many minutes, the record shows a warning."
        ),
        # A recorder clock drifts by seconds, a file copied later carries its copy time:
        # no law gives a figure, the bureau's own control of its device clocks does.
        kind=Kind.MINUTES,
        default=5,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "15"), Citation(Law.REGULATION, "16")),
    ),
)
