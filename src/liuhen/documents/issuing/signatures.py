"""Who signs a document and what they sign (R9.1, R9.2, R8.2): the party's lines of a form,
the officers' lines and who is named on them, the standard opinions, the waiver statements
a form offers, a signature's strokes, and the AV records that may back a refusal."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from PIL import Image, ImageChops, UnidentifiedImageError

from liuhen.accounts.models import User
from liuhen.cases import hearings
from liuhen.core import access
from liuhen.documents.files import PNG_MAGIC
from liuhen.documents.models import Finalisation, IssuedDocument, SignatureEnrolment
from liuhen.documents.spec import FormSpec, Waiver
from liuhen.media.models import AvRecord
from liuhen.subjects.models import CaseParty, SubjectKind

# Signature lines that officers (not the party) sign; the rest are the party's or a
# witness's, checked and signed under R9.1.
OFFICER_SIGNERS = frozenset(
    {
        "执法人员",
        "询问人",
        "记录人",
        "记录员",
        "案件调查人员",
        "检查人",
        "勘验人",
        "承办人",
        "承办人员",
        "送达人",
        "主持人",
        "听证主持人",
        "听证员",
        "书记员",
        "抽样人",
        "抽样人员",
        "执法机关",
        "处理人",
        "经办人",
        "审核人",
        "负责人",
    }
)
# The document's value that names the officers of a line; any other officer line names the
# officers in "officers" (执法人员及执法证号, 询问人及执法证号 …). A chair is named as the chair,
# never by the investigators' value.
OFFICER_NAME_FIELDS = {
    "记录人": "recorder",
    "记录员": "clerk",
    "听证主持人": "chair",
    "主持人": "chair",
}
OFFICERS_FIELD = "officers"
# The lines of a hearing's chair and clerk: the staff named for the case's hearing sign them,
# who need not be officers of the case (the chair may not be one, 行政处罚法 Art. 64(4)).
HEARING_STAFF_LINES = frozenset({"听证主持人", "记录员"})
# Printed on a line of the signed version that nobody signed: never silently blank.
UNSIGNED_MARK = "（未签名）"
_NAME_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
PARTY = "当事人"
SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
# R9.1: the sentence a party writes under a transcript, and under any other document.
TRANSCRIPT_OPINION = "以上笔录我已看过，与我所说的相符"
DEFAULT_OPINION = "以上内容我已看过，无异议"
# R8.2: the statements a party signs to waive statement and defence, or a hearing.
WAIVER_TEXTS = {
    Waiver.STATEMENT: "本人放弃陈述、申辩的权利。",
    Waiver.HEARING: "本人放弃要求听证的权利。",
}
SENTENCE_ENDS = ("。", "！", "？", "；", ".", "!", "?", ";")
WAIVER_LABELS = {Waiver.STATEMENT: "放弃陈述、申辩", Waiver.HEARING: "放弃听证"}
# R8.2: the rights of the case's workflow (``cases.decisions.RIGHTS``) each waiver gives up.
WAIVED_RIGHTS = {Waiver.STATEMENT: ("statement", "defence"), Waiver.HEARING: ("hearing",)}
# The signer's name on the line of this role comes from this value of the document.
NAME_FIELD_OF_ROLE = {"被询问人": "interviewee_name", "见证人": "witness_name"}
# R9.2: an AV record shows a refusal when it was running within this slack of the moment.
REFUSAL_AV_SLACK = dt.timedelta(minutes=30)
# R9.2: the AV records offered for a refusal were captured this close to its time.
AV_PICKER_WINDOW = dt.timedelta(hours=12)


def party_roles(spec: FormSpec) -> tuple[str, ...]:
    """The lines the party (first, the principal) and other persons sign (R9.1)."""
    roles = tuple(role for role in spec.signers if role not in OFFICER_SIGNERS)
    return roles or (PARTY,)


def officer_roles(spec: FormSpec) -> tuple[str, ...]:
    """The lines officers sign on this form (执法人员, 询问人, 记录人 …)."""
    return tuple(dict.fromkeys(role for role in spec.signers if role in OFFICER_SIGNERS))


def names_in(text: str) -> set[str]:
    """The names a value lists: 王明（执法证号 21000001）、李强 → {王明, 李强}."""
    return {name for name in _NAME_SEPARATORS.split(_BRACKETED.sub(" ", text)) if name}


def named_officers(issued: IssuedDocument, role: str) -> list[Any] | None:
    """The case's officers (and, on a hearing's chair and clerk lines, the hearing's staff)
    the document names on ``role``'s line; None when the document names nobody there (any
    officer of the case signs that line then)."""
    field = OFFICER_NAME_FIELDS.get(role, OFFICERS_FIELD)
    text = str((issued.data or {}).get(field) or "").strip()
    if not text:
        return None
    names = names_in(text)
    people = list(issued.case.officers.all())
    if role in HEARING_STAFF_LINES:
        staff = User.objects.filter(pk__in=hearings.staff_ids(issued.case))
        people += [person for person in staff if person not in people]
    return [person for person in people if person.display_name in names]


def may_sign_line(user: Any, issued: IssuedDocument, role: str) -> bool:
    """R9.1: an officer line is signed by the officer named on it, as themselves."""
    named = named_officers(issued, role)
    if named is None:
        return bool(issued.case.officers.filter(pk=user.pk).exists())
    return any(officer.pk == user.pk for officer in named)


def officer_line_done(issued: IssuedDocument, role: str) -> bool:
    """Every officer named on the line signed it (one officer of the case, where the
    document names nobody there)."""
    signed = set(issued.officer_signatures.filter(role=role).values_list("officer_id", flat=True))
    named = named_officers(issued, role)
    if named is None:
        return bool(signed)
    return bool(named) and all(officer.pk in signed for officer in named)


def current_enrolment(user: Any) -> SignatureEnrolment | None:
    """The officer's newest enrolled signature: a new enrolment supersedes the earlier."""
    return (
        SignatureEnrolment.objects.filter(officer_id=user.pk)
        .order_by("-enrolled_at", "-id")
        .first()
    )


