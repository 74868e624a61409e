"""First values of a form's fields, taken from the case: the party and its
identifiers, the officers with their certificate numbers, the decision and its payment
notice, the advance notice and the waivers signed on it, the legal review and the collective
discussion, the hearing, the activity a record is made of (its time, place, officers present
and party), and the standard texts whose periods come from the rules (R2.1).

A form names what it wants by key (``FieldSpec.prefill``); :data:`KEYS` lists them. Only
the sources a form's keys need are read, each with one query, and anything missing gives
an empty string: a form can always be opened.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import cached_property

from django.db.models import Prefetch
from django.utils import timezone

from liuhen.accounts.models import Certificate, Unit, User
from liuhen.activities.models import Activity
from liuhen.cases.models import (
    AdvanceNotice,
    Case,
    CollectiveDiscussion,
    Decision,
    HearingSchedule,
    LegalReview,
    PenaltyKind,
    ReviewResult,
)
from liuhen.core import rules
from liuhen.documents.spec import PAYMENT_QR, FormSpec, behaviour
from liuhen.subjects import crypto
from liuhen.subjects.identifiers import birth_date
from liuhen.subjects.models import CaseParty, PartyRole, Subject, SubjectKind

logger = logging.getLogger(__name__)

# Printed names of the penalty kinds (行政处罚法 Art. 9).
PENALTY_NAMES: dict[str, str] = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATE_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATE_GOODS: "没收非法财物",
    PenaltyKind.LICENCE_DOWNGRADE: "降低资质等级",
    PenaltyKind.LICENCE_SUSPEND: "暂扣许可证件",
    PenaltyKind.LICENCE_REVOKE: "吊销许可证件",
    PenaltyKind.RESTRICT: "限制开展生产经营活动、责令停产停业、责令关闭、限制从业",
    PenaltyKind.OTHER: "其他行政处罚",
}
SUBJECT_KIND_NAMES: dict[str, str] = {
    SubjectKind.UNIT: "单位",
    SubjectKind.PERSON: "个人",
    SubjectKind.VEHICLE: "车辆（船舶）",
    SubjectKind.PROJECT: "项目",
}
# The conclusions of a legal review as the 法制审核意见书 prints them (Art. 58).
REVIEW_RESULT_NAMES: dict[str, str] = {
    ReviewResult.AGREE: "同意",
    ReviewResult.AMEND: "修改后同意",
    ReviewResult.DISAGREE: "不同意，补充调查",
}
# R8.2: the rights a party waives, as a form names them.
WAIVED_RIGHT_NAMES: dict[str, str] = {
    "statement": "陈述",
    "defence": "申辩",
    "withdrawal": "申请回避",
    "hearing": "听证",
}
_DIGITS = "零一二三四五六七八九"


# --- formats of printed values -----------------------------------------------------------


def format_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{format_date(local.date())} {local.hour}时{local.minute:02d}分"


def format_yuan(fen: int) -> str:
    """Money as yuan with two decimals, e.g. 500000 fen → "5000.00"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def chinese_number(value: int) -> str:
    """1–99 in Chinese numerals as legal texts write periods (十五日, 六十日); else digits."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _DIGITS[tens]) + "十"
    return text + (_DIGITS[ones] if ones else "")


def penalty_text(kinds: list[str], fine_fen: int) -> str:
    parts = []
    for kind in kinds:
        name = PENALTY_NAMES.get(kind, kind)
        if kind == PenaltyKind.FINE:
            name = f"罚款人民币{format_yuan(fine_fen)}元"
        parts.append(name)
    return "；".join(parts)


# --- the case's data, read once and only when asked for ------------------------------------


class _Sources:
    def __init__(
        self,
        case: Case,
        *,
        activity: Activity | None = None,
        activity_types: tuple[str, ...] = (),
    ) -> None:
        self.case = case
        self.today = timezone.localdate()
        self._activity = activity
        self._activity_types = activity_types

    @cached_property
    def activity(self) -> Activity | None:
        """The activity the record is made of: the one it is drafted from, else the case's
        latest activity of a type the form records (none for a form of no activity)."""
        if self._activity is not None:
            return self._activity
        if not self._activity_types:
            return None
        return (
            Activity.objects.filter(case_id=self.case.pk, type__code__in=self._activity_types)
            .select_related("party")
            .order_by("-started_at", "-id")
            .first()
        )

    @cached_property
    def subject(self) -> Subject | None:
        """The party of the activity a record is made of; else the case's first party 当事人
        (an interested party only if there is none)."""
        activity = self.activity
        if activity is not None and activity.party_id is not None:
            return activity.party
        links = list(CaseParty.objects.filter(case_id=self.case.pk).select_related("subject"))
        link = next((link for link in links if link.role == PartyRole.PARTY), None)
        link = link or (links[0] if links else None)
        return link.subject if link is not None else None

    @cached_property
    def resident_id(self) -> str:
        subject = self.subject
        if subject is None or not subject.resident_id_encrypted:
            return ""
        try:
            return subject.resident_id()
        except crypto.UndecryptableIdentifier:
            logger.warning("resident id of subject %s cannot be decrypted", subject.pk)
            return ""

    @cached_property
    def officers(self) -> list[tuple[User, Certificate | None]]:
        """The assigned officers in the order they were assigned, each with the certificate
        valid today (R4.2) — the latest one if several are."""
        current = Certificate.objects.filter(
            revoked=False, valid_from__lte=self.today, valid_to__gte=self.today
        ).order_by("-valid_to", "-id")
        links = (
            Case.officers.through.objects.filter(case_id=self.case.pk)
            .select_related("user")
            .prefetch_related(Prefetch("user__certificates", queryset=current))
            .order_by("id")
        )
        result = []
        for link in links:
            certificates = list(link.user.certificates.all())
            result.append((link.user, certificates[0] if certificates else None))
        return result

    @cached_property
    def present(self) -> list[tuple[str, str]]:
        """The officers present at the activity, each with the certificate number recorded
        for that day (R4.2), in the order they were recorded."""
        if self.activity is None:
            return []
        presences = self.activity.presences.select_related("officer").order_by("id")
        return [(p.officer.display_name, p.certificate_number) for p in presences]

    @cached_property
    def review(self) -> LegalReview | None:
        """The latest legal review 法制审核 (Art. 58)."""
        return (
            LegalReview.objects.filter(case_id=self.case.pk)
            .select_related("reviewer")
            .order_by("-reviewed_at", "-id")
            .first()
        )

    @cached_property
    def discussion(self) -> CollectiveDiscussion | None:
        """The latest collective discussion 集体讨论 (R7.3)."""
        return (
            CollectiveDiscussion.objects.filter(case_id=self.case.pk)
            .order_by("-held_at", "-id")
            .first()
        )

    @cached_property
    def unit(self) -> Unit | None:
        return Unit.objects.filter(pk=self.case.unit_id).select_related("bureau").first()

    @cached_property
    def decision(self) -> Decision | None:
        return Decision.objects.filter(case_id=self.case.pk).first()

    @cached_property
    def notice(self) -> AdvanceNotice | None:
        return (
            AdvanceNotice.objects.filter(case_id=self.case.pk)
            .order_by("-notified_at", "-id")
            .first()
        )

    @cached_property
    def schedule(self) -> HearingSchedule | None:
        """The hearing schedule in force: the latest recorded (a later one reschedules)."""
        return (
            HearingSchedule.objects.filter(hearing__case_id=self.case.pk)
            .select_related("chair", "clerk")
            .order_by("-recorded_at", "-id")
            .first()
        )


def _subject_attr(attribute: str) -> Callable[[_Sources], str]:
    return lambda s: str(getattr(s.subject, attribute, "") or "")


def _id_number(s: _Sources) -> str:
    subject = s.subject
    if subject is None:
        return ""
    if subject.kind == SubjectKind.PERSON:
        return s.resident_id
    if subject.kind == SubjectKind.VEHICLE:
        return subject.plate
    if subject.kind == SubjectKind.PROJECT:
        return subject.project_code
    return subject.uscc


def _is_person(s: _Sources) -> bool:
    return s.subject is not None and s.subject.kind == SubjectKind.PERSON


def _person(s: _Sources) -> str:
    """The natural person who speaks for the party: the party, or its legal representative."""
    if s.subject is None:
        return ""
    return s.subject.name if _is_person(s) else s.subject.legal_representative


def _relation(s: _Sources) -> str:
    if _is_person(s):
        return "本人"
    return (
        "法定代表人（负责人）" if s.subject is not None and s.subject.legal_representative else ""
    )


def _sex(s: _Sources) -> str:
    # GB 11643-1999: the 17th digit is odd for men, even for women.
    number = s.resident_id if _is_person(s) else ""
    return ("男" if int(number[16]) % 2 else "女") if len(number) == 18 else ""


def _age(s: _Sources) -> str:
    born = birth_date(s.resident_id) if _is_person(s) and len(s.resident_id) == 18 else None
    if born is None:
        return ""
    had_birthday = (s.today.month, s.today.day) >= (born.month, born.day)
    return str(s.today.year - born.year - (0 if had_birthday else 1))


def _officers(s: _Sources) -> str:
    """Names with the certificate valid today: 王明（执法证号 21000001）、李强."""
    return "、".join(
        f"{user.display_name}（执法证号 {certificate.number}）"
        if certificate
        else user.display_name
        for user, certificate in s.officers
    )


def _present_officers(s: _Sources) -> str:
    """The officers present at the activity (王明（执法证号 21000001）、李强); the case's
    officers when the record is of no activity."""
    if s.activity is None:
        return _officers(s)
    return "、".join(
        f"{name}（执法证号 {number}）" if number else name for name, number in s.present
    )


def _activity_attr(
    read: Callable[[Activity], str], otherwise: Callable[[_Sources], str] = lambda s: ""
) -> Callable[[_Sources], str]:
    return lambda s: read(s.activity) if s.activity is not None else otherwise(s)


def _review_opinion(s: _Sources) -> str:
    """法制审核意见: the conclusion, the opinion, who reviewed and when (Art. 58)."""
    review = s.review
    if review is None:
        return ""
    result = REVIEW_RESULT_NAMES.get(review.result, review.result)
    when = format_date(timezone.localdate(review.reviewed_at))
    return f"{result}。{review.opinion}（审核人：{review.reviewer.display_name}，{when}）"


def _discussion_conclusion(s: _Sources) -> str:
    """集体讨论意见: the discussion's decision and the day it was held (R7.3)."""
    discussion = s.discussion
    if discussion is None:
        return ""
    when = format_date(timezone.localdate(discussion.held_at))
    return f"{discussion.conclusion}（{when}集体讨论决定）"


