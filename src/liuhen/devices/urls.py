"""The device pages (/devices/): the device register, a device and its ledger forms."""

from __future__ import annotations

from django.urls import path

from liuhen.devices import views

app_name = "devices"
urlpatterns = [
    path("", views.device_list, name="list"),
    path("register/export.<str:fmt>", views.device_export, name="export"),
    path("new/", views.device_create, name="create"),
    path("<int:pk>/", views.device_detail, name="detail"),
    path("<int:pk>/edit/", views.device_edit, name="edit"),
    path("<int:pk>/checkout/", views.device_checkout, name="checkout"),
    path("<int:pk>/return/", views.device_return, name="return"),
    path("<int:pk>/maintenance/", views.device_maintenance, name="maintenance"),
]
