"""What every way in checks of a recording before it becomes an AV record (R15.1, R17.1).

The tus upload endpoint asks at creation, before a byte is sent; the record's action
(``media.actions.ingest.create_record``) asks again when it writes the record. Here also:
the content type and kind of a file by its name, and the unit a record belongs to.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import access
from liuhen.devices.models import Device
from liuhen.devices.perms import DevicePerms
from liuhen.media.models import AvKind, AvSource, LateReason

if TYPE_CHECKING:
    from liuhen.accounts.models import Unit

# A time "now" from a tablet or a recorder clock may be a little ahead.
CLOCK_SLACK = dt.timedelta(minutes=10)
_KIND_BY_TYPE = {"video": AvKind.VIDEO, "audio": AvKind.AUDIO, "image": AvKind.PHOTO}
# Recorder formats mimetypes does not know everywhere.
_EXTRA_TYPES = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".avi": "video/x-msvideo",
    ".mkv": "video/x-matroska",
    ".ts": "video/mp2t",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".aac": "audio/aac",
    ".m4a": "audio/mp4",
    ".amr": "audio/amr",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".heic": "image/heic",
}

# Who brings a recording in: a person, or a collection station / terminal by its token.
Uploader = User | Device
# RFC 6838 type/subtype, nothing else (no parameters, no spaces, no line breaks).
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$")


def content_type_of(name: str, declared: str = "") -> str:
    suffix = PurePath(name).suffix.lower()
    guessed = _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or ""
    declared = (declared or "").split(";")[0].strip().lower()
    # A client's word is kept only when it is a well-formed type (it becomes a header).
    if _MEDIA_TYPE.match(declared) and declared != "application/octet-stream":
        return declared[:100]
    return guessed or "application/octet-stream"


def kind_of(content_type: str) -> AvKind:
    return _KIND_BY_TYPE.get(content_type.split("/")[0], AvKind.OTHER)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def unit_for(actor: Uploader, device: Device | None, officer: User | None) -> Unit:
    for unit in (
        device.unit if device is not None else None,
        officer.unit if officer is not None else None,
        getattr(actor, "unit", None),
    ):
        if unit is not None:
            return unit
    raise ValidationError(
        {"unit": [_("The record belongs to no unit: name the device or officer.")]}
    )


def file_name(original_name: str) -> str:
    """The file's own name, without a client's folders, as the record keeps it."""
    return PurePath(str(original_name or "").replace("\\", "/")).name.strip()[:255]


def check_fields(
    actor: Uploader,
    *,
    device: Device | None = None,
    captured_at: dt.datetime | None = None,
    obtained_at: dt.datetime | None = None,
    late_reason: str = "",
    late_reason_text: str = "",
    source: str = AvSource.UPLOAD,
    provider: str = "",
    channel: str = "",
    errors: dict[str, list[str]] | None = None,
) -> None:
    """What every way in checks before a record is made (the tus endpoint asks at
    creation, before a byte is sent). Raises one ValidationError naming every field."""
    errors = dict(errors or {})
    now = timezone.now()
    for field, when in (("captured_at", captured_at), ("obtained_at", obtained_at)):
        if when is not None and when > now + CLOCK_SLACK:
            errors.setdefault(field, [_("The time cannot be in the future.")])
    if (
        device is not None
        and isinstance(actor, User)
        and not access.can(actor, DevicePerms.VIEW, device)
    ):
        # A person names only a device of their own unit (or one the custodian keeps):
        # the record's unit, officer and upload deadline follow the device.
        errors.setdefault("device", [_("You may not name this device.")])
    if late_reason not in LateReason.values:
        errors.setdefault("late_reason", [_("Choose a listed reason.")])
    elif late_reason and not late_reason_text.strip():
        errors.setdefault(
            "late_reason_text", [_("Describe the circumstances of the later upload.")]
        )
    if source == AvSource.THIRD_PARTY:
        # R17.1: who provided it, how it was obtained and when.
        required = _("This field is required for third-party material.")
        for field, value in (("provider", provider), ("channel", channel)):
            if not str(value or "").strip():
                errors.setdefault(field, [required])
        if obtained_at is None:
            errors.setdefault("obtained_at", [required])
    if errors:
        raise ValidationError(errors)
