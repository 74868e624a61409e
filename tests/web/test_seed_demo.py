"""`liuhen seed-demo`: the demo bureau with one account per role; idempotent; audited."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from liuhen.accounts.models import Bureau, Certificate, Role, Unit, User
from liuhen.archives import demo as archives_demo
from liuhen.cases import numbering
from liuhen.cases.models import Case
from liuhen.core.models import AuditEvent
from liuhen.core.verify import verify_chain
from liuhen.disclosure import demo as disclosure_demo
from liuhen.subjects.models import CaseParty, Subject
from liuhen.web import demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_file")]


def test_seed_demo_creates_the_bureau_once(capsys) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    assert Bureau.objects.get().name == "盘锦市大洼区农业农村局"
    assert list(Unit.objects.values_list("name", flat=True)) == list(demo.UNITS)
    officers = User.objects.filter(role_grants__role=Role.OFFICER).distinct()
    assert officers.count() == 12
    assert Certificate.objects.filter(officer__in=officers).count() == 12
    for role in Role.values:
        assert User.objects.filter(role_grants__role=role).exists(), role
    # The demo cases, the two decided cases whose decisions are published (R12.1), and one
    # archived with its file and archive package.
    extra = len(disclosure_demo.CASES) + 1
    assert Case.objects.count() == len(demo.CASES) + extra
    assert CaseParty.objects.count() == len(demo.CASES) + extra
    archived = Case.objects.get(number=archives_demo.NUMBER)
    assert archived.archived_at is not None
    assert archived.case_file.archive_number and archived.case_file.bound_id
    [package] = archived.archive_packages.all()
    assert package.item_count == 2 + len(archives_demo.SCANS)  # bound file, catalogue, scans
    # Each demo case is in a configured field, so its decisions are numbered in that field.
    pesticide = Case.objects.get(number="洼农（农药）立〔2026〕1号")
    assert pesticide.field == "农药"
    assert numbering.peek(numbering.KIND_PENALTY, pesticide.field).startswith("洼农（农药）罚〔")
    feed = Case.objects.get(number="洼农（饲料）立〔2026〕4号")
    assert feed.field == "饲料和饲料添加剂"
    assert numbering.peek(numbering.KIND_PENALTY, feed.field).startswith("洼农（饲料）罚〔")
    from liuhen.devices.models import Device

    assert Device.objects.count() == len(demo.DEVICES)  # recorders to check out
    from liuhen.media.models import AvRecord

    # One clip and one photo through the station, probed, with the recorder's officer.
    clip, photo = AvRecord.objects.order_by("pk")
    assert (clip.kind, photo.kind) == ("video", "photo")
    assert clip.officer.username == "wangming" and clip.via_device.serial == "CJZ-DW-0001"
    assert clip.probe.duration and clip.probe.thumbnail_id and photo.probe.thumbnail_id
    assert all(s.resident_id_encrypted for s in Subject.objects.filter(kind="person"))
    assert all(
        User.objects.get(username=u).check_password(demo.DEMO_PASSWORD) for u, _ in demo.DEMO_LOGINS
    )
    assert AuditEvent.objects.filter(action="account.create").count() == User.objects.count()
    # One pending 调阅申请 (R21.1): an officer of another unit asks for the crop unit's case;
    # it waits in that unit's head's 我的待办, and a second run files no other.
    from liuhen.retrieval import inbox as retrieval_inbox
    from liuhen.retrieval.models import RequestStatus, RetrievalRequest

    [asked] = RetrievalRequest.objects.all()
    assert asked.requested_by.username == "liuyang" and asked.case == pesticide
    assert asked.requested_by.unit != pesticide.unit and asked.owning_unit_id == pesticide.unit_id
    assert asked.status() == RequestStatus.PENDING
    waiting = retrieval_inbox.requests_to_decide(User.objects.get(username="zhangwei"))
    assert [task.subject for task in waiting] == [asked.number]
    assert retrieval_inbox.requests_to_decide(User.objects.get(username="huangli")) == []
    assert verify_chain().ok
    out = capsys.readouterr().out
    assert "0 new accounts" in out and out.count("one retrieval request filed") == 1


def test_if_empty_leaves_an_existing_installation_alone(officer_wang, capsys) -> None:
    call_command("seed_demo", "--if-empty")
    assert not Bureau.objects.filter(name="盘锦市大洼区农业农村局").exists()
    assert "not loaded" in capsys.readouterr().out


def test_the_demo_parties_identifiers_pass_the_checks_a_person_would_face() -> None:
    # The demo is what a new bureau sees first: its codes must be ones the party form accepts.
    from liuhen.subjects.identifiers import validate_resident_id, validate_uscc

    for _kind, name, fields in demo.PARTIES:
        if "uscc" in fields:
            assert validate_uscc(fields["uscc"]), name
        if "resident_id" in fields:
            assert validate_resident_id(fields["resident_id"]), name
