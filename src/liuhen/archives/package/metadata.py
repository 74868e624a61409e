"""The metadata file of an item (``metadata.xml``), with the element names of DA/T 46
(documents: 文书类电子文件元数据方案) and DA/T 63 (AV: 录音录像类电子档案元数据方案).

An item's description is a nested mapping of element names to text (or to further
mappings); each stored file is a 文件实体 block with its name, size, format and digests,
which ``liuhen.verify_package`` checks against the file beside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Description = Mapping[str, Any]


@dataclass(frozen=True)
class FileEntity:
    """One stored file of an item (文件实体)."""

    name: str
    size: int
    format_name: str
    sha256: str
    sm3: str
    role: str = ""  # 用途: as issued, signed by the party, scan …
    sealed: bool = False


def _fill(parent: ET.Element, values: Description) -> None:
    for name, value in values.items():
        if value is None or value == "":
            continue
        child = ET.SubElement(parent, name)
        if isinstance(value, Mapping):
            _fill(child, value)
        else:
            child.text = str(value)


def _file_entity(parent: ET.Element, number: int, entity: FileEntity) -> None:
    block = ET.SubElement(parent, "文件实体", {"序号": str(number)})
    ET.SubElement(block, "计算机文件名").text = entity.name
    ET.SubElement(block, "计算机文件大小").text = str(entity.size)
    fmt = ET.SubElement(block, "格式信息")
    ET.SubElement(fmt, "格式名称").text = entity.format_name
    if entity.role:
        ET.SubElement(block, "用途").text = entity.role
    ET.SubElement(block, "数字摘要", {"算法": "SHA-256"}).text = entity.sha256
    ET.SubElement(block, "数字摘要", {"算法": "SM3"}).text = entity.sm3
    if entity.sealed:
        # R18.2: the seal is a PDF signature inside the file (PAdES), checked by its reader.
        signature = ET.SubElement(block, "电子签名")
        ET.SubElement(signature, "签名规则").text = "PAdES (ISO 32000-2 12.8)"
        ET.SubElement(signature, "签名结果").text = "内嵌于PDF文件"


def metadata_xml(scheme: str, description: Description, files: list[FileEntity]) -> bytes:
    """The UTF-8 XML of one item: its description, then one 文件实体 per stored file."""
    root = ET.Element("电子文件元数据", {"方案": scheme})
    _fill(root, description)
    for number, entity in enumerate(files, start=1):
        _file_entity(root, number, entity)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
