"""The daily sealed PDF of the audit log's latest tree head, for the paper file (R1.1)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from liuhen.core import audit
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.core.treehead import sign_tree_head
from liuhen.documents.actions.tree_head_paper import seal_tree_head_pdf, tree_head_html
from liuhen.documents.events import DocumentEvents
from liuhen.documents.tasks import daily_tree_head_pdf

pytestmark = pytest.mark.usefixtures("signing_key_file")


@pytest.fixture
def tree_head_pdf_dir(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_HEAD_PDF_DIR = tmp_path / "audit-heads"
    return tmp_path / "audit-heads"


def test_the_latest_head_is_sealed_once_a_day(
    some_events: list[AuditEvent], installed_seal: Any, tree_head_pdf_dir: Path
) -> None:
    head = sign_tree_head()

    made = daily_tree_head_pdf.call()

    assert made is not None
    pdf = Path(made).read_bytes()
    (seal,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert seal.field_name == "BureauSeal"
    assert daily_tree_head_pdf.call() is None  # the day's PDF exists: not made again
    assert [path.name for path in tree_head_pdf_dir.iterdir()] == [Path(made).name]
    event = AuditEvent.objects.get(action=DocumentEvents.TREE_HEAD_PDF)
    assert event.outcome == Outcome.OK
    assert event.details["tree_size"] == head.tree_size


def test_the_page_states_the_head(some_events: list[AuditEvent]) -> None:
    head = sign_tree_head()

    html = tree_head_html(head, head.timestamp.date())

    for value in (head.root_hash, head.signature, head.key_id):
        assert value in html
    assert "审计日志签名树头" in html


def test_without_a_seal_nothing_is_made_and_the_failure_recorded(
    some_events: list[AuditEvent], docs_storage: Path, tree_head_pdf_dir: Path
) -> None:
    sign_tree_head()

    assert seal_tree_head_pdf(audit.SYSTEM) is None

    assert not tree_head_pdf_dir.exists()
    event = AuditEvent.objects.get(action=DocumentEvents.TREE_HEAD_PDF)
    assert event.outcome == Outcome.FAILED


def test_nothing_signed_yet_makes_no_pdf(installed_seal: Any, tree_head_pdf_dir: Path) -> None:
    assert seal_tree_head_pdf(audit.SYSTEM) is None
    assert not tree_head_pdf_dir.exists()


def test_only_the_audit_admin_or_the_system_may_make_it(
    some_events: list[AuditEvent],
    installed_seal: Any,
    tree_head_pdf_dir: Path,
    officer_wang: Any,
    auditor_chen: Any,
) -> None:
    sign_tree_head()
    with pytest.raises(AccessDenied):
        seal_tree_head_pdf(officer_wang)

    assert seal_tree_head_pdf(auditor_chen) is not None
