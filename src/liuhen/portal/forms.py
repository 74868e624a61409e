"""The verification page's upload form (R18.2): a PDF of at most 50 MB, checked by its
first bytes."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERIFY_MAX_BYTES = 50 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The PDF you hold (at most 50 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf", "class": "form-control"}
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        upload.seek(0)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head != PDF_MAGIC:
            raise forms.ValidationError(_("Upload the document as a PDF file."))
        return upload


class CaseQueryForm(forms.Form):
    """The party's case query (R19.1): the case number and the query code printed on the
    documents served on the party."""

    number = forms.CharField(
        label=gettext_lazy("Case number"),
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Query code"),
        max_length=40,
        help_text=gettext_lazy("Printed at the foot of the documents served on you."),
        widget=forms.TextInput(
            attrs={"class": "form-control font-monospace", "autocomplete": "off"}
        ),
    )


class CaseDocumentForm(CaseQueryForm):
    """A served document's download from the query's answer (the code asked again)."""

    document = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
