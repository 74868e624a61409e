"""Account pages: each shown to the administrator it belongs to, refused to others."""

from __future__ import annotations

import pytest
from django.test import Client

from liuhen.accounts.models import Role, SecuritySettings, Unit, User
from tests.factories import denial, sign_in

pytestmark = pytest.mark.django_db

PAGES = {
    "/accounts/users/": {"sysadmin_zhao", "secadmin_qian"},
    "/accounts/users/new/": {"sysadmin_zhao"},
    "/accounts/units/": {"sysadmin_zhao"},
    "/accounts/units/new/": {"sysadmin_zhao"},
    "/accounts/security/": {"secadmin_qian"},
}
PERSONAS = ["officer_wang", "head_zhang", "sysadmin_zhao", "secadmin_qian", "auditor_chen"]


@pytest.mark.parametrize("url", list(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_access(request, client: Client, url: str, persona: str) -> None:
    sign_in(client, request.getfixturevalue(persona))
    expected = 200 if persona in PAGES[url] else 403
    assert client.get(url).status_code == expected


def test_profile_shows_roles_unit_and_certificates(client: Client, head_zhang) -> None:
    sign_in(client, head_zhang)
    html = client.get("/accounts/me/").content.decode()
    assert "种植业执法科" in html and "科室负责人" in html
    assert head_zhang.certificates.get().number in html


def test_roles_are_shown_apart(client: Client, head_zhang, sysadmin_zhao) -> None:
    """Several roles read as a list (执法人员、科室负责人), never run together."""
    sign_in(client, head_zhang)
    html = client.get("/accounts/me/").content.decode()
    assert "执法人员、科室负责人" in html
    client.logout()
    sign_in(client, sysadmin_zhao)
    html = client.get("/accounts/users/").content.decode()
    assert "执法人员、科室负责人" in html


def test_users_list_filters_and_shows_state(
    client: Client, sysadmin_zhao, officer_wang, officer_li, clock
) -> None:
    import datetime as dt

    User.objects.filter(pk=officer_li.pk).update(locked_until=clock.now + dt.timedelta(hours=1))
    sign_in(client, sysadmin_zhao)
    html = client.get("/accounts/users/").content.decode()
    assert "officer_wang" in html and "已锁定" in html
    html = client.get(f"/accounts/users/?unit={officer_wang.unit_id}").content.decode()
    assert "officer_wang" in html and "officer_li" not in html
    html = client.get(f"/accounts/users/?role={Role.SYSTEM_ADMIN}").content.decode()
    assert "sysadmin_zhao" in html and "officer_wang" not in html


def test_user_detail_visible_to_same_unit_not_others(
    client: Client, officer_wang, head_zhang, officer_li
) -> None:
    sign_in(client, officer_wang)
    assert client.get(f"/accounts/users/{head_zhang.pk}/").status_code == 200
    assert client.get(f"/accounts/users/{officer_li.pk}/").status_code == 404
    # The attempt on an account of another unit is audited, its existence not revealed.
    denied = denial("account.view", object_type="accounts.user", object_id=str(officer_li.pk))
    assert denied.actor_name == "officer_wang"


def test_changing_an_account_of_another_unit_answers_404_and_is_audited(
    client: Client, officer_wang, officer_li
) -> None:
    sign_in(client, officer_wang)
    assert client.post(f"/accounts/users/{officer_li.pk}/disable/").status_code == 404
    assert denial("account.manage", object_id=str(officer_li.pk)).actor_name == "officer_wang"
    officer_li.refresh_from_db()
    assert officer_li.is_active


def test_changing_a_visible_account_without_the_right_answers_403(
    client: Client, officer_wang, head_zhang
) -> None:
    sign_in(client, officer_wang)
    assert client.post(f"/accounts/users/{head_zhang.pk}/disable/").status_code == 403
    assert denial("account.manage", object_id=str(head_zhang.pk)).actor_name == "officer_wang"


def test_revoking_a_certificate_of_a_hidden_account_answers_404(
    client: Client, officer_wang, officer_li
) -> None:
    certificate = officer_li.certificates.get()
    sign_in(client, officer_wang)
    assert client.post(f"/accounts/certificates/{certificate.pk}/revoke/").status_code == 404
    denied = denial("account.manage", object_type="accounts.certificate")
    assert denied.object_id == str(certificate.pk) and denied.actor_name == "officer_wang"
    certificate.refresh_from_db()
    assert not certificate.revoked


def test_system_admin_revokes_a_certificate_through_the_page(
    client: Client, sysadmin_zhao, officer_li
) -> None:
    certificate = officer_li.certificates.get()
    sign_in(client, sysadmin_zhao)
    response = client.post(f"/accounts/certificates/{certificate.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{officer_li.pk}/"
    certificate.refresh_from_db()
    assert certificate.revoked


def test_editing_a_unit_that_is_not_there_answers_404_and_is_audited(
    client: Client, sysadmin_zhao, unit_a
) -> None:
    sign_in(client, sysadmin_zhao)
    assert client.get(f"/accounts/units/{unit_a.pk}/edit/").status_code == 200
    assert client.get("/accounts/units/999999/edit/").status_code == 404
    assert denial("unit.manage", object_id="999999").actor_name == "sysadmin_zhao"


def test_system_admin_creates_and_disables_through_pages(
    client: Client, sysadmin_zhao, unit_a
) -> None:
    sign_in(client, sysadmin_zhao)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "officer_new",
            "full_name": "新同事",
            "unit": unit_a.pk,
            "new_password1": "Grass-Field-2026",
            "new_password2": "Grass-Field-2026",
        },
    )
    person = User.objects.get(username="officer_new")
    assert response["Location"] == f"/accounts/users/{person.pk}/"
    client.post(f"/accounts/users/{person.pk}/disable/")
    person.refresh_from_db()
    assert not person.is_active


def test_weak_initial_password_shows_an_error(client: Client, sysadmin_zhao) -> None:
    sign_in(client, sysadmin_zhao)
    response = client.post(
        "/accounts/users/new/",
        {"username": "weak", "full_name": "x", "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200 and "至少" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_security_admin_grants_roles_through_the_page(
    client: Client, secadmin_qian, sysadmin_zhao, officer_wang
) -> None:
    sign_in(client, secadmin_qian)
    url = f"/accounts/users/{officer_wang.pk}/roles/grant/"
    assert client.post(url, {"role": Role.CUSTODIAN}).status_code == 302
    assert User.objects.get(pk=officer_wang.pk).has_role(Role.CUSTODIAN)
    response = client.post(
        f"/accounts/users/{sysadmin_zhao.pk}/roles/grant/", {"role": Role.AUDIT_ADMIN}
    )
    assert response.status_code == 200 and "三员分立" in response.content.decode()


def test_system_admin_cannot_grant_roles_through_the_page(
    client: Client, sysadmin_zhao, officer_wang
) -> None:
    sign_in(client, sysadmin_zhao)
    url = f"/accounts/users/{officer_wang.pk}/roles/grant/"
    assert client.post(url, {"role": Role.AGENCY_HEAD}).status_code == 403
    assert not User.objects.get(pk=officer_wang.pk).has_role(Role.AGENCY_HEAD)


def test_units_page_creates(client: Client, sysadmin_zhao, bureau) -> None:
    sign_in(client, sysadmin_zhao)
    assert client.post("/accounts/units/new/", {"name": "渔业执法科"}).status_code == 302
    assert Unit.objects.filter(name="渔业执法科").exists()
    assert "渔业执法科" in client.get("/accounts/units/").content.decode()


def test_security_settings_page_saves(client: Client, secadmin_qian) -> None:
    sign_in(client, secadmin_qian)
    form = {
        "login_max_failures": 4,
        "lockout_seconds": 600,
        "session_idle_seconds": 900,
        "session_max_age_seconds": 28800,
        "password_min_length": 10,
        "password_max_age_days": 0,
    }
    assert client.post("/accounts/security/", form).status_code == 302
    row = SecuritySettings.load()
    assert row.login_max_failures == 4 and not row.password_require_complexity
    response = client.post("/accounts/security/", {**form, "password_min_length": 6})
    assert response.status_code == 200
    assert SecuritySettings.load().password_min_length == 10


def test_otp_setup_page_has_no_inline_script_or_style(client: Client, officer_wang) -> None:
    sign_in(client, officer_wang)
    html = client.get("/accounts/two-factor/setup/").content.decode()
    assert "<style" not in html and " style=" not in html
    assert "<script>" not in html
