"""The words of the audit log and the access policy: codes people read as labels.

Each app declares its permission codes (``perms.py``) and audit event codes
(``events.py``) as ``TextChoices`` and registers them in ``ready()``. A code is written
to the log as it is; people read its label. A denial is logged under the permission's
code, so a permission's label names its denials too.
"""

from __future__ import annotations

from liuhen.core import registry


class UnknownEvent(LookupError):
    """An audit event code no app declared: a typo or a forgotten ``events.py`` entry."""


def is_declared(code: str) -> bool:
    return code in registry.events or code in registry.permissions


def require_declared(code: str) -> str:
    if not is_declared(code):
        raise UnknownEvent(f"audit event {code!r} is not declared in any app's events.py")
    return str(code)


def label(code: str) -> str:
    """What people read for ``code``; a code nobody declares (an old log) shows as is."""
    found = registry.events.get(code)
    if found is None:
        found = registry.permissions.get(code)
    return code if found is None else str(found)
