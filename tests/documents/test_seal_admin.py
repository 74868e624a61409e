"""The bureau's seal certificate (R18.2), installed by the security administrator: checked
before it is stored, kept encrypted, one active at a time, never in the audit log."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents import files
from liuhen.documents.actions import seal as seal_actions
from liuhen.documents.models import SealCertificate
from liuhen.documents.seal import certificate
from liuhen.documents.seal.demo_ca import make_demo_seal
from liuhen.documents.seal.image import seal_png
from liuhen.subjects import crypto
from liuhen.web.management.commands.seed_demo import seed_seal
from tests.factories import sign_in
from tests.fixtures.documents import DEMO_SEAL_PASSPHRASE

pytestmark = pytest.mark.django_db

BUREAU = "大洼区农业农村局"


def _expired_p12(passphrase: str) -> tuple[bytes, dt.datetime]:
    """A self-signed seal certificate that ran out yesterday."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, BUREAU)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now - dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        name=b"expired",
        key=key,
        cert=cert,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    return p12, cert.not_valid_after_utc


def _install(actor, demo, **overrides):
    values = {
        "p12": demo.p12,
        "passphrase": DEMO_SEAL_PASSPHRASE,
        "image_png": None,
        "ca_pem": demo.ca_cert_pem,
    }
    return seal_actions.install_seal(actor, **{**values, **overrides})


def _upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


# --- the action --------------------------------------------------------------------------


def test_security_admin_installs_a_seal_kept_encrypted(secadmin_qian, demo_seal):
    row = _install(secadmin_qian, demo_seal, name="大洼区农业农村局行政执法专用章")

    assert row.active and row.uploaded_by == secadmin_qian
    assert row.name == "大洼区农业农村局行政执法专用章"
    assert f"CN={BUREAU}" in row.subject
    cert = x509.load_pem_x509_certificate(demo_seal.seal_cert_pem)
    assert row.serial == format(cert.serial_number, "X")
    assert row.not_after == cert.not_valid_after_utc
    assert row.ca_pem.startswith("-----BEGIN CERTIFICATE-----")
    # Encrypted at rest, and what is decrypted opens as the same PKCS#12.
    assert (
        demo_seal.p12 not in row.p12_encrypted.encode()
        and DEMO_SEAL_PASSPHRASE not in row.p12_encrypted
    )
    assert base64.b64decode(crypto.decrypt(row.p12_encrypted)) == demo_seal.p12
    assert crypto.decrypt(row.passphrase_encrypted) == DEMO_SEAL_PASSPHRASE
    creds = certificate.seal_credentials(row)
    assert creds.p12 == demo_seal.p12 and creds.passphrase == DEMO_SEAL_PASSPHRASE.encode()


def test_seal_image_is_drawn_when_none_is_uploaded(secadmin_qian, demo_seal):
    row = _install(secadmin_qian, demo_seal)
    png = files.read_blob(row.image_id)
    assert png == seal_png(BUREAU)  # the bureau's name, drawn as the print shows it
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (300, 300)


def test_uploaded_seal_image_is_stored(secadmin_qian, demo_seal):
    image = seal_png("某某局", bottom_text="行政执法专用章")
    row = _install(secadmin_qian, demo_seal, image_png=image)
    assert files.read_blob(row.image_id) == image
    assert certificate.seal_credentials(row).image_png == image


def test_installing_a_new_seal_retires_the_active_one(secadmin_qian, demo_seal):
    first = _install(secadmin_qian, demo_seal)
    second = _install(
        secadmin_qian,
        make_demo_seal(BUREAU, passphrase=b"other-pass"),
        **{
            "passphrase": "other-pass",
            "ca_pem": None,
        },
    )

    first.refresh_from_db()
    assert not first.active and second.active
    assert certificate.active_seal() == second
    assert SealCertificate.objects.filter(active=True).count() == 1
    event = AuditEvent.objects.filter(action="seal.install").order_by("-seq").first()
    assert event.details["retired"] == [first.pk]


def test_install_is_audited_without_secrets(secadmin_qian, demo_seal):
    row = _install(secadmin_qian, demo_seal)

    event = AuditEvent.objects.get(action="seal.install")
    assert event.actor_id == str(secadmin_qian.pk) and event.object_id == str(row.pk)
    assert event.details["serial"] == row.serial and event.details["trust_root"] is True
    logged = json.dumps(event.details, ensure_ascii=False)
    assert DEMO_SEAL_PASSPHRASE not in logged
    assert base64.b64encode(demo_seal.p12).decode()[:40] not in logged
    assert row.p12_encrypted not in logged and row.passphrase_encrypted not in logged


