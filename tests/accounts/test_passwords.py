"""The password policy: length always, complexity when switched on (docs/security.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from liuhen.accounts.actions import security
from liuhen.accounts.passwords import PolicyValidator, character_classes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("abC1!xyz", 4), ("密码Abc1", 3)],
)
def test_character_classes(password: str, classes: int) -> None:
    assert character_classes(password) == classes


def test_short_password_refused(db) -> None:
    with pytest.raises(ValidationError) as refused:
        PolicyValidator().validate("Ab1!xyz")
    assert [e.code for e in refused.value.error_list] == ["password_too_short"]


def test_complexity_on_by_default(db) -> None:
    with pytest.raises(ValidationError) as refused:
        PolicyValidator().validate("pastureland")
    assert [e.code for e in refused.value.error_list] == ["password_too_simple"]
    PolicyValidator().validate("Pasture-land9")


def test_complexity_off(secadmin_qian) -> None:
    security.update_security_settings(secadmin_qian, password_require_complexity=False)
    PolicyValidator().validate("pasturelandrain")


def test_longer_minimum(secadmin_qian) -> None:
    security.update_security_settings(secadmin_qian, password_min_length=12)
    with pytest.raises(ValidationError):
        PolicyValidator().validate("Pasture-9x")
    PolicyValidator().validate("Pasture-land-9x")


def test_common_passwords_refused_too(db) -> None:
    # Django's list of common (breached) passwords backs up the policy (ASVS 6.2.4).
    with pytest.raises(ValidationError):
        password_validation.validate_password("Password1!")


def test_help_text_describes_the_policy(db) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert "8" in PolicyValidator().get_help_text()
