"""The case page section "Documents" (R6.1, R9.2, R10.1): the case's drafts and issued
documents with their state, and where to start a new one or upload a paper scan (R3.2).

Registered when the documents app starts (``DocumentsConfig.ready``). Its queries do not
grow with the number of documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.activities.models import Activity
from liuhen.cases import hearings, sections
from liuhen.cases.models import Stage
from liuhen.core import access
from liuhen.documents.catalog import catalog
from liuhen.documents.models import Document, DocumentStatus, IssuedDocument
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case

OPEN_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.PENDING, DocumentStatus.APPROVED)
ANY_STAGE = _("Any stage")


@dataclass(frozen=True)
class StageGroup:
    stage: str
    label: str | Promise
    forms: list[FormSpec]
    current: bool


def may_start(user: Any, case: Case) -> Callable[[FormSpec], bool]:
    """Which new forms ``user`` may start on ``case``: every form, only the forms the chair
    of a hearing held on it writes (the 听证会报告书), or none."""
    if access.can(user, DocumentPerms.DRAFT, case):
        return lambda spec: True
    if access.can(user, DocumentPerms.DRAFT_AS_CHAIR, case):
        return lambda spec: spec.drafted_by_hearing_chair
    return lambda spec: False


def forms_by_stage(
    case_stage: str,
    *,
    hearing_required: bool = False,
    only: Callable[[FormSpec], bool] | None = None,
) -> list[StageGroup]:
    """The catalog's forms grouped by case stage, the case's own stage first (R3.1), then
    the others in their order, then forms of no particular stage.

    ``hearing_required``: the proposed penalty carries the right to a hearing (行政处罚法
    Art. 63), so an advance notice without it is not offered; ``only``: the forms the
    person may start (see :func:`may_start`)."""
    specs = [
        spec
        for spec in catalog.all_forms()
        if not (hearing_required and spec.advance_notice and not spec.hearing_right)
        and (only is None or only(spec))
    ]
    order = [case_stage, *(value for value in Stage.values if value != case_stage), ""]
    labels: dict[str, str | Promise] = {**dict(Stage.choices), "": ANY_STAGE}
    known = set(order)
    groups = []
    for stage in order:
        # A bureau form of a stage the case model does not know goes with "any stage".
        found = [spec for spec in specs if (spec.stage if spec.stage in known else "") == stage]
        if found:
            groups.append(StageGroup(stage, labels.get(stage, stage), found, stage == case_stage))
    return groups


def case_activities(user: Any, case: Case) -> list[Activity]:
    """The case's activities the user sees, latest first: a record drafted from one takes
    its time, place, officers present and party."""
    activities = Activity.objects.filter(case=case).select_related("type")
    return list(access.visible(user, activities).order_by("-started_at", "-id"))


def _issued_rows(case: Case) -> list[IssuedDocument]:
    rows = list(
        IssuedDocument.objects.filter(case=case)
        .select_related("issued_by", "finalisation")
        .prefetch_related("signatures", "refusals", "superseded_by", "services")
        .order_by("-issued_at", "-id")
    )
    for row in rows:
        # R10.1: only a service that took effect counts (a returned post does not).
        served = [s for s in row.services.all() if s.served_on is not None]
        row.effective_services = sorted(served, key=lambda s: (s.served_on, s.pk))  # type: ignore[attr-defined]
    return rows


def _documents(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    drafts = list(
        Document.objects.filter(case=case, status__in=OPEN_STATUSES)
        .select_related("created_by")
        .order_by("-updated_at", "-id")
    )
    works = access.can(user, DocumentPerms.DRAFT, case)
    may_draft = works or access.can(user, DocumentPerms.DRAFT_AS_CHAIR, case)
    startable = may_start(user, case)
    hearing = hearings.case_hearing_right(case) if works else None
    # Art. 63: the 听证 variant of the advance notice is the one offered, chosen already.
    hearing_form = (
        catalog.first_where(lambda spec: spec.advance_notice and spec.hearing_right)
        if hearing
        else None
    )
    return {
        "case": case,
        "drafts": drafts,
        "issued": _issued_rows(case),
        "may_draft": may_draft,
        "may_scan": access.can(user, DocumentPerms.SCAN, case),
        "groups": (
            forms_by_stage(case.stage, hearing_required=bool(hearing), only=startable)
            if may_draft
            else []
        ),
        "hearing_reasons": hearing.reasons if hearing and case.stage == Stage.DECISION else (),
        "chosen": hearing_form if case.stage == Stage.DECISION else None,
        "activities": case_activities(user, case) if works else [],
    }


SECTION = sections.Section(
    "documents",
    _("Documents"),
    "documents/sections/documents.html",
    order=35,
    context=_documents,
    action=DocumentPerms.VIEW,
)
