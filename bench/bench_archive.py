"""Assembling, archiving and packaging a case file (R18.1, R18.2): a closed case with
``LIUHEN_BENCH_ARCHIVE_DOCS`` scanned documents (default 40, two pages each) and
``LIUHEN_BENCH_ARCHIVE_AV_MB`` MiB of AV evidence (default 2048) in files of
``LIUHEN_BENCH_ARCHIVE_AV_FILE_MB`` MiB (default 256).

Measures the assembly (catalogue, binding and sealing the PDF), the archiving (档号, the
bound PDF again with the number on its cover) and the archive package (every file copied
once into an OCFL object with SHA-512, SHA-256 and SM3, then stored as one tar), each in
seconds and MiB/s of the package's content, beside the SM3, SHA-256 and SHA-512 rates of
this machine measured in the same run. The AV bytes are copied by digest, never re-encoded,
so packaging is bound by hashing and copying: target ≥ 0.7 × the SM3 rate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

from bench.harness import timer

NAME = "archive"
DESCRIPTION = "assemble, archive and package a case file with AV (s, MiB/s beside the SM3 rate)"

DOCS = int(os.environ.get("LIUHEN_BENCH_ARCHIVE_DOCS", "40"))
AV_MB = int(os.environ.get("LIUHEN_BENCH_ARCHIVE_AV_MB", "2048"))
AV_FILE_MB = int(os.environ.get("LIUHEN_BENCH_ARCHIVE_AV_FILE_MB", "256"))
MIB = 1024 * 1024
BUREAU = "盘锦市大洼区农业农村局"
_PATTERN = os.urandom(8 * MIB)


class _Clip:
    """``size`` bytes of incompressible data, distinct per clip, read as a stream."""

    def __init__(self, size: int, seed: int) -> None:
        self.left = size
        self.seed = seed.to_bytes(8, "big")
        self.chunk = 0

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        n = min(self.left if n < 0 else n, len(_PATTERN))
        head = self.seed + self.chunk.to_bytes(8, "big")
        data = (head + _PATTERN[: max(n - len(head), 0)])[:n]
        self.chunk += 1
        self.left -= len(data)
        return data


def _user(username: str, name: str, role: str, unit: Any = None) -> Any:
    from liuhen.accounts.models import RoleGrant, User

    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": name, "unit": unit}
    )
    if created:
        RoleGrant.objects.create(user=user, role=role)
    return user


def _blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _setup() -> tuple[Any, Any]:
    from django.utils import timezone

    from liuhen.accounts.models import Bureau, Role, Unit
    from liuhen.cases.models import Case, Stage
    from liuhen.documents.actions.scans import upload_scan
    from liuhen.documents.actions.seal import install_demo_seal
    from liuhen.media.actions import curation, ingest
    from liuhen.subjects.models import CaseParty, Subject

    bureau, _ = Bureau.objects.get_or_create(name=BUREAU, defaults={"short_name": "洼农"})
    unit, _ = Unit.objects.get_or_create(bureau=bureau, name="种植业执法科")
    officer = _user("bench_archive_officer", "王明", Role.OFFICER, unit)
    archivist = _user("bench_archive_archivist", "吴芳", Role.ARCHIVIST)
    install_demo_seal(_user("bench_archive_secadmin", "钱进", Role.SECURITY_ADMIN), BUREAU)
    case = Case.objects.create(
        number=f"洼农（农药）立〔2026〕A{time.time_ns()}号",
        title="某农资经营部销售未登记农药案",
        unit=unit,
        field="农药",
        stage=Stage.DECISION,
    )
    case.officers.add(officer)
    party = Subject.objects.create(kind="unit", name="盘锦市大洼区丰收农资经营部")
    CaseParty.objects.create(case=case, subject=party)
    scan = _blank_pdf(2)
    for _index in range(DOCS):
        upload_scan(
            officer, case, "inquiry_transcript", content=scan, content_type="application/pdf"
        )
    clips = max(1, AV_MB // AV_FILE_MB) if AV_MB else 0
    for index in range(clips):
        size = min(AV_FILE_MB, AV_MB - index * AV_FILE_MB) * MIB
        stream = cast(IO[bytes], _Clip(size, time.time_ns() + index))
        record = ingest.ingest_stream(officer, stream, original_name=f"执法记录仪-{index:04d}.mp4")
        curation.link(officer, record, case=case, evidence=True)
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=1), closing_condition="executed"
    )
    case.refresh_from_db()
    return archivist, case


@contextmanager
def _timed(owner: Any, name: str, into: list[float]) -> Iterator[None]:
    """Seconds spent in each call of ``owner.name`` (looked up when called)."""
    original: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - start)

    setattr(owner, name, timed)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _hash_rate(name: str) -> float:
    """MiB/s of one digest over 512 MiB in 8 MiB pieces, as the package writer feeds it."""
    digest = hashlib.new(name)
    with timer() as took:
        for _ in range(64):
            digest.update(_PATTERN)
    return 512 / took["seconds"]


def run() -> list[dict[str, Any]]:
    from liuhen.archives.actions import case_file as actions
    from liuhen.archives.actions import package as package_actions
    from liuhen.archives.actions.package import build_archive_package
    from liuhen.archives.package.ocfl import ObjectWriter

    archivist, case = _setup()
    rates = {name: _hash_rate(name) for name in ("sm3", "sha256", "sha512")}
    sm3 = rates["sm3"]
    with timer() as assembled:
        case_file = actions.assemble_case_file(archivist, case)
    with timer() as archived:
        case_file = actions.archive_case_file(
            archivist, case_file, retention=case_file.suggested_retention
        )
    case.refresh_from_db()
    copying: list[float] = []
    storing: list[float] = []
    with (
        timer() as packaged,
        _timed(ObjectWriter, "add_stream", copying),
        _timed(package_actions, "_store_tar", storing),
    ):
        package = build_archive_package(archivist, case)
    mib = package.blob.size / MIB
    assert package.item_count == DOCS + max(1, AV_MB // AV_FILE_MB) * bool(AV_MB) + 2

    def row(step: str, seconds: float, size: float) -> dict[str, Any]:
        return {
            "step": step,
            "docs": DOCS,
            "av_MiB": AV_MB,
            "MiB": size,
            "seconds": seconds,
            "MiB_per_s": size / seconds,
            "sm3_MiB_per_s": sm3,
            "x_sm3": size / seconds / sm3,
        }

    bound = case_file.bound.size / MIB if case_file.bound else 0.0
    return [
        row("hash: SHA-256", 512 / rates["sha256"], 512),
        row("hash: SHA-512", 512 / rates["sha512"], 512),
        row("assemble + bind + seal", assembled["seconds"], bound),
        row("archive (档号, bind again)", archived["seconds"], bound),
        row("package (OCFL + tar + store)", packaged["seconds"], mib),
        row("  of which: files into the OCFL object", sum(copying), mib),
        row("  of which: the tar into the blob store", sum(storing), mib),
        row(
            "total",
            assembled["seconds"] + archived["seconds"] + packaged["seconds"],
            mib,
        ),
    ]
