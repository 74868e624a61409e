"""Forms of a case's officers and parties page (R4.1, R18.3): the choices only; the
actions check certificates, the number of certified officers and the reasons."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role, User
from liuhen.cases.forms import StyledForm
from liuhen.core import access
from liuhen.subjects.models import CaseParty, PartyRole, Subject


def unit_officers(user: Any, unit: Any) -> models.QuerySet[User]:
    """The active officers and unit heads of ``unit`` whom ``user`` sees (certified or not:
    the action says who lacks a certificate valid on the day)."""
    staff = User.objects.filter(
        is_active=True,
        unit__isnull=False,
        unit=unit,
        role_grants__role__in=(Role.OFFICER, Role.UNIT_HEAD),
    )
    return access.visible(user, staff).distinct().order_by("full_name", "username")


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class SubjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class PartyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.subject.name}（{obj.get_role_display()}）"


def _reason(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason") if required else _("Reason (optional)"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignOfficerForm(StyledForm):
    officer = OfficerChoice(label=_("Officer"), queryset=User.objects.none())
    reason = _reason(required=False)

    def __init__(self, *args: Any, user: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        officer.queryset = unit_officers(user, case.unit).exclude(pk__in=case.officers.values("pk"))


class ReleaseOfficerForm(StyledForm):
    officer = OfficerChoice(label=_("Officer"), queryset=User.objects.none())
    reason = _reason(required=True)

    def __init__(self, *args: Any, user: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        officer.queryset = case.officers.order_by("full_name", "username")


class AddPartyForm(StyledForm):
    subject = SubjectChoice(label=_("Enforcement subject"), queryset=Subject.objects.none())
    role = forms.ChoiceField(label=_("Role in the case"), choices=PartyRole.choices)
    reason = _reason(required=True)

    def __init__(self, *args: Any, user: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subject = self.fields["subject"]
        assert isinstance(subject, forms.ModelChoiceField)
        subjects = Subject.objects.filter(merged_into__isnull=True).exclude(
            pk__in=case.parties.values("subject_id")
        )
        subject.queryset = access.visible(user, subjects).order_by("name", "id")


class RemovePartyForm(StyledForm):
    party = PartyChoice(label=_("Party"), queryset=CaseParty.objects.none())
    reason = _reason(required=True)

    def __init__(self, *args: Any, user: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.ModelChoiceField)
        party.queryset = case.parties.select_related("subject")
