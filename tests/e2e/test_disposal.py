"""R18.4 in the browser: the custodian ticks records past retention and asks; the agency
head, on a tablet, approves with an opinion; the stored file is gone, the other stays."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.core import blobs
from liuhen.core.blobs import store_blob
from liuhen.media.models import AvDisposal, AvRecord, DisposalRequest
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def _old_record(officer: Any, data: bytes, name: str, days: int) -> AvRecord:
    return AvRecord.objects.create(
        blob=store_blob(io.BytesIO(data)),
        kind="video",
        source="upload",
        original_name=name,
        content_type="video/mp4",
        unit=officer.unit,
        officer=officer,
        uploaded_by=officer,
        uploaded_at=timezone.now() - dt.timedelta(days=days),
    )


def test_custodian_asks_and_agency_head_approves_on_a_tablet(
    page: Page, tablet_page: Page, settings, tmp_path, officer_wang, custodian_zhou, agency_head_liu
) -> None:
    settings.BLOB_URL = str(tmp_path / "blobs")
    store = blobs.get_store()
    first = _old_record(officer_wang, b"first clip" * 100, "巡查-0301.mp4", 200)
    second = _old_record(officer_wang, b"second clip" * 100, "巡查-0302.mp4", 190)
    _old_record(officer_wang, b"recent clip", "巡查-0901.mp4", 3)

    login(page, "custodian_zhou", next_url="/media/disposal/")
    expect(page.locator("[data-testid=candidate-row]")).to_have_count(2)
    page.check("[data-testid=select-all]")
    expect(page.locator(f"[data-testid=candidate-{second.pk}]")).to_be_checked()
    page.uncheck(f"[data-testid=candidate-{second.pk}]")
    page.fill("textarea[name=reason]", "超过六个月保存期限，未作为证据使用")
    page.click("[data-testid=disposal-ask]")
    expect(page.locator("[data-testid=disposal-reason]")).to_have_text(
        "超过六个月保存期限，未作为证据使用"
    )
    expect(page.locator("[data-testid=disposal-record]")).to_have_count(1)
    expect(page.locator("[data-testid=decision-form]")).to_have_count(0)
    asked = DisposalRequest.objects.get()
    assert list(asked.items.values_list("record_id", flat=True)) == [first.pk]

    tablet = login(tablet_page, "agency_head_liu", next_url="/media/disposal/requests/")
    tablet.locator(f"[data-testid=disposal-request-{asked.pk}]").tap()
    expect(tablet.locator("[data-testid=disposal-record]")).to_contain_text("巡查-0301.mp4")
    tablet.fill("textarea[name=opinion]", "同意销毁")
    tablet.once("dialog", lambda dialog: dialog.accept())
    tablet.locator("[data-testid=disposal-approve]").tap()
    expect(tablet.locator("[data-testid=disposal-opinion]")).to_have_text("同意销毁")
    expect(tablet.locator("[data-testid=decision-form]")).to_have_count(0)
    expect(tablet.locator("[data-testid=blob-state]")).to_have_count(1)

    assert AvDisposal.objects.get().record_id == first.pk
    assert not store.exists(first.blob_id)
    assert store.exists(second.blob_id)

    page.goto("/media/disposal/")
    expect(page.locator("[data-testid=candidate-row]")).to_have_count(1)
    expect(page.locator(f"[data-testid=candidate-{second.pk}]")).to_be_visible()
