"""我的待办 of the documents: issued documents of one's own open cases that still await
the party's signature (R9.1) — neither a signed version nor a recorded refusal (R9.2); the
report of a hearing one chaired that is not yet submitted (the 听证会报告书)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.cases import hearings
from liuhen.cases.models import HearingRecord
from liuhen.core.inbox import Task
from liuhen.documents.catalog import catalog
from liuhen.documents.models import (
    Document,
    DocumentFile,
    DocumentStatus,
    FilePurpose,
    IssuedDocument,
    SignatureRefusal,
)


def signatures_owed(user: Any) -> list[Task]:
    if user.is_admin_role or not user.has_role(Role.OFFICER, Role.UNIT_HEAD):
        return []
    signed = DocumentFile.objects.filter(purpose=FilePurpose.SIGNED).values("issued_id")
    refused = SignatureRefusal.objects.values("issued_id")
    waiting = (
        IssuedDocument.objects.filter(
            needs_signature=True,
            case__officers=user,
            case__closed_at__isnull=True,
            superseded_by__isnull=True,
        )
        .exclude(pk__in=signed)
        .exclude(pk__in=refused)
        .select_related("case")
        .order_by("issued_at", "id")
    )
    return [
        Task(
            kind=_("Signature"),
            label=_("Have the party sign: %(title)s") % {"title": str(doc)},
            link=reverse("documents:issued", args=[doc.pk]),
            subject=doc.case.number if doc.case else "",
        )
        for doc in waiting
    ]


def hearing_reports_owed(user: Any) -> list[Task]:
    """The chair of a hearing held on an open case writes its report: one entry per such
    case until a report is submitted, pointing at the draft already started or at the new
    draft of the form."""
    if user.is_admin_role or not user.has_role(*hearings.HEARING_STAFF_ROLES):
        return []
    held = list(
        HearingRecord.objects.filter(schedule__chair=user, hearing__case__closed_at__isnull=True)
        .select_related("hearing__case")
        .order_by("held_at", "id")
    )
    if not held:
        return []
    spec = catalog.first_where(lambda found: found.drafted_by_hearing_chair)
    if spec is None:
        return []
    cases = {record.hearing.case_id: record.hearing.case for record in held}
    reports = Document.objects.filter(case_id__in=cases, form_code=spec.code)
    done = set(
        reports.exclude(status__in=(DocumentStatus.DRAFT, DocumentStatus.DISCARDED)).values_list(
            "case_id", flat=True
        )
    )
    drafts = dict(
        reports.filter(status=DocumentStatus.DRAFT).order_by("id").values_list("case_id", "pk")
    )
    tasks = []
    for case_id, case in cases.items():
        if case_id in done:
            continue
        draft = drafts.get(case_id)
        link = (
            reverse("documents:draft", args=[draft])
            if draft is not None
            else f"{reverse('documents:new', args=[case_id])}?{urlencode({'form': spec.code})}"
        )
        tasks.append(
            Task(
                kind=_("Hearing"),
                label=_("Draft the hearing report"),
                link=link,
                subject=case.number,
            )
        )
    return tasks


PROVIDERS = {"signatures": signatures_owed, "hearing_reports": hearing_reports_owed}
