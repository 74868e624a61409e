"""``liuhen check`` (and ``liuhen serve``, which runs it first) refuses wiring that does not
hold together: each kind of broken wiring is made here and the check must fail."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from liuhen.cases import approvals
from liuhen.cases.perms import CasePerms
from liuhen.core import registry, system_checks
from liuhen.core.navigation import Entry

pytestmark = pytest.mark.usefixtures("signing_key_file")


def _fails(match: str) -> None:
    with pytest.raises(SystemCheckError, match=match):
        call_command("check", verbosity=0)


def test_the_wiring_as_shipped_passes() -> None:
    call_command("check", verbosity=0)


def test_a_navigation_entry_to_no_page() -> None:
    entry = Entry("ghost", "Ghost", "cases:ghost", None, order=999)
    with registry.navigation.temporarily("ghost", entry):
        _fails("liuhen.E001")


def test_a_navigation_entry_with_an_undeclared_permission() -> None:
    entry = Entry("ghost", "Ghost", "cases:list", "case.haunt", order=999)
    with registry.navigation.temporarily("ghost", entry):
        _fails("liuhen.E002")


def test_an_access_rule_for_an_undeclared_permission() -> None:
    with registry.access_rules.temporarily("case.haunt", lambda user, obj: True):
        _fails("liuhen.E003")


def test_a_declared_permission_without_a_rule() -> None:
    with registry.access_rules.without(CasePerms.VIEW):
        _fails("liuhen.E004")


def test_a_legal_rule_asked_for_but_declared_nowhere() -> None:
    used = {key for _path, _line, key in system_checks.rule_keys_in_source()}
    assert {"hearing_notice", "av_raw_retention_months", "payment"} <= used  # the scan finds them
    with registry.rules.without("hearing_notice"):
        _fails("'hearing_notice', which no app declares")


def test_an_approval_step_without_its_handler() -> None:
    step = approvals.ApprovalStep("haunting", "Haunting")
    with registry.approval_steps.temporarily("haunting", step):
        _fails("liuhen.E010")


def test_an_approval_step_that_needs_no_handler_passes() -> None:
    step = approvals.ApprovalStep("haunting", "Haunting", needs_handler=False)
    with registry.approval_steps.temporarily("haunting", step):
        call_command("check", verbosity=0)


def test_a_contribution_registered_twice_is_refused() -> None:
    with pytest.raises(registry.AlreadyRegistered):
        registry.case_sections.add("officers", registry.case_sections["officers"])


def test_a_form_naming_a_behaviour_no_app_provides() -> None:
    with registry.document_behaviours.without("payment_qr"):
        _fails("liuhen.E020")
