"""Volunteer teams (志愿服务队) and who belongs to them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Teams --------------------------------------------------------------------------------------------


class Team(models.Model):
    """A standing group of volunteers (心理剧社, 反家暴志愿者联盟 …) that drives recruit into."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("简介"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("志愿者团队")
        verbose_name_plural = _("志愿者团队")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("团队"), on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined_on = models.DateField(_("加入日期"), default=datetime.date.today)
    application = models.ForeignKey(
        "volunteers.VolunteerApplication",
        verbose_name=_("报名申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["team", "joined_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.team} · {self.volunteer}"
