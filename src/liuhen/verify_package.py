"""Check an archive package with no Django and no database — the receiving archive's and
the outside inspector's tool (制度第十八条; DA/T 70 四性检测; R18.1, R18.2, R1.1).

    python -m liuhen.verify_package [--public-key FILE | --key-id HEX] DIR

Prints a 四性检测 report: authenticity 真实性, integrity 完整性, usability 可用性 and
security 安全性, each with every problem found, named by the file it concerns. Exit
status: 0 every check passed; 1 a check failed; 2 DIR is no archive package at all (or the
key file is unreadable). Only the standard library, ``cryptography`` and the Django-free
``liuhen.core.chain``, ``liuhen.core.merkle``, ``liuhen.core.logcheck`` and
``liuhen.archives.package.layout`` are imported. The layout and every check are described
in ``docs/archive-package.md``.

The bureau's audit key is pinned with ``--public-key`` / ``--key-id``: the key inside the
package is whatever its writer put there (as for ``liuhen.verify_export``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from liuhen.archives.package import layout
from liuhen.core import merkle
from liuhen.core.chain import event_hashes
from liuhen.core.logcheck import key_id, load_public_key_pem, tree_head_message

PASSED, FAILED, UNUSABLE = 0, 1, 2
AUTHENTICITY, INTEGRITY, USABILITY, SECURITY = "authenticity", "integrity", "usability", "security"
PROPERTIES = {
    AUTHENTICITY: "真实性",
    INTEGRITY: "完整性",
    USABILITY: "可用性",
    SECURITY: "安全性",
}
SEAL_EVENT = "archive_package.seal"
CHUNK = 1024 * 1024
# The files of an OCFL object beside its content.
OCFL_FILES = {
    layout.NAMASTE,
    layout.INVENTORY,
    layout.SIDECAR,
    f"{layout.VERSION}/{layout.INVENTORY}",
    f"{layout.VERSION}/{layout.SIDECAR}",
}
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


class Unusable(Exception):
    pass


def parse_xml(data: bytes) -> ET.Element:
    """A metadata file, refused when it declares a DTD: the package's own have none, and
    without one no entity can expand (the standard library only, no defusedxml)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ET.ParseError("a document type declaration is not allowed")
    return ET.fromstring(data)  # noqa: S314 - no DTD, so no entities: checked above


@dataclass(frozen=True)
class Digests:
    size: int
    sha512: str
    sha256: str
    sm3: str


@dataclass
class Report:
    problems: dict[str, list[str]] = field(default_factory=lambda: {p: [] for p in PROPERTIES})
    checks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROPERTIES, 0))
    notes: list[str] = field(default_factory=list)

    def check(self, prop: str, ok: bool, item: str, message: str) -> bool:
        self.checks[prop] += 1
        if not ok:
            self.problems[prop].append(f"{item}: {message}")
        return ok

    @property
    def ok(self) -> bool:
        return not any(self.problems.values())


