"""Installing the bureau's seal certificate (R18.2): the security administrator's action.

The PKCS#12 is opened with its passphrase before anything is stored, so a wrong file or
passphrase is refused at the form, not at the first issue. The PKCS#12 and the passphrase
are kept encrypted (``subjects.crypto``) and never written to the audit log.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
from dataclasses import dataclass
from typing import Any

from asn1crypto import pkcs12
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Bureau, Role, User
from liuhen.core import access, audit
from liuhen.documents import issuing
from liuhen.documents.events import SealEvents
from liuhen.documents.models import SealCertificate
from liuhen.documents.perms import SealPerms
from liuhen.documents.seal import SealCredentials, load_signer
from liuhen.documents.seal_image import seal_png

P12_MAX_BYTES = 1024 * 1024
IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_SIDE = 2000  # pixels; a seal is printed about 4 cm wide
CA_MAX_BYTES = 256 * 1024
DEMO_SEAL_TEXT = "演示专用章"  # printed under the star: a demo seal is never mistaken


@dataclass(frozen=True)
class _CertificateFacts:
    subject: str
    common_name: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    chain: tuple[x509.Certificate, ...]  # the seal certificate first, then the others


def install_seal(
    actor: Any,
    *,
    p12: bytes,
    passphrase: str,
    image_png: bytes | None,
    ca_pem: bytes | None,
    name: str = "",
    request: HttpRequest | None = None,
) -> SealCertificate:
    """Install a new seal certificate; the one active before it is retired (R18.2)."""
    access.require(actor, SealPerms.MANAGE, request=request)
    facts = _read_p12(p12, passphrase)
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if facts.not_after <= now:
        errors["p12"] = [
            _("The seal certificate expired on %(day)s: install a current one.")
            % {"day": timezone.localdate(facts.not_after).isoformat()}
        ]
    elif facts.not_before > now:
        errors["p12"] = [
            _("The seal certificate is valid only from %(day)s.")
            % {"day": timezone.localdate(facts.not_before).isoformat()}
        ]
    ca_text = ""
    if ca_pem:
        try:
            ca_text = _check_ca(ca_pem, facts.chain)
        except ValidationError as error:
            errors["ca_pem"] = list(error.messages)
    if image_png is not None:
        try:
            _check_image(image_png)
        except ValidationError as error:
            errors["image"] = list(error.messages)
    name = " ".join(name.split())[:200] or facts.common_name[:200]
    if errors:
        raise ValidationError(errors)
    if image_png is None:
        # The visible seal drawn from the bureau's name, as the print shows it.
        image_png = seal_png(_bureau_name(facts))
    uploader = _uploader(actor)
    with transaction.atomic():
        image = issuing.store_bytes(image_png)
        retired = list(
            SealCertificate.objects.select_for_update()
            .filter(active=True)
            .values_list("pk", flat=True)
        )
        # ``active`` is the only field of a seal row that ever changes.
        SealCertificate.objects.filter(pk__in=retired).update(active=False)
        row = SealCertificate.objects.create(
            name=name,
            p12_encrypted=_encrypt(base64.b64encode(p12).decode("ascii")),
            passphrase_encrypted=_encrypt(passphrase) if passphrase else "",
            image=image,
            subject=facts.subject[:300],
            serial=facts.serial[:80],
            not_after=facts.not_after,
            ca_pem=ca_text,
            active=True,
            uploaded_by=uploader,
        )
        audit.record(
            SealEvents.INSTALL,
            actor=actor,
            request=request,
            obj=row,
            details={
                "name": row.name,
                "subject": row.subject,
                "serial": row.serial,
                "not_after": facts.not_after.isoformat(),
                "image": image.sha256,
                "trust_root": bool(ca_text),
                "retired": retired,
            },
        )
    return row


def install_demo_seal(actor: Any, bureau_name: str) -> SealCertificate:
    """A demo CA and seal certificate (``demo_ca``) installed for ``liuhen seed-demo``.

    ``actor`` None is the server itself. The passphrase is random: nobody needs to know it,
    the row keeps it encrypted like any other.
    """
    from liuhen.documents.demo_ca import make_demo_seal

    passphrase = secrets.token_urlsafe(24)
    demo = make_demo_seal(bureau_name, passphrase=passphrase.encode())
    return install_seal(
        actor if actor is not None else audit.SYSTEM,
        p12=demo.p12,
        passphrase=passphrase,
        image_png=seal_png(bureau_name, bottom_text=DEMO_SEAL_TEXT),
        ca_pem=demo.ca_cert_pem,
        name=f"{bureau_name} 演示印章（DEMO，非正式印章）",  # data, as the certificate says
    )


def _read_p12(p12: bytes, passphrase: str) -> _CertificateFacts:
    if not p12:
        raise ValidationError({"p12": [_("Choose the PKCS#12 file (.p12 or .pfx).")]})
    if len(p12) > P12_MAX_BYTES:
        raise ValidationError({"p12": [_("A PKCS#12 file is never larger than 1 MB.")]})
    if not _is_pkcs12(p12):
        raise ValidationError({"p12": [_("This is not a PKCS#12 file (.p12 or .pfx).")]})
    creds = SealCredentials(p12=p12, passphrase=passphrase.encode() or None, image_png=None)
    try:
        signer = load_signer(creds)
    except ValidationError as error:
        raise ValidationError(
            {"passphrase": [_("The passphrase does not open this PKCS#12 file.")]}
        ) from error
    if signer.signing_cert is None or signer.signing_key is None:
        raise ValidationError({"p12": [_("The PKCS#12 file holds no seal key and certificate.")]})
    cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
    others = tuple(x509.load_der_x509_certificate(c.dump()) for c in signer.cert_registry)
    names = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return _CertificateFacts(
        subject=cert.subject.rfc4514_string(),
        common_name=str(names[0].value) if names else cert.subject.rfc4514_string(),
        serial=format(cert.serial_number, "X"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        chain=(cert, *others),
    )


def _is_pkcs12(data: bytes) -> bool:
    """The outer structure needs no passphrase: tells a wrong file from a wrong passphrase."""
    try:
        return bool(pkcs12.Pfx.load(data, strict=True).native)
    except ValueError:
        return False


def _check_ca(ca_pem: bytes, chain: tuple[x509.Certificate, ...]) -> str:
    """The trust root as PEM text, if it is a CA certificate that issued the seal's chain."""
    if len(ca_pem) > CA_MAX_BYTES:
        raise ValidationError(_("The trust root file is too large."))
    try:
        ca = x509.load_pem_x509_certificate(ca_pem)
    except ValueError as error:
        raise ValidationError(_("The trust root is not a certificate in PEM format.")) from error
    for cert in chain:
        if cert.issuer != ca.subject:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return ca_pem.decode("ascii", errors="strict").strip() + "\n"
    # Installed anyway, every sealed document would show "not trusted" on the verify page.
    raise ValidationError(
        _("The seal certificate was not issued by this trust root (CA certificate).")
    )


def _check_image(png: bytes) -> None:
    message = _("The seal image must be a PNG file (at most 2 MB, 2000 × 2000 pixels).")
    if not png.startswith(issuing.PNG_MAGIC) or len(png) > IMAGE_MAX_BYTES:
        raise ValidationError(message)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(message) from error
    if max(width, height) > IMAGE_MAX_SIDE:
        raise ValidationError(message)


def _bureau_name(facts: _CertificateFacts) -> str:
    bureau = Bureau.objects.order_by("pk").first()
    return bureau.name if bureau is not None else facts.common_name


def _uploader(actor: Any) -> User:
    """The person the row names as uploader. The server (seed-demo) installs on behalf of
    the security administrator: the row needs a person, the audit event says it was the
    system."""
    if isinstance(actor, User):
        return actor
    admin = (
        User.objects.filter(role_grants__role=Role.SECURITY_ADMIN, is_active=True)
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise ValidationError(
            _("Create the security administrator's account before installing a seal.")
        )
    return admin


def _encrypt(text: str) -> str:
    from liuhen.subjects import crypto

    return crypto.encrypt(text)
