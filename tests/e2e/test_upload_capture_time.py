"""The upload page keeps the capture time written inside the file (R15.1, R16.1).

The page fills 拍摄时间 from the file's last-modified time. When the upload is done it
shows the record's capture time — the container's creation time — and warns where the
two disagree beyond the tolerance; the record page says the same."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.media.models import AvRecord
from liuhen.media.sample_media import make_mp4
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)

H = dt.timedelta(hours=1)

# The time the browser shows for an ISO time, as upload.js writes it.
_LOCAL = """(iso) => {
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} `
    + `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}"""


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def record_of(item) -> AvRecord:
    href = item.locator("[data-testid=upload-record-link]").get_attribute("href")
    match = re.fullmatch(r"/media/(\d+)/", href or "")
    assert match, href
    return AvRecord.objects.get(pk=int(match.group(1)))


def test_the_time_in_the_file_wins_with_a_warning(
    page: Page, officer_wang, unit_a, tmp_path: Path
) -> None:
    recorder = device_actions.enrol_device(SYSTEM, serial="DSJ0001", kind="recorder", unit=unit_a)
    now = timezone.now().replace(microsecond=0)
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 6 * H)
    created = now - 3 * H
    data = make_mp4(seconds=1, width=160, height=96, audio=False, created=created)
    copied = tmp_path / "现场检查.mp4"  # copied just now: its modification time is now
    copied.write_bytes(data)
    kept = tmp_path / "询问.mp4"  # its modification time is its creation time
    kept.write_bytes(make_mp4(seconds=1, width=160, height=96, audio=False, created=now - H))
    os.utime(kept, (now.timestamp() - 3600, now.timestamp() - 3600))

    login(page, "officer_wang", next_url="/media/upload/")
    page.set_input_files("[data-testid=upload-files]", [str(copied), str(kept)])
    items = page.locator("[data-testid=upload-item]")
    expect(items).to_have_count(2)
    first, second = items.nth(0), items.nth(1)
    given = first.locator("[data-testid=upload-captured-at]").input_value()
    assert given  # filled from the modification time
    page.locator("[data-testid=upload-all]").click()
    expect(first).to_have_attribute("data-state", "done", timeout=60_000)
    expect(second).to_have_attribute("data-state", "done", timeout=60_000)

    shown = page.evaluate(_LOCAL, created.isoformat())
    expect(first.locator("[data-testid=upload-captured-at]")).to_have_value(shown.replace(" ", "T"))
    expect(first.locator("[data-testid=upload-captured]")).to_have_text(
        zh("Capture time of the record: %(time)s") % {"time": shown}
    )
    warning = first.locator("[data-testid=upload-capture-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(shown)
    expect(warning).to_contain_text(given.replace("T", " "))
    expect(second.locator("[data-testid=upload-capture-warning]")).to_be_hidden()

    record = record_of(first)
    assert record.captured_at == created
    assert abs(record.declared_captured_at - now) < dt.timedelta(minutes=5)
    assert record.officer == officer_wang and not record.checkout_problem
    assert record_of(second).captured_at == now - H

    first.locator("[data-testid=upload-record-link]").click()
    expect(page.locator("[data-testid=record-capture-warning]")).to_be_visible()
    expect(page.locator("[data-testid=record-declared-captured]")).to_be_visible()
    expect(page.locator("[data-testid=checkout-badge]")).to_have_count(0)
