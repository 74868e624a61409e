"""20 threads appending at once leave a gapless, valid chain (R1.1).

Each thread has its own database connection. On PostgreSQL appends are serialised by an
advisory lock; on SQLite by IMMEDIATE transactions. Runs on whichever database the
suite runs on (``make test`` runs both).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from liuhen.core import audit
from liuhen.core.models import AuditEvent
from liuhen.core.treehead import sign_tree_head
from liuhen.core.verify import verify_chain

pytestmark = pytest.mark.usefixtures("signing_key_file")

THREADS = 20
PER_THREAD = 10


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_append_a_gapless_valid_chain() -> None:
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                audit.record("test.concurrent", details={"worker": worker, "i": i})
                if worker == 0 and i == PER_THREAD // 2:
                    sign_tree_head()  # signing while others append
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * PER_THREAD + 1))
    sign_tree_head()
    result = verify_chain()
    assert result.ok, result.summary()
    assert result.count == THREADS * PER_THREAD and result.heads == 2
