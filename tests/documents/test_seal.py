"""The bureau's electronic seal on issued documents (R18.2): real PAdES signatures with a demo CA,
checked with pyHanko's validator, broken by a single changed byte."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import pypdf
import pytest
import weasyprint
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import ValidationError
from PIL import Image
from pyhanko.pdf_utils.generic import StreamObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from liuhen.documents.seal.demo_ca import DemoSeal, make_demo_seal
from liuhen.documents.seal.image import seal_png
from liuhen.documents.seal.sealing import SealCredentials, load_signer, seal_pdf, validate_pdf

BUREAU = "某市农业农村局"
PASSPHRASE = b"demo-passphrase"
SEAL_BOX = (-1, 380.5, 60.0, 500.5, 180.0)  # on the seal line of the last page


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests compare the seal's messages with their English source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def city_demo_seal() -> DemoSeal:
    return make_demo_seal(BUREAU, passphrase=PASSPHRASE)


@pytest.fixture(scope="module")
def creds(city_demo_seal: DemoSeal) -> SealCredentials:
    return SealCredentials(
        p12=city_demo_seal.p12,
        passphrase=PASSPHRASE,
        image_png=seal_png(BUREAU, bottom_text="演示专用章"),
    )


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    html = (
        "<style>@page { size: A4 }</style><h1>Administrative penalty decision</h1>"
        "<p style='break-before: page'>Seal line</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()


@pytest.fixture(scope="module")
def sealed_pdf(plain_pdf: bytes, creds: SealCredentials) -> bytes:
    return seal_pdf(plain_pdf, creds, box=SEAL_BOX, reason="行政处罚决定书", location="某市")


def _flip_byte(pdf: bytes, offset: int) -> bytes:
    return pdf[:offset] + bytes([pdf[offset] ^ 0x01]) + pdf[offset + 1 :]


def _content_stream_offset(pdf: bytes, original_length: int) -> int:
    """A byte inside the first (compressed) stream WeasyPrint wrote: a change there leaves the
    file readable, so only the digest can notice it."""
    offset = pdf.index(b"stream\n") + len(b"stream\n") + 20
    assert offset < original_length  # inside the signed first revision, not the signature
    return offset


# --- sealing and validating -------------------------------------------------------------------


def test_sealed_pdf_is_intact_valid_and_trusted_with_the_demo_ca(sealed_pdf, city_demo_seal):
    [seal] = validate_pdf(sealed_pdf, [city_demo_seal.ca_cert_pem])

    assert (seal.signed, seal.intact, seal.valid, seal.trusted) == (True, True, True, True)
    assert seal.signer == BUREAU
    assert seal.signed_at is not None
    assert abs(seal.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)
    assert seal.summary == "The seal is intact and its certificate is trusted."


def test_seal_is_pades_with_sha256(sealed_pdf):
    reader = PdfFileReader(io.BytesIO(sealed_pdf))
    [signature] = reader.embedded_regular_signatures

    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.md_algorithm == "sha256"
    assert signature.sig_object["/Reason"] == "行政处罚决定书"
    assert signature.sig_object["/Location"] == "某市"


def test_one_changed_byte_in_the_signed_content_breaks_the_seal(
    plain_pdf, sealed_pdf, city_demo_seal
):
    tampered = _flip_byte(sealed_pdf, _content_stream_offset(sealed_pdf, len(plain_pdf)))

    [seal] = validate_pdf(tampered, [city_demo_seal.ca_cert_pem])

    assert seal.signed
    assert (seal.intact, seal.valid, seal.trusted) == (False, False, False)
    assert seal.summary == "The document was changed after it was sealed."


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_a_changed_byte_anywhere_in_the_document_is_never_reported_intact(
    plain_pdf, sealed_pdf, city_demo_seal, fraction
):
    # Wherever the byte lands (a stream, the xref, a dictionary), the result is "not intact",
    # never an exception.
    tampered = _flip_byte(sealed_pdf, int(len(plain_pdf) * fraction))

    seals = validate_pdf(tampered, [city_demo_seal.ca_cert_pem])

    assert seals
    assert not any(seal.intact or seal.valid or seal.trusted for seal in seals)


def test_pyhankos_own_validator_sees_the_seal_intact_and_the_tampered_copy_broken(
    plain_pdf, sealed_pdf, city_demo_seal
):
    """The acceptance check as pyHanko runs it, without our wrapper."""

    def pyhanko_status(pdf: bytes):
        [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
        roots = [asn1_x509.Certificate.load(_der(city_demo_seal.ca_cert_pem))]
        # In its own thread: pyHanko runs asyncio.run, and a browser test earlier in the
        # session may leave an event loop running in this one.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(
                validate_pdf_signature, signature, ValidationContext(trust_roots=roots)
            )
            return future.result()

    good = pyhanko_status(sealed_pdf)
    assert good.intact and good.valid and good.trusted and good.bottom_line

    bad = pyhanko_status(_flip_byte(sealed_pdf, _content_stream_offset(sealed_pdf, len(plain_pdf))))
    assert not bad.intact
    assert not bad.bottom_line


def test_a_seal_from_another_ca_is_intact_but_not_trusted(sealed_pdf):
    other = make_demo_seal("另一个局", passphrase=b"x")

    [seal] = validate_pdf(sealed_pdf, [other.ca_cert_pem])

    assert (seal.intact, seal.valid, seal.trusted) == (True, True, False)
    assert seal.summary == (
        "The seal is intact, but its certificate is not from a trusted authority."
    )


def test_no_trust_roots_trusts_nothing(sealed_pdf):
    # An empty list must not fall back to the operating system's trust store.
    [seal] = validate_pdf(sealed_pdf, [])

    assert seal.intact and seal.valid and not seal.trusted


def test_content_appended_after_sealing_is_intact_but_not_valid(sealed_pdf, city_demo_seal):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed_pdf))
    overlay = writer.add_object(StreamObject(stream_data=b"0 0 1 rg 50 50 200 200 re f"))
    writer.add_stream_to_page(0, overlay)
    out = io.BytesIO()
    writer.write(out)

    [seal] = validate_pdf(out.getvalue(), [city_demo_seal.ca_cert_pem])

    # The signed revision is untouched, but a later revision changed what the page shows.
    assert seal.intact
    assert (seal.valid, seal.trusted) == (False, False)
    assert seal.summary == "Content was added to the document after it was sealed."


def test_unsigned_pdf_and_garbage_have_no_seals(plain_pdf, city_demo_seal):
    assert validate_pdf(plain_pdf, [city_demo_seal.ca_cert_pem]) == []
    assert validate_pdf(b"not a pdf at all", [city_demo_seal.ca_cert_pem]) == []


def test_truncated_sealed_pdf_is_reported_not_intact(sealed_pdf, city_demo_seal):
    truncated = sealed_pdf[: len(sealed_pdf) - 400]

    seals = validate_pdf(truncated, [city_demo_seal.ca_cert_pem])

    assert seals
    assert not any(seal.intact for seal in seals)


# --- credentials ------------------------------------------------------------------------------


def test_wrong_passphrase_is_a_clear_validation_error(city_demo_seal):
    creds = SealCredentials(p12=city_demo_seal.p12, passphrase=b"wrong", image_png=None)

    with pytest.raises(ValidationError) as error:
        load_signer(creds)

    assert error.value.messages == [
        "The seal certificate could not be read: wrong file or passphrase."
    ]


def test_a_file_that_is_not_pkcs12_is_a_clear_validation_error():
    with pytest.raises(ValidationError, match="could not be read"):
        load_signer(SealCredentials(p12=b"%PDF-1.7 nonsense", passphrase=None, image_png=None))


def test_signer_is_cached_but_a_wrong_passphrase_still_fails(creds, city_demo_seal):
    assert load_signer(creds) is load_signer(SealCredentials(city_demo_seal.p12, PASSPHRASE, None))

    with pytest.raises(ValidationError):
        load_signer(SealCredentials(city_demo_seal.p12, b"wrong", None))


def test_sealing_with_a_bad_passphrase_fails_before_touching_the_pdf(plain_pdf, city_demo_seal):
    with pytest.raises(ValidationError):
        seal_pdf(plain_pdf, SealCredentials(city_demo_seal.p12, b"wrong", None), box=None)


# --- the visible seal -------------------------------------------------------------------------


def _signature_widget(pdf: bytes, page_index: int, field_name: str) -> Any:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[page_index]
    annotations: Any = page.get("/Annots", [])
    for annotation_ref in annotations:
        annotation = annotation_ref.get_object()
        if annotation.get("/FT") == "/Sig" and annotation.get("/T") == field_name:
            return annotation
    raise AssertionError(f"no signature widget {field_name} on page {page_index}")


def _has_image(xobject: Any) -> bool:
    if xobject.get("/Subtype") == "/Image":
        return True
    resources = xobject.get("/Resources", {})
    children: Any = resources.get("/XObject", {}) if resources else {}
    return any(_has_image(child.get_object()) for child in children.values())


def test_visible_seal_sits_in_the_box_on_the_last_page_with_the_seal_image(sealed_pdf):
    widget = _signature_widget(sealed_pdf, -1, "BureauSeal")

    assert [float(x) for x in widget["/Rect"]] == pytest.approx(list(SEAL_BOX[1:]))
    appearance = widget["/AP"]["/N"].get_object()
    assert _has_image(appearance)
    assert widget["/V"].get_object()["/Type"] == "/Sig"


def test_first_page_has_no_seal(sealed_pdf):
    assert "/Annots" not in pypdf.PdfReader(io.BytesIO(sealed_pdf)).pages[0]


def test_without_an_uploaded_image_the_seal_is_drawn_from_the_certificate(
    plain_pdf, city_demo_seal
):
    creds = SealCredentials(p12=city_demo_seal.p12, passphrase=PASSPHRASE, image_png=None)

    sealed = seal_pdf(plain_pdf, creds, box=(0, 400, 600, 520, 720))

    assert _has_image(_signature_widget(sealed, 0, "BureauSeal")["/AP"]["/N"].get_object())
    [seal] = validate_pdf(sealed, [city_demo_seal.ca_cert_pem])
    assert seal.trusted


def test_invisible_seal_has_no_area(plain_pdf, creds, city_demo_seal):
    sealed = seal_pdf(plain_pdf, creds, box=None)

    widget = _signature_widget(sealed, 0, "BureauSeal")
    assert [float(x) for x in widget["/Rect"]] == [0, 0, 0, 0]
    [seal] = validate_pdf(sealed, [city_demo_seal.ca_cert_pem])
    assert seal.trusted


# --- two seals --------------------------------------------------------------------------------


def test_sealing_an_already_sealed_pdf_keeps_both_seals_valid(sealed_pdf, creds, city_demo_seal):
    twice = seal_pdf(sealed_pdf, creds, box=(0, 60, 60, 180, 180), field_name="SecondSeal")

    seals = validate_pdf(twice, [city_demo_seal.ca_cert_pem])

    assert len(seals) == 2
    assert all(seal.intact and seal.valid and seal.trusted for seal in seals)
    assert _signature_widget(twice, 0, "SecondSeal")
    assert _signature_widget(twice, -1, "BureauSeal")


def test_tampering_with_the_first_revision_breaks_both_seals(
    plain_pdf, sealed_pdf, creds, city_demo_seal
):
    twice = seal_pdf(sealed_pdf, creds, box=None, field_name="SecondSeal")
    tampered = _flip_byte(twice, _content_stream_offset(twice, len(plain_pdf)))

    seals = validate_pdf(tampered, [city_demo_seal.ca_cert_pem])

    assert seals and not any(seal.intact for seal in seals)


# --- timestamp hook ---------------------------------------------------------------------------


def _tsa_credentials() -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo, bytes]:
    """A throwaway TSA certificate (self-signed, timeStamping usage), its key and PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(key_der),
        cert.public_bytes(serialization.Encoding.PEM),
    )


