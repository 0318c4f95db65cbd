"""机构名录: the public profiles of institutions whose entries to a directory call (名录征集) were
accepted. A profile shows the entry it was made from (the fields marked 公示时公开, in the labels of
its form), and keeps what the directory searches and filters by: the name, district and services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member
from portal.districts import District

from .submissions import CallSubmission


class InstitutionQuerySet(models.QuerySet):
    def listed(self) -> InstitutionQuerySet:
        return self.filter(published=True)


class Institution(models.Model):
    organisation = models.OneToOneField(
        Member,
        verbose_name=_("会员单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="institution",
        help_text=_("一个单位一份名录；下一次名录征集入选后更新"),
    )
    submission = models.OneToOneField(
        CallSubmission, verbose_name=_("名录填报"), on_delete=models.PROTECT, related_name="institution"
    )
    name = models.CharField(_("机构名称"), max_length=200)
    district = models.CharField(_("所在区市县"), max_length=20, choices=District.choices, blank=True)
    services = models.JSONField(_("服务项目"), default=list, blank=True)
    services_en = models.JSONField(_("服务项目（English）"), default=list, blank=True)
    # The public answers' text in 简体 and English, for keyword search.
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    published = models.BooleanField(_("在名录中公开"), default=True)
    published_at = models.DateTimeField(_("收录时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("名录机构")
        verbose_name_plural = _("名录机构")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