def _waivers(s: _Sources) -> str:
    """R8.2: the rights the party waived on the advance notice in force, as signed."""
    notice = s.notice
    if notice is None:
        return ""
    lines = []
    for waiver in notice.waivers.order_by("recorded_at", "id"):
        rights = "、".join(WAIVED_RIGHT_NAMES.get(right, right) for right in waiver.rights)
        when = format_date(timezone.localdate(waiver.recorded_at))
        lines.append(f"当事人于{when}签字放弃{rights}的权利。")
    return "".join(lines)


def _payment_notice_number(s: _Sources) -> str:
    """R11.1: the number of the decision's payment notice, once it has one."""
    if s.decision is None:
        return ""
    return str(behaviour(PAYMENT_QR).at_issue(s.decision, create=False)[1])


def _decision_attr(read: Callable[[Decision], str]) -> Callable[[_Sources], str]:
    return lambda s: read(s.decision) if s.decision is not None else ""


def _notice_attr(read: Callable[[AdvanceNotice], str]) -> Callable[[_Sources], str]:
    return lambda s: read(s.notice) if s.notice is not None else ""


def _schedule_attr(read: Callable[[HearingSchedule], str]) -> Callable[[_Sources], str]:
    return lambda s: read(s.schedule) if s.schedule is not None else ""