def standard_opinion(spec: FormSpec) -> str:
    """R9.1: a transcript is confirmed as what was said; any other document as read."""
    is_transcript = spec.code.endswith("_transcript") or "笔录" in spec.title
    return TRANSCRIPT_OPINION if is_transcript else DEFAULT_OPINION


def default_name(issued: IssuedDocument, role: str) -> str:
    """The name offered on a signature line: the person named in the document for it, else
    the person who signs for the party (never a unit's name, R9.1)."""
    data = issued.data or {}
    field = NAME_FIELD_OF_ROLE.get(role, "")
    return str(data.get(field) or ("" if field == "witness_name" else party_signer(issued)))


def party_signer(issued: IssuedDocument) -> str:
    """Who signs for the party: its legal representative or person in charge as the
    document names them, or the party when the party is a person; else nobody yet."""
    data = issued.data or {}
    representative = str(data.get("legal_representative") or "").strip()
    if representative:
        return representative
    name = str(data.get("party_name") or "").strip()
    case_id = getattr(issued, "case_id", None)
    if not name or case_id is None:
        return ""
    person = CaseParty.objects.filter(
        case_id=case_id, subject__name=name, subject__kind=SubjectKind.PERSON
    )
    return name if person.exists() else ""


def with_waivers(opinion: str, waivers: Sequence[str]) -> str:
    """The opinion as signed: the waiver statements chosen are part of it (R8.2)."""
    text = opinion.strip()
    for waiver in waivers:
        statement = WAIVER_TEXTS[Waiver(waiver)]
        if statement not in text:
            text = f"{_ended(text)}{statement}" if text else statement
    return text


def waived_rights(waivers: Sequence[str]) -> list[str]:
    """The workflow's rights the chosen waivers give up, in order, each once."""
    return list(dict.fromkeys(right for w in waivers for right in WAIVED_RIGHTS[Waiver(w)]))


def _ended(text: str) -> str:
    """``text`` closed as a sentence, so a statement added after it reads apart."""
    return text if text.endswith(SENTENCE_ENDS) else f"{text}。"


def is_signature_image(png: bytes) -> bool:
    """A PNG with at least one drawn (non-transparent, non-white) pixel."""
    if not png.startswith(PNG_MAGIC) or len(png) > SIGNATURE_MAX_BYTES:
        return False
    try:
        with Image.open(io.BytesIO(png)) as image:
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError):
        return False
    alpha = rgba.getchannel("A").point(lambda a: 255 if a > 16 else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < 200 else 0)
    return ImageChops.multiply(alpha, dark).getbbox() is not None


def finalisation_of(issued: IssuedDocument) -> Finalisation | None:
    """How the document was made final (R9.2), if it was. Asked afresh: an object loaded
    before it was finalised caches "no finalisation"."""
    return Finalisation.objects.filter(issued_id=issued.pk).first()


def is_final(issued: IssuedDocument) -> bool:
    """Signed or refused with AV (R9.2), asked afresh."""
    return Finalisation.objects.filter(issued_id=issued.pk).exists()


def av_candidates(user: Any, issued: IssuedDocument, around: dt.datetime) -> QuerySet[AvRecord]:
    """R9.2: AV records this officer may see, captured near ``around``, of this case or
    the officer's own (made with a recorder the officer held or holds, or uploaded)."""
    case = issued.case
    of_case = Q(links__unlink__isnull=True) & (Q(links__case=case) | Q(links__activity__case=case))
    own = Q(officer=user) | Q(device__holder=user) | Q(uploaded_by=user)
    near = AvRecord.objects.filter(
        captured_at__gte=around - AV_PICKER_WINDOW, captured_at__lte=around + AV_PICKER_WINDOW
    ).filter(of_case | own)
    ids = near.values("pk")
    records = AvRecord.objects.filter(pk__in=ids).select_related("device", "officer", "probe")
    return access.visible(user, records).order_by("-captured_at", "-pk")
