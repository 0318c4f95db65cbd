"""The pipeline's screens in the Wagtail admin that every domain with a 公示 shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.admin_actions import ActionView

from .forms import ObjectionResolutionForm


class ResolveObjectionView(ActionView):
    """处理异议: upheld or dismissed, with the finding, naming the entry an upheld one concerns. A
    domain names its queryset, template, permission and way back, and:

    - `entries()`: (pk, label) of the entries of the notice the objection may name;
    - `entry_id()`: the entry the objection named, if any;
    - `resolve(outcome, note, entry_id)`: its service that records the outcome;
    - `notice()`: the notice round the objection was raised against (the page's subtitle)."""

    form_class = ObjectionResolutionForm
    title = gettext_lazy("处理异议")
    submit_label = gettext_lazy("提交处理结果")
    icon = "tasks"
    entry_label: str | None = None

    if TYPE_CHECKING:  # what each domain's subclass defines (see above)

        def entries(self) -> list[tuple[int, str]]: ...

        def entry_id(self) -> int | None: ...

        def resolve(self, *, outcome: str, note: str, entry_id: int | None) -> None: ...

        def notice(self) -> object: ...

    def get_form_kwargs(self):
        return {"entries": self.entries(), "entry_label": self.entry_label, "initial": {"entry": self.entry_id()}}

    def act(self, form):
        cleaned = form.cleaned_data
        self.resolve(outcome=cleaned["outcome"], note=cleaned["note"], entry_id=cleaned["entry"])
        return _("已记录处理结果。")

    def get_context_data(self, **context):
        return super().get_context_data(subtitle=str(self.notice()), objection=self.object, **context)
