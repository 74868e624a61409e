"""The test suite's own audit events: the audit log's tests write events whose meaning
does not matter, only that the chain takes them (the log refuses undeclared codes)."""

from __future__ import annotations

from django.db import models


class ChainTestEvents(models.TextChoices):
    EVENT = "test.event", "test event"
    EVENT0 = "test.event0", "test event 0"
    EVENT1 = "test.event1", "test event 1"
    EVENT2 = "test.event2", "test event 2"
    STEP = "test.step", "test step"
    SYSTEM_STEP = "test.system_step", "test step by the system"
    OTHER_CASE = "test.other_case", "test event of another case"
    MANY = "test.many", "test event, one of many"
    MORE = "test.more", "test event, one more"
    ONE = "test.one", "test event one"
    TWO = "test.two", "test event two"
    NEW = "test.new", "test event, new"
    LATER = "test.later", "test event, later"
    AFTER = "test.after", "test event, after"
    BULK = "test.bulk", "test event, in bulk"
    CONCURRENT = "test.concurrent", "test event, concurrent"
    E2E = "test.e2e", "test event in the browser"
