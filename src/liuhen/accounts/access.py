"""The access policy: the one place that answers "may this user do this to that?".

Deny by default. A rule is a function ``(user, obj) -> bool`` registered under an action
name; an action with no rule is denied. List querysets are narrowed by :func:`visible`
with the same reasoning, so nothing a user may not open shows up in any list, count,
search, export or API response. Later features add rules here, never elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from liuhen.accounts.models import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User

Rule = Callable[[Any, Any], bool]
M = TypeVar("M", bound=models.Model)

_RULES: dict[str, Rule] = {}
_SCOPES: dict[str, Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]] = {}


class AccessDenied(PermissionDenied):
    def __init__(self, action: str) -> None:
        super().__init__(action)
        self.action = action


def rule(*actions: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        for action in actions:
            if action in _RULES:
                raise RuntimeError(f"access rule for {action!r} registered twice")
            _RULES[action] = func
        return func

    return register


def scope(model_label: str) -> Callable[[Any], Any]:
    def register(func: Any) -> Any:
        _SCOPES[model_label] = func
        return func

    return register


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_system(actor: Any) -> bool:
    """The server itself acting (a management command run by the operator on the host)."""
    from liuhen.core.audit import Actor
    from liuhen.core.models import ActorType

    return isinstance(actor, Actor) and actor.type == ActorType.SYSTEM


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``obj``)? Unknown actions and inactive users: no."""
    check_rule = _RULES.get(action)
    if check_rule is None or not _active(user):
        return False
    return bool(check_rule(user, obj))


def require(user: Any, action: str, obj: Any = None, *, request: HttpRequest | None = None) -> None:
    """Raise :class:`AccessDenied` unless allowed; a denial is audited (R1.1, R23.1).

    The system actor passes: commands run with the operator's authority on the server.
    Any other actor — a device, an anonymous request — needs a rule that allows it.
    """
    if is_system(user) or can(user, action, obj):
        return
    from liuhen.core import audit
    from liuhen.core.models import Outcome

    # Its own transaction: the caller's, if any, is about to roll back.
    with transaction.atomic():
        audit.record(
            action,
            actor=_who_asked(user, request),
            request=request,
            obj=obj if isinstance(obj, models.Model) else None,
            outcome=Outcome.DENIED,
        )
    raise AccessDenied(action)


def _who_asked(user: Any, request: HttpRequest | None) -> Any:
    """The actor to record: a user (even a disabled one), a device, or anonymous."""
    if user is not None and not isinstance(user, AnonymousUser):
        return user
    # The request knows more (a device token authenticates the request, not a user).
    return None if request is not None else AnonymousUser()


def visible(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """``queryset`` narrowed to what ``user`` may see; no scope registered → nothing."""
    narrow = _SCOPES.get(queryset.model._meta.label_lower)
    if narrow is None or not _active(user):
        return queryset.none()
    return narrow(user, queryset)


# --- roles -------------------------------------------------------------------------

# Roles that see cases bureau-wide (reading, not changing).
BUREAU_WIDE_CASE_READERS = (
    Role.AGENCY_HEAD,
    Role.LEGAL_REVIEWER,
    Role.SUPERVISOR,
    Role.ARCHIVIST,
)
CASE_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.CUSTODIAN, *BUREAU_WIDE_CASE_READERS)


def _case_roles_only(user: User) -> bool:
    """R21.2 and 三员 separation: an admin-role account never reads case data."""
    return not user.is_admin_role and user.has_role(*CASE_ROLES)


# --- audit log (R1.1): only the audit admin reads it -----------------------------


@rule("audit.view")
def _audit_view(user: User, obj: Any) -> bool:
    return user.has_role(Role.AUDIT_ADMIN)


@rule("audit.sign")
def _audit_sign(user: User, obj: Any) -> bool:
    # A signed tree head attests the log; it changes no record (R1.1).
    return user.has_role(Role.AUDIT_ADMIN)


@scope("core.auditevent")
def _audit_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if user.has_role(Role.AUDIT_ADMIN) else qs.none()


@scope("core.treehead")
def _tree_head_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if user.has_role(Role.AUDIT_ADMIN) else qs.none()


# --- accounts: the system admin manages users and units; the security admin roles ---


@rule("account.manage", "unit.manage", "config.manage")
def _system_admin(user: User, obj: Any) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN)


