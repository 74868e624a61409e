from __future__ import annotations

from django.urls import path

from liuhen.retrieval import views

app_name = "retrieval"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
]
