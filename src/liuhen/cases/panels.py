"""The case workflow pages' building blocks: a page of one or more forms ("panels"), each
running one action; a refusal is shown in place (422), a success redirects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

if TYPE_CHECKING:
    from liuhen.cases.models import Case


@dataclass
class Panel:
    """One form on a workflow page; ``run`` calls the action and returns the success text."""

    key: str
    title: str
    button: str
    form: forms.Form
    run: Callable[[dict[str, Any]], str]


def screen(
    request: HttpRequest,
    *,
    title: str,
    panels: list[Panel],
    case: Case | None = None,
    info: list[tuple[str, str]] | None = None,
    done_url: Callable[[], str] | None = None,
    links: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """Render ``panels``; on POST run the one named by ``do`` and show its refusal in place."""
    status = 200
    if request.method == "POST":
        chosen = next(
            (p for p in panels if p.key == request.POST.get("do", panels[0].key)), panels[0]
        )
        if chosen.form.is_valid():
            try:
                text = chosen.run(chosen.form.cleaned_data)
            except ValidationError as exc:
                chosen.form.add_error(None, exc)
            else:
                messages.success(request, text)
                if done_url is not None:
                    return redirect(done_url())
                assert case is not None
                return redirect(reverse("cases:detail", args=[case.pk]) + "#section-workflow")
        status = 422
    return render(
        request,
        "cases/workflow_form.html",
        {
            "case": case,
            "title": title,
            "panels": panels,
            "info": info or [],
            "links": links or [],
        },
        status=status,
    )


def bound(request: HttpRequest, key: str, form_class: Any, **kwargs: Any) -> Any:
    """``form_class`` bound to the POST when the POST is for the panel ``key``."""
    mine = request.method == "POST" and request.POST.get("do", key) == key
    return form_class(request.POST if mine else None, **kwargs)
