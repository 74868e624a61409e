"""The bytes of disposed AV records (R18.4): deleted after the disposal commits.

A stored file is removed only when nothing else refers to it (``core.blob_refs``): the
disposal writes a ``core.BlobRemoval`` row in its transaction, and the bytes are deleted
here once it has committed, so a rollback never loses bytes that are still on record.
"""

from __future__ import annotations

import logging

from django.db import transaction

from liuhen.core import blob_refs
from liuhen.core.blobs import BlobNotFound, BlobStore, get_store
from liuhen.core.models import Blob, BlobRemoval

logger = logging.getLogger(__name__)


def _delete_if_still_removed(store: BlobStore, sha256: str) -> None:
    """Delete under the blob row's lock, the one an identical new upload takes before it
    records the bytes as back (core.blobs): never bytes a new record points to."""
    with transaction.atomic():
        Blob.objects.select_for_update().filter(pk=sha256).values("pk").get()
        still_removed = BlobRemoval.objects.filter(blob_id=sha256, restore__isnull=True)
        if blob_refs.is_referenced(sha256) or not still_removed.exists():
            # The same bytes came in again since the decision: keep them.
            logger.warning("blob %s is referenced again; its bytes are kept", sha256)
            return
        store.delete(sha256)


def delete_removed_bytes(sha256s: list[str]) -> None:
    """After commit: delete the bytes whose removal is on record."""
    store = get_store()
    for sha256 in sha256s:
        try:
            _delete_if_still_removed(store, sha256)
        except BlobNotFound:
            logger.warning("blob %s to be removed was not in the store", sha256)
        except Exception:
            # The removal is on record; the bytes can be deleted by hand. Never a 500.
            logger.exception(
                "blob %s: could not delete its bytes from %s", sha256, store.describe()
            )
