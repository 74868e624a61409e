"""Writing a case's items into an OCFL object: each item's files and metadata, the
``README.txt`` and the package manifest ``package.json`` whose digest the audit log keeps."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from django.utils import timezone, translation

from liuhen.archives.package import layout
from liuhen.archives.package.items import PackageItem
from liuhen.archives.package.metadata import FileEntity, metadata_xml
from liuhen.archives.package.ocfl import ObjectWriter
from liuhen.archives.package.readme import readme_text
from liuhen.cases.models import Case


def _write_item(writer: ObjectWriter, item: PackageItem) -> dict[str, Any]:
    entities: list[FileEntity] = []
    paths: list[str] = []
    for source in item.files:
        logical = f"{item.folder}/{source.name}"
        with source.open() as stream:
            digests = writer.add_stream(logical, stream, source.expected_sha256, source.known_sm3)
        entities.append(
            FileEntity(
                name=source.name,
                size=digests.size,
                format_name=source.format_name,
                sha256=digests.sha256,
                sm3=digests.sm3,
                role=source.role,
                sealed=source.sealed,
            )
        )
        paths.append(logical)
    metadata = f"{item.folder}/{layout.METADATA}"
    writer.add_bytes(metadata, metadata_xml(item.scheme, item.description, entities))
    return {
        "folder": item.folder,
        "kind": item.kind,
        "title": item.title,
        "scheme": item.scheme,
        "metadata": metadata,
        "files": paths,
        "sealed": [path for path, entity in zip(paths, entities, strict=True) if entity.sealed],
    }


def case_summary(case: Case) -> dict[str, Any]:
    with translation.override("zh-hans"):
        confidentiality_label = str(case.get_confidentiality_display())
    archived = timezone.localtime(case.archived_at) if case.archived_at else None
    return {
        "number": case.number,
        "title": case.title,
        "unit": case.unit.name,
        "archived_at": archived.isoformat(timespec="seconds") if archived else "",
        "confidentiality": case.confidentiality,
        "confidentiality_label": confidentiality_label,
    }


def write_content(writer: ObjectWriter, case: Case, items: list[PackageItem]) -> bytes:
    """Write every item, the README and the manifest; return the manifest's bytes."""
    entries = [_write_item(writer, item) for item in items]
    summary = case_summary(case)
    kinds = Counter(item.kind for item in items)
    readme = readme_text(
        {
            "number": summary["number"],
            "title": summary["title"],
            "unit": summary["unit"],
            "archived_at": summary["archived_at"],
            "confidentiality": summary["confidentiality_label"],
            "object_id": writer.object_id,
            "items": len(items),
            "documents": kinds["document"],
            "av": kinds["av"],
            "casefile": kinds["casefile"],
        }
    )
    writer.add_bytes(layout.README, readme.encode())
    manifest = {
        "format": layout.FORMAT,
        "version": layout.FORMAT_VERSION,
        "object_id": writer.object_id,
        "case": summary,
        "items": entries,
        "files": {path: digests.as_dict() for path, digests in sorted(writer.files.items())},
        "audit": {
            "events": layout.AUDIT_EVENTS,
            "proofs": layout.AUDIT_PROOFS,
            "tree_head": layout.AUDIT_TREE_HEAD,
            "public_key": layout.AUDIT_PUBLIC_KEY,
        },
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    writer.add_bytes(layout.MANIFEST, data)
    return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
