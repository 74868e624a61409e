from __future__ import annotations

from django.urls import path

from liuhen.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/print/", views.register_print, name="register_print"),
    path("register/export.<str:fmt>", views.register_export, name="register_export"),
    path("numbering/", views.number_pattern, name="number_pattern"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/timeline/", views.case_timeline, name="timeline"),
]
