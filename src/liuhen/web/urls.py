from __future__ import annotations

from django.urls import path

from liuhen.web import health, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/count/", views.task_count, name="task_count"),
    path("healthz", health.healthz, name="healthz"),
]
