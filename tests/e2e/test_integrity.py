"""R16.1, R23.1 in the browser: a stored file changed by hand is found by the fixity
check, and the supervisor, on a tablet, sees the finding from the navigation, and how many
files were quarantined as no recording (R5.2)."""

from __future__ import annotations

import io
import os

import pytest
from playwright.sync_api import Page, expect

from liuhen.core import blobs
from liuhen.core.actions import blobs as blob_actions
from liuhen.core.audit import SYSTEM
from liuhen.media.actions import ingest
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_sees_a_changed_file_on_a_tablet(
    tablet_page: Page, settings, tmp_path, officer_wang, supervisor_zheng
) -> None:
    settings.BLOB_URL = str(tmp_path / "blobs")
    store = blobs.get_store()
    record = ingest.ingest_stream(
        officer_wang, io.BytesIO(b"clip" * 1000), original_name="巡查.mp4"
    )
    path = store.path(record.blob_id)
    os.chmod(path, 0o644)
    with open(path, "r+b") as handle:  # one byte changed by hand
        handle.write(b"X")
    assert not blob_actions.run_fixity(SYSTEM, store).ok
    # A web page uploaded as a video: the probe quarantines it (R5.2).
    page_as_video = ingest.ingest_stream(
        officer_wang, io.BytesIO(b"<!doctype html><p>not a video</p>"), original_name="录像.mp4"
    )
    ingest.probe_record(SYSTEM, page_as_video.pk)

    tablet_page.set_viewport_size({"width": 800, "height": 1280})  # portrait: menu collapses
    page = login(tablet_page, "supervisor_zheng")
    page.locator(".navbar-toggler").tap()
    page.locator("[data-nav=integrity]").tap()
    expect(page.locator("h1")).to_have_text("完整性检查")
    expect(page.locator("[data-testid=latest-outcome]")).to_have_text("发现问题")
    expect(page.locator("[data-testid=latest-changed]")).to_have_text("1")
    row = page.locator("[data-testid=finding-changed]")
    expect(row).to_contain_text(record.blob_id)
    expect(row).to_contain_text(f"AV-{record.pk}")
    expect(page.locator("[data-testid=quarantine-count]")).to_have_text("1")
