"""The AV record page and its files (R21.1, R14.1, R15.1, R17.1).

- ``record``: what the record is (who, which device, when — with a warning where the time
  given at upload disagrees with the file's own —, the upload deadline, a recorder not
  checked out to the uploader, the provenance of third-party material, the digests), what
  the probe read from the file, the player, the download button for those allowed, and
  the links panel;
- ``play``: the file for the player, with Range requests (``playback.serving``);
- ``download``: the file as an attachment with its original name;
- ``thumbnail``: the poster frame or photo preview.

A record is write-once (R14.1): every URL here answers anything but GET and HEAD with
405, and the attempt is audited. Records a person may not see are 404, the attempt
audited (``access.get_visible_or_404``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import access, rules
from liuhen.devices.perms import DevicePerms
from liuhen.media.actions import ingest, viewing
from liuhen.media.ingest import capture
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.media.playback import serving, tokens
from liuhen.media.registers import format_duration
from liuhen.media.views import link_panel
from liuhen.media.views.helpers import acting_user

_READ_METHODS = ("GET", "HEAD")


# What the record page shows of a record, read with it.
_SHOWN = (
    "blob",
    "blob__late_sm3",
    "unit",
    "device",
    "officer",
    "uploaded_by",
    "via_device",
    "probe",
)


def _record(request: HttpRequest, pk: int) -> AvRecord:
    """The record, if the user may see it; else 404, the attempt audited (R21.2)."""
    return access.get_visible_or_404(
        request.user,
        AvRecord.objects.select_related(*_SHOWN),
        action=MediaPerms.VIEW,
        request=request,
        pk=pk,
    )


def _refuse_change(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """R14.1: no edit, cut or delete of an AV record; the attempt is audited (against the
    record when the user may see it, as the API does)."""
    record = access.visible(request.user, AvRecord.objects.all()).filter(pk=pk).first()
    ingest.refuse_change(acting_user(request), record, f"{request.method} {what}", request=request)
    refused = HttpResponseNotAllowed(
        _READ_METHODS,
        _("An AV record is write-once: it cannot be edited, cut or deleted."),
        content_type="text/plain; charset=utf-8",
    )
    return refused


def _gone(disposed: tokens.RecordDisposed) -> HttpResponse:
    return HttpResponse(
        _("This AV record was disposed of after its retention period; its file is not kept.")
        + f" ({disposed.disposal.at:%Y-%m-%d})",
        status=410,
        content_type="text/plain; charset=utf-8",
    )


@login_required
def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method not in _READ_METHODS:
        return _refuse_change(request, pk, "record")
    record = _record(request, pk)
    token = viewing.view_record(acting_user(request), record, request=request)
    probe = record.probe_or_none()
    disposal = tokens.disposal_of(record)
    late_sm3 = getattr(record.blob, "late_sm3", None)
    context: dict[str, Any] = {
        "record": record,
        "probe": probe,
        "duration": format_duration(probe.duration if probe else None),
        "disposal": disposal,
        "quarantine": record.quarantine_or_none(),
        "playable": disposal is None and tokens.playable(record),
        "play_url": f"{reverse('media:play', args=[record.pk])}?t={token}",
        "thumbnail_url": reverse("media:thumbnail", args=[record.pk])
        if probe is not None and probe.thumbnail_id and disposal is None
        else "",
        "can_download": disposal is None and access.can(request.user, MediaPerms.DOWNLOAD, record),
        "sm3": record.blob.sm3 or (late_sm3.sm3 if late_sm3 else ""),
        "can_see_device": record.device is not None
        and access.can(request.user, DevicePerms.VIEW, record.device),
        "capture_disagrees": bool(capture.record_disagreement(record)),
        "capture_tolerance": rules.value("av_capture_time_tolerance_minutes"),
        "viewer_mark": _viewer_mark(request, record),
    }
    context.update(link_panel.context(request, record))
    return render(request, "media/record.html", context)


def _viewer_mark(request: HttpRequest, record: AvRecord) -> dict[str, str]:
    """R21.1: the player shows who is watching and since when, and the 调阅 request when
    only a grant lets them watch."""
    user: Any = request.user
    return {
        "name": user.display_name,
        "unit": str(user.unit) if user.unit_id else "",
        "at": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "request_number": access.used_grant(user, MediaPerms.VIEW, record).get("grant", ""),
    }


@login_required
def play(request: HttpRequest, pk: int) -> HttpResponseBase:
    if request.method not in _READ_METHODS:
        return _refuse_change(request, pk, "play")
    record = _record(request, pk)
    try:
        viewing.play(acting_user(request), record, request.GET.get("t", ""), request=request)
    except tokens.RecordDisposed as disposed:
        return _gone(disposed)
    if not tokens.playable(record):
        return HttpResponse(
            _("This file cannot be shown in the browser."),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    disposition = serving.disposition("inline", record.original_name)
    copy = _photo_copy(request, record, MediaPerms.PLAY, record.blob_id, disposition)
    if copy is not None:
        return copy
    return serving.serve_blob(
        request, record.blob_id, content_type=record.content_type, disposition_value=disposition
    )


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    if request.method not in _READ_METHODS:
        return _refuse_change(request, pk, "download")
    record = _record(request, pk)
    try:
        download_id = viewing.download(acting_user(request), record, request=request)
    except tokens.RecordDisposed as disposed:
        return _gone(disposed)
    disposition = serving.disposition(
        "attachment", _named_download(record.original_name, download_id)
    )
    copy = _photo_copy(request, record, MediaPerms.DOWNLOAD, record.blob_id, disposition)
    if copy is not None:
        return copy
    return serving.serve_blob(
        request,
        record.blob_id,
        content_type=record.content_type or "application/octet-stream",
        disposition_value=disposition,
    )


def _photo_copy(
    request: HttpRequest,
    record: AvRecord,
    perm: str,
    sha256: str,
    disposition: str,
    content_type: str = "",
) -> HttpResponse | None:
    """R21.1: a photo (or a preview) leaves with the viewer's watermark and the 调阅
    request that let them ``perm`` it; None for a recording, which streams as stored."""
    return serving.serve_copy(
        sha256,
        content_type=content_type or record.content_type,
        disposition_value=disposition,
        user=request.user,
        request_number=access.used_grant(request.user, perm, record).get("grant", ""),
    )


def _named_download(name: str, download_id: str) -> str:
    """The file's name, with the download's id when it has one (a download under a grant)."""
    if not download_id:
        return name
    stem, dot, extension = name.rpartition(".")
    return f"{stem}_{download_id}.{extension}" if dot else f"{name}_{download_id}"


@login_required
def thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The preview belongs to the audited page view: checked, not audited again."""
    if request.method not in _READ_METHODS:
        return _refuse_change(request, pk, "thumbnail")
    record = _record(request, pk)
    disposal = tokens.disposal_of(record)
    if disposal is not None:
        return _gone(tokens.RecordDisposed(disposal))
    probe = record.probe_or_none()
    if probe is None or probe.thumbnail_id is None:
        return HttpResponse(
            _("No preview yet."), status=404, content_type="text/plain; charset=utf-8"
        )
    disposition = serving.disposition("inline", f"AV-{record.pk}.jpg")
    copy = _photo_copy(
        request, record, MediaPerms.VIEW, probe.thumbnail_id, disposition, "image/jpeg"
    )
    if copy is not None:
        return copy
    return serving.serve_blob(
        request, probe.thumbnail_id, content_type="image/jpeg", disposition_value=disposition
    )
