"""A number in a request too large for the database (an id, a filter or an offset above
2^63−1) is the client's mistake: the pages answer 400 and the API 422, never a server error.

SQLite refuses such a parameter in Python (``OverflowError``) and PostgreSQL in the
database (SQLSTATE 22003, numeric value out of range); both are told apart from our own
failures here, in one place, rather than bounding every integer of every form and route.
"""

from __future__ import annotations

from django.db import DataError
from django.utils.translation import gettext_lazy as _

NUMERIC_VALUE_OUT_OF_RANGE = "22003"

MESSAGE = _("A number in the request is out of range.")


def is_out_of_range(exc: BaseException) -> bool:
    if isinstance(exc, OverflowError):
        return True
    return (
        isinstance(exc, DataError)
        and getattr(exc.__cause__, "sqlstate", None) == NUMERIC_VALUE_OUT_OF_RANGE
    )