@pytest.fixture
def tsa_server() -> Iterator[tuple[str, bytes]]:
    """A real RFC 3161 server over HTTP on localhost, answering with pyHanko's test TSA."""
    cert, key, cert_pem = _tsa_credentials()
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            reply = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", cert_pem
    server.shutdown()
    thread.join()


def test_a_configured_tsa_timestamps_the_seal(
    plain_pdf, creds, city_demo_seal, settings, tsa_server
):
    url, tsa_cert_pem = tsa_server
    settings.SEAL_TSA_URL = url

    sealed = seal_pdf(plain_pdf, creds, box=SEAL_BOX)

    [signature] = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    assert signature.signer_info["unsigned_attrs"].native  # the TSA's token: PAdES B-T
    [seal] = validate_pdf(sealed, [city_demo_seal.ca_cert_pem, tsa_cert_pem])
    assert seal.trusted
    assert seal.signed_at is not None


def test_without_a_tsa_the_seal_carries_no_timestamp(sealed_pdf, settings):
    assert not getattr(settings, "SEAL_TSA_URL", "")
    [signature] = PdfFileReader(io.BytesIO(sealed_pdf)).embedded_signatures
    assert not signature.signer_info["unsigned_attrs"].native


# --- the demo CA and the seal image -----------------------------------------------------------


