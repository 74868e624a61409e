from __future__ import annotations

from tests.fixtures.api import ApiClient, token_for


def test_units_are_listed_for_every_account(unit_a, unit_b, officer_li) -> None:
    listed = ApiClient(token_for(officer_li)).get("/units").json()
    assert [item["name"] for item in listed["items"]] == ["种植业执法科", "畜牧兽医执法科"]
    assert listed["count"] == 2


def test_a_device_sees_no_units(unit_a) -> None:
    from tests.fixtures.api import device_token

    assert ApiClient(device_token()).get("/units").json()["count"] == 0


def test_me_lists_roles_of_an_admin_without_unit(auditor_chen) -> None:
    me = ApiClient(token_for(auditor_chen)).get("/me").json()
    assert (me["username"], me["roles"], me["unit"]) == ("auditor_chen", ["audit_admin"], None)
