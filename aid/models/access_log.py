"""The access log: every read of a case's sealed data, by whom, in which role; never changed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case


class ReadOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The access log cannot be changed.")

    def delete(self):
        raise PermissionDenied("The access log cannot be changed.")


class CaseAccess(models.Model):
    """One read of a case's confidential data: who, what, when, from where. Written by aid.access,
    never changed or deleted (the model and its queryset refuse; the admin offers no edit). The
    beneficiary's own reads have no `user`: the role says 本人, and the account stays sealed in the case."""

    case = models.ForeignKey(Case, verbose_name=_("案例"), on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("身份"), max_length=30)
    what = models.CharField(_("查看内容"), max_length=100)
    path = models.CharField(_("页面"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = ReadOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("查阅记录")
        verbose_name_plural = _("查阅记录")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reader} · {self.case} · {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The access log cannot be changed.")

    @property
    def reader(self):
        """Who read: the account, or 本人 for the beneficiary."""
        return self.user if self.user_id is not None else _("本人")
