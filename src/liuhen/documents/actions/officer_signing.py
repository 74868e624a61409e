"""The officers' own signatures (R9.1): an officer of the case signs the line that names them
(执法人员, 询问人, 记录人 …) on the pad in their own session, or with the signature image
they enrolled, confirmed with their password each time. The enrolment is the officer's
own, write-once: a new one supersedes the earlier, which is kept."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.core import access, audit
from liuhen.core.models import Outcome
from liuhen.documents.actions.signing import (
    _finalise_if_complete,
    _require_open_for_signature,
)
from liuhen.documents.catalog import catalog
from liuhen.documents.events import DocumentEvents, SignatureEvents
from liuhen.documents.files import store_bytes
from liuhen.documents.issuing.signatures import (
    current_enrolment,
    is_signature_image,
    may_sign_line,
    named_officers,
    officer_roles,
)
from liuhen.documents.models import IssuedDocument, OfficerSignature, SignatureEnrolment
from liuhen.documents.perms import DocumentPerms, SignaturePerms


def enrol_signature(
    actor: User, *, image_png: bytes, request: HttpRequest | None = None
) -> SignatureEnrolment:
    """The officer's own signature image, drawn on the pad on the officer's account page;
    it supersedes the officer's earlier enrolment, which is kept."""
    access.require(actor, SignaturePerms.ENROL, request=request)
    if not is_signature_image(image_png):
        raise ValidationError({"image": [_("The signature is empty: sign on the pad.")]})
    with transaction.atomic(durable=True):
        earlier = current_enrolment(actor)
        enrolment = SignatureEnrolment.objects.create(officer=actor, image=store_bytes(image_png))
        audit.record(
            SignatureEvents.ENROL,
            actor=actor,
            request=request,
            obj=enrolment,
            details={
                "image": enrolment.image_id,
                "supersedes": earlier.pk if earlier is not None else None,
            },
        )
    return enrolment


def _refuse(
    actor: User,
    issued: IssuedDocument,
    role: str,
    errors: dict[str, list[str]],
    reason: str,
    request: HttpRequest | None,
) -> None:
    """A refused attempt to sign an officer line is kept in the log, then refused."""
    audit.record(
        DocumentEvents.OFFICER_SIGN,
        actor=actor,
        request=request,
        obj=issued,
        case_id=issued.case_id,
        outcome=Outcome.DENIED,
        details={"issued": issued.pk, "role": role, "reason": reason},
    )
    raise ValidationError(errors)


def _check_line(
    actor: User, issued: IssuedDocument, role: str, request: HttpRequest | None
) -> None:
    if role not in officer_roles(catalog.spec_of_issued(issued)):
        raise ValidationError({"role": [_("Choose the officer line you sign.")]})
    if not may_sign_line(actor, issued, role):
        named = named_officers(issued, role) or []
        names = "、".join(officer.display_name for officer in named) or _("nobody of this case")
        message = _(
            "The line %(role)s names %(names)s: only an officer named on it signs it, "
            "logged in as themselves."
        ) % {"role": role, "names": names}
        _refuse(actor, issued, role, {"role": [message]}, "not_named", request)


def sign_as_officer(
    actor: User,
    issued: IssuedDocument,
    *,
    role: str,
    image_png: bytes = b"",
    password: str | None = None,
    request: HttpRequest | None = None,
) -> OfficerSignature:
    """R9.1: the officer named on an officer line signs it: on the pad (``image_png``; the
    officer's own session is the proof of who signs), or with the enrolled signature image
    when ``password`` is given and is the officer's. Audited, refusals too; the last line
    signed makes the document final."""
    access.require(actor, DocumentPerms.OFFICER_SIGN, issued, request=request)
    refuse_if_archived(actor, issued.case, "documents.sign_as_officer", request=request)
    role = role.strip()
    _check_line(actor, issued, role, request)
    enrolment = None
    if password is None:
        if not is_signature_image(image_png):
            raise ValidationError(
                {
                    "image": [
                        _(
                            "The signature is empty: sign on the pad, or use your enrolled "
                            "signature."
                        )
                    ]
                }
            )
        method, image = OfficerSignature.Method.PAD, image_png
    else:
        enrolment = current_enrolment(actor)
        if enrolment is None:
            raise ValidationError(
                {
                    "password": [
                        _(
                            "You have not enrolled a signature: enrol it on your account page, "
                            "or sign on the pad."
                        )
                    ]
                }
            )
        if not actor.check_password(password):
            errors = {"password": [_("The password is not correct: the signature was not used.")]}
            _refuse(actor, issued, role, errors, "password", request)
        method, image = OfficerSignature.Method.ENROLLED, b""
    with transaction.atomic(durable=True):
        issued = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        _require_open_for_signature(issued)
        if issued.officer_signatures.filter(role=role, officer=actor).exists():
            raise ValidationError({"role": [_("You have signed this line already.")]})
        blob = enrolment.image if enrolment is not None else store_bytes(image)
        signature = OfficerSignature.objects.create(
            issued=issued,
            role=role,
            officer=actor,
            name=actor.display_name,
            method=method,
            image=blob,
            enrolment=enrolment,
        )
        audit.record(
            DocumentEvents.OFFICER_SIGN,
            actor=actor,
            request=request,
            obj=signature,
            case_id=issued.case_id,
            details={
                "issued": issued.pk,
                "role": role,
                "method": method,
                "image": blob.sha256,
                "enrolment": enrolment.pk if enrolment is not None else None,
            },
        )
        _finalise_if_complete(actor, issued, request=request)
    return signature
