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


class DestructionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Appraisal opinion (why the files may be destroyed)"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )


class TransferForm(forms.Form):
    receiver = forms.CharField(
        label=_("Receiving archive"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg"}),
    )
    handed_over_on = forms.DateField(
        label=_("Handed over on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-lg"}),
    )
    note = forms.CharField(
        label=_("Remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
