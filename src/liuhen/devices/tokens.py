"""Which device an API device token belongs to (R13.1, R15.1).

Device tokens are for the devices that bring recordings in: collection stations 采集站 and
enforcement terminals. A token is issued only for such a device that is registered and
not retired (:func:`token_device`, called by ``api.actions.create_token``); a request made
with it acts as that device (``api.tokens.device_for_token``). Recorders themselves never
get a token: their files come in through a station or the upload page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.devices.models import UPLOADING_KINDS, Device, DeviceStatus


def normal_serial(serial: str) -> str:
    """A serial number as the registry stores it (no spaces, upper case)."""
    return "".join(str(serial or "").split()).upper()


def token_device(serial: str) -> Device:
    """The device a new token is for: a registered station or terminal, not retired."""
    device = Device.objects.filter(serial=normal_serial(serial)).first()
    if device is None:
        message = _("No device with this serial number is registered.")
    elif device.kind not in UPLOADING_KINDS:
        message = _("Only collection stations and enforcement terminals get API tokens.")
    elif device.status == DeviceStatus.RETIRED:
        message = _("This device is retired.")
    else:
        return device
    raise ValidationError({"device_serial": [message]})
