"""The service and consent forms (tablet first) and the forms of the payment page. They only
type the input: what a mode requires is decided by ``delivery/service/modes.py`` through the
actions, and the payment actions decide the rest.

The service form carries every mode's fields, named ``<mode>__<field>`` (uploads
``<mode>__file__<kind>``), each mode in its own fieldset: without JavaScript the officer
fills the fieldset of the mode chosen; with it (``delivery/service_form.js``) only that
fieldset shows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.forms import StyledForm
from liuhen.core import access
from liuhen.core.forms import local_minute_field
from liuhen.delivery.models import (
    ElectronicChannel,
    ProceedingKind,
    ServiceConsent,
    ServiceMode,
)
from liuhen.delivery.service import modes
from liuhen.delivery.service import receipts as receipt_steps
from liuhen.delivery.service.modes import MAX_ATTACHMENT_BYTES, Upload
from liuhen.documents.models import IssuedDocument
from liuhen.media.links import current_links
from liuhen.media.models import AvRecord

LG = {"class": "form-control form-control-lg"}
SELECT_LG = {"class": "form-select form-select-lg"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos of a posting)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReceiptChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        day = timezone.localdate(obj.issued_at).isoformat()
        return f"{obj.title} {obj.number} · {day}".replace("  ", " ")


class ConsentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        labels = dict(ElectronicChannel.choices)
        channels = "、".join(str(labels.get(c, c)) for c in obj.channels)
        return f"{obj.party_name} · {channels} · {obj.consented_on.isoformat()}"


class AvChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = timezone.localtime(obj.captured_at or obj.uploaded_at)
        kind = obj.get_kind_display()
        return f"AV-{obj.pk} · {kind} · {when:%Y-%m-%d %H:%M} · {obj.original_name}"


def _detail_field(spec: modes.DetailField) -> forms.Field:
    if spec.widget == "textarea":
        return forms.CharField(
            label=str(spec.label),
            required=False,
            widget=forms.Textarea(attrs={**LG, "rows": 3}),
        )
    if spec.widget == "date":
        return forms.DateField(
            label=str(spec.label),
            required=False,
            widget=forms.DateInput(attrs={**LG, "type": "date"}, format="%Y-%m-%d"),
        )
    if spec.widget == "choice":
        return forms.ChoiceField(
            label=str(spec.label),
            required=False,
            choices=[("", "—"), *spec.choices],
            widget=forms.Select(attrs=SELECT_LG),
        )
    kind = "email" if spec.widget == "email" else "text"
    return forms.CharField(
        label=str(spec.label),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={**LG, "type": kind}),
    )


def av_records_of(user: Any, case: Any) -> QuerySet[AvRecord]:
    """The AV records linked to the case (or its activities) that ``user`` may see."""
    linked = current_links().filter(Q(case=case) | Q(activity__case=case)).values("record_id")
    records = AvRecord.objects.filter(pk__in=linked)
    return access.visible(user, records).order_by("-captured_at", "-id")


def field_name(mode: str, name: str) -> str:
    return f"{mode}__{name}"


def file_field_name(mode: str, kind: str) -> str:
    return f"{mode}__file__{kind}"


class ServiceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode of service"),
        choices=[("", "—"), *ServiceMode.choices],
        required=False,
        widget=forms.Select(attrs={**SELECT_LG, "data-service-mode": ""}),
    )
    recipient = forms.CharField(
        label=_("Recipient"), max_length=200, required=False, widget=forms.TextInput(attrs=LG)
    )
    address = forms.CharField(
        label=_("Address"), max_length=300, required=False, widget=forms.TextInput(attrs=LG)
    )
    served_at = local_minute_field(_("Time of service"), required=False, attrs=LG)
    av_records = AvChoice(
        label=_("AV records of the service"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, issued: IssuedDocument, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issued = issued
        # R10.1, regulation Art. 10(四): an enforcement decision is not offered electronic
        # service. The field still takes the value, so that a post naming it is refused by
        # the action with the reason rather than as an unknown choice.
        self.electronic_barred = modes.electronic_barred(issued)
        if self.electronic_barred:
            self.fields["mode"].widget.choices = [
                ("", "—"),
                *(c for c in ServiceMode.choices if c[0] != ServiceMode.ELECTRONIC),
            ]
        case = issued.case
        self.fields["av_records"].queryset = av_records_of(user, case)  # type: ignore[attr-defined]
        # Exactly the receipts of the document being served; the form says what is
        # missing when there is none yet (``delivery/service/receipts.py``).
        receipts = modes.signed_receipts(issued)
        self.receipt_step = receipt_steps.next_step(issued)
        for mode, rules in modes.MODES.items():
            if mode == ServiceMode.ELECTRONIC:
                self.fields[field_name(mode, "channel")] = forms.ChoiceField(
                    label=_("Channel"),
                    choices=[("", "—"), *ElectronicChannel.choices],
                    required=False,
                    widget=forms.Select(attrs={**SELECT_LG, "data-service-channel": ""}),
                )
                self.fields[field_name(mode, "consent")] = ConsentChoice(
                    label=_("Party's consent to electronic service"),
                    queryset=ServiceConsent.objects.filter(case=case),
                    required=False,
                    empty_label=_("The newest consent covering the channel"),
                    widget=forms.Select(attrs=SELECT_LG),
                )
            if rules.takes_receipt:
                self.fields[field_name(mode, "receipt")] = ReceiptChoice(
                    label=_("Signed service receipt"),
                    queryset=receipts,
                    required=False,
                    widget=forms.Select(attrs=SELECT_LG),
                )
            for spec in rules.fields:
                field = _detail_field(spec)
                if spec.channels:
                    field.widget.attrs["data-channels"] = " ".join(spec.channels)
                self.fields[field_name(mode, spec.name)] = field
            for kind in rules.attachment_kinds:
                self.fields[file_field_name(mode, kind)] = MultipleFileField(
                    label=str(modes.ATTACHMENT_KINDS[kind])
                )

    # --- what the template shows ----------------------------------------------------

    def sections(self) -> list[dict[str, Any]]:
        """One fieldset per mode: its label, what ``served_at`` means, its fields."""
        out = []
        for mode, rules in modes.MODES.items():
            if mode == ServiceMode.ELECTRONIC and self.electronic_barred:
                continue
            names = []
            if mode == ServiceMode.ELECTRONIC:
                names += [field_name(mode, "channel"), field_name(mode, "consent")]
            if rules.takes_receipt and self.receipt_step.state == "signed":
                names.append(field_name(mode, "receipt"))
            names += [field_name(mode, spec.name) for spec in rules.fields]
            names += [file_field_name(mode, kind) for kind in rules.attachment_kinds]
            out.append(
                {
                    "mode": mode,
                    "label": rules.label,
                    "time_label": str(rules.time_label),
                    "fields": [self[name] for name in names],
                    "receipt_step": self.receipt_step if rules.takes_receipt else None,
                }
            )
        return out

    def channel_time_labels(self) -> dict[str, str]:
        return {channel: str(label) for channel, label in modes.CHANNEL_TIME_LABELS.items()}

    # --- to the action and back ---------------------------------------------------------

    def _value(self, mode: str, name: str) -> Any:
        return self.cleaned_data.get(field_name(mode, name))

    def _uploads(self, mode: str) -> list[Upload]:
        rules = modes.MODES[mode]
        uploads: list[Upload] = []
        for kind in rules.attachment_kinds:
            for upload in self.cleaned_data.get(file_field_name(mode, kind)) or []:
                if upload.size > MAX_ATTACHMENT_BYTES:
                    too_big = _("The file %(name)s is larger than 100 MB.")
                    raise ValidationError({kind: [too_big % {"name": upload.name}]})
                uploads.append((kind, upload.name, upload.content_type or "", upload.read()))
        return uploads

    def action_kwargs(self) -> dict[str, Any]:
        """The arguments of ``actions.record_service`` from the chosen mode's fieldset."""
        mode = self.cleaned_data.get("mode") or ""
        rules = modes.MODES.get(mode)
        kwargs: dict[str, Any] = {
            "mode": mode,
            "recipient": self.cleaned_data.get("recipient") or "",
            "address": self.cleaned_data.get("address") or "",
            "served_at": self.cleaned_data.get("served_at"),
            "av_record_ids": [r.pk for r in self.cleaned_data.get("av_records") or []],
        }
        if rules is None:
            return kwargs
        details = {}
        for spec in rules.fields:
            value = self._value(mode, spec.name)
            details[spec.name] = value.isoformat() if hasattr(value, "isoformat") else value
        kwargs["details"] = details
        kwargs["attachments"] = self._uploads(mode)
        if rules.takes_receipt:
            kwargs["receipt"] = self._value(mode, "receipt")
        if mode == ServiceMode.ELECTRONIC:
            kwargs["channel"] = self._value(mode, "channel") or ""
            kwargs["consent"] = self._value(mode, "consent")
        return kwargs

    def apply_errors(self, error: ValidationError) -> None:
        """Show the action's messages on the fields of the chosen mode."""
        mode = self.cleaned_data.get("mode") or ""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            for name in (key, field_name(mode, key), file_field_name(mode, key)):
                if name in self.fields:
                    self.add_error(name, messages)
                    break
            else:
                self.add_error(None, messages)


