from __future__ import annotations

from django.urls import path

from liuhen.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("unit/", views.unit, name="unit"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
]
