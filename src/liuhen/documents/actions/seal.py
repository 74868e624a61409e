"""Installing the bureau's seal certificate (R18.2): the security administrator's action.

The PKCS#12 is opened with its passphrase before anything is stored, so a wrong file or
passphrase is refused at the form, not at the first issue. The PKCS#12 and the passphrase
are kept encrypted (``subjects.crypto``) and never written to the audit log.
"""

from __future__ import annotations

import base64
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Bureau, Role, User
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.documents.events import SealEvents
from liuhen.documents.files import store_bytes
from liuhen.documents.models import SealCertificate
from liuhen.documents.perms import SealPerms
from liuhen.documents.seal import certificate
from liuhen.documents.seal.demo_ca import make_demo_seal
from liuhen.documents.seal.image import seal_png
from liuhen.subjects import crypto

DEMO_SEAL_TEXT = "演示专用章"  # printed under the star: a demo seal is never mistaken


def install_seal(
    actor: User | Actor,
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
    with transaction.atomic(durable=True):
        return _install_seal(
            actor,
            p12=p12,
            passphrase=passphrase,
            image_png=image_png,
            ca_pem=ca_pem,
            name=name,
            request=request,
        )


def _install_seal(
    actor: User | Actor,
    *,
    p12: bytes,
    passphrase: str,
    image_png: bytes | None,
    ca_pem: bytes | None,
    name: str,
    request: HttpRequest | None,
) -> SealCertificate:
    """Check and install the certificate inside the caller's transaction (access checked)."""
    facts = certificate.read_p12(p12, passphrase)
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
            ca_text = certificate.check_ca(ca_pem, facts.chain)
        except ValidationError as error:
            errors["ca_pem"] = list(error.messages)
    if image_png is not None:
        try:
            certificate.check_image(image_png)
        except ValidationError as error:
            errors["image"] = list(error.messages)
    name = " ".join(name.split())[:200] or facts.common_name[:200]
    if errors:
        raise ValidationError(errors)
    if image_png is None:
        # The visible seal drawn from the bureau's name, as the print shows it.
        image_png = seal_png(_bureau_name(facts))
    uploader = _uploader(actor)
    image = store_bytes(image_png)
    retired = list(
        SealCertificate.objects.select_for_update().filter(active=True).values_list("pk", flat=True)
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


def install_demo_seal(actor: User | Actor, bureau_name: str) -> SealCertificate:
    """A demo CA and seal certificate (``seal/demo_ca.py``) installed for ``liuhen seed-demo``.

    The passphrase is random: nobody needs to know it, the row keeps it encrypted like any
    other. Not durable: seed-demo installs the demo seal in the transaction that creates the
    demo bureau and its people, so a failed seed leaves nothing half made.
    """
    access.require(actor, SealPerms.MANAGE)
    passphrase = secrets.token_urlsafe(24)
    demo = make_demo_seal(bureau_name, passphrase=passphrase.encode())
    with transaction.atomic():
        return _install_seal(
            actor,
            p12=demo.p12,
            passphrase=passphrase,
            image_png=seal_png(bureau_name, bottom_text=DEMO_SEAL_TEXT),
            ca_pem=demo.ca_cert_pem,
            name=f"{bureau_name} 演示印章（DEMO，非正式印章）",  # data, as the certificate says
            request=None,
        )


def _bureau_name(facts: certificate.CertificateFacts) -> str:
    bureau = Bureau.objects.order_by("pk").first()
    return bureau.name if bureau is not None else facts.common_name


def _uploader(actor: User | Actor) -> User:
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
    return crypto.encrypt(text)
