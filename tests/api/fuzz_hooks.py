"""Schemathesis hooks for the live fuzzing run (``SCHEMATHESIS_HOOKS``).

Every check runs and every failure counts, with two exceptions the OpenAPI document
cannot express, so a "schema-valid request rejected" there is the API keeping a
documented rule rather than disagreeing with its schema:

- a request holding a character no text here may hold (``liuhen.core.text``: control
  characters, noncharacters, lone surrogates) is refused with 400 ``bad_request``; JSON
  Schema has no way to say "any string without these";
- an operation documented to refuse every request (an AV record is never edited or
  deleted: its only answers are 405 and 401) answers 405 as documented;
- an action refuses a well-formed request for the state of the case or a rule of the
  law (``422`` whose ``details`` are the action's reasons, docs/api.md). A ``422``
  whose details locate a schema field (pydantic's ``loc``) is a real disagreement and
  stays a failure.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData

from liuhen.core.text import refused_in


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if not isinstance(failure, RejectedPositiveData):
        return True
    if response.status_code == 405 and _always_refused(case):
        return False
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return True
    if response.status_code == 400 and error.get("code") == "bad_request":
        sent = [case.body, case.query, case.path_parameters, case.headers]
        return refused_in([value for value in sent if value]) is None
    if response.status_code == 422 and error.get("code") == "validation_error":
        return _locates_a_schema_field(error.get("details"))
    return True


def _locates_a_schema_field(details: Any) -> bool:
    return isinstance(details, list) and any(
        isinstance(item, dict) and "loc" in item for item in details
    )


def _always_refused(case: Any) -> bool:
    documented = case.operation.definition.raw.get("responses", {})
    return "405" in documented and not any(str(code).startswith("2") for code in documented)
