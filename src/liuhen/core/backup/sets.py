"""Backup sets in a backup folder: making one while the system runs, keeping the newest
few, and restoring one into an empty instance.

A backup folder holds ``backup.json`` (how the key is made: salt, KDF, key check), the
pool ``blobs/`` (each blob once, encrypted, named by its SHA-256) and ``sets/<name>/``
(the database, the keys and ``manifest.enc``). A set is built in a hidden folder and
renamed into place when complete, so a set that is listed is whole. One run at a time
per folder (a lock file).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from liuhen.core.backup import crypto, database, keyfiles
from liuhen.core.backup.crypto import Damaged, Secret
from liuhen.core.blobs import BlobInfo, BlobStore, Digester, fsync_dir, get_store, make_dirs

FORMAT = "liuhen-backup/1"
HEADER = "backup.json"
POOL = "blobs"
SETS = "sets"
MANIFEST = "manifest.enc"
DATABASE_FILE = "database.enc"
_PARTIAL = ".partial-"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


class WrongSecret(BackupError):
    pass


class BackupDamaged(BackupError):
    pass


class TargetNotEmpty(BackupError):
    pass


@dataclass
class BackupReport:
    set_dir: Path
    began_at: str
    database_bytes: int = 0
    blobs: int = 0
    blobs_copied: int = 0
    blobs_reused: int = 0
    blobs_missing: list[str] = field(default_factory=list)
    bytes_read: int = 0  # plaintext taken from the instance in this run
    removed_sets: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "set": self.set_dir.name,
            "began_at": self.began_at,
            "database_bytes": self.database_bytes,
            "blobs": self.blobs,
            "blobs_copied": self.blobs_copied,
            "blobs_reused": self.blobs_reused,
            "blobs_missing": self.blobs_missing,
            "removed_sets": self.removed_sets,
        }


@dataclass
class OpenedSet:
    root: Path
    set_dir: Path
    key: bytes
    manifest: dict[str, Any]


@dataclass
class RestoreReport:
    set_name: str
    began_at: str
    vendor: str
    blobs: int = 0
    keys: int = 0
    bytes_written: int = 0


# --- the backup folder ------------------------------------------------------------------


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    with open(root / ".lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(_("Another backup is running into this folder.")) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_file(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)


def _key_for(root: Path, secret: Secret, *, create: bool) -> bytes:
    """The folder's key from ``secret``; a new folder gets a new salt."""
    header_path = root / HEADER
    if not header_path.exists():
        if not create:
            raise BackupError(_("%(path)s is not a backup folder.") % {"path": root})
        salt = crypto.new_salt()
        key = crypto.derive_key(secret, salt)
        header = {
            "format": FORMAT,
            "kdf": secret.kind,
            "salt": salt.hex(),
            "scrypt": {"n": crypto.SCRYPT_N, "r": crypto.SCRYPT_R, "p": crypto.SCRYPT_P},
            "key_check": crypto.key_check(key),
        }
        _write_file(header_path, json.dumps(header, indent=2).encode())
        return key
    try:
        header = json.loads(header_path.read_text())
        salt = bytes.fromhex(header["salt"])
        kind = header["kdf"]
        expected = header["key_check"]
    except (ValueError, KeyError, TypeError):
        raise BackupDamaged(_("The backup folder's description is damaged.")) from None
    if header.get("format") != FORMAT:
        raise BackupError(_("The backup folder is of an unknown format."))
    if kind != secret.kind:
        raise WrongSecret(
            _("This backup folder is protected by a passphrase; give the passphrase.")
            if kind == "scrypt"
            else _("This backup folder is protected by a key file; give the key file.")
        )
    key = crypto.derive_key(secret, salt)
    if crypto.key_check(key) != expected:
        raise WrongSecret(_("Wrong passphrase or key file for this backup folder."))
    return key


def complete_sets(root: Path) -> list[Path]:
    """The whole sets of a backup folder, oldest first."""
    sets = root / SETS
    if not sets.is_dir():
        return []
    return sorted(
        path
        for path in sets.iterdir()
        if path.is_dir() and not path.name.startswith(".") and (path / MANIFEST).is_file()
    )


def _pool_path(root: Path, sha256: str) -> Path:
    return root / POOL / sha256[:2] / f"{sha256}.enc"


def _encrypt_to(path: Path, key: bytes, context: str, source: IO[bytes]) -> tuple[str, int]:
    """Encrypt into ``path`` crash-safely (a temporary name, fsync, rename)."""
    make_dirs(path.parent)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            result = crypto.encrypt_stream(key, context, source, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return result


def _scratch() -> tempfile.TemporaryDirectory[str]:
    """Plaintext (the database dump) never goes to the backup folder: it waits beside the
    instance's own data, which is as well protected."""
    return tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".backup-")


# --- making a set -----------------------------------------------------------------------


