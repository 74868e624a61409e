"""R21.2: case access by role, unit, assignment and confidentiality — allowed and denied."""

from __future__ import annotations

import pytest

from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access, registry
from liuhen.core.confidentiality import Confidentiality
from liuhen.core.models import AuditEvent, Outcome
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_assigned_officer_may_view_and_change_their_case(officer_wang, case_a):
    assert access.can(officer_wang, "case.view", case_a)
    assert access.can(officer_wang, "case.change", case_a)


def test_officer_of_another_unit_may_not_view(officer_li, case_a):
    assert not access.can(officer_li, "case.view", case_a)
    assert case_a not in access.visible(officer_li, Case.objects.all())


def test_unit_head_sees_own_unit_cases(head_zhang, case_a):
    assert access.can(head_zhang, "case.change", case_a)
    assert list(access.visible(head_zhang, Case.objects.all())) == [case_a]


@pytest.mark.parametrize(
    "persona", ["agency_head_liu", "reviewer_sun", "supervisor_zheng", "archivist_wu"]
)
def test_bureau_wide_readers_view_but_do_not_change(request, persona, case_a):
    user = request.getfixturevalue(persona)
    assert access.can(user, "case.view", case_a)
    assert not access.can(user, "case.change", case_a)
    assert access.visible(user, Case.objects.all()).count() == 1


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "secadmin_qian", "auditor_chen"])
def test_three_admins_never_read_case_data(request, persona, case_a):
    user = request.getfixturevalue(persona)
    assert not access.can(user, "case.view", case_a)
    assert access.visible(user, Case.objects.all()).count() == 0


def test_state_secret_case_is_hidden_from_unassigned_readers(
    unit_a, officer_wang, head_zhang, supervisor_zheng, agency_head_liu
):
    secret = CaseFactory(
        unit=unit_a, officers=[officer_wang], confidentiality=Confidentiality.STATE_SECRET
    )
    assert access.can(officer_wang, "case.view", secret)
    assert access.can(agency_head_liu, "case.view", secret)
    assert not access.can(head_zhang, "case.view", secret)
    assert not access.can(supervisor_zheng, "case.view", secret)
    assert access.visible(supervisor_zheng, Case.objects.all()).count() == 0
    assert access.visible(head_zhang, Case.objects.all()).count() == 0


def test_privacy_case_visible_to_own_unit_head_only(
    unit_a, officer_wang, head_zhang, supervisor_zheng
):
    private = CaseFactory(
        unit=unit_a, officers=[officer_wang], confidentiality=Confidentiality.PRIVACY
    )
    assert access.can(head_zhang, "case.view", private)
    assert not access.can(supervisor_zheng, "case.view", private)
    assert access.visible(head_zhang, Case.objects.all()).count() == 1


def test_scope_and_rule_agree_for_every_persona(request, unit_a, unit_b, officer_wang, officer_li):
    cases = [
        CaseFactory(unit=unit, officers=officers, confidentiality=level)
        for unit in (unit_a, unit_b)
        for officers in ([], [officer_wang], [officer_li])
        for level in Confidentiality.values
    ]
    for persona in [
        "officer_wang", "officer_li", "head_zhang", "agency_head_liu", "reviewer_sun",
        "custodian_zhou", "archivist_wu", "supervisor_zheng", "sysadmin_zhao",
        "secadmin_qian", "auditor_chen",
    ]:  # fmt: skip
        user = request.getfixturevalue(persona)
        listed = set(access.visible(user, Case.objects.all()).values_list("pk", flat=True))
        allowed = {case.pk for case in cases if access.can(user, "case.view", case)}
        assert listed == allowed, persona
        assert access.visible(user, Case.objects.all()).count() == len(allowed)


def test_undeclared_permission_is_a_programming_error(agency_head_liu, case_a):
    with pytest.raises(access.UnknownPermission):
        access.can(agency_head_liu, "case.obliterate", case_a)


def test_declared_permission_without_a_rule_is_denied(agency_head_liu, case_a):
    with registry.access_rules.without(CasePerms.VIEW):
        assert not access.can(agency_head_liu, CasePerms.VIEW, case_a)
    assert access.can(agency_head_liu, CasePerms.VIEW, case_a)


def test_inactive_user_is_denied(officer_wang, case_a):
    officer_wang.is_active = False
    officer_wang.save()
    assert not access.can(officer_wang, "case.view", case_a)


def test_require_audits_the_denial(officer_li, case_a):
    with pytest.raises(access.AccessDenied):
        access.require(officer_li, "case.view", case_a)
    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.case_id) == ("case.view", Outcome.DENIED, case_a.pk)
    assert event.actor_name == "officer_li"


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "secadmin_qian", "officer_wang"])
def test_only_the_audit_admin_reads_the_audit_log(request, persona, auditor_chen):
    user = request.getfixturevalue(persona)
    assert access.can(auditor_chen, "audit.view")
    assert not access.can(user, "audit.view")
    assert access.visible(user, AuditEvent.objects.all()).count() == 0


def test_the_system_actor_passes_but_a_device_does_not(case_a):
    from liuhen.core.audit import SYSTEM, Actor

    access.require(SYSTEM, "case.change", case_a)  # the operator's command on the server
    with pytest.raises(access.AccessDenied):
        access.require(Actor.device("DSJ0001"), "case.change", case_a)
    assert not access.can(Actor.device("DSJ0001"), "case.view", case_a)
    denied = AuditEvent.objects.get()
    assert (denied.actor_type, denied.actor_id, denied.outcome) == (
        "device",
        "DSJ0001",
        Outcome.DENIED,
    )
