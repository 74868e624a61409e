"""Who may read and change enforcement subjects (R18.3; R18.5 classes narrow them).

A subject is shared by the case roles; a restricted one is read by whoever entered it,
whoever works a case about it, a unit head of such a case (not for state secrets) and
the agency head. A party of cases is changed by whoever works one of them (R21.2). The
cases are reached through the subject's case links, so this app needs nothing of the
cases app. Registered by ``SubjectsConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.accounts.policy import BUREAU_WIDE_CASE_READERS, case_roles_only, enforces
from liuhen.core.confidentiality import RESTRICTED_CLASSES, Confidentiality
from liuhen.subjects.models import CaseParty, Subject
from liuhen.subjects.perms import SubjectPerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _links(subject: Any) -> models.QuerySet[CaseParty]:
    return CaseParty.objects.filter(subject=subject)


def _assigned_to_subject(user: User, subject: Any) -> bool:
    return _links(subject).filter(case__officers=user).exists()


def _heads_unit_of_subject(user: User, subject: Any) -> bool:
    return (
        user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and _links(subject).filter(case__unit_id=user.unit_id).exists()
    )


def may_read_subject(user: User, subject: Any) -> bool:
    if subject is None or not case_roles_only(user):
        return False
    if subject.confidentiality not in RESTRICTED_CLASSES or user.has_role(Role.AGENCY_HEAD):
        return True
    if subject.created_by_id == user.pk or _assigned_to_subject(user, subject):
        return True
    return subject.confidentiality != Confidentiality.STATE_SECRET and _heads_unit_of_subject(
        user, subject
    )


def _subject_list(user: User, obj: Any) -> bool:
    return case_roles_only(user)


def _subject_create(user: User, obj: Any) -> bool:
    return enforces(user)


def _works_a_case_of(user: User, subject: Any) -> bool:
    """``user`` works one of the cases ``subject`` is a party to: as its officer, or as
    the head of its unit where the case is no state secret (the reach of "case.change")."""
    links = _links(subject)
    if links.filter(case__officers=user).exists():
        return True
    return (
        user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and links.filter(case__unit_id=user.unit_id)
        .exclude(case__confidentiality=Confidentiality.STATE_SECRET)
        .exists()
    )


def _subject_change(user: User, subject: Any) -> bool:
    """A subject no case names yet: any officer who reads it. A party of cases: whoever
    works one of them — another unit's officer reads it but does not change it."""
    if not (enforces(user) and may_read_subject(user, subject)):
        return False
    return not _links(subject).exists() or _works_a_case_of(user, subject)


def _subject_merge(user: User, subject: Any) -> bool:
    # Merging rewrites which record cases point to: a head decides (R18.3).
    return (
        not user.is_admin_role
        and user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD)
        and (subject is None or may_read_subject(user, subject))
    )


def _subject_view_identifier(user: User, subject: Any) -> bool:
    """R18.5 personal privacy: the full resident id only for those who work the case."""
    if not may_read_subject(user, subject):
        return False
    if user.has_role(Role.AGENCY_HEAD, Role.LEGAL_REVIEWER):
        return True
    return _assigned_to_subject(user, subject) or _heads_unit_of_subject(user, subject)


def _subject_export_file(user: User, subject: Any) -> bool:
    """The whole file at once (R18.3) is for those who read across the bureau (heads,
    legal review, supervision) and for whoever works one of the subject's cases; another
    unit's officer reads the subject but does not take its file away."""
    if subject is None or not may_read_subject(user, subject):
        return False
    return user.has_role(*BUREAU_WIDE_CASE_READERS) or _works_a_case_of(user, subject)


def _subject_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not case_roles_only(user):
        return qs.none()
    if user.has_role(Role.AGENCY_HEAD):
        return qs
    restricted = models.Q(confidentiality__in=RESTRICTED_CLASSES)
    reach = models.Q(created_by=user) | models.Q(case_links__case__officers=user)
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        reach |= models.Q(case_links__case__unit_id=user.unit_id) & ~models.Q(
            confidentiality=Confidentiality.STATE_SECRET
        )
    # Ordinary subjects need no join; the (few) restricted ones are found by id, so the
    # joins through case links cannot duplicate rows in counts.
    reached = qs.model.objects.filter(restricted & reach).values("pk")
    return qs.filter(~restricted | models.Q(pk__in=reached))


RULES = {
    SubjectPerms.LIST: _subject_list,
    SubjectPerms.VIEW: may_read_subject,
    SubjectPerms.CREATE: _subject_create,
    SubjectPerms.CHANGE: _subject_change,
    SubjectPerms.MERGE: _subject_merge,
    SubjectPerms.VIEW_IDENTIFIER: _subject_view_identifier,
    SubjectPerms.EXPORT_FILE: _subject_export_file,
}

SCOPES = {"subjects.subject": _subject_scope}


def _lookup_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """A lookup of the data exchange is read with its subject; one asked from the
    new-subject form (no subject yet) by whoever asked it."""
    if not case_roles_only(user):
        return qs.none()
    subjects = _subject_scope(user, Subject.objects.all()).values("pk")
    return qs.filter(
        models.Q(subject__in=subjects) | models.Q(subject__isnull=True, fetched_by=user)
    )


SCOPES["subjects.subjectlookup"] = _lookup_scope
