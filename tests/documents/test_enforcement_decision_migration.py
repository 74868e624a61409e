"""R10.1: a bureau form the administrator had barred from e-mail was a decision; after the
migration ``documents.0003`` it is an enforcement decision 行政执法决定书 and so barred from
every electronic channel (regulation Art. 10(四)); the others are not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("documents", "0002_bureau_form_email_service")
AFTER = ("documents", "0003_bureau_form_enforcement_decision")


def _migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_forms_barred_from_email_become_enforcement_decisions(sysadmin_zhao) -> None:
    try:
        old = _migrate(BEFORE).get_model("documents", "FormDefinition")
        for code, email in (("bureau_order", False), ("bureau_letter", True)):
            old.objects.create(
                code=code,
                title=code,
                kind="ext",
                fields=[{"name": "a", "label": "甲"}],
                email_service=email,
                created_by_id=sysadmin_zhao.pk,
            )
        new = _migrate(AFTER).get_model("documents", "FormDefinition")
        decisions = dict(new.objects.values_list("code", "enforcement_decision"))
        assert decisions == {"bureau_order": True, "bureau_letter": False}
        back = _migrate(BEFORE).get_model("documents", "FormDefinition")
        assert dict(back.objects.values_list("code", "email_service")) == {
            "bureau_order": False,
            "bureau_letter": True,
        }
    finally:  # the schema the other tests expect: every app at its latest migration
        _migrate_to_latest()
