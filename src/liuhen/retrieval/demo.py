"""The demo's 调阅申请 (R21.1): an officer of the livestock unit, refused a case of the
crop unit, asks to read it; the request waits for the crop unit's head in 我的待办.
Filed through the action, as that officer. Idempotent."""

from __future__ import annotations

from liuhen.accounts.models import User
from liuhen.retrieval.actions import requests
from liuhen.retrieval.models import RetrievalRequest, TargetKind

# Who asks, for which case (of another unit), and why.
REQUESTER = "liuyang"
CASE_NUMBER = "洼农（农药）立〔2026〕1号"
REASON = "本科室查办的兽药案件涉及同一农资店，需调阅该案询问笔录比对经营记录。"


def seed_retrieval_request() -> bool:
    """File the demo's pending request unless it exists (or its people or case do not);
    whether it was filed now."""
    officer = User.objects.filter(username=REQUESTER).first()
    if officer is None:
        return False
    if RetrievalRequest.objects.filter(
        requested_by=officer, case__number=CASE_NUMBER, target_kind=TargetKind.CASE
    ).exists():
        return False
    requests.file_request(officer, kind=TargetKind.CASE, case_number=CASE_NUMBER, reason=REASON)
    return True
