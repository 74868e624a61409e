"""``liuhen blobs fixity|replicate`` — check and copy the blob store (R16.1, R23.1).

``fixity [--sample N]`` re-hashes stored blobs (all, or N chosen at random) against their
``Blob`` rows and reports changed, missing and untracked blobs (each one also becomes an
integrity finding; orphans — stored bytes whose record was never committed — are listed
and are no finding and the custodians and the security admin are notified, through the
listeners of ``core.actions.blobs.run_fixity``); ``replicate --to URL``
copies every blob to a second store (``file:///path`` or ``s3://bucket/prefix?endpoint=…``)
and re-hashes it there. Both are audited and exit 1 when anything is wrong.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liuhen.core import audit, blobs
from liuhen.core.actions import blobs as blob_actions

# The server acting for the operator at the shell.
OPERATOR = audit.SYSTEM


class Command(BaseCommand):
    help = "Check the blob store's fixity or replicate it to a second store."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        fixity = sub.add_parser("fixity", help="re-hash stored blobs against their records")
        fixity.add_argument("--sample", type=int, default=None, help="check N random blobs")
        fixity.add_argument("--store", default=None, help="store URL (default: configured)")
        replicate = sub.add_parser("replicate", help="copy every blob to a second store")
        replicate.add_argument("--to", required=True, help="file:///path or s3://bucket?…")
        replicate.add_argument("--from", dest="source", default=None, help="default: configured")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['subcommand']}")(options)
        except blobs.BlobError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _conclude(self, summary: str, *, ok: bool) -> None:
        """The summary line: printed when all went well, else the command fails with it."""
        if not ok:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)

    def _store(self, url: str | None) -> blobs.BlobStore:
        return blobs.store_from_url(url) if url else blobs.get_store()

    def do_fixity(self, options: dict[str, Any]) -> None:
        sample = options["sample"]
        if sample is not None and sample < 1:
            raise CommandError("--sample must be at least 1", returncode=2)
        store = self._store(options["store"])
        report = blob_actions.run_fixity(OPERATOR, store, sample=sample)
        for sha256 in report.changed:
            self.stdout.write(f"changed {sha256}: {'; '.join(report.details[sha256])}")
        for sha256 in report.missing:
            self.stdout.write(f"missing {sha256}")
        for sha256 in report.untracked:
            self.stdout.write(f"untracked {sha256}")
        for sha256 in report.orphans:
            self.stdout.write(
                f"orphan {sha256}: stored but never recorded (the process stopped between"
                " the write and its commit); bytes intact, nothing refers to them — not tampering"
            )
        for sha256 in report.without_sm3:
            self.stdout.write(f"without SM3 {sha256}")
        summary = (
            f"{store.describe()}: {report.checked} checked, {len(report.changed)} changed, "
            f"{len(report.missing)} missing, {len(report.untracked)} untracked, "
            f"{len(report.without_sm3)} without SM3"
        )
        if report.orphans:
            summary += f", {len(report.orphans)} orphaned"
        self._conclude(summary, ok=report.ok)

    def do_replicate(self, options: dict[str, Any]) -> None:
        source = self._store(options["source"])
        target = blobs.store_from_url(options["to"])
        report = blob_actions.run_replicate(OPERATOR, source, target)
        for sha256, problems in report.failed.items():
            self.stdout.write(f"failed {sha256}: {'; '.join(problems)}")
        summary = (
            f"{source.describe()} → {target.describe()}: {len(report.copied)} copied, "
            f"{len(report.present)} already there, {len(report.failed)} failed"
        )
        self._conclude(summary, ok=report.ok)
