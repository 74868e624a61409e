"""Account actions: allowed for the right administrator, denied (and audited) for others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from liuhen.accounts.actions import accounts, roles, security, units
from liuhen.accounts.models import Role, RoleGrant, SecuritySettings, Unit, User
from liuhen.core import access, audit
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from tests.factories import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Grass-Field-2026"
EVERY_PERSONA = [
    "officer_wang",
    "head_zhang",
    "agency_head_liu",
    "reviewer_sun",
    "custodian_zhou",
    "archivist_wu",
    "supervisor_zheng",
    "sysadmin_zhao",
    "secadmin_qian",
    "auditor_chen",
]


def last_event(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    assert event is not None, f"no {action} event"
    return event


# --- account management: the system admin only ----------------------------------------


def test_system_admin_creates_a_user_with_unit_and_post(sysadmin_zhao, unit_a) -> None:
    person = accounts.create_user(
        sysadmin_zhao,
        username="officer_new",
        full_name="新同事",
        password=NEW_PASSWORD,
        unit=unit_a,
        officer_number="DW9999",
    )
    assert person.unit == unit_a and person.check_password(NEW_PASSWORD)
    assert person.must_change_password  # an administrator chose the password
    assert person.password_changed_at is not None
    event = last_event("account.create")
    assert event.actor_id == str(sysadmin_zhao.pk) and event.object_id == str(person.pk)


@pytest.mark.parametrize("persona", [p for p in EVERY_PERSONA if p != "sysadmin_zhao"])
def test_nobody_else_creates_users(request, persona, unit_a) -> None:
    actor = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        accounts.create_user(actor, username="x_new", full_name="x", password=NEW_PASSWORD)
    assert not User.objects.filter(username="x_new").exists()
    denial = last_event("account.manage")
    assert denial.outcome == Outcome.DENIED and denial.actor_id == str(actor.pk)


def test_system_admin_cannot_give_roles_when_creating(sysadmin_zhao) -> None:
    with pytest.raises(AccessDenied):
        accounts.create_user(
            sysadmin_zhao,
            username="x_new",
            full_name="x",
            password=NEW_PASSWORD,
            roles=[Role.OFFICER],
        )


def test_system_actor_creates_with_roles_and_no_forced_change(bureau) -> None:
    person = accounts.create_user(
        audit.SYSTEM,
        username="seeded",
        full_name="种子",
        password=NEW_PASSWORD,
        roles=[Role.OFFICER],
    )
    assert person.roles == {Role.OFFICER} and not person.must_change_password
    assert last_event("account.create").actor_type == "system"


def test_weak_password_is_refused_on_create(sysadmin_zhao) -> None:
    with pytest.raises(ValidationError):
        accounts.create_user(sysadmin_zhao, username="weak", full_name="x", password="short")
    assert not User.objects.filter(username="weak").exists()


def test_duplicate_user_name_is_refused(sysadmin_zhao, officer_wang) -> None:
    with pytest.raises(ValidationError):
        accounts.create_user(
            sysadmin_zhao, username="OFFICER_WANG", full_name="x", password=NEW_PASSWORD
        )


def test_update_user_changes_profile_and_audits(sysadmin_zhao, officer_wang, unit_b) -> None:
    accounts.update_user(sysadmin_zhao, officer_wang, unit=unit_b, phone="13800000000")
    officer_wang.refresh_from_db()
    assert officer_wang.unit == unit_b
    assert last_event("account.update").details["unit"]["to"] == unit_b.pk


def test_officer_cannot_update_users(officer_wang, officer_li) -> None:
    with pytest.raises(AccessDenied):
        accounts.update_user(officer_wang, officer_li, phone="1")


@pytest.mark.parametrize("persona", ["secadmin_qian", "auditor_chen", "head_zhang"])
def test_only_system_admin_disables(request, persona, officer_wang) -> None:
    with pytest.raises(AccessDenied):
        accounts.disable_user(request.getfixturevalue(persona), officer_wang)
    officer_wang.refresh_from_db()
    assert officer_wang.is_active


def test_system_admin_cannot_disable_themselves(sysadmin_zhao) -> None:
    with pytest.raises(ValidationError):
        accounts.disable_user(sysadmin_zhao, sysadmin_zhao)


def test_disabling_ends_all_sessions_at_once(sysadmin_zhao, officer_wang, officer_li) -> None:
    first, second, bystander = Client(), Client(), Client()
    for client in (first, second):
        client.force_login(officer_wang)
        assert client.get("/accounts/me/").status_code == 200
    bystander.force_login(officer_li)
    accounts.disable_user(sysadmin_zhao, officer_wang)
    assert last_event("account.disable").details == {"sessions_ended": 2, "api_tokens_revoked": 0}
    for client in (first, second):
        response = client.get("/accounts/me/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert bystander.get("/accounts/me/").status_code == 200
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(officer_wang.pk) not in remaining


def test_sessions_begun_before_valid_after_are_refused(officer_wang) -> None:
    client = Client()
    client.force_login(officer_wang)
    assert client.get("/accounts/me/").status_code == 200
    # A session another engine kept (not deleted) ends by the stamp alone.
    User.objects.filter(pk=officer_wang.pk).update(
        sessions_valid_after=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    )
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert last_event("session.expired").details == {"reason": "revoked"}


def test_enable_and_unlock(sysadmin_zhao, officer_wang, clock) -> None:
    accounts.disable_user(sysadmin_zhao, officer_wang)
    accounts.enable_user(sysadmin_zhao, officer_wang)
    officer_wang.refresh_from_db()
    assert officer_wang.is_active
    officer_wang.failed_logins, officer_wang.locked_until = 5, clock.now + dt.timedelta(hours=1)
    officer_wang.save()
    accounts.unlock_user(sysadmin_zhao, officer_wang)
    officer_wang.refresh_from_db()
    assert not officer_wang.is_locked() and officer_wang.failed_logins == 0
    assert last_event("account.unlock").object_id == str(officer_wang.pk)


def test_unlock_denied_to_security_admin(secadmin_qian, officer_wang) -> None:
    with pytest.raises(AccessDenied):
        accounts.unlock_user(secadmin_qian, officer_wang)


def test_admin_password_reset_forces_a_change(sysadmin_zhao, officer_wang) -> None:
    accounts.set_password(sysadmin_zhao, officer_wang, NEW_PASSWORD)
    officer_wang.refresh_from_db()
    assert officer_wang.check_password(NEW_PASSWORD) and officer_wang.must_change_password
    assert last_event("account.password_set").actor_id == str(sysadmin_zhao.pk)


def test_password_reset_denied_to_others(secadmin_qian, officer_wang) -> None:
    with pytest.raises(AccessDenied):
        accounts.set_password(secadmin_qian, officer_wang, NEW_PASSWORD)


def test_change_own_password(officer_wang) -> None:
    with pytest.raises(ValidationError):
        accounts.change_password(officer_wang, old_password="nope", new_password=NEW_PASSWORD)
    assert last_event("account.password_change").outcome == Outcome.FAILED
    accounts.change_password(officer_wang, old_password=PASSWORD, new_password=NEW_PASSWORD)
    officer_wang.refresh_from_db()
    assert officer_wang.check_password(NEW_PASSWORD) and not officer_wang.must_change_password
    assert last_event("account.password_change").outcome == Outcome.OK


def test_certificates(sysadmin_zhao, officer_wang) -> None:
    today = dt.date(2026, 1, 1)
    certificate = accounts.add_certificate(
        sysadmin_zhao,
        officer_wang,
        number="21110999999",
        issuing_authority="辽宁省人民政府",
        valid_from=today,
        valid_to=today + dt.timedelta(days=365),
    )
    assert certificate.officer == officer_wang
    with pytest.raises(ValidationError):
        accounts.add_certificate(
            sysadmin_zhao,
            officer_wang,
            number="21110999998",
            issuing_authority="x",
            valid_from=today,
            valid_to=today - dt.timedelta(days=1),
        )
    accounts.revoke_certificate(sysadmin_zhao, certificate)
    certificate.refresh_from_db()
    assert certificate.revoked
    assert last_event("certificate.revoke").object_id == str(certificate.pk)


def test_certificates_denied_to_officer(officer_wang, head_zhang) -> None:
    with pytest.raises(AccessDenied):
        accounts.add_certificate(
            head_zhang,
            officer_wang,
            number="1",
            issuing_authority="x",
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2027, 1, 1),
        )


# --- units ---------------------------------------------------------------------------


def test_system_admin_creates_and_updates_units(sysadmin_zhao, bureau) -> None:
    unit = units.create_unit(sysadmin_zhao, name="渔业执法科", code="YY")
    assert unit.bureau == bureau
    with pytest.raises(ValidationError):
        units.create_unit(sysadmin_zhao, name="渔业执法科")
    units.update_unit(sysadmin_zhao, unit, name="渔业执法大队", code="YY", active=False)
    unit.refresh_from_db()
    assert unit.name == "渔业执法大队" and not unit.active
    assert last_event("unit.update").details["name"] == {"from": "渔业执法科", "to": "渔业执法大队"}


@pytest.mark.parametrize("persona", ["secadmin_qian", "auditor_chen", "agency_head_liu"])
def test_units_denied_to_others(request, persona, bureau) -> None:
    with pytest.raises(AccessDenied):
        units.create_unit(request.getfixturevalue(persona), name="渔业执法科")
    assert not Unit.objects.filter(name="渔业执法科").exists()


# --- roles: the security admin, and 三员分立 -----------------------------------------


def test_security_admin_grants_and_revokes(secadmin_qian, officer_wang) -> None:
    roles.grant_role(secadmin_qian, officer_wang, Role.CUSTODIAN)
    assert officer_wang.has_role(Role.CUSTODIAN)
    assert last_event("role.grant").details == {"role": "custodian"}
    roles.revoke_role(secadmin_qian, officer_wang, Role.CUSTODIAN)
    assert not User.objects.get(pk=officer_wang.pk).has_role(Role.CUSTODIAN)
    assert last_event("role.revoke").details == {"role": "custodian"}


@pytest.mark.parametrize("persona", [p for p in EVERY_PERSONA if p != "secadmin_qian"])
def test_nobody_else_grants_roles(request, persona, officer_li) -> None:
    with pytest.raises(AccessDenied):
        roles.grant_role(request.getfixturevalue(persona), officer_li, Role.AGENCY_HEAD)
    assert not officer_li.role_grants.filter(role=Role.AGENCY_HEAD).exists()
    assert last_event("role.grant").outcome == Outcome.DENIED


def test_security_admin_cannot_change_own_roles(secadmin_qian) -> None:
    with pytest.raises(AccessDenied):
        roles.grant_role(secadmin_qian, secadmin_qian, Role.AGENCY_HEAD)
    with pytest.raises(AccessDenied):
        roles.revoke_role(secadmin_qian, secadmin_qian, Role.SECURITY_ADMIN)


@pytest.mark.parametrize("second", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_account_holds_two_admin_roles(secadmin_qian, sysadmin_zhao, second) -> None:
    with pytest.raises(ValidationError) as refused:
        roles.grant_role(secadmin_qian, sysadmin_zhao, second)
    assert refused.value.code == "separation_of_duties"
    assert sysadmin_zhao.role_grants.count() == 1


def test_three_admin_rule_is_translated(secadmin_qian, auditor_chen) -> None:
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        roles.grant_role(secadmin_qian, auditor_chen, Role.SYSTEM_ADMIN)
    assert "三员分立" in refused.value.messages[0]


def test_three_admin_rule_holds_at_the_model_layer(auditor_chen) -> None:
    with pytest.raises(ValidationError):
        RoleGrant.objects.create(user=auditor_chen, role=Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError):
        accounts.create_user(
            audit.SYSTEM,
            username="two_hats",
            full_name="x",
            password=NEW_PASSWORD,
            roles=[Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN],
        )


def test_admin_role_plus_ordinary_role_is_allowed_by_the_rule(secadmin_qian, sysadmin_zhao):
    # 三员 forbids two admin roles; an ordinary role beside one is the policy's business.
    roles.grant_role(secadmin_qian, sysadmin_zhao, Role.OFFICER)
    assert sysadmin_zhao.role_grants.count() == 2


def test_security_admin_resets_two_factor(secadmin_qian, sysadmin_zhao) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=sysadmin_zhao, name="phone", confirmed=True)
    assert accounts.reset_two_factor(secadmin_qian, sysadmin_zhao) == 1
    assert not TOTPDevice.objects.filter(user=sysadmin_zhao).exists()
    with pytest.raises(AccessDenied):
        accounts.reset_two_factor(sysadmin_zhao, secadmin_qian)
    with pytest.raises(AccessDenied):
        accounts.reset_two_factor(secadmin_qian, secadmin_qian)


# --- security settings ---------------------------------------------------------------


def test_security_admin_updates_settings(secadmin_qian) -> None:
    security.update_security_settings(secadmin_qian, login_max_failures=3, password_max_age_days=90)
    row = SecuritySettings.load()
    assert row.login_max_failures == 3 and row.password_max_age_days == 90
    assert last_event("security.configure").details["login_max_failures"] == {"from": 5, "to": 3}


def test_minimum_length_floor(secadmin_qian) -> None:
    with pytest.raises(ValidationError):
        security.update_security_settings(secadmin_qian, password_min_length=6)


@pytest.mark.parametrize("persona", [p for p in EVERY_PERSONA if p != "secadmin_qian"])
def test_security_settings_denied_to_others(request, persona) -> None:
    with pytest.raises(AccessDenied):
        security.update_security_settings(
            request.getfixturevalue(persona), require_2fa_for_all=True
        )
    assert not SecuritySettings.load().require_2fa_for_all


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("sysadmin_zhao", True),
        ("secadmin_qian", True),
        ("auditor_chen", False),
        ("officer_wang", False),
        ("head_zhang", False),
    ],
)
def test_account_list_rule(request, persona, allowed) -> None:
    assert access.can(request.getfixturevalue(persona), "account.list") is allowed


def test_sign_in_helper_verifies_admins(client: Client, auditor_chen) -> None:
    sign_in(client, auditor_chen)
    assert client.get("/accounts/me/").status_code == 200
