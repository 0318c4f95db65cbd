"""账户与隐私: a signed-in person downloads what the portal holds about them and asks for their account
to be closed; membership officers act on the requests in the admin (members/account_admin.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.files import keep_private

from . import privacy
from .account_forms import ClosureRequestForm
from .models import AccountClosure, ClosureStatus, DataExport

FORMATS = {
    "json": ("application/json; charset=utf-8", "json", privacy.export_json),
    "csv": ("application/zip", "zip", privacy.export_zip),
}


def _render_page(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "pending": privacy.pending_closure(user),
        "refused": AccountClosure.objects.filter(user=user, status=ClosureStatus.REFUSED)
        .order_by("-decided_at")
        .first(),
        "downloads": DataExport.objects.filter(user=user)[:5],
        "exports_left": privacy.exports_left(user),
        "per_hour": privacy.EXPORTS_PER_HOUR,
    }
    return render(request, "members/account/privacy.html", context, status=status)


@never_cache
@login_required
def privacy_page(request: HttpRequest) -> HttpResponse:
    """账户与隐私: the downloads, and the state of a closure request."""
    return _render_page(request)


@never_cache
@login_required
@require_POST
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The person's own data as JSON or as a ZIP of CSV files; logged, and a few per hour."""
    if fmt not in FORMATS:
        raise Http404
    content_type, extension, build = FORMATS[fmt]
    with transaction.atomic():
        if privacy.record_export(request.user, fmt) is None:
            messages.error(
                request,
                _("一小时内最多下载 %(count)s 次，请稍后再试。") % {"count": privacy.EXPORTS_PER_HOUR},
            )
            return _render_page(request, status=429)
        data = build(request.user, request)
    response = HttpResponse(data, content_type=content_type)
    filename = f"personal-data-{timezone.localdate():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return keep_private(response)


@never_cache
@login_required
def close(request: HttpRequest) -> HttpResponse:
    """申请注销账户: confirmed with the password (or the address), once."""
    if privacy.pending_closure(request.user) is not None:
        messages.info(request, _("您的注销申请正在处理中。"))
        return redirect("account_privacy")
    form = ClosureRequestForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            privacy.request_closure(request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("注销申请已提交。工作人员会在 15 个工作日内办理，完成后以邮件通知您；办理前您可以撤回。")
            )
            return redirect("account_privacy")
        messages.error(request, _("申请未能提交，请按提示修改。"))
    return render(request, "members/account/close.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """撤回注销申请, while staff have not acted on it."""
    closure = privacy.pending_closure(request.user)
    if closure is None:
        messages.info(request, _("没有待处理的注销申请。"))
        return redirect("account_privacy")
    try:
        privacy.cancel_closure(closure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("注销申请已撤回，您的账户照常使用。"))
    return redirect("account_privacy")