def test_demo_seal_certificate_is_marked_demo_and_fit_for_sealing(city_demo_seal):
    seal_cert = x509.load_pem_x509_certificate(city_demo_seal.seal_cert_pem)
    ca_cert = x509.load_pem_x509_certificate(city_demo_seal.ca_cert_pem)

    assert seal_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == BUREAU
    assert seal_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == BUREAU
    assert seal_cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "CN"
    assert "DEMO" in seal_cert.subject.rfc4514_string()
    assert ca_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        f"{BUREAU} 演示根证书 (DEMO)"
    )
    assert seal_cert.issuer == ca_cert.subject

    usage = seal_cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not seal_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    lifetime = seal_cert.not_valid_after_utc - seal_cert.not_valid_before_utc
    assert dt.timedelta(days=3650) <= lifetime <= dt.timedelta(days=3653)


def test_demo_p12_opens_only_with_its_passphrase(city_demo_seal):
    key, cert, extra = pkcs12.load_key_and_certificates(city_demo_seal.p12, PASSPHRASE)
    assert key is not None and cert is not None
    assert [c.public_bytes(serialization.Encoding.PEM) for c in extra] == [
        city_demo_seal.ca_cert_pem
    ]

    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(city_demo_seal.p12, b"wrong")


def test_seal_image_is_a_red_round_seal_on_a_transparent_background():
    image = Image.open(io.BytesIO(seal_png(BUREAU, size_px=200)))

    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.size == (200, 200)
    assert _rgba(image, 2, 2)[3] == 0  # corners outside the ring are transparent
    red, green, blue, alpha = _rgba(image, 100, 100)  # the star's centre
    assert alpha == 255 and red > 180 and green < 80 and blue < 80
    ring = _rgba(image, 100, 6)  # top of the ring
    assert ring[3] > 128 and ring[0] > 150


def test_seal_image_carries_the_name_in_red_ink():
    with_name = Image.open(io.BytesIO(seal_png(BUREAU)))
    without_name = Image.open(io.BytesIO(seal_png("")))

    def inked(image: Image.Image) -> int:
        return sum(image.getchannel("A").histogram()[129:])  # mostly opaque pixels

    # The characters on the upper arc add ink that a nameless seal lacks.
    assert inked(with_name) > inked(without_name) * 1.2


def _rgba(image: Image.Image, x: int, y: int) -> tuple[int, int, int, int]:
    return cast(tuple[int, int, int, int], image.getpixel((x, y)))


def _der(pem_bytes: bytes) -> bytes:
    return x509.load_pem_x509_certificate(pem_bytes).public_bytes(serialization.Encoding.DER)