def test_wrong_passphrase_is_refused_on_the_passphrase(secadmin_qian, demo_seal):
    with pytest.raises(ValidationError) as refused:
        _install(secadmin_qian, demo_seal, passphrase="wrong")
    assert list(refused.value.message_dict) == ["passphrase"]
    assert not SealCertificate.objects.exists()


def test_a_file_that_is_no_pkcs12_is_refused_on_the_file(secadmin_qian, demo_seal):
    with pytest.raises(ValidationError) as refused:
        _install(secadmin_qian, demo_seal, p12=demo_seal.ca_cert_pem)
    assert list(refused.value.message_dict) == ["p12"]
    with pytest.raises(ValidationError) as refused:
        _install(secadmin_qian, demo_seal, p12=b"")
    assert list(refused.value.message_dict) == ["p12"]
    assert not SealCertificate.objects.exists()


def test_an_expired_certificate_is_refused(secadmin_qian):
    p12, not_after = _expired_p12("old-pass")
    with pytest.raises(ValidationError) as refused:
        seal_actions.install_seal(
            secadmin_qian,
            p12=p12,
            passphrase="old-pass",
            image_png=None,
            ca_pem=None,
        )
    [message] = refused.value.message_dict["p12"]
    assert timezone.localdate(not_after).isoformat() in message  # the day it ran out
    assert not SealCertificate.objects.exists()


def test_a_trust_root_that_did_not_issue_the_seal_is_refused(secadmin_qian, demo_seal):
    stranger = make_demo_seal("别的局", passphrase=b"x")
    with pytest.raises(ValidationError) as refused:
        _install(secadmin_qian, demo_seal, ca_pem=stranger.ca_cert_pem)
    assert list(refused.value.message_dict) == ["ca_pem"]
    with pytest.raises(ValidationError) as refused:
        _install(secadmin_qian, demo_seal, ca_pem=b"not a certificate")
    assert list(refused.value.message_dict) == ["ca_pem"]


def test_a_seal_image_that_is_no_png_is_refused(secadmin_qian, demo_seal):
    with pytest.raises(ValidationError) as refused:
        _install(secadmin_qian, demo_seal, image_png=b"\x89PNG\r\n\x1a\n broken")
    assert list(refused.value.message_dict) == ["image"]


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "officer_wang", "agency_head_liu"])
def test_only_the_security_admin_installs_a_seal(request, persona, demo_seal):
    with pytest.raises(AccessDenied):
        _install(request.getfixturevalue(persona), demo_seal)
    assert not SealCertificate.objects.exists()
    assert AuditEvent.objects.filter(action="seal.manage", outcome=Outcome.DENIED).exists()


# --- seed-demo ---------------------------------------------------------------------------


def test_seed_demo_installs_a_demo_seal_once(secadmin_qian):
    assert seed_seal() is True
    row = SealCertificate.objects.get()
    assert row.active and "DEMO" in row.subject and row.ca_pem
    assert row.uploaded_by == secadmin_qian  # the row needs a person; the audit says system
    assert AuditEvent.objects.get(action="seal.install").actor_type == "system"
    assert seed_seal() is False
    assert SealCertificate.objects.count() == 1


# --- the page ----------------------------------------------------------------------------


def test_seal_page_installs_and_shows_the_certificate(client, secadmin_qian, demo_seal):
    sign_in(client, secadmin_qian)
    url = reverse("documents:seal")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "p12": _upload("seal.p12", demo_seal.p12),
            "passphrase": DEMO_SEAL_PASSPHRASE,
            "ca_pem": _upload("ca.pem", demo_seal.ca_cert_pem),
            "name": "行政执法专用章",
        },
    )
    assert response.status_code == 302
    row = SealCertificate.objects.get()
    page = client.get(url).content.decode()
    assert row.serial in page and "行政执法专用章" in page
    assert 'data-testid="seal-image"' in page and "data:image/png;base64," in page
    assert DEMO_SEAL_PASSPHRASE not in page


def test_seal_page_shows_a_wrong_passphrase_on_the_form(client, secadmin_qian, demo_seal):
    sign_in(client, secadmin_qian)
    response = client.post(
        reverse("documents:seal"),
        {"p12": _upload("seal.p12", demo_seal.p12), "passphrase": "wrong"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["passphrase"]
    assert not SealCertificate.objects.exists()


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "officer_wang"])
def test_seal_page_is_the_security_admins_only(client, request, persona, demo_seal):
    sign_in(client, request.getfixturevalue(persona))
    url = reverse("documents:seal")
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"p12": _upload("seal.p12", demo_seal.p12), "passphrase": DEMO_SEAL_PASSPHRASE}
    )
    assert response.status_code == 403
    assert not SealCertificate.objects.exists()


def test_seal_page_needs_login(client):
    response = client.get(reverse("documents:seal"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
