"""Witnesses from their URLs: ``settings.AUDIT_WITNESS_URLS`` (``LIUHEN_AUDIT_WITNESS_URLS``)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

from liuhen.core.witness.base import Witness, WitnessError
from liuhen.core.witness.directory import DirectoryWitness
from liuhen.core.witness.mail import MailWitness
from liuhen.core.witness.s3 import S3Witness


def _s3_client(endpoint: str | None, region: str | None) -> object:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=settings.S3_ACCESS_KEY_ID,
        aws_secret_access_key=settings.S3_SECRET_ACCESS_KEY,
        # A witness that does not answer must not hold up the signing for long.
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            connect_timeout=10,
            read_timeout=30,
            retries={"max_attempts": 2},
        ),
    )


def open_witness(url: str) -> Witness:
    """``file:///path``, ``s3://bucket/prefix?endpoint=…&region=…`` or ``mailto:address``."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not parts.path:
            raise WitnessError(f"a directory witness needs a path: {url!r}")
        return DirectoryWitness(unquote(parts.path), url)
    if parts.scheme == "s3":
        if len(parts.netloc) < 3:
            raise WitnessError(f"an S3 witness needs a bucket: {url!r}")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        client = _s3_client(
            query.get("endpoint") or settings.S3_ENDPOINT_URL,
            query.get("region") or settings.S3_REGION,
        )
        return S3Witness(
            parts.netloc,
            parts.path,
            client=client,
            retention_days=settings.AUDIT_WITNESS_RETENTION_DAYS,
            url=url,
        )
    if parts.scheme == "mailto":
        return MailWitness(unquote(parts.path), url)
    raise WitnessError(f"not a witness URL: {url!r} (file:///path, s3://bucket/prefix, mailto:)")


def configured_urls() -> list[str]:
    return list(settings.AUDIT_WITNESS_URLS)
