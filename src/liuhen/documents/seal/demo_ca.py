"""A demo certificate authority and seal certificate (R18.2) for `liuhen seed-demo` and tests.

A real bureau's seal certificate comes from its CA and is uploaded by the security admin as a
PKCS#12 file; this one is self-made, and every subject says "DEMO" so that no one can mistake a
document sealed with it for an official one.

EC P-256 keys: key generation takes about a millisecond (RSA-2048 takes tens) and ECDSA signing is
as fast as RSA; PAdES and every common PDF reader accept ECDSA with SHA-256.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

VALIDITY = dt.timedelta(days=3652)  # 10 years
# Back-date a little so that a clock a few minutes behind still sees the certificate as valid.
CLOCK_SKEW = dt.timedelta(hours=1)
DEMO_MARK = "演示证书 DEMO — 非正式印章"


@dataclass(frozen=True)
class DemoSeal:
    ca_cert_pem: bytes  # the trust root to configure for validation
    p12: bytes  # seal key + seal certificate + CA certificate, encrypted with the passphrase
    seal_cert_pem: bytes


def make_demo_seal(bureau_name: str, *, passphrase: bytes) -> DemoSeal:
    now = dt.datetime.now(dt.UTC) - CLOCK_SKEW
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, bureau_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{bureau_name} 演示根证书 (DEMO)"),
        ]
    )
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, bureau_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, bureau_name),
        ]
    )
    seal_cert = (
        _builder(seal_name, ca_name, seal_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    p12 = pkcs12.serialize_key_and_certificates(
        name=bureau_name.encode(),
        key=seal_key,
        cert=seal_cert,
        cas=[ca_cert],  # so the signer embeds the chain and validators need only the root
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )
    return DemoSeal(
        ca_cert_pem=ca_cert.public_bytes(serialization.Encoding.PEM),
        p12=p12,
        seal_cert_pem=seal_cert.public_bytes(serialization.Encoding.PEM),
    )


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    not_before: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    # The seal signs documents (digitalSignature + nonRepudiation, which pyHanko's validator
    # requires by default); the CA only signs certificates.
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
