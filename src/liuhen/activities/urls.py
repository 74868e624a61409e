from __future__ import annotations

from django.urls import path

from liuhen.activities import views

app_name = "activities"
urlpatterns = [
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/exemption/", views.exemption_request, name="exemption_request"),
    path("<int:pk>/exemption/decide/", views.exemption_decide, name="exemption_decide"),
]
