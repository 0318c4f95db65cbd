"""The panels each section puts on the admin dashboard: a heading, the figures that wait for the
person (each a count that links to the list behind it), and, where a section has one, a detail below
(a chart, this week's activities, batches in their notice period).

    class AidPanel(DashboardPanel):
        name = "aid"
        heading = gettext_lazy("援助项目")
        order = 70

        def figures(self):
            return [Figure(Case.objects.waiting().count(), _("个案例等待分配咨询师"), reverse(...))]

and in the app's wagtail_hooks.py: `register_panel(AidPanel, shown_to=is_coordinator)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks
from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class Figure:
    """One line of a panel: `count` (None for a sentence of its own) before `label`, linking to `url`."""

    count: int | None
    label: str
    url: str = ""


class DashboardPanel(Component):
    template_name = "portal/admin/dashboard_panel.html"
    name = ""
    heading = ""
    order = 100
    detail_template = ""  # rendered below the figures with the panel's context

    def __init__(self, user):
        self.user = user

    def figures(self) -> list[Figure]:
        return []

    def get_detail_context(self) -> dict:
        return {}

    def get_context_data(self, parent_context):
        return {
            "panel_id": f"{self.name}-dashboard",
            "heading": self.heading,
            "figures": self.figures(),
            "detail_template": self.detail_template,
            **self.get_detail_context(),
        }


def register_panel(panel: type[DashboardPanel], *, shown_to: Callable[[object], bool]) -> None:
    """Put `panel` on the dashboard of everyone `shown_to` answers yes for."""

    def add_panel(request, panels):
        if shown_to(request.user):
            panels.append(panel(request.user))

    hooks.register("construct_homepage_panels", add_panel)
