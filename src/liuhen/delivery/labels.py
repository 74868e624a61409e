"""How service records read in the audit trail of a case (R1.1): the document served, its
文号 and the mode."""

from __future__ import annotations

from liuhen.delivery.models import ServiceRecord


def service_labels(ids: list[str]) -> dict[str, str]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    records = ServiceRecord.objects.filter(pk__in=wanted).select_related("issued")
    return {
        str(r.pk): f"{r.issued.title} {r.issued.number} · {r.get_mode_display()}".replace("  ", " ")
        for r in records
    }


LABELS = {"delivery.servicerecord": service_labels}
