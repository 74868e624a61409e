"""`liuhen seed-demo`: the demo bureau, units, officers, one account per role, a few cases.

Idempotent: running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.models import Bureau, Certificate, RoleGrant, Unit, User
from liuhen.cases.models import Case
from liuhen.core import audit
from liuhen.web import demo


class Command(BaseCommand):
    help = "Create the demo organisation (大洼区农业农村局) with accounts for every role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when any account exists"
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and User.objects.exists():
            self.stdout.write("accounts exist; demo data not loaded")
            return
        with transaction.atomic():
            created = seed()
        self.stdout.write(f"demo data ready ({created} new accounts)")


def seed() -> int:
    name, short_name, code = demo.BUREAU
    bureau, _ = Bureau.objects.get_or_create(
        name=name, defaults={"short_name": short_name, "code": code}
    )
    units = [Unit.objects.get_or_create(bureau=bureau, name=unit)[0] for unit in demo.UNITS]
    created = 0
    today = timezone.localdate()
    for index, (username, full_name, unit_index, roles) in enumerate(
        demo.OFFICERS + demo.STAFF, start=1
    ):
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "unit": units[unit_index] if unit_index is not None else None,
                "officer_number": f"DW{index:04d}",
                "password_changed_at": timezone.now(),
            },
        )
        if is_new:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
            audit.record("account.create", obj=user, details={"source": "seed-demo"})
        for role in roles:
            RoleGrant.objects.get_or_create(user=user, role=role)
        if user in User.objects.filter(role_grants__role__in=("officer", "unit_head")):
            Certificate.objects.get_or_create(
                officer=user,
                defaults={
                    "number": f"21110{index:06d}",
                    "issuing_authority": "辽宁省人民政府",
                    "valid_from": today - dt.timedelta(days=400),
                    "valid_to": today + dt.timedelta(days=1000),
                },
            )
    for number, title, unit_index, officers, stage in demo.CASES:
        case, is_new = Case.objects.get_or_create(
            number=number, defaults={"title": title, "unit": units[unit_index], "stage": stage}
        )
        if is_new:
            case.officers.set(User.objects.filter(username__in=officers))
            audit.record("case.create", obj=case, details={"source": "seed-demo"})
    return created
