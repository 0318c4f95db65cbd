"""Objections from the public during a notice period (公示期): anyone may send one without signing in,
so the form keeps robots and floods out, and a form sent twice records one objection.

The form carries when it was given out, signed, with a nonce that makes it unique: a form posted
without it, or faster than a person could read the list and write, is a robot's, and its digest is
the idempotency key of the objection it records. A field people leave empty (`website`) catches
form-filling robots. Each visitor may send `OBJECTIONS_PER_HOUR` objections an hour."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.ratelimit import over_hourly_limit

SIGNER_SALT = "vetting.objection"
# A person needs a few seconds to read the list and write an objection; a robot does not.
MIN_SECONDS = 3
# A form older than this is refused as a robot's: a person who left it a day reloads the page.
MAX_AGE = 24 * 3600


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SIGNER_SALT)


def start_token() -> str:
    """What a new objection form carries in its hidden `started` field."""
    return _signer().sign(f"{int(time.time())}:{uuid.uuid4().hex}")


def is_robot(request) -> bool:
    """A form with the trap field filled in, posted without our signed start time, or faster than a
    person could fill it in. It is told it succeeded, so a robot learns nothing; nothing is kept."""
    if request.POST.get("website"):
        return True
    try:
        started = int(_signer().unsign(request.POST.get("started", ""), max_age=MAX_AGE).split(":")[0])
    except (signing.BadSignature, ValueError):
        return True
    return time.time() - started < MIN_SECONDS


def idempotency_key(token: str) -> str:
    """The key of the objection a form records: the same form sent twice records it once."""
    return hashlib.sha256(token.encode()).hexdigest()


def over_limit(request) -> bool:
    """Count one more objection from this visitor; True once they are past this hour's limit."""
    return over_hourly_limit(request, "vetting:objections", settings.OBJECTIONS_PER_HOUR)


def receive(request, form, record: Callable[[dict, str], object]) -> bool:
    """Handle a posted objection form: True once it is received (a robot's is said to be, and nothing
    is kept), False with the reason on the form. `record(cleaned_data, idempotency_key)` keeps it,
    or raises a ValidationError saying why not."""
    if is_robot(request):
        return True
    if not form.is_valid():
        return False
    if over_limit(request):
        form.add_error(None, _("提交过于频繁，请一小时后再试，或直接联系协会秘书处。"))
        return False
    try:
        record(form.cleaned_data, idempotency_key(form.cleaned_data["started"]))
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
        return False
    return True