class PackageChecker:
    def __init__(self, root: Path, pinned: Ed25519PublicKey | None, pinned_id: str | None):
        self.root = root
        self.pinned = pinned
        self.pinned_id = pinned_id
        self.report = Report()
        self.files: set[str] = set()
        self._digests: dict[str, Digests] = {}
        self.inventory: dict[str, Any] = {}
        self.logical: dict[str, str] = {}  # logical path → content path

    # --- helpers -------------------------------------------------------------------

    def digests(self, path: str) -> Digests:
        if path not in self._digests:
            sha512, sha256, sm3 = hashlib.sha512(), hashlib.sha256(), hashlib.new("sm3")
            size = 0
            with (self.root / path).open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    sha512.update(chunk)
                    sha256.update(chunk)
                    sm3.update(chunk)
                    size += len(chunk)
            self._digests[path] = Digests(
                size, sha512.hexdigest(), sha256.hexdigest(), sm3.hexdigest()
            )
        return self._digests[path]

    def content(self, logical: str) -> str:
        return self.logical.get(logical, f"{layout.CONTENT}/{logical}")

    def read(self, path: str) -> bytes | None:
        return (self.root / path).read_bytes() if path in self.files else None

    # --- the walk: security -----------------------------------------------------

    def walk(self) -> None:
        for folder, dirs, names in os.walk(self.root):
            for name in [*dirs, *names]:
                path = Path(folder) / name
                relative = path.relative_to(self.root).as_posix()
                if path.is_symlink():
                    self.report.check(SECURITY, False, relative, "is a symbolic link")
                elif path.is_file():
                    self.files.add(relative)
                elif not path.is_dir():
                    self.report.check(SECURITY, False, relative, "is not a regular file")
        self.report.check(SECURITY, True, "object", "no links or special files")

    # --- OCFL: integrity --------------------------------------------------------

    def check_ocfl(self) -> bool:
        """The OCFL object's structure and fixity; False when the inventory is unusable."""
        report = self.report
        namaste = self.read(layout.NAMASTE)
        report.check(
            INTEGRITY, namaste == layout.NAMASTE_TEXT.encode(), layout.NAMASTE, "missing or changed"
        )
        data = self.read(layout.INVENTORY)
        if data is None:
            report.check(INTEGRITY, False, layout.INVENTORY, "missing")
            return False
        sidecar = (self.read(layout.SIDECAR) or b"").decode("utf-8", "replace").split()
        report.check(
            INTEGRITY,
            bool(sidecar) and sidecar[0] == hashlib.sha512(data).hexdigest(),
            layout.INVENTORY,
            f"does not match its digest in {layout.SIDECAR}",
        )
        for name in (layout.INVENTORY, layout.SIDECAR):
            copy = f"{layout.VERSION}/{name}"
            root_copy = self.read(name)
            report.check(
                INTEGRITY,
                self.read(copy) == root_copy,
                copy,
                f"differs from the object's {name}",
            )
        try:
            inventory = json.loads(data)
            manifest = inventory["manifest"]
            state = inventory["versions"][layout.VERSION]["state"]
            fixity = inventory.get("fixity", {})
        except (ValueError, KeyError, TypeError):
            report.check(INTEGRITY, False, layout.INVENTORY, "is not a readable OCFL inventory")
            return False
        self.inventory = inventory
        report.check(
            INTEGRITY,
            inventory.get("digestAlgorithm") == "sha512"
            and inventory.get("head") == layout.VERSION,
            layout.INVENTORY,
            "is not an OCFL 1.1 inventory of one version with SHA-512",
        )
        listed: dict[str, str] = {}
        for digest, paths in manifest.items():
            for path in paths:
                listed[path] = digest
        for path, digest in sorted(listed.items()):
            if not self._safe(path):
                continue
            if path not in self.files:
                report.check(INTEGRITY, False, path, "is missing")
                continue
            report.check(
                INTEGRITY,
                self.digests(path).sha512 == digest,
                path,
                "was changed: its SHA-512 differs from the inventory",
            )
        for algorithm in ("sha256", "sm3"):
            for digest, paths in fixity.get(algorithm, {}).items():
                for path in paths:
                    if path in self.files and self._safe(path):
                        actual = getattr(self.digests(path), algorithm)
                        report.check(
                            INTEGRITY,
                            actual == digest,
                            path,
                            f"was changed: its {algorithm.upper()} differs from the fixity block",
                        )
        for path in sorted(self.files - set(listed) - OCFL_FILES):
            report.check(INTEGRITY, False, path, "is not in the inventory")
        for digest, logicals in state.items():
            content_paths = manifest.get(digest) or []
            for logical in logicals:
                if not content_paths:
                    report.check(INTEGRITY, False, logical, "has no content in the manifest")
                    continue
                self.logical[logical] = content_paths[0]
        return True

    def _safe(self, path: str) -> bool:
        ok = not path.startswith("/") and ".." not in path.split("/")
        return self.report.check(SECURITY, ok, path, "points outside the object")

    # --- the package manifest ---------------------------------------------------

    def check_manifest(self) -> dict[str, Any] | None:
        report = self.report
        path = self.content(layout.MANIFEST)
        data = self.read(path)
        if data is None:
            report.check(INTEGRITY, False, path, "is missing")
            return None
        try:
            manifest: dict[str, Any] = json.loads(data)
            files = manifest["files"]
        except (ValueError, KeyError, TypeError):
            report.check(USABILITY, False, path, "is not readable JSON of a package manifest")
            return None
        for logical, expected in sorted(files.items()):
            where = self.content(logical)
            if where not in self.files:
                report.check(INTEGRITY, False, where, f"is listed in {layout.MANIFEST} but missing")
                continue
            actual = self.digests(where)
            for name in ("size", "sha512", "sha256", "sm3"):
                report.check(
                    INTEGRITY,
                    getattr(actual, name) == expected.get(name),
                    where,
                    f"differs from {layout.MANIFEST} ({name})",
                )
        unlisted = {
            logical
            for logical in self.logical
            if logical not in files and logical != layout.MANIFEST
        } - set(layout.AUDIT_FILES)
        for logical in sorted(unlisted):
            report.check(INTEGRITY, False, self.content(logical), f"is not in {layout.MANIFEST}")
        return manifest

    # --- authenticity: the audit log vouches for the manifest -------------------------

    def _public_key(self) -> Ed25519PublicKey | None:
        path = self.content(layout.AUDIT_PUBLIC_KEY)
        pem = self.read(path)
        key = None
        if pem is not None:
            try:
                key = load_public_key_pem(pem)
            except ValueError:
                self.report.check(AUTHENTICITY, False, path, "is not an Ed25519 public key")
        expected = key_id(self.pinned) if self.pinned is not None else self.pinned_id
        if expected is not None:
            self.report.check(
                AUTHENTICITY,
                key is not None and key_id(key) == expected,
                path,
                f"is not the bureau's key {expected}: the tree head was signed by someone else",
            )
        else:
            self.report.notes.append(
                "the tree head was checked against the key inside the package; pin the "
                "bureau's key with --public-key FILE or --key-id HEX"
            )
        return self.pinned or key

    def _tree_head(self, key: Ed25519PublicKey | None) -> dict[str, Any] | None:
        path = self.content(layout.AUDIT_TREE_HEAD)
        try:
            head = json.loads(self.read(path) or b"")
            message = tree_head_message(
                int(head["tree_size"]), int(head["timestamp"]), bytes.fromhex(head["root_hash"])
            )
            signature = bytes.fromhex(head["signature"])
        except (ValueError, KeyError, TypeError):
            self.report.check(AUTHENTICITY, False, path, "is missing or unreadable")
            return None
        try:
            if key is None:
                raise InvalidSignature
            key.verify(signature, message)
            valid = True
        except InvalidSignature:
            valid = False
        self.report.check(AUTHENTICITY, valid, path, "its signature does not verify")
        return head if valid else None

    def _events(self) -> list[dict[str, Any]]:
        path = self.content(layout.AUDIT_EVENTS)
        data = self.read(path)
        if data is None:
            self.report.check(AUTHENTICITY, False, path, "is missing")
            return []
        events = []
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
            try:
                event = json.loads(line)
                sha256, sm3 = event_hashes(event)
            except (ValueError, KeyError, TypeError):
                self.report.check(AUTHENTICITY, False, path, f"line {number} is not an event")
                continue
            ok = sha256 == event.get("hash") and sm3 == event.get("sm3")
            self.report.check(
                AUTHENTICITY, ok, path, f"event {event.get('seq')} was changed (hash or SM3)"
            )
            if ok:
                events.append(event)
        return events

    def _proofs(self, events: list[dict[str, Any]], head: dict[str, Any]) -> None:
        path = self.content(layout.AUDIT_PROOFS)
        try:
            proofs = {int(p["seq"]): p for p in json.loads(self.read(path) or b"")}
        except (ValueError, KeyError, TypeError):
            self.report.check(AUTHENTICITY, False, path, "is missing or unreadable")
            return
        root = bytes.fromhex(head["root_hash"])
        size = int(head["tree_size"])
        for event in events:
            proof = proofs.get(event["seq"])
            ok = proof is not None and merkle.verify_inclusion(
                event["seq"] - 1,
                size,
                bytes.fromhex(event["hash"]),
                [bytes.fromhex(node) for node in proof.get("path", [])],
                root,
            )
            self.report.check(
                AUTHENTICITY,
                ok,
                path,
                f"event {event['seq']} is not proven included in the signed tree head",
            )

    def _seal(self, events: list[dict[str, Any]], manifest: dict[str, Any]) -> None:
        manifest_path = self.content(layout.MANIFEST)
        data = self.read(manifest_path) or b""
        object_id = self.inventory.get("id")
        seals = [
            e
            for e in events
            if e.get("action") == SEAL_EVENT
            and isinstance(e.get("details"), dict)
            and e["details"].get("object_id") == object_id
            and e["details"].get("manifest_sha256") == hashlib.sha256(data).hexdigest()
        ]
        if not self.report.check(
            AUTHENTICITY,
            bool(seals) and manifest.get("object_id") == object_id,
            manifest_path,
            "its digest is not the one the audit log sealed (changed after sealing?)",
        ):
            return
        details = seals[-1]["details"]
        through = int(details.get("case_events_through", 0))
        earlier = [e for e in events if e["seq"] <= through]
        lines = "".join(f"{e['seq']} {e['hash']}\n" for e in earlier)
        self.report.check(
            AUTHENTICITY,
            len(earlier) == details.get("case_events")
            and hashlib.sha256(lines.encode()).hexdigest() == details.get("case_events_sha256"),
            self.content(layout.AUDIT_EVENTS),
            "the case's events differ from those the seal recorded (events removed or added)",
        )

    def check_audit(self, manifest: dict[str, Any] | None) -> None:
        key = self._public_key()
        head = self._tree_head(key)
        events = self._events()
        if head is not None:
            self._proofs(events, head)
        if manifest is not None:
            self._seal(events if head is not None else [], manifest)

    # --- authenticity of items: metadata and seals ------------------------------

    def check_items(self, manifest: dict[str, Any]) -> None:
        for item in manifest.get("items", []):
            folder = item.get("folder", "")
            metadata_path = self.content(item.get("metadata", ""))
            data = self.read(metadata_path)
            if data is None:
                self.report.check(INTEGRITY, False, metadata_path, "is missing")
                continue
            try:
                root = parse_xml(data)
            except ET.ParseError:
                self.report.check(USABILITY, False, metadata_path, "is not readable XML")
                continue
            described = set()
            for entity in root.iter("文件实体"):
                name = entity.findtext("计算机文件名") or ""
                described.add(f"{folder}/{name}")
                self._check_entity(metadata_path, self.content(f"{folder}/{name}"), entity)
            for logical in item.get("files", []):
                self.report.check(
                    AUTHENTICITY,
                    logical in described,
                    metadata_path,
                    f"does not describe {logical}",
                )
            for logical in item.get("sealed", []):
                self._check_seal(self.content(logical))

    def _check_entity(self, metadata_path: str, path: str, entity: ET.Element) -> None:
        if path not in self.files:
            self.report.check(
                INTEGRITY, False, path, f"is described in {metadata_path} but missing"
            )
            return
        actual = self.digests(path)
        digests = {d.get("算法"): d.text for d in entity.findall("数字摘要")}
        ok = (
            entity.findtext("计算机文件大小") == str(actual.size)
            and digests.get("SHA-256") == actual.sha256
            and digests.get("SM3") == actual.sm3
        )
        self.report.check(
            AUTHENTICITY, ok, metadata_path, f"its size or digests of {path} do not match the file"
        )

    def _check_seal(self, path: str) -> None:
        data = self.read(path) or b""
        ranges = _BYTE_RANGE.findall(data)
        ok = False
        if ranges:
            a, b, c, d = (int(x) for x in ranges[-1])
            contents = data[b:c]
            ok = (
                a == 0
                and c + d == len(data)
                and contents.startswith(b"<")
                and contents.endswith(b">")
            )
        self.report.check(
            AUTHENTICITY, ok, path, "carries no seal signature covering the whole file"
        )

    # --- usability ---------------------------------------------------------------

    def _head(self, path: str) -> bytes:
        with (self.root / path).open("rb") as handle:
            return handle.read(16)

    def check_usability(self) -> None:
        for path in sorted(self.files):
            suffix = Path(path).suffix.lower()
            data_head = self._head(path)
            if suffix == ".pdf":
                with (self.root / path).open("rb") as handle:
                    handle.seek(max(self.digests(path).size - 1024, 0))
                    tail = handle.read()
                ok = data_head.startswith(b"%PDF-") and b"%%EOF" in tail
                self.report.check(USABILITY, ok, path, "is not a complete PDF")
            elif suffix == ".png":
                self.report.check(
                    USABILITY, data_head.startswith(b"\x89PNG"), path, "is not a PNG image"
                )
            elif suffix in (".jpg", ".jpeg"):
                self.report.check(
                    USABILITY, data_head.startswith(b"\xff\xd8"), path, "is not a JPEG image"
                )
            elif suffix in (".json", ".txt", ".jsonl", ".pem", ".xml"):
                try:
                    text = (self.root / path).read_text(encoding="utf-8")
                    if suffix == ".json":
                        json.loads(text)
                    elif suffix == ".xml":
                        parse_xml(text.encode())
                    ok = True
                except (UnicodeDecodeError, ValueError, ET.ParseError):
                    ok = False
                self.report.check(USABILITY, ok, path, "is not readable")
            elif path.startswith(layout.CONTENT):
                self.report.check(USABILITY, self.digests(path).size > 0, path, "is empty")

    def run(self) -> Report:
        if (
            not (self.root / layout.INVENTORY).is_file()
            and not (self.root / layout.NAMASTE).is_file()
        ):
            raise Unusable(f"{self.root} is not an OCFL object (no {layout.INVENTORY})")
        self.walk()
        if not self.check_ocfl():
            return self.report
        manifest = self.check_manifest()
        self.check_audit(manifest)
        if manifest is not None:
            self.check_items(manifest)
            case = manifest.get("case", {})
            if case.get("confidentiality", "ordinary") != "ordinary":
                self.report.notes.append(
                    f"confidentiality {case.get('confidentiality_label')}: handle and transfer "
                    "this package under the rules for confidential records"
                )
        self.check_usability()
        return self.report


