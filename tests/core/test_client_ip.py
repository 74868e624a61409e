"""The client address behind a reverse proxy: trusted proxies' X-Forwarded-For names the
client (the nearest hop that is not a trusted proxy); anyone else's is ignored, so a
client cannot choose the address it is logged, locked out and rate-limited under."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from liuhen.core.audit import client_ip


def _request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.fixture
def behind_proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "172.16.0.0/12"]


def test_without_trusted_proxies_the_peer_is_the_client(settings) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.usefixtures("behind_proxies")
def test_a_trusted_proxy_names_the_client() -> None:
    assert client_ip(_request("10.0.0.5", "198.51.100.7")) == "198.51.100.7"


@pytest.mark.usefixtures("behind_proxies")
def test_the_nearest_untrusted_hop_is_the_client_not_what_the_client_wrote() -> None:
    # The client wrote 1.2.3.4 itself; its real address was appended by the edge proxy.
    request = _request("10.0.0.5", "1.2.3.4, 198.51.100.7, 172.16.3.4")
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.usefixtures("behind_proxies")
def test_an_untrusted_peer_cannot_choose_its_address() -> None:
    assert client_ip(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


@pytest.mark.usefixtures("behind_proxies")
def test_garbage_in_the_header_is_not_believed() -> None:
    assert client_ip(_request("10.0.0.5", "evil, <script>")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5")) == "10.0.0.5"


@pytest.mark.usefixtures("behind_proxies")
def test_ipv6_clients_are_named_too(settings) -> None:
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_ip(_request("::1", "2001:db8::7")) == "2001:db8::7"
