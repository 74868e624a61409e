"""Case register, search and case page with many cases and a long audit log (issue 3).

Generates ``LIUHEN_BENCH_CASES`` cases (default 100,000; bulk insert) and
``LIUHEN_BENCH_EVENTS`` audit events (default 1,000,000) spread over their timelines, with
the hash chain computed properly (the log stays verifiable), then measures requests through
Django's test client as an agency head (who sees every case). Target: p95 < 150 ms.
Cases opened more than ``LIUHEN_BENCH_OPEN_DAYS`` (default 120) days ago are closed; the
rest are open, which is what the deadline list computes.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from typing import Any

from bench.harness import timer

NAME = "case_list"
DESCRIPTION = "case register, search and case page (p50/p95 ms) with many cases and events"

REPEAT = int(os.environ.get("LIUHEN_BENCH_REPEAT", "40"))
DEADLINE_REPEAT = max(REPEAT // 4, 3)  # every open case's clocks: a heavier page
BATCH = 5000
OPEN_DAYS = int(os.environ.get("LIUHEN_BENCH_OPEN_DAYS", "120"))  # recent cases still open


def _counts() -> tuple[int, int]:
    cases = int(os.environ.get("LIUHEN_BENCH_CASES", "100000"))
    events = int(os.environ.get("LIUHEN_BENCH_EVENTS", "1000000"))
    return cases, events


def _people() -> tuple[Any, list[Any], list[Any]]:
    from liuhen.accounts.models import Bureau, Role, RoleGrant, Unit, User

    bureau, _ = Bureau.objects.get_or_create(
        name="大洼区农业农村局", defaults={"short_name": "洼农"}
    )
    units = [
        Unit.objects.get_or_create(bureau=bureau, name=name)[0]
        for name in ("种植业执法科", "畜牧兽医执法科", "渔政执法科")
    ]
    head, created = User.objects.get_or_create(
        username="bench_agency_head", defaults={"full_name": "刘建国"}
    )
    if created:
        RoleGrant.objects.create(user=head, role=Role.AGENCY_HEAD)
    officers = []
    for index in range(30):
        officer, created = User.objects.get_or_create(
            username=f"bench_officer_{index}",
            defaults={"full_name": f"执法员{index}", "unit": units[index % len(units)]},
        )
        if created:
            RoleGrant.objects.create(user=officer, role=Role.OFFICER)
        officers.append(officer)
    return head, units, officers


def _make_cases(count: int, units: list[Any], officers: list[Any]) -> list[int]:
    from django.db import transaction
    from django.utils import timezone

    from liuhen.cases.models import Case, Stage

    titles = ["涉嫌销售假农药案", "涉嫌经营劣质种子案", "涉嫌违法使用兽药案", "涉嫌非法捕捞案"]
    fields = ["农药", "种子", "兽药", "渔业"]
    stages = list(Stage.values)
    now = timezone.now()
    start = now - dt.timedelta(days=4 * 365)
    # Cases older than OPEN_DAYS are closed and archived, as in a real register; the
    # recent ones are spread over the stages and still running.
    open_from = now - dt.timedelta(days=OPEN_DAYS)
    step = (now - start) / max(_counts()[0], 1)  # the register spans four years
    through = Case.officers.through
    rng = random.Random(1)
    for first in range(0, count, BATCH):
        batch = []
        for i in range(first, min(first + BATCH, count)):
            opened = start + step * i
            closed = opened < open_from
            batch.append(
                Case(
                    number=f"洼农（{fields[i % 4]}）立〔B{i // 10000}〕{i + 1}号",
                    title=f"{i + 1}号农资店{titles[i % 4]}",
                    field=fields[i % 4],
                    unit=units[i % len(units)],
                    stage=Stage.ARCHIVING if closed else stages[i % (len(stages) - 1)],
                    opened_at=opened,
                    closed_at=opened + dt.timedelta(days=75) if closed else None,
                )
            )
        with transaction.atomic():
            made = Case.objects.bulk_create(batch)
            if made and made[0].pk is None:  # backends that do not return ids
                numbers = [c.number for c in batch]
                made = list(Case.objects.filter(number__in=numbers))
            links = []
            for case in made:
                for officer in rng.sample(officers, 2):
                    links.append(through(case_id=case.pk, user_id=officer.pk))
            through.objects.bulk_create(links)
    return list(Case.objects.order_by("pk").values_list("pk", flat=True))


PARTY_SHARE = 3  # one case in three gets a party; one party in ten is a person
PERSONS = int(os.environ.get("LIUHEN_BENCH_PERSONS", "3000"))  # at most: SM4 per number


def _resident_id(serial: int) -> str:
    """A valid, unique number per serial: area code, a date of birth and a sequence."""
    from liuhen.subjects.identifiers import resident_id_check_char

    born = dt.date(1960, 1, 1) + dt.timedelta(days=serial // 1000)
    body = f"211104{born:%Y%m%d}{serial % 1000:03d}"
    return body + resident_id_check_char(body)


def _make_parties(case_ids: list[int]) -> list[str]:
    """Subjects for every ``PARTY_SHARE``-th case: units by name and USCC, some persons.

    Returns the resident id numbers of the persons, for the search measurement.
    """
    from django.db import transaction

    from liuhen.subjects import crypto
    from liuhen.subjects.models import CaseParty, Subject

    targets = case_ids[::PARTY_SHARE]
    numbers: list[str] = []
    for first in range(0, len(targets), BATCH):
        chunk = targets[first : first + BATCH]
        subjects = []
        for offset, _case_id in enumerate(chunk):
            index = first + offset
            if index % 10 == 0 and len(numbers) < PERSONS:
                number = _resident_id(index)
                numbers.append(number)
                subjects.append(
                    Subject(
                        kind="person",
                        name=f"当事人{index}号",
                        resident_id_encrypted=crypto.encrypt(number),
                        resident_id_index=crypto.blind_index(number),
                    )
                )
            else:
                subjects.append(Subject(kind="unit", name=f"第{index}农资经营部"))
        with transaction.atomic():
            made = Subject.objects.bulk_create(subjects)
            if made and made[0].pk is None:
                names = [s.name for s in subjects]
                made = list(Subject.objects.filter(name__in=names).order_by("pk"))
            CaseParty.objects.bulk_create(
                CaseParty(case_id=case_id, subject_id=subject.pk)
                for case_id, subject in zip(chunk, made, strict=True)
            )
    return numbers


def _make_events(count: int, case_ids: list[int], officers: list[Any]) -> None:
    """Append ``count`` events with a correct hash chain, in a tight loop, by raw inserts."""
    import json

    from django.db import connection, transaction

    from liuhen.core.audit import format_time
    from liuhen.core.chain import GENESIS_HASH, event_hashes
    from liuhen.core.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    seq = last["seq"] if last else 0
    prev = last["hash"] if last else GENESIS_HASH
    actions = ["case.view", "case.change", "case.create", "case.timeline"]
    actors = [(str(o.pk), o.username) for o in officers]
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=count)
    table = AuditEvent._meta.db_table
    columns = (
        "seq, time, actor_type, actor_id, actor_name, action, object_type, object_id, "
        "case_id, ip, user_agent, outcome, details, prev_hash, hash, sm3"
    )
    placeholders = ", ".join(["%s"] * 16)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (no user input)
    ncases = len(case_ids)
    rows: list[tuple[Any, ...]] = []
    for index in range(count):
        seq += 1
        moment += dt.timedelta(seconds=1)
        case_id = case_ids[(index * 7919) % ncases]
        actor_id, actor_name = actors[index % len(actors)]
        event = {
            "seq": seq,
            "time": format_time(moment),
            "actor_type": "user",
            "actor_id": actor_id,
            "actor_name": actor_name,
            "action": actions[index % len(actions)],
            "object_type": "cases.case",
            "object_id": str(case_id),
            "case_id": case_id,
            "ip": "10.0.0.1",
            "user_agent": "bench",
            "outcome": "ok",
            "details": {},
            "prev_hash": prev,
        }
        sha256, sm3 = event_hashes(event)
        rows.append(
            (
                seq, moment, "user", actor_id, actor_name, event["action"], "cases.case",
                str(case_id), case_id, "10.0.0.1", "bench", "ok", json.dumps({}), prev,
                sha256, sm3,
            )
        )  # fmt: skip
        prev = sha256
        if len(rows) >= BATCH * 4:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            rows = []
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _measure(client: Any, label: str, urls: list[str]) -> dict[str, Any]:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    times.sort()
    return {
        "measurement": label,
        "requests": len(times),
        "p50_ms": statistics.median(times),
        "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
    }


def run() -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client

    from liuhen.cases.models import Case
    from liuhen.core.models import AuditEvent
    from liuhen.subjects import crypto
    from liuhen.subjects.models import CaseParty, Subject

    want_cases, want_events = _counts()
    head, units, officers = _people()
    rows: list[dict[str, Any]] = []
    have = Case.objects.count()
    with timer() as made:
        if have < want_cases:
            _make_cases(want_cases - have, units, officers)
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    with timer() as linked:
        if not CaseParty.objects.exists():
            _make_parties(case_ids)
    numbers = [
        crypto.decrypt(value)
        for value in Subject.objects.filter(kind="person")
        .order_by("pk")
        .values_list("resident_id_encrypted", flat=True)[:REPEAT]
    ]
    parties = CaseParty.objects.count()
    have_events = AuditEvent.objects.count()
    with timer() as logged:
        if have_events < want_events:
            _make_events(want_events - have_events, case_ids, officers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the planner (SQLite and PostgreSQL)
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    print(
        f"generated: {cases} cases in {made['seconds']:.1f}s, "
        f"{events} audit events in {logged['seconds']:.1f}s, "
        f"{parties} case parties in {linked['seconds']:.1f}s"
    )

    client = Client(HTTP_HOST="localhost")
    client.force_login(head)
    client.get("/cases/")  # warm-up
    rng = random.Random(2)
    sample = rng.sample(case_ids, min(REPEAT, len(case_ids)))
    pages = max(1, cases // 25)
    measured = [
        _measure(client, "case list, page 1", ["/cases/"] * REPEAT),
        _measure(
            client,
            "case list, random page",
            [f"/cases/?page={rng.randint(1, pages)}" for _ in range(REPEAT)],
        ),
        _measure(
            client,
            "search (number/title)",
            [f"/cases/?q={rng.randint(1, cases)}号农资店" for _ in range(REPEAT)],
        ),
        _measure(
            client,
            "search by subject name",
            [f"/cases/?q=第{rng.randrange(1, parties, 10) + 1}农资" for _ in range(REPEAT)],
        ),
        _measure(
            client,
            "search by resident id",
            [f"/cases/?q={rng.choice(numbers)}" for _ in range(REPEAT)],
        ),
        _measure(client, "case page (header + timeline)", [f"/cases/{pk}/" for pk in sample]),
        _measure(
            client, "deadlines, all units (agency head)", ["/deadlines/unit/"] * DEADLINE_REPEAT
        ),
    ]
    for row in measured:
        rows.append({**row, "cases": cases, "events": events, "database": connection.vendor})
    return rows
