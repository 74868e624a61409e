"""Who keeps and uses the AV devices (R13.1): the custodian keeps them all; a unit head,
the unit's; an officer uses the unit's. Registered by ``DevicesConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.devices.perms import DevicePerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def device_keeper(user: User, device: Any) -> bool:
    """The custodian 音像资料管理员 (devices are stored centrally, R13.1, R16.1) and the
    unit head of the device's unit register, change, issue and receive devices."""
    if user.is_admin_role:
        return False
    if user.has_role(Role.CUSTODIAN):
        return True
    return (
        user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and (device is None or device.unit_id == user.unit_id)
    )


def _device_user(user: User, device: Any) -> bool:
    """An officer uses the devices of their own unit."""
    return (
        not user.is_admin_role
        and user.has_role(Role.OFFICER)
        and user.unit_id is not None
        and (device is None or device.unit_id == user.unit_id)
    )


def _device_list(user: User, obj: Any) -> bool:
    return device_keeper(user, None) or _device_user(user, None)


def _device_view(user: User, device: Any) -> bool:
    return device is not None and (device_keeper(user, device) or _device_user(user, device))


def _device_checkout(user: User, device: Any) -> bool:
    """Take a device 领取: an officer for themselves; a keeper issues it to anyone (the
    action asks "device.manage" when the holder is not the actor)."""
    return device is not None and (device_keeper(user, device) or _device_user(user, device))


def _device_return(user: User, device: Any) -> bool:
    """Give it back 归还: the officer who holds it, or a keeper receives it."""
    if device is None:
        return False
    if device_keeper(user, device):
        return True
    return _device_user(user, device) and device.holder_id == user.pk


def _device_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if user.is_admin_role:
        return qs.none()
    if user.has_role(Role.CUSTODIAN):
        return qs
    if user.has_role(Role.UNIT_HEAD, Role.OFFICER) and user.unit_id is not None:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


RULES = {
    DevicePerms.LIST: _device_list,
    DevicePerms.VIEW: _device_view,
    # Register (``device`` None or its unit-to-be), change, record maintenance 保养.
    DevicePerms.MANAGE: device_keeper,
    DevicePerms.CHECKOUT: _device_checkout,
    DevicePerms.RETURN: _device_return,
}

SCOPES = {"devices.device": _device_scope}