# --- standard texts (periods from the rules, R2.1) ----------------------------------------


def _days(key: str) -> str:
    return chinese_number(int(rules.value(key)))


def _we(s: _Sources) -> str:
    bureau = s.unit.bureau.name if s.unit else "本机关"
    return f"我们是{bureau}的执法人员，这是我们的执法证件（出示执法证件）。"


def _inquiry_caution(s: _Sources) -> str:
    return (
        f"{_we(s)}现依法向你进行询问调查，请你如实回答问题，不得作伪证或者隐匿证据，"
        "否则应当承担相应的法律责任。你有陈述和申辩的权利。如果你认为执法人员与本案有直接"
        "利害关系或者其他关系可能影响公正执法的，有权申请回避。你是否申请回避？"
    )


def _inspection_caution(s: _Sources) -> str:
    return (
        f"{_we(s)}现依法进行现场检查（勘验），请予以配合。你有陈述和申辩的权利。如果你认为"
        "执法人员与本案有直接利害关系或者其他关系可能影响公正执法的，有权申请回避。"
    )


def _remedies(s: _Sources) -> str:
    return (
        f"如不服本决定，可以在收到本决定书之日起{_days('reconsideration')}日内依法申请行政复议，"
        f"或者在{_days('litigation')}个月内依法向人民法院提起行政诉讼。申请行政复议或者提起"
        "行政诉讼的，本决定不停止执行，法律另有规定的除外。"
    )


