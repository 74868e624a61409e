"""Input parsing of the archivist's pages (validation proper is the actions')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.archives.actions.case_file import NOTE_MAX, REMARKS_MAX
from liuhen.archives.models import Retention


class RemarksForm(forms.Form):
    remarks = forms.CharField(
        label=_("Remarks"),
        max_length=REMARKS_MAX,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Archivist's note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class ArchiveForm(forms.Form):
    retention = forms.ChoiceField(
        label=_("Retention period"),
        choices=Retention.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