def render(root: Path, checker: PackageChecker) -> str:
    report = checker.report
    case = {}
    manifest_path = root / checker.content(layout.MANIFEST)
    try:
        case = json.loads(manifest_path.read_text(encoding="utf-8")).get("case", {})
    except (OSError, ValueError, AttributeError):
        case = {}
    lines = [
        "四性检测报告 (DA/T 70) — archive package check",
        f"对象 object: {checker.inventory.get('id', root)}",
        f"案件 case: {case.get('number', '?')} {case.get('title', '')}".rstrip(),
    ]
    for prop, label in PROPERTIES.items():
        problems = report.problems[prop]
        verdict = "通过 PASS" if not problems else "不通过 FAIL"
        lines.append(f"{label} {prop}: {verdict} ({report.checks[prop]} checks)")
        lines.extend(f"  - {problem}" for problem in problems)
    lines.extend(f"note: {note}" for note in report.notes)
    lines.append(f"结论 result: {'通过 PASS' if report.ok else '不通过 FAIL'}")
    return "\n".join(lines)


def _key_id_argument(value: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        raise argparse.ArgumentTypeError("a key id is 64 hexadecimal digits (SHA-256)")
    return value.lower()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liuhen.verify_package",
        description="Check a Liuhen archive package (OCFL object) and print a 四性检测 report.",
    )
    parser.add_argument("dir", type=Path, help="the package folder (one OCFL object)")
    pin = parser.add_mutually_exclusive_group()
    pin.add_argument("--public-key", type=Path, metavar="FILE", help="the bureau's public key")
    pin.add_argument(
        "--key-id", type=_key_id_argument, metavar="HEX", help="the bureau's public key id"
    )
    args = parser.parse_args(argv)
    try:
        pinned = None
        if args.public_key is not None:
            try:
                pinned = load_public_key_pem(args.public_key.read_bytes())
            except ValueError as exc:
                raise Unusable(f"{args.public_key}: not an Ed25519 public key ({exc})") from None
        checker = PackageChecker(args.dir, pinned, args.key_id)
        report = checker.run()
    except (OSError, Unusable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNUSABLE
    print(render(args.dir, checker))
    return PASSED if report.ok else FAILED


if __name__ == "__main__":
    sys.exit(main())
