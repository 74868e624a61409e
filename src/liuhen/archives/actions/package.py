"""Building and exporting the archive package of an archived case (制度第十八条; R18.1,
R18.2, R1.1; DA/T 46, DA/T 63, DA/T 70): the one door.

The package's manifest digest is written to the audit log (``archive_package.seal``)
and a tree head is signed over it before the package is finished, so the package carries
that event with its inclusion proof: an outsider checks content → manifest → event →
signed tree head → the bureau's key with ``python -m liuhen.verify_package``. Copying
the files and storing the tar runs outside any transaction.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.archives.events import ArchivePackageEvents
from liuhen.archives.models import ArchivePackage, CaseFileDestruction
from liuhen.archives.package import layout
from liuhen.archives.package.builder import sha256_hex, write_content
from liuhen.archives.package.casefile import case_file_items
from liuhen.archives.package.items import ExtraItem, items_of
from liuhen.archives.package.ocfl import DigestingWriter, ObjectWriter, extract_tar, write_tar
from liuhen.archives.package.trail import audit_files, case_events, events_digest
from liuhen.archives.perms import ArchivePackagePerms
from liuhen.cases.models import Case
from liuhen.core import access, audit
from liuhen.core.blobs import adopt_blob, get_store
from liuhen.core.treehead import InconsistentLog, public_key_pem, sign_tree_head

Actor = User | audit.Actor


def _require_archived(case: Case) -> None:
    if case.archived_at is None:
        raise ValidationError(
            _("Case %(number)s is not archived yet: only an archived case gets an archive package.")
            % {"number": case.number}
        )
    if CaseFileDestruction.objects.filter(case_file__case=case).exists():
        raise ValidationError(
            _("The file of case %(number)s was destroyed after its retention ended.")
            % {"number": case.number},
            code="destroyed",
        )


def _version_user(actor: Actor) -> tuple[str, str]:
    """Who made the OCFL version: name and a URI naming the account (or the system)."""
    who = audit.Actor.of(actor)
    name = actor.full_name or actor.username if isinstance(actor, User) else who.name
    return name or "system", f"urn:liuhen:{who.type}:{who.id or who.name or 'system'}"


def _seal(
    actor: Actor, case: Case, object_id: str, manifest: bytes, request: HttpRequest | None
) -> int:
    """Put the manifest's digest and the case's events so far on the log; its seq."""
    # An event of the case written meanwhile (seq between these two) is in the package
    # too, with its proof; "case_events_through" says which ones this digest covers.
    through = audit.latest_seq()
    events = case_events(case, up_to_seq=through)
    with transaction.atomic(durable=True):
        event = audit.record(
            ArchivePackageEvents.SEAL,
            actor=actor,
            request=request,
            obj=case,
            details={
                "object_id": object_id,
                "manifest": layout.MANIFEST,
                "manifest_sha256": sha256_hex(manifest),
                "case_events_through": through,
                "case_events": len(events),
                "case_events_sha256": events_digest(events),
            },
        )
    return int(event.seq)


def build_archive_package(
    actor: Actor,
    case: Case,
    *,
    extra_items: Iterable[ExtraItem] = (),
    request: HttpRequest | None = None,
) -> ArchivePackage:
    """Write the archive package of ``case`` (archived) into the blob store and record it.

    ``extra_items``: what the caller adds before the case's own records; by default the
    case's archived file — the bound PDF and its catalogue.
    """
    access.require(actor, ArchivePackagePerms.BUILD, case, request=request)
    _require_archived(case)
    object_id = layout.object_id(case.number)
    built_at = timezone.now()
    with tempfile.TemporaryDirectory(prefix="archive-package-") as temp:
        root = Path(temp) / "object"
        root.mkdir()
        writer = ObjectWriter(root, object_id)
        items = items_of(case, list(extra_items) or case_file_items(case))
        manifest = write_content(writer, case, items)
        seal_seq = _seal(actor, case, object_id, manifest, request)
        try:
            head = sign_tree_head()
        except InconsistentLog as exc:
            raise ValidationError(
                _("The audit log fails verification, so no package can be sealed: %(error)s")
                % {"error": exc}
            ) from exc
        trail = audit_files(
            case_events(case, up_to_seq=head.tree_size), head, public_key_pem(create=False)
        )
        writer.add_bytes(layout.AUDIT_EVENTS, trail["events"])
        writer.add_bytes(layout.AUDIT_PROOFS, trail["proofs"])
        writer.add_bytes(layout.AUDIT_TREE_HEAD, trail["tree_head"])
        writer.add_bytes(layout.AUDIT_PUBLIC_KEY, trail["public_key"])
        inventory_sha512 = writer.finish(
            built_at, f"Archive package of case {case.number}", _version_user(actor)
        )
        blob = _store_tar(root, Path(temp))
    with transaction.atomic(durable=True):
        package = ArchivePackage.objects.create(
            case=case,
            blob=blob,
            object_id=object_id,
            inventory_sha512=inventory_sha512,
            manifest_sha256=sha256_hex(manifest),
            seal_seq=seal_seq,
            tree_size=head.tree_size,
            item_count=len(items),
            file_count=len(writer.files),
            built_by=actor if isinstance(actor, User) else None,
            built_at=built_at,
        )
        audit.record(
            ArchivePackageEvents.BUILD,
            actor=actor,
            request=request,
            obj=package,
            case_id=case.pk,
            details={
                "object_id": object_id,
                "sha256": blob.sha256,
                "inventory_sha512": inventory_sha512,
                "items": len(items),
                "files": len(writer.files),
            },
        )
    return package


def _store_tar(root: Path, temp: Path) -> Any:
    """The object as one tar in the blob store, hashed while it is written; where the
    store is local the tar is written in its staging folder and adopted without a copy."""
    staging = get_store().staging_dir()
    fd, name = tempfile.mkstemp(prefix="archive-package-", suffix=".tar", dir=staging or temp)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as raw:
            out = DigestingWriter(raw)
            try:
                write_tar(root, out)
                out.flush()
            except BaseException:
                out.cancel()
                raise
            raw.flush()
            os.fsync(raw.fileno())
        return adopt_blob(path, out.digester.finish())
    finally:
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class ExportedPackage:
    case_number: str
    folder: Path
    package: ArchivePackage


def latest_package(case: Case) -> ArchivePackage | None:
    return ArchivePackage.objects.filter(case=case).order_by("-built_at", "-id").first()


def export_folder_name(case: Case) -> str:
    return layout.safe_name(case.number, f"case-{case.pk}")


def export_archive_packages(
    actor: Actor, cases: Iterable[Case], directory: Path, *, request: HttpRequest | None = None
) -> list[ExportedPackage]:
    """Copy each case's newest package to ``directory``/<case number>/ as an OCFL object
    for transfer; a case without a package gets one built first. Each copy is audited."""
    cases = list(cases)
    for case in cases:
        access.require(actor, ArchivePackagePerms.EXPORT, case, request=request)
        _require_archived(case)
    directory.mkdir(parents=True, exist_ok=True)
    exported: list[ExportedPackage] = []
    for case in cases:
        target = directory / export_folder_name(case)
        if target.exists():
            raise ValidationError(
                _("%(folder)s exists already: export into an empty folder.") % {"folder": target}
            )
        package = latest_package(case) or build_archive_package(actor, case, request=request)
        partial = directory / f".{target.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        with get_store().open(package.blob_id) as stream:
            extract_tar(stream, partial)
        partial.rename(target)
        with transaction.atomic(durable=True):
            audit.record(
                ArchivePackageEvents.EXPORT,
                actor=actor,
                request=request,
                obj=package,
                case_id=case.pk,
                details={"object_id": package.object_id, "destination": str(target)[:200]},
            )
        exported.append(ExportedPackage(case.number, target, package))
    return exported


def archived_cases(actor: Actor) -> list[Case]:
    """Every archived case the actor may export, oldest archived first (``--all``)."""
    access.require(actor, ArchivePackagePerms.EXPORT)
    cases = Case.objects.filter(
        archived_at__isnull=False, case_file__destruction__isnull=True
    ).order_by("archived_at", "id")
    if not access.is_system(actor):
        cases = access.visible(actor, cases)
    return list(cases)