@rule("security.configure")
def _security_admin(user: User, obj: Any) -> bool:
    return user.has_role(Role.SECURITY_ADMIN)


@rule("role.grant", "account.reset_2fa")
def _security_admin_on_others(user: User, obj: Any) -> bool:
    # Nobody changes their own roles or second factor: another person must (三员分立).
    return user.has_role(Role.SECURITY_ADMIN) and (obj is None or obj.pk != user.pk)


@rule("account.list")
def _account_list(user: User, obj: Any) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


@rule("account.view")
def _account_view(user: User, obj: Any) -> bool:
    if user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return True
    return obj is not None and (obj.pk == user.pk or _same_unit(user, obj))


@scope("accounts.user")
def _user_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return qs
    if user.unit_id is None:
        return qs.filter(pk=user.pk)
    return qs.filter(models.Q(pk=user.pk) | models.Q(unit_id=user.unit_id))


@scope("accounts.unit")
def _unit_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # The organisation chart is not confidential: every active account sees the units.
    return qs


def _same_unit(user: User, obj: Any) -> bool:
    return user.unit_id is not None and getattr(obj, "unit_id", None) == user.unit_id


# --- API tokens ----------------------------------------------------------------------


@rule("token.manage_own")
def _own_tokens(user: User, obj: Any) -> bool:
    return obj is None or getattr(obj, "user_id", None) == user.pk


@rule("token.manage")
def _any_token(user: User, obj: Any) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN)


@scope("api.apitoken")
def _token_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # Tokens are credentials: everyone sees their own; the system admin, who issues
    # device tokens and revokes any, sees all (prefixes only; secrets are never stored).
    return qs if user.has_role(Role.SYSTEM_ADMIN) else qs.filter(user_id=user.pk)


# --- cases (R21.2): unit, role, assignment and confidentiality class -----------------

RESTRICTED_CLASSES = ("privacy", "trade_secret", "state_secret")


def _may_read_case(user: User, case: Any) -> bool:
    if not _case_roles_only(user):
        return False
    assigned = case.officers.filter(pk=user.pk).exists()
    if case.confidentiality == "state_secret":
        return assigned or user.has_role(Role.AGENCY_HEAD)
    if case.confidentiality in RESTRICTED_CLASSES:
        return (
            assigned
            or user.has_role(Role.AGENCY_HEAD)
            or (user.has_role(Role.UNIT_HEAD) and _same_unit(user, case))
        )
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        return True
    return assigned or (
        user.has_role(Role.UNIT_HEAD, Role.OFFICER, Role.CUSTODIAN) and _same_unit(user, case)
    )


@rule("case.list")
def _case_list(user: User, obj: Any) -> bool:
    return _case_roles_only(user)


@rule("case.view", "case.timeline")
def _case_view(user: User, case: Any) -> bool:
    # The timeline is the case's own history: whoever may read the case reads it
    # (the audit admin's whole-log view is "audit.view"; admin roles never read cases).
    return case is not None and _may_read_case(user, case)


@rule("case.change")
def _case_change(user: User, case: Any) -> bool:
    if case is None or not _case_roles_only(user):
        return False
    if case.officers.filter(pk=user.pk).exists():
        return True
    return user.has_role(Role.UNIT_HEAD) and _same_unit(user, case)


@rule("case.create")
def _case_create(user: User, unit: Any) -> bool:
    """Officers and unit heads register cases of their own unit (``unit``, when given)."""
    return (
        not user.is_admin_role
        and user.has_role(Role.OFFICER, Role.UNIT_HEAD)
        and user.unit_id is not None
        and (unit is None or unit.pk == user.unit_id)
    )


# --- leads and approvals (R7.1) ---------------------------------------------------


def _works_in_unit(user: User, unit_id: Any) -> bool:
    return (
        not user.is_admin_role
        and user.has_role(Role.OFFICER, Role.UNIT_HEAD)
        and user.unit_id is not None
        and user.unit_id == unit_id
    )


@rule("lead.create")
def _lead_create(user: User, unit: Any) -> bool:
    return _works_in_unit(user, unit.pk if unit is not None else user.unit_id)


@rule("lead.list")
def _lead_list(user: User, obj: Any) -> bool:
    return _case_roles_only(user)


@rule("lead.view")
def _lead_view(user: User, lead: Any) -> bool:
    if lead is None or not _case_roles_only(user):
        return False
    return user.has_role(*BUREAU_WIDE_CASE_READERS) or _same_unit(user, lead)


