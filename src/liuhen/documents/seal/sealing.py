"""The bureau's electronic seal on issued documents (R18.2): PAdES signatures made and checked
with pyHanko.

A served document is sealed every time it is issued, so sealing is kept cheap: the PKCS#12 is
parsed once per certificate and the seal image decoded once, both cached in the process.
Signing and validation run pyHanko's coroutines through ``asyncio.run``, which refuses to run
inside a thread that already has an event loop (an async caller, a test browser driver): then
the work moves to a short-lived worker thread (:func:`_outside_event_loop`).

pyHanko (with aiohttp, its certificate validator and their crypto) is imported where a seal
is made or checked, not when the module loads: the URL configuration imports this module in
every web process, and most requests never touch a seal.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import io
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from liuhen.documents.seal.image import seal_png

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers, timestamps
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.status import PdfSignatureStatus
    from pyhanko.stamp import StaticStampStyle

logger = logging.getLogger(__name__)

# (page index, x1, y1, x2, y2): page 0 is the first, -1 the last; the rectangle in PDF points
# from the page's lower-left corner.
SealBox = tuple[int, float, float, float, float]

_CACHE_SIZE = 16  # distinct seal certificates / images kept per process

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class SealCredentials:
    p12: bytes  # PKCS#12 with the seal key, its certificate and (ideally) the CA chain
    passphrase: bytes | None
    image_png: bytes | None  # the visible seal; drawn from the certificate's name when absent


@dataclass(frozen=True)
class SealValidation:
    signed: bool
    intact: bool  # the signed bytes are exactly those the seal was made over
    valid: bool  # intact, the signature verifies, and nothing illegitimate was appended later
    trusted: bool  # valid, and the certificate chains to one of the configured trust roots
    signer: str
    signed_at: datetime | None
    summary: str


class _BoundedCache(Generic[K, V]):
    """A small thread-safe map that forgets its oldest entry when full."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items.pop(key, None)
            if len(self._items) >= self._size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = value


_signers: _BoundedCache[tuple[str, str], signers.SimpleSigner] = _BoundedCache(_CACHE_SIZE)
_images: _BoundedCache[str, Image.Image] = _BoundedCache(_CACHE_SIZE)


def load_signer(creds: SealCredentials) -> signers.SimpleSigner:
    from pyhanko.sign import signers

    # Keyed by the passphrase too, so a wrong passphrase never gets the cached signer.
    key = (_sha256(creds.p12), _sha256(creds.passphrase or b""))
    if (signer := _signers.get(key)) is not None:
        return signer
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            creds.p12, other_certs=(), passphrase=creds.passphrase
        )
    except Exception as exc:  # pyHanko raises ValueError; a PKCS#12 without a key fails later
        logger.info("seal certificate unreadable: %s", exc)
        raise ValidationError(
            _("The seal certificate could not be read: wrong file or passphrase."),
            code="seal_certificate_unreadable",
        ) from exc
    _signers.put(key, signer)
    return signer


def seal_pdf(
    pdf: bytes,
    creds: SealCredentials,
    *,
    box: SealBox | None,
    field_name: str = "BureauSeal",
    reason: str = "",
    location: str = "",
) -> bytes:
    """Sign ``pdf`` with the bureau's seal as PAdES baseline B (B-T when a TSA is configured).

    Visible with the seal image on ``box``, invisible when ``box`` is None. The signature is
    written as an incremental update, so a PDF that already carries seals keeps them valid;
    each seal needs its own ``field_name``.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = load_signer(creds)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    if box is None:
        field_spec = fields.SigFieldSpec(sig_field_name=field_name)
        stamp_style = None
    else:
        page, *rect = box
        field_spec = fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=page,
            # pyHanko types the box as ints but writes any number.
            box=cast(tuple[int, int, int, int], tuple(rect)),
        )
        stamp_style = _image_stamp(_seal_image(creds, signer))
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=_timestamper(),
        stamp_style=stamp_style,
        new_field_spec=field_spec,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    timestamped = pdf_signer.default_timestamper is not None
    output = _outside_event_loop(
        pdf_signer.sign_pdf,
        writer,
        bytes_reserved=None if timestamped else _cms_size_bound(signer),
    )
    return cast(bytes, output.getvalue())


def _outside_event_loop(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` here, or in a worker thread when this thread runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def validate_pdf(pdf: bytes, trust_roots_pem: list[bytes]) -> list[SealValidation]:
    """Check every signature in ``pdf`` (in signing order); [] when it carries none.

    Damaged or tampered files never raise: what cannot be read is reported as not intact.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:
        if b"/ByteRange" not in pdf:
            return []  # not a PDF we can read, and nothing in it looks like a signature
        logger.info("signed PDF unreadable: %s", exc)
        return [_unreadable(_("The file is damaged: its signature cannot be checked."))]
    if not embedded and b"/ByteRange" in pdf:
        # A signature is there but the damaged structure no longer leads to it.
        return [_unreadable(_("The file is damaged: its signature cannot be checked."))]
    # Parsed outside the per-signature guard: a bad trust root is our configuration error.
    roots = _certificates(trust_roots_pem)
    return [_validate_one(signature, roots) for signature in embedded]