def make_backup(
    dest: Path, secret: Secret, *, keep: int | None = None, store: BlobStore | None = None
) -> BackupReport:
    """A new set in ``dest`` of the instance as it stands when the run begins; then, with
    ``keep``, only the newest ``keep`` sets are kept."""
    store = store or get_store()
    dest = Path(dest)
    make_dirs(dest)
    with _locked(dest):
        key = _key_for(dest, secret, create=True)
        sets_dir = dest / SETS
        make_dirs(sets_dir)
        for leftover in sets_dir.glob(_PARTIAL + "*"):
            shutil.rmtree(leftover)  # a run that stopped half-way
        began = dt.datetime.now(dt.UTC)
        name = began.strftime("%Y%m%dT%H%M%S%fZ")
        work = sets_dir / f"{_PARTIAL}{name}"
        work.mkdir()
        report = BackupReport(set_dir=sets_dir / name, began_at=began.isoformat())
        manifest: dict[str, Any] = {"format": FORMAT, "name": name, "began_at": report.began_at}
        with _scratch() as scratch:
            dump = Path(scratch) / "database"
            snap = database.snapshot(dump)
            with open(dump, "rb") as source:
                sha256, size = _encrypt_to(work / DATABASE_FILE, key, "database", source)
        report.database_bytes = report.bytes_read = size
        manifest["database"] = {
            "vendor": snap.vendor,
            "file": DATABASE_FILE,
            "sha256": sha256,
            "size": size,
        }
        manifest["keys"] = []
        for index, key_file in enumerate(keyfiles.present()):
            file_name = f"key-{index}.enc"
            with open(key_file.path, "rb") as source:
                sha256, size = _encrypt_to(work / file_name, key, f"key:{key_file.role}", source)
            manifest["keys"].append(
                {"role": key_file.role, "file": file_name, "sha256": sha256, "size": size}
            )
        manifest["blobs"] = []
        for sha256, size in snap.blobs:
            _back_up_blob(dest, key, store, sha256, size, report)
            if sha256 not in report.blobs_missing:
                manifest["blobs"].append({"sha256": sha256, "size": size})
        report.blobs = len(manifest["blobs"])
        manifest["blobs_missing"] = report.blobs_missing
        manifest["finished_at"] = dt.datetime.now(dt.UTC).isoformat()
        sealed = crypto.seal_bytes(key, f"manifest:{name}", json.dumps(manifest).encode())
        _write_file(work / MANIFEST, sealed)
        os.rename(work, report.set_dir)
        fsync_dir(sets_dir)
        if keep is not None:
            report.removed_sets = _keep_newest(dest, key, keep)
    return report


def _back_up_blob(
    dest: Path, key: bytes, store: BlobStore, sha256: str, size: int, report: BackupReport
) -> None:
    target = _pool_path(dest, sha256)
    if target.exists():
        report.blobs_reused += 1  # an earlier set copied these bytes: refer to them
        return
    if not store.exists(sha256):
        # Removed by an approved disposal after the snapshot was taken.
        report.blobs_missing.append(sha256)
        return
    with store.open(sha256) as source:
        written_sha256, written = _encrypt_to(target, key, f"blob:{sha256}", source)
    if written_sha256 != sha256 or written != size:
        target.unlink()
        raise BackupError(
            _("The stored file %(sha256)s does not match its record; run the fixity check.")
            % {"sha256": sha256}
        )
    report.blobs_copied += 1
    report.bytes_read += written


def _keep_newest(root: Path, key: bytes, keep: int) -> list[str]:
    """Remove all but the newest ``keep`` sets, then the pooled blobs none of the kept
    sets refers to."""
    sets = complete_sets(root)
    doomed = sets[: max(len(sets) - max(keep, 1), 0)]
    for set_dir in doomed:
        shutil.rmtree(set_dir)
    if doomed:
        fsync_dir(root / SETS)
        needed: set[str] = set()
        for set_dir in complete_sets(root):
            needed.update(blob["sha256"] for blob in _read_manifest(set_dir, key)["blobs"])
        for path in (root / POOL).glob("*/*.enc"):
            if path.name.removesuffix(".enc") not in needed:
                path.unlink()
    return [set_dir.name for set_dir in doomed]


# --- opening and checking a set ---------------------------------------------------------


def _read_manifest(set_dir: Path, key: bytes) -> dict[str, Any]:
    try:
        sealed = (set_dir / MANIFEST).read_bytes()
        manifest: dict[str, Any] = json.loads(
            crypto.open_bytes(key, f"manifest:{set_dir.name}", sealed)
        )
    except (OSError, Damaged, ValueError):
        raise BackupDamaged(
            _("The backup set %(name)s is damaged: its manifest does not authenticate.")
            % {"name": set_dir.name}
        ) from None
    return manifest


def open_set(source: Path, secret: Secret) -> OpenedSet:
    """A backup folder (its newest set) or one set folder in it, opened with ``secret``."""
    source = Path(source)
    if (source / HEADER).is_file():
        root = source
        sets = complete_sets(root)
        if not sets:
            raise BackupError(_("%(path)s holds no complete backup set.") % {"path": root})
        set_dir = sets[-1]
    elif source.parent.name == SETS and (source.parent.parent / HEADER).is_file():
        root, set_dir = source.parent.parent, source
        if not (set_dir / MANIFEST).is_file():
            raise BackupError(_("%(path)s is not a complete backup set.") % {"path": set_dir})
    else:
        raise BackupError(_("%(path)s is not a backup folder.") % {"path": source})
    key = _key_for(root, secret, create=False)
    return OpenedSet(root, set_dir, key, _read_manifest(set_dir, key))


