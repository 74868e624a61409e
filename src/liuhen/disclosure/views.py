"""The publishers' pages (R12.1): decisions awaiting publication with their due dates,
the masked preview a decision is published from, a publication with its withdrawal or
correction, and the annual data. The public pages are the portal's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case
from liuhen.core import access, buttons, panels
from liuhen.core.navigation import belongs_to
from liuhen.disclosure import public
from liuhen.disclosure.actions import annual as annual_actions
from liuhen.disclosure.actions import publishing
from liuhen.disclosure.actions import texts as texts_actions
from liuhen.disclosure.clocks import annual_clock
from liuhen.disclosure.drafts import decision_of, publication_due
from liuhen.disclosure.forms import AnnualForm, ChangeForm, CorrectionForm, TextsForm
from liuhen.disclosure.models import Publication, PublicationKind
from liuhen.disclosure.perms import DisclosurePerms

WAITING_MAX = 100


@login_required
@belongs_to("disclosure")
def queue(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, DisclosurePerms.QUEUE, request=request)
    waiting = access.visible(
        request.user,
        Case.objects.filter(decision__isnull=False)
        .exclude(decision__publications__kind=PublicationKind.DECISION)
        .select_related("decision")
        .order_by("decision__decided_at", "id"),
    )[:WAITING_MAX]
    rows = [(case, publication_due(case.decision)) for case in waiting]
    recent = access.visible(request.user, Publication.objects.order_by("-id"))[:50]
    return render(
        request,
        "disclosure/queue.html",
        {"rows": rows, "recent": recent, "today": timezone.localdate()},
    )


@login_required
@belongs_to("disclosure")
@require_http_methods(["GET", "HEAD", "POST"])
def preview(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = access.get_visible_or_404(
        request.user, Case, action=DisclosurePerms.PUBLISH, request=request, pk=case_pk
    )
    decision = decision_of(case)
    if decision is None:
        return render(request, "disclosure/no_decision.html", {"case": case}, status=404)
    if request.method == "POST":
        done = buttons.press(
            request,
            lambda: publishing.publish_decision(request.user, decision, request=request),
            _("The decision is published."),
        )
        if done is not None:
            return redirect("disclosure:publication", pk=done.pk)
        return redirect("disclosure:preview", case_pk=case.pk)
    draft = publishing.preview(request.user, decision, request=request)
    published = access.visible(
        request.user, Publication.objects.filter(decision=decision).order_by("id")
    )
    return render(
        request,
        "disclosure/preview.html",
        {"case": case, "decision": decision, "draft": draft, "published": published},
    )


@login_required
@belongs_to("disclosure")
@require_http_methods(["GET", "HEAD", "POST"])
def publication(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = access.get_visible_or_404(
        request.user, Publication, action=DisclosurePerms.QUEUE, request=request, pk=pk
    )
    posted = request.POST.get("do", "") if request.method == "POST" else ""
    withdraw_form = ChangeForm(request.POST if posted == "withdraw" else None, prefix="withdraw")
    correct_form = CorrectionForm(request.POST if posted == "correct" else None, prefix="correct")
    done = None
    if posted == "withdraw":
        done = panels.submit(
            request,
            withdraw_form,
            lambda data: publishing.withdraw_publication(
                request.user, row, request=request, **data
            ),
            _("The publication is withdrawn; the notice of withdrawal is public."),
        )
    elif posted == "correct":
        done = panels.submit(
            request,
            correct_form,
            lambda data: publishing.correct_publication(request.user, row, request=request, **data),
            _("The publication is corrected."),
        )
    if done is not None:
        return redirect("disclosure:publication", pk=done.pk)
    return render(
        request,
        "disclosure/publication.html",
        {
            "row": row,
            "live": publishing.live(row),
            "replaced_by": public.replacement(row),
            "withdraw_form": withdraw_form,
            "correct_form": correct_form,
        },
    )


@login_required
@belongs_to("disclosure")
def annual(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, DisclosurePerms.ANNUAL, request=request)
    last_year = timezone.localdate().year - 1
    form = AnnualForm(initial={"year": last_year})
    return render(
        request,
        "disclosure/annual.html",
        {"years": public.annual_years(), "form": form, "clock": annual_clock(last_year)},
    )


@login_required
@require_POST
def publish_annual(request: AuthenticatedRequest) -> HttpResponse:
    form = AnnualForm(request.POST)
    if form.is_valid():
        buttons.press(
            request,
            lambda: annual_actions.publish_annual_data(
                request.user, form.cleaned_data["year"], request=request
            ),
            _("The annual enforcement data is published."),
        )
    return redirect("disclosure:annual")


@login_required
@belongs_to("disclosure")
@require_http_methods(["GET", "HEAD", "POST"])
def texts(request: AuthenticatedRequest) -> HttpResponse:
    """The 事前公示 texts: the latest version in the form, a save makes a new version, and
    every earlier version below (R12.1)."""
    access.require(request.user, DisclosurePerms.TEXTS, request=request)
    current = public.texts()
    form = TextsForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(current, name) for name in texts_actions.FIELDS},
    )
    saved = panels.submit(
        request,
        form,
        lambda data: texts_actions.save_texts(request.user, **data, request=request),
        _("The texts are saved; the public pages show them now."),
    )
    if saved is not None:
        return redirect("disclosure:texts")
    return render(
        request,
        "disclosure/texts.html",
        {"form": form, "versions": public.text_versions()},
        status=400 if form.is_bound else 200,
    )