@rule("lead.propose")
def _lead_propose(user: User, lead: Any) -> bool:
    return lead is not None and _works_in_unit(user, lead.unit_id)


@scope("cases.lead")
def _lead_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not _case_roles_only(user):
        return qs.none()
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        return qs
    return qs.filter(unit_id=user.unit_id) if user.unit_id is not None else qs.none()


@rule("approval.request")
def _approval_request(user: User, target: Any) -> bool:
    from liuhen.cases.models import Lead

    if isinstance(target, Lead):
        return _lead_propose(user, target)
    return _case_change(user, target)


@rule("approval.decide")
def _approval_decide(user: User, approval_request: Any) -> bool:
    from liuhen.cases.approvals import may_decide

    return approval_request is not None and may_decide(user, approval_request)


@rule("approval.view")
def _approval_view(user: User, approval_request: Any) -> bool:
    """Whoever may read its case (or, before filing, its lead), and the approver whose turn
    it is — the inbox lists it for them."""
    if approval_request is None:
        return False
    if approval_request.requested_by_id == user.pk and _case_roles_only(user):
        return True  # one's own request, also when it concerns no case (a patrol's exemption)
    if approval_request.case is not None:
        if _case_view(user, approval_request.case):
            return True
    elif approval_request.lead is not None and _lead_view(user, approval_request.lead):
        return True
    return _approval_decide(user, approval_request)


@rule("approval.list")
def _approval_list(user: User, obj: Any) -> bool:
    return not user.is_admin_role and user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD)


@rule("case.legal_review")
def _legal_review(user: User, case: Any) -> bool:
    # 法制审核: never by an investigator of the same case (农业行政处罚程序规定).
    return (
        case is not None
        and user.has_role(Role.LEGAL_REVIEWER)
        and _may_read_case(user, case)
        and not case.officers.filter(pk=user.pk).exists()
    )


@rule("case.hearing", "case.suspend")
def _case_hearing_or_suspend(user: User, case: Any) -> bool:
    """Hearing requests and schedules (Art. 63, 64), and asking for a suspension or a
    resumption of the investigation (approved by the heads): whoever works the case."""
    return _case_change(user, case)


@rule("case.hearing_record")
def _case_hearing_record(user: User, case: Any) -> bool:
    """The hearing held (听证笔录): whoever works the case, or the chair or clerk named for
    one of its hearings (the chair is never an investigator, Art. 64(4))."""
    if case is None or not _case_roles_only(user):
        return False
    if _case_change(user, case):
        return True
    from liuhen.cases.models import HearingSchedule

    return (
        _may_read_case(user, case)
        and HearingSchedule.objects.filter(hearing__case=case)
        .filter(models.Q(chair=user) | models.Q(clerk=user))
        .exists()
    )


@scope("cases.case")
def _case_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not _case_roles_only(user):
        return qs.none()
    assigned = models.Q(officers=user)
    restricted = models.Q(confidentiality__in=RESTRICTED_CLASSES)
    if user.has_role(Role.AGENCY_HEAD):
        return qs
    ordinary_reach = models.Q()
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        ordinary_reach = models.Q(pk__isnull=False)
    elif user.unit_id is not None:
        ordinary_reach = models.Q(unit_id=user.unit_id)
    restricted_reach = assigned
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        restricted_reach |= models.Q(unit_id=user.unit_id) & ~models.Q(
            confidentiality="state_secret"
        )
    allowed = (~restricted & (ordinary_reach | assigned)) | (restricted & restricted_reach)
    # Filter on ids so the M2M join cannot duplicate rows in counts.
    return qs.filter(pk__in=qs.model.objects.filter(allowed).values("pk"))


# --- deadlines (issue 3 #6): the clocks of one's own cases; a head's, of the unit's --


@rule("deadline.list_own")
def _deadline_list_own(user: User, obj: Any) -> bool:
    return _case_roles_only(user) and user.has_role(Role.OFFICER, Role.UNIT_HEAD)


@rule("deadline.list_unit")
def _deadline_list_unit(user: User, unit: Any) -> bool:
    """The agency head, any unit or all (``unit`` None); a unit head, their own unit."""
    if not _case_roles_only(user):
        return False
    if user.has_role(Role.AGENCY_HEAD):
        return True
    return (
        user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and unit is not None
        and unit.pk == user.unit_id
    )


