"""Background tasks of the AV records: the probe after ingest (duration, codecs, EXIF,
thumbnail)."""

from __future__ import annotations

from django_tasks import task


@task()
def probe_record(record_id: int) -> None:
    from liuhen.media.probe import probe_and_record

    probe_and_record(record_id)


@task()
def compute_sm3(sha256: str) -> str:
    """``LIUHEN_INGEST_SM3=deferred``: the SM3 of a blob stored with SHA-256 only, in one
    read, kept as ``core.BlobSm3`` and beside the blob."""
    from liuhen.core.blobs import complete_sm3

    return complete_sm3(sha256)


@task()
def expire_uploads() -> dict[str, int]:
    """Remove resumable uploads past their expiry and partial files left behind
    (enqueued by the scheduler)."""
    from liuhen.media.uploads import expire_uploads as expire

    return expire().as_dict()
