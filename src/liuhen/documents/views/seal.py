"""The bureau's seal certificate (R18.2): the security administrator installs a PKCS#12 and
sees the current and earlier certificates. The page parses the upload; the action decides
and records."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from liuhen.core import access, panels
from liuhen.documents.actions import seal
from liuhen.documents.files import read_blob
from liuhen.documents.forms import SealUploadForm
from liuhen.documents.models import SealCertificate
from liuhen.documents.perms import SealPerms
from liuhen.documents.seal import certificate
from liuhen.documents.views.helpers import acting_user

SEAL_HISTORY = 10  # earlier certificates listed under the current one


def _read(upload: UploadedFile | None, limit: int) -> bytes | None:
    """The upload's bytes; one byte over ``limit`` is enough for the action to refuse it."""
    if upload is None:
        return None
    return bytes(upload.read(limit + 1))


def _image_uri(row: SealCertificate | None) -> str:
    if row is None or not row.image_id:
        return ""
    png = read_blob(row.image_id)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@login_required
def seal_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SealPerms.MANAGE, request=request)
    form = SealUploadForm(request.POST or None, request.FILES or None)

    def install(data: dict[str, Any]) -> SealCertificate:
        return seal.install_seal(
            acting_user(request),
            p12=_read(data["p12"], certificate.P12_MAX_BYTES) or b"",
            passphrase=data["passphrase"],
            image_png=_read(data["image"], certificate.IMAGE_MAX_BYTES),
            ca_pem=_read(data["ca_pem"], certificate.CA_MAX_BYTES),
            name=data["name"],
            request=request,
        )

    done = _("The seal certificate is installed and seals from now on.")
    if panels.submit(request, form, install, done) is not None:
        return redirect("documents:seal")
    current = certificate.active_seal()
    earlier = access.visible(request.user, SealCertificate.objects.select_related("uploaded_by"))
    if current is not None:
        earlier = earlier.exclude(pk=current.pk)
    return render(
        request,
        "documents/seal.html",
        {
            "current": current,
            "image_uri": _image_uri(current),
            "earlier": earlier.order_by("-uploaded_at", "-id")[:SEAL_HISTORY],
            "form": form,
        },
    )
