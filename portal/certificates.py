"""证书查询: anyone holding a certificate the association issued (an award, and later membership,
training and service certificates) checks it with the code printed on it, or its QR link.

Each app that issues certificates registers a lookup from its `AppConfig.ready()`; the kernel knows
none of them. The page shows the holder's name partly masked, what the certificate says, its dates
and whether it stands, and nothing else. Lookups are limited per visitor, and codes are random
(see each app's generator), so they cannot be found by trying."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .ratelimit import over_hourly_limit

VALID, EXPIRED, REVOKED = "valid", "expired", "revoked"
MAX_CODE_LENGTH = 40


@dataclass(frozen=True)
class Certificate:
    """What the verification page shows of a certificate."""

    holder: str  # as shown: a person's name masked (mask_name), an organisation's in full
    kind: str  # 荣誉证书, 培训证明 …
    certifies: str  # what it says: 2021年度先进个人
    issuer: str
    issued_on: datetime.date
    valid_until: datetime.date | None = None
    revoked_on: datetime.date | None = None

    @property
    def status(self) -> str:
        if self.revoked_on is not None:
            return REVOKED
        if self.valid_until is not None and self.valid_until < timezone.localdate():
            return EXPIRED
        return VALID


Lookup = Callable[[str], "Certificate | None"]
_lookups: list[Lookup] = []


def register(lookup: Lookup) -> None:
    """Called by an app's ready(): `lookup(code)` returns its certificate with that code, or None."""
    if lookup not in _lookups:
        _lookups.append(lookup)


def normalise(code: str) -> str:
    """A code as typed from paper: case, spaces and hyphens do not matter."""
    return re.sub(r"[\s\-]", "", code or "").upper()[:MAX_CODE_LENGTH]


def find(code: str) -> Certificate | None:
    code = normalise(code)
    if not code:
        return None
    for lookup in _lookups:
        certificate = lookup(code)
        if certificate is not None:
            return certificate
    return None


def mask_name(name: str) -> str:
    """张*明, 李*, 欧阳**华: the first and last characters of a person's name, the rest masked. A note
    in full-width brackets after the name (张明（退休）) is not part of it and stays as it is."""
    name = (name or "").strip()
    name, bracket, note = name.partition("（")
    if len(name) == 2:
        name = name[0] + "*"
    elif len(name) > 2:
        name = name[0] + "*" * (len(name) - 2) + name[-1]
    return name + bracket + note


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("证书查验码"),
        max_length=MAX_CODE_LENGTH,
        help_text=_("印在证书上，如 ABCD-EFGH-JKLM-NPQR；大小写和短横线均可"),
        error_messages={"required": _("请输入证书上的查验码。")},
    )


@never_cache
def verify(request, code: str = ""):
    """The lookup form, and the result for a code typed in it or carried by a QR link."""
    typed = request.GET.get("code", "")
    if typed and not code:
        return redirect("certificate_code", code=normalise(typed) or "-")
    form = CodeForm(initial={"code": code} if code else None)
    context: dict = {"form": form, "code": code}
    status = 200
    if code:
        if over_hourly_limit(request, "certificates:checks", settings.CERTIFICATE_CHECKS_PER_HOUR):
            context["limited"], status = True, 429
        else:
            context["certificate"] = find(code)
            status = 200 if context["certificate"] else 404
    response = render(request, "portal/certificate_verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