class ConsentForm(forms.Form):
    party_name = forms.CharField(
        label=_("Party"), max_length=200, required=False, widget=forms.TextInput(attrs=LG)
    )
    channels = forms.MultipleChoiceField(
        label=_("Agreed channels"),
        choices=ElectronicChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fax_number = forms.CharField(
        label=_("Fax number"), max_length=40, required=False, widget=forms.TextInput(attrs=LG)
    )
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={**LG, "type": "email"}),
    )
    address = forms.CharField(
        label=_("Address for service"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=LG),
    )
    consented_on = forms.DateField(
        label=_("Consented on"),
        required=False,
        widget=forms.DateInput(attrs={**LG, "type": "date"}, format="%Y-%m-%d"),
    )
    document = ReceiptChoice(
        label=_("Address confirmation"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=SELECT_LG),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = modes.address_confirmations(case)  # type: ignore[attr-defined]


# --- the payment page (R11.1) ------------------------------------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProceedingForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProceedingKind.choices)
    started_on = forms.DateField(
        label=_("Applied for or filed on"),
        widget=_date_input(),
        help_text=_("The late surcharge does not accrue from this day (Art. 73)."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the reviewing body or court and its case number."),
    )


class ProceedingEndForm(StyledForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=_date_input())
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _fen(text: str) -> int:
    """Yuan as typed (1234.5) in fen (123450): two decimals at most, never a float."""
    try:
        amount = Decimal(text.replace(",", "").lstrip("¥￥"))
    except InvalidOperation:
        raise forms.ValidationError(
            _("%(text)s is not an amount in yuan.") % {"text": text}
        ) from None
    fen = amount * 100
    if not amount.is_finite() or fen != fen.to_integral_value():
        raise forms.ValidationError(_("%(text)s is not an amount in yuan.") % {"text": text})
    return int(fen)


def parse_instalments(text: str) -> list[tuple[dt.date, int]]:
    """One instalment a line: its due date (YYYY-MM-DD) and amount in yuan."""
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise forms.ValidationError(
                _("Write each instalment on its own line: due date and amount, e.g. %(example)s.")
                % {"example": "2026-12-31 1000.00"}
            )
        try:
            due_on = dt.date.fromisoformat(parts[0])
        except ValueError:
            raise forms.ValidationError(
                _("%(text)s is not a date (YYYY-MM-DD).") % {"text": parts[0]}
            ) from None
        found.append((due_on, _fen(parts[1])))
    return found


class DeferralForm(StyledForm):
    notice = forms.ChoiceField(label=_("Payment notice"))
    reason = forms.CharField(
        label=_("The party's reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
    instalments = forms.CharField(
        label=_("Instalments"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One line each: due date and amount in yuan, e.g. 2026-12-31 1000.00. "
            "One line for a deferral; together they make the amount outstanding."
        ),
    )

    def __init__(self, *args: Any, notices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notice"].choices = notices  # type: ignore[attr-defined]

    def clean_instalments(self) -> list[tuple[dt.date, int]]:
        return parse_instalments(self.cleaned_data["instalments"])