# --- enforcement subjects (R18.3): shared by case roles; R18.5 classes narrow them ---


def _subject_cases(subject: Any) -> models.QuerySet[Any]:
    from liuhen.cases.models import Case

    return Case.objects.filter(parties__subject=subject)


def _assigned_to_subject(user: User, subject: Any) -> bool:
    return _subject_cases(subject).filter(officers=user).exists()


def _heads_unit_of_subject(user: User, subject: Any) -> bool:
    return (
        user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and _subject_cases(subject).filter(unit_id=user.unit_id).exists()
    )


def _may_read_subject(user: User, subject: Any) -> bool:
    if subject is None or not _case_roles_only(user):
        return False
    if subject.confidentiality not in RESTRICTED_CLASSES or user.has_role(Role.AGENCY_HEAD):
        return True
    if subject.created_by_id == user.pk or _assigned_to_subject(user, subject):
        return True
    return subject.confidentiality != "state_secret" and _heads_unit_of_subject(user, subject)


def _enters_subjects(user: User) -> bool:
    return not user.is_admin_role and user.has_role(Role.OFFICER, Role.UNIT_HEAD)


@rule("subject.list")
def _subject_list(user: User, obj: Any) -> bool:
    return _case_roles_only(user)


@rule("subject.view")
def _subject_view(user: User, subject: Any) -> bool:
    return _may_read_subject(user, subject)


@rule("subject.create")
def _subject_create(user: User, obj: Any) -> bool:
    return _enters_subjects(user)


@rule("subject.change")
def _subject_change(user: User, subject: Any) -> bool:
    return _enters_subjects(user) and _may_read_subject(user, subject)


@rule("subject.merge")
def _subject_merge(user: User, subject: Any) -> bool:
    # Merging rewrites which record cases point to: a head decides (R18.3).
    return (
        not user.is_admin_role
        and user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD)
        and (subject is None or _may_read_subject(user, subject))
    )


@rule("subject.view_identifier")
def _subject_view_identifier(user: User, subject: Any) -> bool:
    """R18.5 personal privacy: the full resident id only for those who work the case."""
    if not _may_read_subject(user, subject):
        return False
    if user.has_role(Role.AGENCY_HEAD, Role.LEGAL_REVIEWER):
        return True
    return _assigned_to_subject(user, subject) or _heads_unit_of_subject(user, subject)


@scope("subjects.subject")
def _subject_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not _case_roles_only(user):
        return qs.none()
    if user.has_role(Role.AGENCY_HEAD):
        return qs
    restricted = models.Q(confidentiality__in=RESTRICTED_CLASSES)
    reach = models.Q(created_by=user) | models.Q(case_links__case__officers=user)
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        reach |= models.Q(case_links__case__unit_id=user.unit_id) & ~models.Q(
            confidentiality="state_secret"
        )
    # Ordinary subjects need no join; the (few) restricted ones are found by id, so the
    # joins through case links cannot duplicate rows in counts.
    reached = qs.model.objects.filter(restricted & reach).values("pk")
    return qs.filter(~restricted | models.Q(pk__in=reached))


# --- enforcement activities (R4.2, R5.2): worked by the case's officers ---------------


def _activity_unit_reach(user: User, activity: Any) -> bool:
    """An activity outside a case (a patrol, R3.1): its unit, its officers, its recorder."""
    if activity.recorded_by_id == user.pk or activity.presences.filter(officer=user).exists():
        return True
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        return True
    return _same_unit(user, activity)


@rule("activity.record")
def _activity_record(user: User, case: Any) -> bool:
    """Whoever may change the case records its activities; outside a case, any officer."""
    if case is not None:
        return _case_change(user, case)
    return not user.is_admin_role and user.has_role(Role.OFFICER) and user.unit_id is not None


@rule("activity.view")
def _activity_view(user: User, activity: Any) -> bool:
    if activity is None or not _case_roles_only(user):
        return False
    if activity.case_id is not None:
        return _may_read_case(user, activity.case)
    return _activity_unit_reach(user, activity)


@rule("av_exemption.request")
def _av_exemption_request(user: User, activity: Any) -> bool:
    # An officer who works the activity asks (R5.2); the approval chain decides (the rule
    # approval_chain_av_exemption: the unit head of the case's or the activity's unit).
    if activity is None or user.is_admin_role or not user.has_role(Role.OFFICER):
        return False
    if activity.case_id is not None:
        return _case_change(user, activity.case)
    return activity.recorded_by_id == user.pk or activity.presences.filter(officer=user).exists()


