"""The database is away (stopped, restarting, unreachable): every request answers 503
with a message saying so, never a 500 page, and the next request after it returns is
served as usual (each request opens its own connection, ``CONN_HEALTH_CHECKS`` drops a
kept one that died).

``OperationalError`` and ``InterfaceError`` are what the drivers raise when a connection
cannot be made or was lost; told apart from our own failures here, in one place, for the
pages, the API and the tus uploads.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

MESSAGE = _("The database is temporarily unavailable. Please try again in a moment.")

# Seconds a client is told to wait before trying again.
RETRY_AFTER_SECONDS = 5


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)
