"""Log filters: a refused request is one line in the log, not a traceback.

Django logs a request it refuses (a host not allowed, too many form fields, a body it
cannot parse) with the exception's traceback. That is an answer to a caller's mistake or
probe, not a fault of ours: a scan would bury the incidents (the 500s, whose tracebacks
are kept) under pages of identical stacks.
"""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """Drop the traceback of a record about a 4xx answer; everything else passes as is."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
