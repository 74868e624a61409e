"""URLs of the AV records: links, labels and the important mark (R16.1), posted from
the links panel of the record page."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.media import links_views as views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/links/confirm/", views.confirm_suggestion, name="link_confirm"),
    path("<int:pk>/links/", views.add_link, name="link_add"),
    path("<int:pk>/links/<int:link_id>/withdraw/", views.withdraw_link, name="link_withdraw"),
    path("<int:pk>/label/", views.label, name="label"),
    path("<int:pk>/mark/", views.mark, name="mark"),
]
