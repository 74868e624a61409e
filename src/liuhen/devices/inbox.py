"""我的待办 of the devices: a recorder kept out past the checkout limit (R14.1) holds
recordings that are late for upload — its holder returns it and uploads them; the
custodian (or the unit head) sees every such device they keep."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.core.inbox import Task
from liuhen.devices.ledger import overdue_cutoff
from liuhen.devices.models import Device, DeviceStatus
from liuhen.devices.policy import device_keeper


def devices_overdue(user: Any) -> list[Task]:
    if user.is_admin_role:
        return []
    late = Device.objects.filter(status=DeviceStatus.CHECKED_OUT, out_since__lt=overdue_cutoff())
    keeper = device_keeper(user, None)
    if not keeper:
        late = late.filter(holder_id=user.pk)
    tasks = []
    for device in access.visible(user, late.select_related("holder")).order_by("out_since"):
        label: str | Promise
        if device.holder_id == user.pk:
            label = _("Return the device and upload its recordings")
        else:
            label = _("Not returned in time; held by %(name)s") % {
                "name": device.holder.display_name if device.holder else "—"
            }
        assert device.out_since is not None  # filtered above
        tasks.append(
            Task(
                kind=_("AV upload late"),
                label=label,
                link=reverse("devices:detail", args=[device.pk]),
                subject=device.serial,
                due=timezone.localtime(device.out_since).date(),
                overdue=True,
            )
        )
    return tasks


PROVIDERS = {"devices_overdue": devices_overdue}
