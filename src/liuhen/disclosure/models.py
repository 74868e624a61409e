"""The records of 执法公示 (R12.1; 国办发〔2018〕118号): each publication of a decision, each
withdrawal or correction of one, and each year's enforcement data, all write-once; and the
texts the bureau sets for the public pages (its duties, the supervision and complaint
channels)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.field_groups import SingletonRow


class Category(models.TextChoices):
    """Which publication period a decision takes (国办发〔2018〕118号)."""

    PENALTY = "penalty", _("Penalty decision")
    OTHER = "other", _("Other enforcement decision")


class PublicationKind(models.TextChoices):
    DECISION = "decision", _("Decision published")
    WITHDRAWAL = "withdrawal", _("Publication withdrawn")
    CORRECTION = "correction", _("Publication corrected")


class ChangeGround(models.TextChoices):
    """Why a published decision is withdrawn or corrected (行政处罚法 Art. 48)."""

    REVOKED = "revoked", _("The decision was revoked")
    CHANGED = "changed", _("The decision was changed")
    ILLEGAL = "illegal", _("The decision was confirmed illegal")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    ORGANISATION = "organisation", _("Organisation")


class Publication(models.Model):
    """One public record about a decision, as the public reads it (write-once).

    What is published is copied here, personal data already masked, so the public page
    never reads the case. A withdrawal or correction is a new row pointing to the one it
    replaces; the withdrawn row stays, and so does the notice of withdrawal.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=PublicationKind.choices)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "cases.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    ground = models.CharField(_("ground"), max_length=10, choices=ChangeGround.choices, blank=True)
    ground_on = models.DateField(_("date of the ground"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    title = models.CharField(_("title"), max_length=300)
    party_kind = models.CharField(_("party kind"), max_length=12, choices=PartyKind.choices)
    party = models.CharField(_("party"), max_length=200)
    party_identifier = models.CharField(_("party identifier"), max_length=40, blank=True)
    facts = models.TextField(_("facts"))
    basis = models.TextField(_("legal basis"))
    penalty = models.CharField(_("penalty"), max_length=300)
    fine_fen = models.BigIntegerField(_("fine (fen)"), default=0)
    unit_name = models.CharField(_("deciding unit"), max_length=200)
    bureau_name = models.CharField(_("deciding agency"), max_length=200)
    due = models.DateField(_("due"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["kind", "-id"], name="publication_kind_id"),
            models.Index(fields=["published_at"], name="publication_published_at"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} · {self.get_kind_display()}"


class AnnualData(models.Model):
    """One year's enforcement data 年度行政执法数据, published once (write-once)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    figures = models.JSONField(_("figures"), default=dict)
    due = models.DateField(_("due"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("annual enforcement data")
        verbose_name_plural = _("annual enforcement data")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


DEFAULT_DUTIES = (
    "依法查处农药、种子、兽药、饲料、肥料、农机、渔业、动物防疫等领域的违法行为；"
    "依法实施行政处罚、行政强制和行政检查。"
)
DEFAULT_CHANNELS = (
    "监督电话：12345（政务服务便民热线）\n"
    "投诉举报：12316（农业农村系统举报热线）\n"
    "信函：大洼区农业农村局法制科"
)


class DisclosureTexts(SingletonRow):
    """The texts of the 事前公示 the bureau writes itself, one row; no row: the defaults."""

    duties = models.TextField(_("duties"), default=DEFAULT_DUTIES)
    channels = models.TextField(_("supervision and complaint channels"), default=DEFAULT_CHANNELS)

    class Meta:
        verbose_name = _("disclosure texts")
        verbose_name_plural = _("disclosure texts")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="disclosure_texts_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("disclosure texts"))


class DisclosureTextsVersion(models.Model):
    """One saved version of the 事前公示 texts the bureau writes itself (R12.1), write-once:
    each save is a new row, the portal shows the latest, and the rows are the history.
    A blank flowchart or procedure text leaves the built-in one on the page."""

    duties = models.TextField(_("duties"))
    channels = models.TextField(_("supervision and complaint channels"))
    flowchart = models.TextField(
        _("flowchart steps"), blank=True, help_text=_("One step per line.")
    )
    procedures = models.TextField(_("procedures"), blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("version of the disclosure texts")
        verbose_name_plural = _("versions of the disclosure texts")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.saved_at:%Y-%m-%d %H:%M}"

    @property
    def flowchart_steps(self) -> list[str]:
        return [line.strip() for line in self.flowchart.splitlines() if line.strip()]
