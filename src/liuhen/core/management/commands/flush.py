"""``flush`` that can empty write-once tables — in the test environment only.

Django's TransactionTestCase (and pytest-django's ``transactional_db``, live-server and
browser tests) flushes every table after each test; the write-once triggers (and those
that freeze an archived case) would refuse that. Under tests the triggers are dropped for
the flush and put back. Anywhere else this is Django's own flush, which the triggers stop
from erasing the audit log.
"""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from liuhen.core import calendar_seed, frozen_triggers, writeonce


def _in_test_environment() -> bool:
    # django.test.utils.setup_test_environment() gives django.core.mail an outbox.
    return hasattr(mail, "outbox")


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        if not _in_test_environment():
            super().handle(**options)
            return
        conn = connections[options["database"]]
        with writeonce.suspended(conn=conn), frozen_triggers.suspended(conn):
            super().handle(**options)
        # The holiday table comes from a data migration; put it back as migrate left it.
        calendar_seed.seed(using=options["database"])