def _validate_one(
    signature: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]
) -> SealValidation:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        # A fresh context per signature: contexts remember the paths they have built. An empty
        # trust_roots list means "trust nothing", never the operating system's list.
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = _outside_event_loop(
            validate_pdf_signature, signature, signer_validation_context=context
        )
    except Exception as exc:
        logger.info("signature %s could not be validated: %s", signature.field_name, exc)
        return _unreadable(_("The signature is damaged and cannot be checked."))

    signer = _common_name(status.signing_cert)
    intact = bool(status.intact)
    # docmdp_ok is None when nothing was appended after this signature.
    valid = intact and bool(status.valid) and status.docmdp_ok is not False
    trusted = valid and status.bottom_line
    return SealValidation(
        signed=True,
        intact=intact,
        valid=valid,
        trusted=trusted,
        signer=signer,
        signed_at=_signed_at(status, signature),
        summary=_summary(status, intact=intact, valid=valid, trusted=trusted),
    )


def _summary(status: PdfSignatureStatus, *, intact: bool, valid: bool, trusted: bool) -> str:
    if not intact:
        return _("The document was changed after it was sealed.")
    if not status.valid:
        return _("The seal's signature does not verify.")
    if not valid:
        return _("Content was added to the document after it was sealed.")
    if not trusted:
        return _("The seal is intact, but its certificate is not from a trusted authority.")
    return _("The seal is intact and its certificate is trusted.")


def _unreadable(summary: str) -> SealValidation:
    return SealValidation(
        signed=True,
        intact=False,
        valid=False,
        trusted=False,
        signer="",
        signed_at=None,
        summary=summary,
    )


def _signed_at(status: PdfSignatureStatus, signature: EmbeddedPdfSignature) -> datetime | None:
    # A TSA's time beats the signer's own claim (PAdES puts the latter in the /M entry).
    if status.timestamp_validity is not None:
        return status.timestamp_validity.timestamp
    return status.signer_reported_dt or signature.self_reported_timestamp


def _certificates(pems: list[bytes]) -> list[asn1_x509.Certificate]:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    certificates = []
    for data in pems:
        if pem.detect(data):
            _type, _headers, data = pem.unarmor(data)
        certificates.append(asn1_x509.Certificate.load(data))
    return certificates


def _common_name(cert: asn1_x509.Certificate) -> str:
    name = cert.subject.native
    return str(name.get("common_name") or cert.subject.human_friendly)


def _seal_image(creds: SealCredentials, signer: signers.SimpleSigner) -> Image.Image:
    assert signer.signing_cert is not None
    # No uploaded image: the seal is drawn (once) from the name in the certificate.
    drawn_name = _common_name(signer.signing_cert) if creds.image_png is None else ""
    key = _sha256(creds.image_png) if creds.image_png is not None else f"drawn:{drawn_name}"
    if (image := _images.get(key)) is None:
        image = Image.open(io.BytesIO(creds.image_png or seal_png(drawn_name)))
        image.load()  # decode now: the cached image is shared between threads
        _images.put(key, image)
    return image


def _image_stamp(image: Image.Image) -> StaticStampStyle:
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(
        # A new PdfImage per seal: it remembers the writer it was embedded into.
        background=PdfImage(image),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
    )


def _cms_size_bound(signer: signers.SimpleSigner) -> int:
    """Room for the signature container, so pyHanko skips its trial signature (a third of the
    sealing time). Without a timestamp token the container is the certificates plus signed
    attributes and the signature, which stay well under 4 KB whatever the key type."""
    assert signer.signing_cert is not None
    certificates = [signer.signing_cert, *signer.cert_registry]
    der_bytes = 4096 + sum(len(certificate.dump()) for certificate in certificates)
    return 2 * der_bytes  # pyHanko counts the hex digits of /Contents


def _timestamper() -> timestamps.TimeStamper | None:
    # No TSA is reachable from our deployments yet; when one is configured, seals become PAdES
    # B-T with a trusted time.
    url = getattr(settings, "SEAL_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign import timestamps

    return timestamps.HTTPTimeStamper(url)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
