"""An officer's own signature image (R9.1), on a page of the officer's own account: drawn
on the pad once, then put on the officer's lines with the password re-entered. Each new
enrolment supersedes the earlier, which is kept."""

from __future__ import annotations

import base64

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.core import access, panels
from liuhen.documents.actions import officer_signing
from liuhen.documents.files import read_blob
from liuhen.documents.forms import EnrolSignatureForm
from liuhen.documents.issuing.signatures import current_enrolment
from liuhen.documents.models import SignatureEnrolment
from liuhen.documents.perms import SignaturePerms
from liuhen.documents.views.helpers import acting_user
from liuhen.documents.views.signing import decode_signature


def _data_url(enrolment: SignatureEnrolment) -> str:
    encoded = base64.b64encode(read_blob(enrolment.image_id)).decode("ascii")
    return f"data:image/png;base64,{encoded}"


@login_required
def my_signature(request: HttpRequest) -> HttpResponse:
    """The officer's enrolled signature: the current one, and the pad to enrol a new one."""
    user = acting_user(request)
    access.require(user, SignaturePerms.ENROL, request=request)
    form = EnrolSignatureForm(request.POST or None)

    def enrol(data: dict[str, str]) -> SignatureEnrolment:
        return officer_signing.enrol_signature(
            user, image_png=decode_signature(data["signature"]), request=request
        )

    done = _("Your signature was enrolled.")
    if panels.submit(request, form, enrol, done, {"image": "signature"}) is not None:
        return redirect("documents:my_signature")
    current = current_enrolment(user)
    context = {
        "form": form,
        "current": current,
        # The officer's own image, shown inline: nothing else may fetch it by address.
        "image_url": _data_url(current) if current is not None else "",
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "documents/my_signature.html", context, status=status)