def _remedies_reconsideration_first(s: _Sources) -> str:
    """行政复议法 (2023) Art. 23(1): a penalty decided on the spot is disputed by
    reconsideration first; a suit lies only against the reconsideration decision."""
    return (
        f"如不服本决定，应当先在收到本决定书之日起{_days('reconsideration')}日内依法申请行政复议"
        "（《中华人民共和国行政复议法》第二十三条第一款第一项）；对行政复议决定不服的，可以依法"
        "向人民法院提起行政诉讼。申请行政复议的，本决定不停止执行，法律另有规定的除外。"
    )


def _payment(s: _Sources) -> str:
    if s.decision is not None and s.decision.fine_fen == 0:
        return ""  # no fine to pay
    cap = int(rules.value("late_surcharge_cap_percent"))
    limit = "罚款的数额" if cap == 100 else f"罚款数额的百分之{chinese_number(cap)}"
    return (
        f"自收到本决定书之日起{_days('payment')}日内，持本决定书到指定银行缴纳罚款，或者扫描"
        "本决定书上的缴款二维码通过电子支付系统缴纳。到期不缴纳罚款的，每日按罚款数额的百分之"
        f"{_days('late_surcharge_percent_per_day')}加处罚款，加处罚款的数额不超过{limit}。"
    )


def _statement_rights(s: _Sources) -> str:
    return (
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、"
        "申辩的权利，可以在下列期限内向本机关提出陈述、申辩意见；逾期未提出的，视为放弃此权利。"
        "根据《中华人民共和国行政处罚法》第四十三条的规定，你（单位）认为执法人员与本案有直接"
        "利害关系或者有其他关系可能影响公正执法的，有权申请回避。"
    )


def _hearing_rights(s: _Sources) -> str:
    return (
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有要求举行听证"
        f"的权利。如要求听证，应当在收到本告知书之日起{_days('hearing_request')}个工作日内向本机关"
        "提出；逾期未提出的，视为放弃此权利。"
    )


def _hearing_notice_rights(s: _Sources) -> str:
    return (
        "你（单位）可以亲自参加听证，也可以委托代理人参加；委托代理人的，应当提交授权委托书。"
        "认为听证主持人与本案有直接利害关系的，有权申请回避。无正当理由拒不出席听证或者未经"
        "许可中途退出听证的，视为放弃听证权利。"
    )


