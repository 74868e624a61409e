"""The versions of an issued document (drafting rules): before service a wrong document is
remade — a new version with the same 文号 replaces it; after service it is corrected in
writing (补正), a new document that names it."""

from __future__ import annotations

from liuhen.documents.models import IssuedDocument

MAX_VERSIONS = 100  # a remake chain longer than this is not a real document's history


def is_served(issued: IssuedDocument) -> bool:
    """Has the document gone out to the party (a ServiceRecord with a service date — for a
    public notice the date it takes effect, which may still lie ahead)? Then it is no
    longer remade but corrected in writing (drafting rules)."""
    return issued.services.filter(served_on__isnull=False).exists()


def is_replaced(issued: IssuedDocument) -> bool:
    """A new version replaced it (before service)."""
    return issued.superseded_by.exists()


def versions(issued: IssuedDocument) -> list[IssuedDocument]:
    """Every version of the document, first to last (remakes before service)."""
    first = issued
    for _step in range(MAX_VERSIONS):
        if first.supersedes_id is None:
            break
        first = IssuedDocument.objects.get(pk=first.supersedes_id)
    chain = [first]
    for _step in range(MAX_VERSIONS):
        newer = IssuedDocument.objects.filter(supersedes=chain[-1]).order_by("issued_at").first()
        if newer is None:
            break
        chain.append(newer)
    return chain


def correction_values(original: IssuedDocument) -> dict[str, str]:
    """What a written correction 补正 prints of the document it corrects."""
    return {"original_number": original.number, "original_title": original.title}
