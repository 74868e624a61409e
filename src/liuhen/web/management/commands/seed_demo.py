"""`liuhen seed-demo`: the demo bureau, units, officers, one account per role, a few cases,
a demo seal certificate (R18.2) when none is installed, one archived case with its
archive package, two published decisions (R12.1), one against a natural person
(masked) and one against an organisation, one pending 调阅申请 (R21.1): an officer refused a
case of another unit asks to read it, waiting for that unit's head; and the supervisor's
work (R22, R23): a spot check, a complaint replay, a scored case file, a rectification
order and a unit under focused guidance.

Idempotent: running it again changes nothing. Everything goes through the actions, as the
server itself (the system actor), so the demo leaves the same audit trail as real work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from liuhen.accounts.actions import accounts, units
from liuhen.accounts.models import Role, Unit, User
from liuhen.archives.demo import seed_archived_case
from liuhen.cases.actions.registration import create_case, link_party
from liuhen.cases.models import Case
from liuhen.core import audit
from liuhen.devices import actions as devices
from liuhen.devices.models import Device
from liuhen.disclosure.demo import seed_publications
from liuhen.documents.actions.seal import install_demo_seal
from liuhen.documents.models import SealCertificate
from liuhen.media.demo import seed_recordings
from liuhen.retrieval.demo import seed_retrieval_request
from liuhen.subjects import actions as subjects
from liuhen.supervision.demo import seed_supervision
from liuhen.web import demo

SYSTEM = audit.SYSTEM


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
        # Each action commits on its own (one durable transaction each); an interrupted
        # seed is completed by running it again, which skips what exists.
        created = seed()
        sealed = seed_seal()
        recordings = seed_recordings()
        unit = Unit.objects.filter(name=demo.UNITS[0]).first()
        archived = unit is not None and seed_archived_case(unit)
        published = seed_publications(unit) if unit is not None else 0
        asked = seed_retrieval_request()
        supervised = seed_supervision(unit) if unit is not None else {}
        seal_note = ", demo seal installed" if sealed else ""
        archive_note = ", one case archived" if archived else ""
        asked_note = ", one retrieval request filed" if asked else ""
        made = [part for part, new in supervised.items() if new]
        supervision_note = f", supervision: {', '.join(made)}" if made else ""
        self.stdout.write(
            f"demo data ready ({created} new accounts, {recordings} recordings, "
            f"{published} decisions published{seal_note}{archive_note}{asked_note}"
            f"{supervision_note})"
        )


def seed() -> int:
    name, short_name, code = demo.BUREAU
    bureau = units.ensure_bureau(SYSTEM, name=name, short_name=short_name, code=code)
    bureau_units = [
        Unit.objects.filter(bureau=bureau, name=unit).first()
        or units.create_unit(SYSTEM, name=unit, bureau=bureau)
        for unit in demo.UNITS
    ]
    created = 0
    today = timezone.localdate()
    for index, (username, full_name, unit_index, roles) in enumerate(
        demo.OFFICERS + demo.STAFF, start=1
    ):
        if User.objects.filter(username=username).exists():
            continue
        user = accounts.create_user(
            SYSTEM,
            username=username,
            full_name=full_name,
            password=demo.DEMO_PASSWORD,
            unit=bureau_units[unit_index] if unit_index is not None else None,
            officer_number=f"DW{index:04d}",
            roles=roles,
            must_change_password=False,
        )
        created += 1
        if Role.OFFICER in roles:
            accounts.add_certificate(
                SYSTEM,
                user,
                number=f"21110{index:06d}",
                issuing_authority="辽宁省人民政府",
                valid_from=today - dt.timedelta(days=400),
                valid_to=today + dt.timedelta(days=1000),
            )
    for (number, field, title, unit_index, officers, stage), party in zip(
        demo.CASES, demo.PARTIES, strict=True
    ):
        if Case.objects.filter(number=number).exists():
            continue
        case = create_case(
            SYSTEM,
            number=number,
            field=field,
            title=title,
            unit=bureau_units[unit_index],
            officers=User.objects.filter(username__in=officers),
            stage=stage,
        )
        kind, name, identifiers = party
        subject = subjects.create_subject(SYSTEM, kind=kind, name=name, **identifiers)
        link_party(SYSTEM, case, subject)
    for serial, kind, unit_index, model, place in demo.DEVICES:
        if not Device.objects.filter(serial=serial).exists():
            devices.enrol_device(
                SYSTEM,
                serial=serial,
                kind=kind,
                unit=bureau_units[unit_index],
                model=model,
                storage_place=place,
            )
    return created


def seed_seal() -> bool:
    """A demo CA and seal certificate, so served documents can be issued (R18.2); a seal
    installed by the security administrator is left alone."""
    if SealCertificate.objects.filter(active=True).exists():
        return False
    install_demo_seal(SYSTEM, demo.BUREAU[0])
    return True
