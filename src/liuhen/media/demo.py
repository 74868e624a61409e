"""Demo recordings for ``liuhen seed-demo``: a recorder checked out to an officer, a short
clip and a photo brought in through the collection station, probed at once — so a fresh
``make run`` shows the AV register, the player and a thumbnail with real files."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from liuhen.accounts.models import User
from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as devices
from liuhen.devices.models import Device, DeviceStatus
from liuhen.media import sample_media
from liuhen.media.actions import ingest
from liuhen.media.models import AvRecord, AvSource

RECORDER = "DSJ-DW-0001"
STATION = "CJZ-DW-0001"
OFFICER = "wangming"


def seed_recordings() -> int:
    """Bring in the demo recordings once; return how many were made (0 when any exist)."""
    recorder = Device.objects.filter(serial=RECORDER).first()
    station = Device.objects.filter(serial=STATION).first()
    officer = User.objects.filter(username=OFFICER).first()
    if AvRecord.objects.exists() or None in (recorder, station, officer):
        return 0
    assert recorder is not None and station is not None and officer is not None
    now = timezone.now().replace(microsecond=0)
    taken = now - dt.timedelta(hours=3)
    if recorder.status == DeviceStatus.IN_SERVICE:
        devices.check_out(SYSTEM, recorder, holder=officer, at=now - dt.timedelta(hours=4))
        devices.return_device(SYSTEM, recorder, at=now - dt.timedelta(hours=1))
    stamp = timezone.localtime(taken).strftime("%Y%m%d%H%M%S")
    files = (
        (
            f"{RECORDER}_{officer.officer_number}_{stamp}_0001.mp4",
            sample_media.make_mp4(seconds=8, created=taken),
        ),
        (
            f"{RECORDER}_{officer.officer_number}_{stamp}_0002.jpg",
            sample_media.make_jpeg(
                taken=timezone.localtime(taken).strftime("%Y:%m:%d %H:%M:%S"), offset="+08:00"
            ),
        ),
    )
    made = 0
    for name, data in files:
        record = ingest.ingest_stream(
            station,
            io.BytesIO(data),
            original_name=name,
            source=AvSource.DOCK,
            device=recorder,
            captured_at=taken,
        )
        ingest.probe_record(SYSTEM, record.pk)
        made += 1
    return made
