"""R13.1 in the browser: the custodian registers a recorder; an officer checks it out on
a tablet and returns it; the device's ledger shows both entries."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.devices.models import Device, DeviceStatus, EntryKind
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_checkout_and_return(
    page: Page, tablet_page: Page, custodian_zhou, officer_wang, unit_a
) -> None:
    login(page, "custodian_zhou", next_url="/devices/")
    page.click("[data-testid=device-new]")
    page.fill("input[name=serial]", "DSJ7001")
    page.select_option("select[name=kind]", "recorder")
    page.fill("input[name=model]", "DSJ-V8")
    page.select_option("select[name=unit]", str(unit_a.pk))
    page.fill("input[name=storage_place]", "执法装备室 1 号柜")
    page.click("[data-testid=device-save]")
    expect(page.locator("[data-testid=device-serial]")).to_have_text("DSJ7001")
    expect(page.locator("[data-testid=device-status]")).to_have_text("在库可用")
    device = Device.objects.get(serial="DSJ7001")

    tablet = login(tablet_page, "officer_wang", next_url=f"/devices/{device.pk}/")
    tablet.locator("[data-testid=device-checkout]").tap()
    tablet.fill("input[name=condition]", "完好，电量满")
    tablet.locator("[data-testid=checkout-save]").tap()
    expect(tablet.locator("[data-testid=device-status]")).to_have_text("已领取")
    expect(tablet.locator("[data-testid=device-holder]")).to_contain_text("王明")
    tablet.locator("[data-testid=device-return]").tap()
    tablet.fill("input[name=condition]", "外壳轻微划痕")
    tablet.locator("[data-testid=return-save]").tap()
    expect(tablet.locator("[data-testid=device-status]")).to_have_text("在库可用")

    page.reload()
    ledger = page.locator("[data-testid=device-ledger]")
    expect(ledger.locator("[data-testid=ledger-checkout]")).to_contain_text("完好，电量满")
    expect(ledger.locator("[data-testid=ledger-return]")).to_contain_text("外壳轻微划痕")
    expect(ledger.locator("[data-testid=ledger-checkout]")).to_contain_text("王明")
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_SERVICE
    assert list(device.ledger.values_list("kind", flat=True)) == [
        EntryKind.RETURN,
        EntryKind.CHECKOUT,
    ]
