"""The API's request bodies: a JSON object whose text holds no control character.

Every payload of the API is an object, so an array, a number or ``true`` is refused
rather than read as "no fields given". Ninja answers any parser failure with an English
400; the error handler (``api.errors``) gives this module's Chinese message instead.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser
from ninja.types import DictStrAny

from liuhen.core import text


class BodyRefused(ValueError):
    """The body is not one the API reads; the message says why, for the person."""


class ObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        try:
            data: Any = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyRefused(_("The request body is not valid JSON.")) from exc
        if not isinstance(data, dict):
            raise BodyRefused(_("The request body must be a JSON object."))
        if (found := text.refused_in([data])) is not None:
            raise BodyRefused(text.refusal_message(found))
        return cast(DictStrAny, data)