@scope("activities.activity")
def _activity_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not _case_roles_only(user):
        return qs.none()
    from liuhen.cases.models import Case

    cases = _case_scope(user, Case.objects.all()).values("pk")
    outside = models.Q(case__isnull=True) & (
        models.Q(recorded_by=user) | models.Q(presences__officer=user)
    )
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        outside = models.Q(case__isnull=True)
    elif user.unit_id is not None:
        outside |= models.Q(case__isnull=True, unit_id=user.unit_id)
    reached = qs.model.objects.filter(models.Q(case__in=cases) | outside).values("pk")
    return qs.filter(pk__in=reached)


# --- AV devices (R13.1): the custodian keeps them all; a unit head, the unit's ----------


def _device_keeper(user: User, device: Any) -> bool:
    """The custodian 音像资料管理员 (devices are stored centrally, R13.1, R16.1) and the
    unit head of the device's unit register, change, issue and receive devices."""
    if user.is_admin_role:
        return False
    if user.has_role(Role.CUSTODIAN):
        return True
    return (
        user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and (device is None or device.unit_id == user.unit_id)
    )


def _device_user(user: User, device: Any) -> bool:
    """An officer uses the devices of their own unit."""
    return (
        not user.is_admin_role
        and user.has_role(Role.OFFICER)
        and user.unit_id is not None
        and (device is None or device.unit_id == user.unit_id)
    )


@rule("device.list")
def _device_list(user: User, obj: Any) -> bool:
    return _device_keeper(user, None) or _device_user(user, None)


@rule("device.view")
def _device_view(user: User, device: Any) -> bool:
    return device is not None and (_device_keeper(user, device) or _device_user(user, device))


@rule("device.manage")
def _device_manage(user: User, device: Any) -> bool:
    """Register (``device`` None or its unit-to-be), change, record maintenance 保养."""
    return _device_keeper(user, device)


@rule("device.checkout")
def _device_checkout(user: User, device: Any) -> bool:
    """Take a device 领取: an officer for themselves; a keeper issues it to anyone (the
    action asks "device.manage" when the holder is not the actor)."""
    return device is not None and (_device_keeper(user, device) or _device_user(user, device))


@rule("device.return")
def _device_return(user: User, device: Any) -> bool:
    """Give it back 归还: the officer who holds it, or a keeper receives it."""
    if device is None:
        return False
    if _device_keeper(user, device):
        return True
    return _device_user(user, device) and device.holder_id == user.pk


@scope("devices.device")
def _device_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if user.is_admin_role:
        return qs.none()
    if user.has_role(Role.CUSTODIAN):
        return qs
    if user.has_role(Role.UNIT_HEAD, Role.OFFICER) and user.unit_id is not None:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


# --- AV records (R14–R18, R21.1): the custodian manages them all (R16.1); officers --------
# see what they recorded or uploaded and what is linked to cases they may read; a unit
# head sees the unit's; the bureau-wide readers see all. Admin roles never see AV.


def _av_own(user: User, record: Any) -> bool:
    return record.officer_id == user.pk or record.uploaded_by_id == user.pk


def _may_read_av(user: User, record: Any) -> bool:
    if record is None or not _case_roles_only(user):
        return False
    if user.has_role(Role.CUSTODIAN, *BUREAU_WIDE_CASE_READERS) or _av_own(user, record):
        return True
    if user.has_role(Role.UNIT_HEAD) and record.unit_id == user.unit_id:
        return True
    from liuhen.cases.models import Case

    linked = Case.objects.filter(
        models.Q(av_links__record=record, av_links__unlink__isnull=True)
        | models.Q(activities__av_links__record=record, activities__av_links__unlink__isnull=True)
    )
    return _case_scope(user, linked).exists()


@rule("media.upload")
def _media_upload(user: User, obj: Any) -> bool:
    """Officers bring in their recordings; unit heads and the custodian may too (R15.1)."""
    return not user.is_admin_role and user.has_role(Role.OFFICER, Role.UNIT_HEAD, Role.CUSTODIAN)


@rule("media.list")
def _media_list(user: User, obj: Any) -> bool:
    return _case_roles_only(user)


