"""The AV record pages (/media/): the register, uploads, a record and its files, its
links, disposal and the integrity findings. The record URLs answer only GET and HEAD,
except the links panel's forms (R14.1: a record is write-once)."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.media.views import disposal, integrity, links, records, register, uploads

app_name = "media"

urlpatterns: list[URLPattern] = [
    # The AV register 音像记录台账 (R16.1, R4.3).
    path("", register.register_list, name="register"),
    path("register/print/", register.register_print, name="register_print"),
    path("register/export.<str:fmt>", register.register_export, name="register_export"),
    # Uploads (R15.1) and third-party material (R17.1).
    path("upload/", uploads.upload, name="upload"),
    path("third-party/", uploads.third_party, name="third_party"),
    # A record, its player's file, download and preview (R21.1).
    path("<int:pk>/", records.record_page, name="record"),
    path("<int:pk>/play", records.play, name="play"),
    path("<int:pk>/download", records.download, name="download"),
    path("<int:pk>/thumbnail", records.thumbnail, name="thumbnail"),
    # Links, labels and the important mark (R16.1), from the record page's links panel.
    path("<int:pk>/links/confirm/", links.confirm_suggestion, name="link_confirm"),
    path("<int:pk>/links/", links.add_link, name="link_add"),
    path("<int:pk>/links/<int:link_id>/withdraw/", links.withdraw_link, name="link_withdraw"),
    path("<int:pk>/label/", links.label, name="label"),
    path("<int:pk>/mark/", links.mark, name="mark"),
    # Disposal after retention (R18.4).
    path("disposal/", disposal.candidates, name="disposal"),
    path("disposal/requests/", disposal.request_list, name="disposal_requests"),
    path("disposal/requests/<int:pk>/", disposal.request_detail, name="disposal_request"),
    # Fixity findings (R16.1, R23.1).
    path("integrity/", integrity.findings, name="integrity"),
]
