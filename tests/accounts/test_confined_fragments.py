"""A person who must first change the password (or pass 2FA) stays on that page: a part of
it loaded in the background (the navbar's 我的待办 count) answers empty, rather than
sending the whole page to itself again and losing what was typed."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import sign_in

pytestmark = pytest.mark.django_db

PASSWORD_PAGE = "/accounts/password/"


def test_a_fragment_on_the_password_page_is_empty(client: Client, officer_wang) -> None:
    officer_wang.must_change_password = True
    officer_wang.save(update_fields=["must_change_password"])
    sign_in(client, officer_wang)
    response = client.get(
        "/tasks/count/",
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{PASSWORD_PAGE}"},
    )
    assert response.status_code == 204


def test_a_fragment_elsewhere_still_sends_the_page_to_the_password_form(
    client: Client, officer_wang
) -> None:
    officer_wang.must_change_password = True
    officer_wang.save(update_fields=["must_change_password"])
    sign_in(client, officer_wang)
    response = client.get(
        "/tasks/count/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
    )
    assert response["HX-Redirect"].startswith(PASSWORD_PAGE)
