from __future__ import annotations

from django.urls import path

from liuhen.subjects import views
from liuhen.subjects.licences import views as licence_views

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("new/", views.subject_create, name="create"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    path("<int:pk>/edit/", views.subject_edit, name="edit"),
    path("<int:pk>/identifier/", views.reveal_identifier, name="reveal"),
    path("<int:pk>/merge/", views.subject_merge, name="merge"),
    path("<int:pk>/licences/", licence_views.add_licence, name="add_licence"),
    path("<int:pk>/licences/fetch/", licence_views.fetch_licences, name="fetch_licences"),
]
