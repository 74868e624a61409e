"""Background tasks of the AV records: the probe after ingest (duration, codecs, EXIF,
thumbnail)."""

from __future__ import annotations

from django_tasks import task


@task()
def probe_record(record_id: int) -> None:
    from liuhen.media.probe import probe_and_record

    probe_and_record(record_id)
