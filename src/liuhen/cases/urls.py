from __future__ import annotations

from django.urls import path

from liuhen.cases import views

app_name = "cases"
urlpatterns = [path("", views.case_list, name="list")]
