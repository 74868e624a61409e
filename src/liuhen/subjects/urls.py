from __future__ import annotations

from django.urls import path

from liuhen.subjects import file_views, views
from liuhen.subjects.licences import views as licence_views

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("new/", views.subject_create, name="create"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    path("<int:pk>/edit/", views.subject_edit, name="edit"),
    path("<int:pk>/identifier/", views.reveal_identifier, name="reveal"),
    path("<int:pk>/merge/", views.subject_merge, name="merge"),
    path("<int:pk>/section/<slug:key>/", file_views.section, name="section"),
    path("<int:pk>/timeline/", file_views.timeline, name="timeline"),
    path("<int:pk>/export.<str:fmt>", file_views.export, name="export"),
    path("<int:pk>/owner/", file_views.owner, name="owner"),
    path("<int:pk>/owner/set/", file_views.set_owner, name="set_owner"),
    path("<int:pk>/licences/", licence_views.add_licence, name="add_licence"),
    path("<int:pk>/licences/fetch/", licence_views.fetch_licences, name="fetch_licences"),
    path("<int:pk>/exchange-lookup/", licence_views.lookup_subject, name="lookup"),
]
