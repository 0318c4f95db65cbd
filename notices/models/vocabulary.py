"""The words notices and science articles are sorted by: notice categories and audiences."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin


class NoticeCategory(TranslatableMixin, models.Model):
    """A kind of notice (会费, 表彰, 招募 ...), used for filtering and related articles."""

    name = models.CharField(_("名称"), max_length=50)
    slug = models.SlugField(_("标识"), max_length=50, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("通知分类")
        verbose_name_plural = _("通知分类")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_notice_category_slug_per_locale"),
        ]

    def __str__(self) -> str:
        return self.name


class Audience(TranslatableMixin, models.Model):
    """Who a science article is written for (children, the elderly, medical staff ...)."""

    name = models.CharField(_("名称"), max_length=50)
    slug = models.SlugField(_("标识"), max_length=50)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("读者对象")
        verbose_name_plural = _("读者对象")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_audience_slug_per_locale"),
        ]

    def __str__(self) -> str:
        return self.name
