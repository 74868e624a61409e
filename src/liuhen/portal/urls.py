"""Public pages without login: verification (/verify/), payment (/pay/) and the party's
case query (/query/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.portal import views

app_name = "portal"

urlpatterns: list[URLPattern] = [
    path("verify/<str:code>/", views.verify, name="verify"),
    # Before the notice page: "callback" is not a notice number.
    path("pay/callback/", views.callback, name="pay_callback"),
    path("pay/<str:number>/", views.pay_page, name="pay"),
    path("query/", views.case_query, name="case_query"),
    path("query/case/", views.case_query_answer, name="case_query_answer"),
    path("query/document/", views.case_query_document, name="case_query_document"),
]
