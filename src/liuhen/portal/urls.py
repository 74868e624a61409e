"""Public pages without login: verification (/verify/), payment (/pay/), the party's
case query (/query/) and 执法公示 (/disclosure/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.portal import disclosure, views

app_name = "portal"

urlpatterns: list[URLPattern] = [
    path("verify/<str:code>/", views.verify, name="verify"),
    # Before the notice page: "callback" is not a notice number.
    path("pay/callback/", views.callback, name="pay_callback"),
    path("pay/<str:number>/", views.pay_page, name="pay"),
    path("query/", views.case_query, name="case_query"),
    path("query/case/", views.case_query_answer, name="case_query_answer"),
    path("query/document/", views.case_query_document, name="case_query_document"),
    path("disclosure/", disclosure.index, name="disclosure"),
    path("disclosure/decisions/", disclosure.decisions, name="disclosure_decisions"),
    path("disclosure/decisions/<int:pk>/", disclosure.publication, name="disclosure_publication"),
    path("disclosure/units/", disclosure.units, name="disclosure_units"),
    path("disclosure/bases/", disclosure.bases, name="disclosure_bases"),
    path("disclosure/procedures/", disclosure.procedures, name="disclosure_procedures"),
    path("disclosure/channels/", disclosure.channels, name="disclosure_channels"),
    path("disclosure/annual/", disclosure.annual, name="disclosure_annual"),
    path("disclosure/annual/<int:year>/", disclosure.annual_year, name="disclosure_annual_year"),
    path("disclosure/feed.json", disclosure.feed_json, name="disclosure_feed_json"),
    path("disclosure/feed.csv", disclosure.feed_csv, name="disclosure_feed_csv"),
    path("disclosure/feed.atom", disclosure.feed_atom, name="disclosure_feed_atom"),
]
