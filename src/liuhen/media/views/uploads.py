"""The upload pages: recordings from the officer's recorder (R15.1) and third-party
material with its provenance (R17.1).

The bytes go from the browser straight to the tus endpoint (``/api/v1/uploads/``, resumable)
with tus-js-client; these views only render the page: the devices the uploader may name,
the one they hold as the default, and the words the script shows. The endpoint turns a
finished upload into an AV record through ``media.actions.ingest``, which validates it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils.translation import gettext as _

from liuhen.core import access, rules
from liuhen.devices.models import Device, DeviceKind, DeviceStatus
from liuhen.media.models import AvSource, LateReason
from liuhen.media.perms import MediaPerms

# The tus 1.0.0 endpoint (api/tus.py), below the script prefix.
TUS_PATH = "api/v1/uploads/"
# tus-js-client sends the file in PATCH requests of this size rather than in one request
# of the whole file: an interruption (network drop, page reload, server restart) costs at
# most one chunk even where a proxy buffers request bodies or a server keeps only whole
# ones, a body never outlives a proxy's size or time limits, and the offset the page
# reports after each chunk is one the server has confirmed. 16 MiB keeps the per-request
# overhead far below the disk and hashing rate.
CHUNK_SIZE = 16 * 1024 * 1024
# Automatic retries after a network error or a 5xx answer (milliseconds).
RETRY_DELAYS = (0, 1000, 3000, 5000, 10000, 20000, 30000)
# The devices that record: stations and terminals upload, they do not capture.
RECORDING_KINDS = (DeviceKind.RECORDER, DeviceKind.CAMERA, DeviceKind.AUDIO)


def recording_devices(request: HttpRequest) -> QuerySet[Device]:
    """The recorders, cameras and audio recorders the uploader may name."""
    devices = access.visible(
        request.user, Device.objects.filter(kind__in=RECORDING_KINDS).select_related("unit")
    )
    return devices.exclude(status=DeviceStatus.RETIRED).order_by("serial")


def _held_device(request: HttpRequest, devices: QuerySet[Device]) -> Device | None:
    """The recorder the uploader holds now: what they are most likely uploading from."""
    return (
        devices.filter(holder_id=request.user.pk, status=DeviceStatus.CHECKED_OUT)
        .order_by("-out_since")
        .first()
    )


def _script_messages() -> dict[str, str]:
    """What upload.js says, translated here: the script has no translation catalog."""
    return {
        "pending": _("Ready to upload"),
        "resumable": _(
            "An earlier upload of this file was interrupted; it continues where it stopped."
        ),
        "resumed": _("Continued from %(size)s already on the server."),
        "uploading": _("Uploading"),
        "paused": _("Paused"),
        "offline": _("The network is down. The upload continues by itself when it is back."),
        "retrying": _("Connection problem, trying again…"),
        "done": _("Uploaded. The AV record was created."),
        "open_record": _("Open the AV record"),
        "cancelled": _("The upload was cancelled."),
        "confirm_cancel": _("Cancel this upload? The part already sent is discarded."),
        "error": _("The upload failed."),
        "error_status": _("The upload failed: the server answered %(status)s."),
        "error_403": _(
            "You may not upload AV records, or your session has ended. Sign in again and "
            "choose the file again: the upload continues where it stopped."
        ),
        "error_413": _("The file is larger than the server accepts."),
        "error_network": _("The server cannot be reached. Check the network and press Resume."),
        "required": _("This field is required."),
        "reason_text_required": _("Describe the circumstances of the later upload."),
        "future": _("The time cannot be in the future."),
        "not_supported": _(
            "This browser cannot upload resumably. Use a current version of Chrome, Edge, "
            "Firefox or Safari."
        ),
        "speed": _("%(speed)s MB/s"),
        "captured_from_file": _("Capture time of the record: %(time)s"),
        "capture_disagrees": _(
            "The capture time recorded in the file (%(file)s) differs from the time given "
            "(%(given)s) by more than %(minutes)s minutes. The time in the file is kept; "
            "check the recorder's clock."
        ),
        "discard": _("Discard"),
        "confirm_discard": _("Discard the interrupted upload of %(name)s?"),
    }


def _page(request: HttpRequest, source: str) -> HttpResponse:
    access.require(request.user, MediaPerms.UPLOAD, request=request)
    third_party = source == AvSource.THIRD_PARTY
    # Third-party material was not recorded by our devices (R17.1): no device, no deadline.
    devices = recording_devices(request)
    if third_party:
        devices = devices.none()
    context = {
        "third_party": third_party,
        "source": source,
        "title": _("Upload third-party material") if third_party else _("Upload AV records"),
        "endpoint": get_script_prefix() + TUS_PATH,
        "record_prefix": get_script_prefix() + "media/",
        "devices": devices,
        "held_device": None if third_party else _held_device(request, devices),
        "late_reasons": [(v, label) for v, label in LateReason.choices if v],
        "chunk_size": CHUNK_SIZE,
        "capture_tolerance": rules.value("av_capture_time_tolerance_minutes"),
        "retry_delays": ",".join(str(d) for d in RETRY_DELAYS),
        "script_messages": _script_messages(),
    }
    return render(request, "media/upload.html", context)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Recordings from a recorder, camera or audio recorder (R15.1)."""
    return _page(request, AvSource.UPLOAD)


@login_required
def third_party(request: HttpRequest) -> HttpResponse:
    """Material from a party, a third party or public cameras, with provenance (R17.1)."""
    return _page(request, AvSource.THIRD_PARTY)
