"""``liuhen supervision resample PLAN``: draw each unit's sample of a spot-check plan again
from its recorded seed and today's population, and say whether it is the one recorded
(制度第二十二条). Exit status 2 when the plan is unknown, 1 when a sample differs (the
population changed, or the sample was not drawn as recorded)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from liuhen.supervision.actions import spot_checks as actions
from liuhen.supervision.models import SpotCheckPlan
from liuhen.supervision.spot_checks.population import population


class Command(BaseCommand):
    help = "Recompute the random samples of a spot-check plan from their seeds."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        resample = sub.add_parser("resample", help="recompute a plan's samples")
        resample.add_argument("plan", type=int, help="the plan's id")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = SpotCheckPlan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"no spot-check plan {options['plan']}", returncode=2)
        differs = False
        for sample in plan.samples.select_related("unit").order_by("unit_id"):
            ids = population(plan, sample.unit)
            try:
                again = actions.recompute(sample, ids)
            except ValidationError:
                differs = True
                self.stdout.write(f"unit {sample.unit_id}: population differs")
                continue
            same = again == sample.record_ids
            differs = differs or not same
            word = "same" if same else "DIFFERS"
            self.stdout.write(f"unit {sample.unit_id}: seed {sample.seed}: {word} {again}")
        if differs:
            raise CommandError("a sample differs from the one recorded", returncode=1)
