"""Factories for test data, and the helpers every app's tests share (signing in, finding
an audited denial). Named personas live in conftest.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from liuhen.accounts.models import Bureau, Certificate, RoleGrant, Unit, User
from liuhen.cases.models import Case
from liuhen.core.audit import Actor
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.identifiers import complete_uscc, resident_id_check_char
from liuhen.subjects.models import Subject

PASSWORD = "Liuhen-test-2026"
# The server acting for the tests (seed data, as a management command would).
SYSTEM = Actor.system("test")


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("name",)

    name = "大洼区农业农村局"
    short_name = "洼农"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("bureau", "name")

    bureau = factory.SubFactory(BureauFactory)
    name = factory.Sequence(lambda n: f"执法科{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for role in extracted or ():
            RoleGrant.objects.get_or_create(user=self, role=role)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    officer = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"21110{n:06d}")
    issuing_authority = "辽宁省人民政府"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    valid_to = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3 * 365))


def resident_id(serial: int = 123, born: str = "19800229", area: str = "211104") -> str:
    """A valid resident identity card number (GB 11643-1999 check character)."""
    body = f"{area}{born}{serial:03d}"
    return body + resident_id_check_char(body)


def uscc(serial: int = 1) -> str:
    """A valid unified social credit code (GB 32100-2015, GB 11714 check characters)."""
    return complete_uscc(f"91211104{serial:08d}")


def person(
    number: str | None = None, *, actor: Any = SYSTEM, name: str = "赵大海", **values: Any
) -> Subject:
    """A person entered as a subject through the action (a valid resident id by default)."""
    return subject_actions.create_subject(
        actor, kind="person", name=name, resident_id=number or resident_id(), **values
    )


def unit_subject(
    code: str | None = None, *, actor: Any = SYSTEM, name: str = "某农资经营部", **values: Any
) -> Subject:
    """A unit entered as a subject through the action (a valid USCC by default)."""
    return subject_actions.create_subject(
        actor, kind="unit", name=name, uscc=code or uscc(), **values
    )


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"洼农（农药）立〔2026〕{n + 1}号")
    title = "某农资店涉嫌销售假农药案"
    unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def officers(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for officer in extracted or ():
            self.officers.add(officer)


def sign_in(client: Any, user: User) -> Any:
    """Log ``client`` in as ``user`` with the second factor already verified.

    ``client.force_login`` alone leaves an administrator (who must use 2FA) at the 2FA
    step; this also gives them a confirmed TOTP device and marks the session verified.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def denial(action: str, **fields: Any) -> AuditEvent:
    """The one audited denial of ``action`` (narrowed by ``fields``, e.g. ``object_id``):
    what a refused attempt — a 403, or a 404 for an object one may not see — leaves."""
    return AuditEvent.objects.get(action=action, outcome=Outcome.DENIED, **fields)


def pks(found: dict[str, Any], *names: str) -> set[int]:
    """The primary keys of the rows ``names`` of a test's ``found`` dict."""
    return {found[name].pk for name in names}


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on, for a server a test starts."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