_RESOLVERS: dict[str, Callable[[_Sources], str]] = {
    "party.name": _subject_attr("name"),
    "party.kind": lambda s: SUBJECT_KIND_NAMES.get(s.subject.kind, "") if s.subject else "",
    "party.id_number": _id_number,
    "party.address": _subject_attr("address"),
    "party.phone": _subject_attr("phone"),
    "party.legal_representative": _subject_attr("legal_representative"),
    "party.person": _person,
    "party.person_id": lambda s: s.resident_id if _is_person(s) else "",
    "party.relation": _relation,
    "party.sex": _sex,
    "party.age": _age,
    "case.number": lambda s: s.case.number,
    "case.title": lambda s: s.case.title,
    "case.field": lambda s: s.case.field,
    "case.unit": lambda s: s.unit.name if s.unit else "",
    "case.opened_on": lambda s: format_date(timezone.localdate(s.case.opened_at)),
    "bureau.name": lambda s: s.unit.bureau.name if s.unit else "",
    "officers": _officers,
    "officer_names": lambda s: "、".join(user.display_name for user, _c in s.officers),
    "today": lambda s: format_date(s.today),
    "now": lambda s: format_datetime(timezone.now()),
    "decision.number": _decision_attr(lambda d: d.number),
    "decision.facts": _decision_attr(lambda d: d.facts),
    "decision.basis": _decision_attr(lambda d: d.basis),
    "decision.penalty": _decision_attr(lambda d: penalty_text(d.penalty_kinds, d.fine_fen)),
    "decision.fine_yuan": _decision_attr(lambda d: format_yuan(d.fine_fen) if d.fine_fen else ""),
    "decision.decided_on": _decision_attr(lambda d: format_date(timezone.localdate(d.decided_at))),
    "decision.payment_notice_number": _payment_notice_number,
    "notice.proposed_penalty": _notice_attr(
        lambda n: penalty_text(n.penalty_kinds, n.proposed_fine_fen)
    ),
    "notice.notified_on": _notice_attr(lambda n: format_date(timezone.localdate(n.notified_at))),
    "notice.waivers": _waivers,
    "review.opinion": _review_opinion,
    "discussion.conclusion": _discussion_conclusion,
    "activity.started_at": _activity_attr(
        lambda a: format_datetime(a.started_at), lambda s: format_datetime(timezone.now())
    ),
    "activity.ended_at": _activity_attr(lambda a: format_datetime(a.ended_at)),
    "activity.place": _activity_attr(lambda a: a.place),
    "activity.officers": _present_officers,
    "hearing.scheduled_at": _schedule_attr(lambda h: format_datetime(h.scheduled_at)),
    "hearing.place": _schedule_attr(lambda h: h.place),
    "hearing.chair": _schedule_attr(lambda h: h.chair.display_name),
    "hearing.clerk": _schedule_attr(lambda h: h.clerk.display_name if h.clerk else ""),
    "text.inquiry_caution": _inquiry_caution,
    "text.inspection_caution": _inspection_caution,
    "text.remedies": _remedies,
    "text.remedies_reconsideration_first": _remedies_reconsideration_first,
    "text.payment": _payment,
    "text.statement_rights": _statement_rights,
    "text.hearing_rights": _hearing_rights,
    "text.hearing_notice_rights": _hearing_notice_rights,
}

KEYS: frozenset[str] = frozenset(_RESOLVERS)


def resolve(case: Case, key: str, *, activity: Activity | None = None) -> str:
    """One prefill value (KeyError for a key not in :data:`KEYS`)."""
    return _RESOLVERS[key](_Sources(case, activity=activity))


def prefill(case: Case, spec: FormSpec, *, activity: Activity | None = None) -> dict[str, str]:
    """The first value of every field of ``spec`` for ``case``; "" where there is none.

    A record of an activity (a transcript, a voucher) takes the time, place, officers present
    and party of ``activity``, or of the case's latest activity of a type the form records.

    A resident id number is printed in full where the form asks for it (the form is the
    party's own document); callers show the form only to those who may work on the case.
    """
    unknown = {f.prefill for f in spec.fields if f.prefill and f.prefill not in _RESOLVERS}
    if unknown:
        raise KeyError(f"unknown prefill key(s) in form {spec.code}: {sorted(unknown)}")
    sources = _Sources(case, activity=activity, activity_types=spec.activity_types)
    return {f.name: _RESOLVERS[f.prefill](sources) if f.prefill else "" for f in spec.fields}
