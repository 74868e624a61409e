"""R16.1 in the browser: an officer confirms, on a tablet, the activity suggested for his
recording; the custodian labels it and marks it important; the AV register filters linked and
important records and exports them as XLSX (R4.3)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media import links
from liuhen.media.models import AvLink, LinkKind
from tests.activities.helpers import seed_types
from tests.e2e.helpers import login
from tests.fixtures.clock import hours_ago
from tests.media.linking import M, activity, av, case_of, second_officer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recording(unit_a, officer_wang, custodian_zhou):
    """王明's recording during an inspection of his case, and another still unlinked."""
    seed_types()  # a transactional test's flush removes the seeded types
    recorder = device_actions.enrol_device(
        custodian_zhou, serial="DSJ0001", kind="recorder", unit=unit_a
    )
    officer_ma = second_officer(unit_a)
    case = case_of(unit_a, [officer_wang, officer_ma], number="洼农（农药）立〔2026〕21号")
    inspection = activity(officer_wang, case, [officer_wang, officer_ma], hours_ago(5))
    clip = av(
        officer_wang,
        officer=officer_wang,
        device=recorder,
        captured_at=inspection.started_at + 10 * M,
        name="DSJ0001_001_clip.mp4",
    )
    other = av(officer_wang, officer=officer_wang, captured_at=hours_ago(30), name="other.mp4")
    return {"case": case, "inspection": inspection, "clip": clip, "other": other}


def test_confirm_label_mark_and_export(
    page: Page, tablet_page: Page, officer_wang, custodian_zhou, recording
) -> None:
    clip, case = recording["clip"], recording["case"]

    # The officer, on a tablet: his records waiting to be linked, then the suggestion.
    tablet = login(tablet_page, "officer_wang", next_url="/media/")
    expect(tablet.get_by_test_id("av-register")).to_be_visible()
    tablet.get_by_test_id("quick-unlinked").tap()
    expect(tablet.get_by_test_id("register-row")).to_have_count(2)
    tablet.locator(f"[data-record='{clip.pk}'] [data-testid=record-link]").tap()
    panel = tablet.get_by_test_id("record-links")
    expect(panel.get_by_test_id("no-links")).to_be_visible()
    suggestion = panel.get_by_test_id("suggestion")
    expect(suggestion).to_have_count(1)
    expect(suggestion.get_by_test_id("suggestion-case")).to_have_text(case.number)
    expect(panel.get_by_test_id("label-form")).to_have_count(0)  # the custodian's job
    suggestion.get_by_test_id("confirm-suggestion").tap()
    expect(panel.get_by_test_id("link-row")).to_have_count(1)
    expect(panel.get_by_test_id("link-row").get_by_test_id("link-case")).to_have_text(case.number)
    expect(panel.get_by_test_id("no-suggestions")).to_be_visible()
    link = AvLink.objects.get(record=clip)
    assert (link.kind, link.activity, link.linked_by) == (
        LinkKind.SUGGESTED,
        recording["inspection"],
        officer_wang,
    )

    # The custodian labels it and marks it important.
    login(page, "custodian_zhou", next_url=f"/media/{clip.pk}/")
    panel = page.get_by_test_id("record-links")
    panel.get_by_test_id("label-form").locator("input[name=text]").fill("现场检查：农药仓库及台账")
    panel.get_by_test_id("label-save").click()
    expect(panel.get_by_test_id("current-label")).to_have_text("现场检查：农药仓库及台账")
    expect(panel.get_by_test_id("important-badge")).to_have_count(0)
    panel.get_by_test_id("mark-toggle").click()
    expect(panel.get_by_test_id("important-badge")).to_be_visible()
    assert links.is_important(clip) and links.current_label(clip).text == "现场检查：农药仓库及台账"

    # The register: linked and important records only, then the XLSX of those rows.
    page.goto("/media/")
    expect(page.get_by_test_id("register-row")).to_have_count(2)
    page.select_option("select[name=linked]", "yes")
    page.check("input[name=important]")
    page.get_by_test_id("register-filter-submit").click()
    rows = page.get_by_test_id("register-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("row-links")).to_contain_text(case.number)
    expect(rows.first.get_by_test_id("flag-important")).to_be_visible()
    expect(rows.first.get_by_test_id("row-label")).to_have_text("现场检查：农药仓库及台账")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [row[0] for row in values[1:]] == [f"AV-{clip.pk}"]
    assert case.number in values[1][9] and values[1][15] == "现场检查：农药仓库及台账"
    event = AuditEvent.objects.get(action="media.export")
    assert event.details["format"] == "xlsx" and event.details["rows"] == 1
    assert event.details["filters"] == {"time": "captured", "linked": "yes", "important": "1"}
