"""An S3 witness (``s3://bucket/prefix``): one object per head, under object lock where
the bucket has it enabled (COMPLIANCE mode, ``settings.AUDIT_WITNESS_RETENTION_DAYS``),
so not even the bucket's owner can delete or overwrite a head before it expires.

An existing object is never written again: a head already there with the same contents
is a retry, with other contents an error.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from liuhen.core.witness.base import WitnessedHead, WitnessError, encode, key_name


class S3Witness:
    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        client: Any,
        retention_days: int,
        url: str = "",
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client
        self.retention_days = retention_days
        self.url = url or f"s3://{bucket}/{self.prefix}"

    def _object_lock_enabled(self) -> bool:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object_lock_configuration(Bucket=self.bucket)
        except ClientError:
            return False  # no configuration: the bucket was made without object lock
        config = answer.get("ObjectLockConfiguration", {})
        return bool(config.get("ObjectLockEnabled") == "Enabled")

    def _existing(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        return bytes(answer["Body"].read())

    def _keep(self, key: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            existing = self._existing(key)
            if existing is not None:
                if existing == data:
                    return
                raise WitnessError(f"{self.url}{key} exists with other contents")
            extra: dict[str, Any] = {}
            if self._object_lock_enabled():
                extra = {
                    "ObjectLockMode": "COMPLIANCE",
                    "ObjectLockRetainUntilDate": dt.datetime.now(dt.UTC)
                    + dt.timedelta(days=self.retention_days),
                    "ChecksumAlgorithm": "SHA256",  # object lock needs an integrity check
                }
            self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType="application/json",
                **extra,
            )
        except (BotoCoreError, ClientError) as exc:
            raise WitnessError(f"{self.url}: {exc}") from None

    def announce(self, head: WitnessedHead) -> None:
        self._keep(f"{self.prefix}heads/{head.name}", encode(head.as_dict()))

    def announce_key(self, announcement: dict[str, Any]) -> None:
        self._keep(f"{self.prefix}keys/{key_name(announcement)}", encode(announcement))

    def latest(self) -> WitnessedHead | None:
        from botocore.exceptions import BotoCoreError, ClientError

        latest_key = ""
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=f"{self.prefix}heads/head-"
            )
            for page in pages:
                for item in page.get("Contents", []):
                    latest_key = max(latest_key, item["Key"])
            if not latest_key:
                return None
            body = self.client.get_object(Bucket=self.bucket, Key=latest_key)["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise WitnessError(f"{self.url}: {exc}") from None
        try:
            return WitnessedHead.from_dict(json.loads(body))
        except ValueError as exc:
            raise WitnessError(f"{self.url}{latest_key}: {exc}") from None
