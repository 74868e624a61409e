"""The password policy, read from the security settings (see docs/security.md)."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from liuhen.accounts import security

CHARACTER_CLASSES = 4
REQUIRED_CLASSES = 3


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    has_upper = any(c.isupper() for c in password)
    has_lower = any(c.islower() for c in password)
    has_digit = any(c.isdigit() for c in password)
    has_symbol = any(c in string.punctuation or not (c.isalnum() or c.isspace()) for c in password)
    return sum((has_upper, has_lower, has_digit, has_symbol))


class PolicyValidator:
    """Minimum length always; complexity (3 of 4 classes) when the security admin switches it on.

    等保 (GB/T 22239-2019 8.1.4.1 a) asks for complexity; ASVS 5.0 V6 advises against
    composition rules. The setting decides; the default follows 等保.
    """

    def _settings(self) -> Any:
        return security.current()

    def validate(self, password: str, user: Any = None) -> None:
        policy = self._settings()
        errors: list[ValidationError] = []
        if len(password) < policy.password_min_length:
            errors.append(
                ValidationError(
                    ngettext(
                        "The password must have at least %(min)d character.",
                        "The password must have at least %(min)d characters.",
                        policy.password_min_length,
                    )
                    % {"min": policy.password_min_length},
                    code="password_too_short",
                )
            )
        if policy.password_require_complexity and character_classes(password) < REQUIRED_CLASSES:
            errors.append(
                ValidationError(
                    _(
                        "The password must use at least three of: upper-case letters, "
                        "lower-case letters, digits and symbols."
                    ),
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        policy = self._settings()
        text = ngettext(
            "At least %(min)d character.",
            "At least %(min)d characters.",
            policy.password_min_length,
        ) % {"min": policy.password_min_length}
        if policy.password_require_complexity:
            text += " " + _(
                "Use at least three of: upper-case letters, lower-case letters, digits and symbols."
            )
        return text
