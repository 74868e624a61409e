"""A refused request is one line in the log; a server error keeps its traceback (R4.2)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def console_log() -> Iterator[io.StringIO]:
    """What the server's console handler writes (the log an operator reads)."""
    (handler,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_refused_requests_are_logged_as_one_line_each(
    client: Client, console_log: io.StringIO, officer_wang
) -> None:
    refused = Client(raise_request_exception=False)
    assert refused.get("/", HTTP_HOST="evil.example").status_code == 400
    many_fields = "&".join(f"f{i}=1" for i in range(2000))
    form = "application/x-www-form-urlencoded"
    assert refused.post("/accounts/login/", many_fields, content_type=form).status_code == 400
    sign_in(client, officer_wang)
    assert client.get("/audit/").status_code == 403
    log = console_log.getvalue()
    assert "Invalid HTTP_HOST header: 'evil.example'" in log
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in log
    assert "Traceback" not in log
    assert len(log.strip().splitlines()) == 2, log


@pytest.mark.urls("tests.web.boom_urls")
def test_a_server_error_keeps_its_traceback(console_log: io.StringIO) -> None:
    assert Client(raise_request_exception=False).get("/boom/").status_code == 500
    assert "Traceback" in console_log.getvalue()
