"""The archives' records (制度第十八条): the archive package built for an archived case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArchivePackage(models.Model):
    """An OCFL object of an archived case, kept in the blob store as one tar (write-once).

    A case may get a new package after material is added to its file; the newest is the
    one exported. ``inventory_sha512`` is the digest OCFL's ``inventory.json.sha512``
    holds; ``manifest_sha256`` the one the log recorded at ``seal_seq``.
    """

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="archive_packages",
    )
    blob = models.ForeignKey(
        "core.Blob", verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("OCFL object id"), max_length=200)
    inventory_sha512 = models.CharField(_("inventory SHA-512"), max_length=128)
    manifest_sha256 = models.CharField(_("manifest SHA-256"), max_length=64)
    seal_seq = models.PositiveBigIntegerField(_("sequence number of the seal event"))
    tree_size = models.PositiveBigIntegerField(_("size of the signed tree head"))
    item_count = models.PositiveIntegerField(_("items"))
    file_count = models.PositiveIntegerField(_("files"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("built by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    built_at = models.DateTimeField(_("built at"), default=timezone.now)

    class Meta:
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return self.object_id
