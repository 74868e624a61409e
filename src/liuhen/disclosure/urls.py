"""The publishers' pages, under /publications/."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.disclosure import views

app_name = "disclosure"
urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_pk>/", views.preview, name="preview"),
    path("<int:pk>/", views.publication, name="publication"),
    path("annual/", views.annual, name="annual"),
    path("annual/publish/", views.publish_annual, name="publish_annual"),
    path("texts/", views.texts, name="texts"),
]
