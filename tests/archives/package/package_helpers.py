"""Helpers of the archive package tests: an archived case with a sealed document, a scan
and an AV record used as evidence; the outside checker run as a separate process."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

from django.utils import timezone
from ocfl import digest as ocfl_digest
from ocfl import validator as ocfl_validator
from ocfl.validator import Validator
from pypdf import PdfWriter

from liuhen.cases.models import Case
from liuhen.core.logcheck import key_id
from liuhen.core.treehead import public_key
from liuhen.documents.actions.scans import upload_scan
from liuhen.media.actions import curation
from tests.fixtures.media import ingest_bytes

SRC = Path(__file__).resolve().parents[3] / "src"
CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8


def blank_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def archive(case: Case) -> Case:
    """Set the moment of archiving as the archivist's filing does (not this module's)."""
    Case.objects.filter(pk=case.pk).update(archived_at=timezone.now())
    case.refresh_from_db()
    return case


def add_scan_and_av(officer: Any, case: Case) -> None:
    upload_scan(
        officer,
        case,
        "inquiry_transcript",
        content=blank_pdf(2),
        content_type="application/pdf",
        note="现场手写笔录",
    )
    record = ingest_bytes(officer, CLIP, "执法记录仪-0001.mp4")
    curation.link(officer, record, case=case, evidence=True)


def run_checker(
    folder: Path, *options: str, python_options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``python -m liuhen.verify_package`` in a process of its own, with no Django settings."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, *python_options, "-m", "liuhen.verify_package", *options, str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def bureau_key_id() -> str:
    return key_id(public_key(create=False))


def _file_digest_with_sm3(filename: str, digest_type: str = "sha512", fs: Any = None) -> str:
    if digest_type != "sm3":
        return _ocfl_file_digest(filename, digest_type, fs)
    return str(ocfl_digest._file_digest(fs, filename, hashlib.new("sm3")))


_ocfl_file_digest = ocfl_digest.file_digest


def ocfl_check(folder: Path) -> tuple[bool, set[str]]:
    """ocfl-py's verdict, strict, with SM3 (GB/T 32905) added to its table of digest
    algorithms so that it checks the SM3 fixity too; and the codes its unextended run
    reports, where SM3 — a fixity algorithm outside OCFL's table — is the only complaint."""
    plain = Validator(check_digests=True, log_errors=False)
    plain.validate_object(str(folder))
    with (
        mock.patch.dict(ocfl_digest.DIGEST_REGEXES, {"sm3": r"^[0-9a-fA-F]{64}$"}),
        mock.patch.object(ocfl_validator, "file_digest", _file_digest_with_sm3),
    ):
        extended = Validator(check_digests=True, log_errors=False)
        valid = bool(extended.validate_object(str(folder)))
    return valid and not extended.log.codes, set(plain.log.codes)
