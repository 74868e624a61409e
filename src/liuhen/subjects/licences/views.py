"""The subject page's licence buttons (R18.3, R20): enter a licence, ask the exchange.

Both answer by going back to the subject page with a message: a refusal, or an exchange
that did not answer, leaves the page as it was and says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liuhen.accounts.acting import acting_user
from liuhen.core import access
from liuhen.subjects.licences import actions, exchange
from liuhen.subjects.licences.forms import LicenceForm
from liuhen.subjects.models import Subject
from liuhen.subjects.perms import SubjectPerms


def _subject(request: HttpRequest, pk: int) -> Subject:
    return access.get_visible_or_404(
        request.user, Subject.objects.all(), action=SubjectPerms.CHANGE, request=request, pk=pk
    )


def _back(subject: Subject) -> HttpResponse:
    return redirect(reverse("subjects:detail", args=[subject.pk]) + "#section-licences")


@login_required
@require_POST
def add_licence(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    form = LicenceForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}：{' '.join(str(e) for e in errs)}"
            for name, errs in form.errors.items()
        ]
        messages.error(request, "；".join(problems))
        return _back(subject)
    try:
        actions.add_licence(acting_user(request), subject, request=request, **form.cleaned_data)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The licence was recorded."))
    return _back(subject)


@login_required
@require_POST
def fetch_licences(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    try:
        result = actions.fetch_licences(acting_user(request), subject, request=request)
    except (ValidationError, exchange.ExchangeUnavailable) as refused:
        text = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
        messages.warning(request, text)
        return _back(subject)
    if result.stored:
        count = len(result.stored)
        messages.success(
            request,
            ngettext(
                "%(count)d licence was fetched from the data exchange and kept.",
                "%(count)d licences were fetched from the data exchange and kept.",
                count,
            )
            % {"count": count},
        )
    elif result.already:
        messages.info(request, _("The data exchange answered nothing new: it is all kept already."))
    else:
        messages.info(request, _("The data exchange holds no licence of this subject."))
    return _back(subject)


@login_required
@require_POST
def lookup_subject(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the exchange who is registered under the subject's code or number; the answer
    is shown beside the subject's own facts, which stay as they are."""
    subject = _subject(request, pk)
    try:
        lookup = actions.lookup_subject(acting_user(request), subject=subject, request=request)
    except (ValidationError, exchange.ExchangeUnavailable) as refused:
        text = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
        messages.warning(request, text)
    else:
        if lookup.found:
            messages.success(request, _("The data exchange answered: its record is shown."))
        else:
            messages.info(request, _("The data exchange has nobody registered under this number."))
    return redirect(reverse("subjects:detail", args=[subject.pk]) + "#exchange-lookup")
