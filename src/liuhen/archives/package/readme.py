"""The package's ``README.txt``: what the package is and how to check it, in plain words
for whoever receives it (the archive, a court, an inspector)."""

from __future__ import annotations

from typing import Any

TEMPLATE = """\
行政执法案件电子档案包 / Archive package of an administrative enforcement case
==========================================================================

案件编号 Case number : {number}
案件名称 Case title  : {title}
立档单位 Unit        : {unit}
归档时间 Archived at : {archived_at}
密级 Confidentiality : {confidentiality}
包标识 Object id     : {object_id}
条目 Items           : {items}（文书 {documents}，音像记录 {av}，案卷 {casefile}）

这是什么
--------
本文件夹是一个 OCFL 1.1 对象（https://ocfl.io/1.1/spec/）。全部内容在 v1/content/ 下：
  package.json        包清单：每个条目、每个文件及其 SHA-512、SHA-256、SM3 摘要
  casefile/           案卷（装订成册的PDF、卷内目录），如有
  documents/          每份法律文书一个文件夹：签发件（加盖电子印章）、签名件、扫描件
  av/                 每条执法音像记录一个文件夹：原始文件
  */metadata.xml      每个条目的元数据：文书按 DA/T 46，音像按 DA/T 63 的元素名称
  audit/events.jsonl  本案的审计日志事件（全程留痕）
  audit/proofs.json   每个事件在签名树头中的默克尔包含证明（RFC 9162）
  audit/tree-head.json 签名树头（Ed25519）
  audit/public-key.pem 签名公钥
根目录的 inventory.json 记录每个文件的 SHA-512，固定性（fixity）块另有 SHA-256 与 SM3。

怎样检验（不需要本系统）
----------------------
只需 Python 3.11 及 cryptography 包，以及本系统公开的检验程序：

    python -m liuhen.verify_package --key-id <局的审计公钥标识> 本文件夹

检验程序输出“四性检测”报告（DA/T 70）：
  真实性  包清单的摘要已写入审计日志，该事件有包含证明，树头由局的密钥签名；
          元数据与文件一致；加盖印章的PDF含有覆盖全文件的签名。
  完整性  每个文件都在，摘要与清单一致，没有多余文件；OCFL 清单本身完好。
  可用性  文件格式可识别（PDF、图像、音视频），元数据和清单可读。
  安全性  没有链接、设备文件或越出本文件夹的路径。
任一项不通过，程序以状态 1 退出，并指出有问题的文件。

局的审计公钥标识应另行取得（如盖章的纸质件），不可只相信本包中的公钥。

This folder is an OCFL 1.1 object. Check it without the system:
    python -m liuhen.verify_package --key-id <bureau audit key id> THIS_FOLDER
The report covers authenticity, integrity, usability and security (DA/T 70);
exit status 0 means every check passed.
"""


def readme_text(context: dict[str, Any]) -> str:
    return TEMPLATE.format(**context)
