"""The text-record pages (namespace "documents", mounted at /documents/): drafting, preview,
approval and issue; issued documents (GET and HEAD only: write-once) and their files; paper
scans; the signing screen and an officer's own enrolled signature; the seal certificate
and the bureau's forms."""

from __future__ import annotations

from django.urls import URLPattern, path

from liuhen.documents.views import bureau_forms, drafts, enrolment, issued, scans, seal, signing

app_name = "documents"

urlpatterns: list[URLPattern] = [
    path("new/<int:case_id>/", drafts.new_document, name="new"),
    path("scan/<int:case_id>/", scans.scan, name="scan"),
    path("<int:pk>/", drafts.draft, name="draft"),
    path("<int:pk>/preview.pdf", drafts.preview, name="preview"),
    path("issued/<int:pk>/", issued.issued, name="issued"),
    path("issued/<int:pk>/file/<str:purpose>/", issued.issued_file, name="issued_file"),
    path("issued/<int:pk>/sign/", signing.sign, name="sign"),
    path("issued/<int:pk>/sign/read/", signing.read, name="sign_read"),
    path("issued/<int:pk>/refuse/", signing.refuse, name="refuse"),
    path("issued/<int:pk>/finalise/", signing.finalise, name="finalise"),
    path("issued/<int:pk>/officer-sign/", signing.officer_sign, name="officer_sign"),
    path("my-signature/", enrolment.my_signature, name="my_signature"),
    path("seal/", seal.seal_page, name="seal"),
    path("forms/", bureau_forms.forms_page, name="forms"),
    path("forms/new/", bureau_forms.form_create_page, name="form_create"),
    path("forms/<int:pk>/", bureau_forms.form_edit_page, name="form_edit"),
    path("forms/standard/<slug:code>/", bureau_forms.form_view_page, name="form_view"),
]
