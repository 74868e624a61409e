"""Delivery's references to stored files (R18.4): a proof of service (receipt scan, photo,
posting slip …) keeps its stored file. Registered by ``DeliveryConfig.ready()``."""

from __future__ import annotations

from liuhen.core.blob_refs import Releasing, referenced_by
from liuhen.delivery.models import ServiceAttachment


def references_blob(sha256: str, releasing: Releasing) -> bool:
    return referenced_by(ServiceAttachment, "blob", sha256, releasing)