def _decrypt_checked(
    path: Path, key: bytes, context: str, entry: dict[str, Any], target: IO[bytes] | None
) -> None:
    try:
        with open(path, "rb") as source:
            sha256, size = crypto.decrypt_stream(key, context, source, target)
    except (OSError, Damaged) as exc:
        raise BackupDamaged(
            _("The backup is damaged: %(file)s cannot be read (%(reason)s).")
            % {"file": path.name, "reason": exc}
        ) from None
    if sha256 != entry["sha256"] or size != entry["size"]:
        raise BackupDamaged(
            _("The backup is damaged: %(file)s does not match the manifest.") % {"file": path.name}
        )


def check_set(opened: OpenedSet) -> int:
    """Decrypt every file of the set without restoring it; return how many were checked."""
    manifest = opened.manifest
    files = [(opened.set_dir / manifest["database"]["file"], "database", manifest["database"])]
    files += [(opened.set_dir / k["file"], f"key:{k['role']}", k) for k in manifest["keys"]]
    files += [
        (_pool_path(opened.root, b["sha256"]), f"blob:{b['sha256']}", b) for b in manifest["blobs"]
    ]
    for path, context, entry in files:
        _decrypt_checked(path, opened.key, context, entry, None)
    return len(files)


# --- restoring --------------------------------------------------------------------------


def _refuse_non_empty_target(vendor: str, store: BlobStore) -> None:
    if database.vendor() != vendor:
        raise TargetNotEmpty(
            _("The backup holds a %(backup)s database; this instance is configured for %(target)s.")
            % {"backup": vendor, "target": database.vendor()}
        )
    problems = []
    if not database.is_empty():
        problems.append(_("the database has tables"))
    if next(iter(store.iter_all()), None) is not None:
        problems.append(_("the file store holds files"))
    problems += [_("the key %(path)s exists") % {"path": path} for path in keyfiles.occupied()]
    if problems:
        raise TargetNotEmpty(
            _("Restore refused: the target instance is not empty (%(problems)s).")
            % {"problems": "; ".join(str(p) for p in problems)}
        )


class _DigestingWriter:
    """Writes the decrypted bytes to a file while SHA-256 and SM3 are computed."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.digester = Digester()

    def write(self, chunk: bytes) -> int:
        self.digester.update(chunk)
        return self.out.write(chunk)


def restore(source: Path, secret: Secret, *, store: BlobStore | None = None) -> RestoreReport:
    """Rebuild this (empty) instance from a set: the database, the keys, the blobs.

    Every file is authenticated and compared with the manifest before it is put in
    place. A damaged blob stops the restore part-way: the target then has to be emptied
    before trying another set.
    """
    store = store or get_store()
    opened = open_set(source, secret)
    manifest = opened.manifest
    vendor = manifest["database"]["vendor"]
    _refuse_non_empty_target(vendor, store)
    report = RestoreReport(opened.set_dir.name, manifest["began_at"], vendor)
    restored_keys = []
    with _scratch() as scratch:
        dump = Path(scratch) / "database"
        with open(dump, "wb") as out:
            entry = manifest["database"]
            _decrypt_checked(opened.set_dir / entry["file"], opened.key, "database", entry, out)
            out.flush()
            os.fsync(out.fileno())
        for entry in manifest["keys"]:
            path = Path(scratch) / entry["file"]
            with open(path, "wb") as out:
                _decrypt_checked(
                    opened.set_dir / entry["file"], opened.key, f"key:{entry['role']}", entry, out
                )
            restored_keys.append((entry["role"], path.read_bytes()))
        try:
            database.load(dump)
        except database.DatabaseError as exc:
            raise BackupError(str(exc)) from None
        report.bytes_written += manifest["database"]["size"]
    for role, data in keyfiles.to_restore(restored_keys):
        keyfiles.write_key(role, data)
        report.keys += 1
    for entry in manifest["blobs"]:
        _restore_blob(opened, entry, store)
        report.blobs += 1
        report.bytes_written += entry["size"]
    return report


def _restore_blob(opened: OpenedSet, entry: dict[str, Any], store: BlobStore) -> None:
    sha256 = entry["sha256"]
    staging = store.staging_dir()
    if staging is not None:
        make_dirs(staging)
    fd, temp_name = tempfile.mkstemp(dir=staging or settings.DATA_DIR, prefix="restore-")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            writer = _DigestingWriter(out)
            try:
                _decrypt_checked(
                    _pool_path(opened.root, sha256),
                    opened.key,
                    f"blob:{sha256}",
                    entry,
                    writer,  # type: ignore[arg-type]
                )
            except BaseException:
                writer.digester.cancel()
                raise
            info: BlobInfo = writer.digester.finish()
        if staging is not None:
            store.adopt(temp, info)
        else:
            with open(temp, "rb") as handle:
                store.put(handle, expected_sha256=sha256)
    finally:
        temp.unlink(missing_ok=True)