@rule("media.view", "media.play")
def _media_view(user: User, record: Any) -> bool:
    return _may_read_av(user, record)


@rule("media.download")
def _media_download(user: User, record: Any) -> bool:
    """A copy leaves the system: the custodian, the agency head, the unit's head (R21.1)."""
    if record is None or not _may_read_av(user, record):
        return False
    if user.has_role(Role.CUSTODIAN, Role.AGENCY_HEAD):
        return True
    return user.has_role(Role.UNIT_HEAD) and record.unit_id == user.unit_id


@rule("media.link", "media.mark")
def _media_link(user: User, record: Any) -> bool:
    """The officer who made or uploaded it, and the custodian (R16.1)."""
    if record is None or not _may_read_av(user, record):
        return False
    return user.has_role(Role.CUSTODIAN) or (user.has_role(Role.OFFICER) and _av_own(user, record))


@rule("media.label")
def _media_label(user: User, record: Any) -> bool:
    """The custodian labels and manages AV records (R16.1)."""
    return not user.is_admin_role and user.has_role(Role.CUSTODIAN)


@rule("media.dispose_request")
def _media_dispose_request(user: User, obj: Any) -> bool:
    return not user.is_admin_role and user.has_role(Role.CUSTODIAN)


@rule("media.dispose_decide")
def _media_dispose_decide(user: User, obj: Any) -> bool:
    """Disposal of AV after retention needs the agency head's approval (R18.4)."""
    return not user.is_admin_role and user.has_role(Role.AGENCY_HEAD)


@rule("media.integrity")
def _media_integrity(user: User, obj: Any) -> bool:
    """Fixity findings (R16.1, R23.1): the custodian, supervisors, the security admin."""
    return user.has_role(Role.CUSTODIAN, Role.SUPERVISOR, Role.SECURITY_ADMIN)


@scope("media.avrecord")
def _av_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not _case_roles_only(user):
        return qs.none()
    if user.has_role(Role.CUSTODIAN, *BUREAU_WIDE_CASE_READERS):
        return qs
    from liuhen.cases.models import Case

    cases = _case_scope(user, Case.objects.all()).values("pk")
    reach = models.Q(officer=user) | models.Q(uploaded_by=user)
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        reach |= models.Q(unit_id=user.unit_id)
    linked = models.Q(links__unlink__isnull=True) & (
        models.Q(links__case__in=cases) | models.Q(links__activity__case__in=cases)
    )
    ids = qs.model.objects.filter(reach | linked).values("pk")
    return qs.filter(pk__in=ids)


# --- text records 文书 (R6.1, R9), service 送达 (R10) and payment (R11.1) --------------
# A document is the case's: whoever reads the case reads its documents; whoever works the
# case drafts, issues, records signatures and refusals, scans paper and records service.


def _case_of(obj: Any) -> Any:
    """The case of a document, an issued document, a service record or a decision."""
    from liuhen.cases.models import Case

    if obj is None or isinstance(obj, Case):
        return obj
    return getattr(obj, "case", None)


@rule("document.view", "document.download", "service.view", "payment.view")
def _document_view(user: User, obj: Any) -> bool:
    case = _case_of(obj)
    return case is not None and _case_view(user, case)


@rule(
    "document.draft",
    "document.request",
    "document.issue",
    "document.sign",
    "document.scan",
    "service.record",
    "payment.proceeding",
    "payment.deferral",
    "payment_deferral.request",
)
def _document_change(user: User, obj: Any) -> bool:
    case = _case_of(obj)
    return case is not None and _case_change(user, case)


@rule("service.list")
def _service_list(user: User, obj: Any) -> bool:
    return _case_roles_only(user)


@rule("seal.manage")
def _seal_manage(user: User, obj: Any) -> bool:
    """The bureau's seal certificate (R18.2) is the security administrator's."""
    return user.has_role(Role.SECURITY_ADMIN)


@rule("form.manage")
def _form_manage(user: User, obj: Any) -> bool:
    """Bureau forms are configuration: the system administrator's (R6.1)."""
    return user.has_role(Role.SYSTEM_ADMIN)


def _by_case(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not _case_roles_only(user):
        return qs.none()
    from liuhen.cases.models import Case

    return qs.filter(case__in=_case_scope(user, Case.objects.all()).values("pk"))


scope("documents.document")(_by_case)
scope("documents.issueddocument")(_by_case)
scope("delivery.servicerecord")(_by_case)
