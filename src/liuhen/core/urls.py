from __future__ import annotations

from django.urls import path

from liuhen.core import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("events/<int:seq>/", views.event, name="event"),
    path("status/", views.status, name="status"),
    path("sign/", views.sign, name="sign"),
]
