"""The page of a case's officers and parties (R4.1, R18.3): the head of the case's unit
assigns and releases officers and adds and removes parties, each with its reason."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from liuhen.cases.actions.assignment import assign_officer, release_officer, remove_party
from liuhen.cases.actions.registration import link_party
from liuhen.cases.forms.assignment import (
    AddPartyForm,
    AssignOfficerForm,
    ReleaseOfficerForm,
    RemovePartyForm,
)
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.perms import CasePerms
from liuhen.cases.views.screen import calling, case_for, panel, screen


@login_required
@require_http_methods(["GET", "POST"])
def assignment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = case_for(request, pk, CasePerms.ASSIGN)
    mine = {"user": user, "case": case}
    panels = [
        panel(
            request,
            "assign",
            AssignOfficerForm,
            calling(
                assign_officer,
                user,
                case,
                request=request,
                done=gettext("The officer has been assigned to the case."),
            ),
            title=gettext("Assign an officer"),
            button=gettext("Assign"),
            **mine,
        ),
        panel(
            request,
            "release",
            ReleaseOfficerForm,
            calling(
                release_officer,
                user,
                case,
                request=request,
                done=gettext("The officer has been released from the case."),
            ),
            title=gettext("Release an officer"),
            button=gettext("Release"),
            **mine,
        ),
        panel(
            request,
            "add_party",
            AddPartyForm,
            calling(
                link_party,
                user,
                case,
                request=request,
                done=gettext("The subject has been added to the case."),
            ),
            title=gettext("Add a party"),
            button=gettext("Add"),
            **mine,
        ),
        panel(
            request,
            "remove_party",
            RemovePartyForm,
            calling(
                remove_party,
                user,
                case,
                request=request,
                done=gettext("The subject has been removed from the case."),
            ),
            title=gettext("Remove a party"),
            button=gettext("Remove from the case"),
            **mine,
        ),
    ]
    return screen(
        request,
        title=gettext("Officers and parties"),
        panels=panels,
        case=case,
        info=[
            (
                gettext("Officers"),
                "、".join(o.display_name for o in case.officers.order_by("full_name")) or "—",
            ),
            (
                gettext("Parties"),
                "、".join(
                    f"{link.subject.name}（{link.get_role_display()}）"
                    for link in case.parties.select_related("subject")
                )
                or "—",
            ),
        ],
        done_url=lambda: reverse("cases:detail", args=[case.pk]) + "#section-officers",
    )
