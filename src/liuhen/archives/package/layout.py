"""Names inside an archive package, shared by the writer and ``liuhen.verify_package``.

Standard library only: the outside checker imports this module without Django.
"""

from __future__ import annotations

import re

FORMAT = "liuhen-archive-package"
FORMAT_VERSION = 1
OCFL_VERSION = "1.1"
NAMASTE = "0=ocfl_object_1.1"
NAMASTE_TEXT = "ocfl_object_1.1\n"
OCFL_SPEC = "https://ocfl.io/1.1/spec/#inventory"
INVENTORY = "inventory.json"
SIDECAR = "inventory.json.sha512"
VERSION = "v1"
CONTENT = f"{VERSION}/content"

# Logical paths (inside the version's content).
README = "README.txt"
MANIFEST = "package.json"
METADATA = "metadata.xml"
AUDIT_EVENTS = "audit/events.jsonl"
AUDIT_PROOFS = "audit/proofs.json"
AUDIT_TREE_HEAD = "audit/tree-head.json"
AUDIT_PUBLIC_KEY = "audit/public-key.pem"
AUDIT_FILES = (AUDIT_EVENTS, AUDIT_PROOFS, AUDIT_TREE_HEAD, AUDIT_PUBLIC_KEY)

# The metadata schemes the item files follow, by kind of item.
DOCUMENT_SCHEME = "DA/T 46-2009"
AV_SCHEME = "DA/T 63-2017"

_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


def safe_name(name: str, fallback: str = "file") -> str:
    """A file or folder name valid on any common file system (CJK kept)."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned[:120] or fallback


def av_folder(record_id: int) -> str:
    """The folder of an AV record in the package: by record, so the case file's catalogue
    names its location before the package exists."""
    return f"av/{record_id}"


def av_file_name(original_name: str, record_id: int) -> str:
    return safe_name(original_name, f"av-{record_id}")


def object_id(case_number: str) -> str:
    return f"urn:liuhen:case:{case_number}"
