"""Who may read and record service 送达 (R10) and payment (R11.1) of a case's documents:
the case's readers read, whoever works the case records. Registered by
``DeliveryConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.policy import case_roles_only
from liuhen.cases.policy import by_case, reads_case_of, works_case_of
from liuhen.delivery.perms import PaymentDeferralPerms, PaymentPerms, ServicePerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _service_list(user: User, obj: Any) -> bool:
    return case_roles_only(user)


RULES = {
    ServicePerms.VIEW: reads_case_of,
    ServicePerms.LIST: _service_list,
    ServicePerms.RECORD: works_case_of,
    PaymentPerms.VIEW: reads_case_of,
    PaymentPerms.PROCEEDING: works_case_of,
    PaymentPerms.DEFERRAL: works_case_of,
    PaymentDeferralPerms.REQUEST: works_case_of,
}

SCOPES = {
    "delivery.servicerecord": by_case,
    # A decision is seen by whoever reads its case; the payment page fetches it by its id.
    "cases.decision": by_case,
}
