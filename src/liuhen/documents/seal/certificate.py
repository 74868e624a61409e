"""The bureau's seal certificate as installed (R18.2): which one seals, its credentials, the
trust roots the verification page checks against, and what a PKCS#12 file, a seal image
and a trust root must be before they are installed."""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import pkcs12
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from liuhen.documents.files import PNG_MAGIC, read_blob
from liuhen.documents.models import SealCertificate
from liuhen.documents.seal.sealing import SealCredentials, load_signer
from liuhen.subjects import crypto

P12_MAX_BYTES = 1024 * 1024
IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_SIDE = 2000  # pixels; a seal is printed about 4 cm wide
CA_MAX_BYTES = 256 * 1024


def active_seal() -> SealCertificate | None:
    """The certificate that seals: the newest active one."""
    return SealCertificate.objects.filter(active=True).order_by("-uploaded_at", "-id").first()


def seal_credentials(row: SealCertificate) -> SealCredentials:
    p12 = base64.b64decode(crypto.decrypt(row.p12_encrypted))
    passphrase = crypto.decrypt(row.passphrase_encrypted) if row.passphrase_encrypted else ""
    image = read_blob(row.image_id) if row.image_id else None
    return SealCredentials(p12=p12, passphrase=passphrase.encode() or None, image_png=image)


def trust_roots() -> list[bytes]:
    """The trust roots (CA certificates) of every seal certificate installed, old or new: a
    document sealed years ago is checked against the root of its day."""
    pems = SealCertificate.objects.exclude(ca_pem="").values_list("ca_pem", flat=True)
    return [pem.encode("ascii") for pem in dict.fromkeys(pems)]


@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    common_name: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    chain: tuple[x509.Certificate, ...]  # the seal certificate first, then the others


def read_p12(p12: bytes, passphrase: str) -> CertificateFacts:
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
    return CertificateFacts(
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


def check_ca(ca_pem: bytes, chain: tuple[x509.Certificate, ...]) -> str:
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


def check_image(png: bytes) -> None:
    message = _("The seal image must be a PNG file (at most 2 MB, 2000 × 2000 pixels).")
    if not png.startswith(PNG_MAGIC) or len(png) > IMAGE_MAX_BYTES:
        raise ValidationError(message)
    try:
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(message) from error
    if max(width, height) > IMAGE_MAX_SIDE:
        raise ValidationError(message)
