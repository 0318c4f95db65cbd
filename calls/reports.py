"""What a call's staff read off it: who has submitted and who has not, the answers counted and
averaged per question, every answer as CSV, and every attached file as one ZIP (streamed)."""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert
from members.enums import MembershipKind
from members.models import Member
from portal.vetting.enums import Status

from .display import answers as shown_answers
from .enums import Eligibility, FieldType
from .forms import option_labels
from .models import CallPage, CallReminder, CallSubmission, SubmissionFile, in_language

# A submission that counts as sent: past the draft, not withdrawn.
SENT = [Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.REJECTED, Status.NOTICE, Status.ACCEPTED]
# How many of the members still missing a page lists (a survey of every member may miss hundreds).
MISSING_SHOWN = 200
# How many written answers to a question the 统计 page quotes (the CSV has them all).
TEXTS_SHOWN = 50


def expected(call: CallPage) -> QuerySet[Member] | None:
    """Who is expected to submit to `call` (the organisations, branches, members or experts in good
    standing it is addressed to), or None when it is open to anyone signed in."""
    members = Member.objects.in_good_standing()
    if call.eligibility == Eligibility.ORGANISATIONS:
        return members.organisations()
    if call.eligibility == Eligibility.BRANCHES:
        return members.filter(membership_type__kind=MembershipKind.BRANCH)
    if call.eligibility == Eligibility.MEMBERS:
        return members
    if call.eligibility == Eligibility.EXPERTS:
        return members.filter(Exists(Expert.objects.listed().filter(user=OuterRef("user"))))
    return None


def missing(call: CallPage) -> QuerySet[Member] | None:
    """The expected submitters who have sent nothing (a draft does not count)."""
    members = expected(call)
    if members is None:
        return None
    sent = CallSubmission.objects.filter(call=call, status__in=SENT)
    if call.takes_organisations:
        return members.exclude(Exists(sent.filter(organisation=OuterRef("pk"))))
    return members.exclude(Exists(sent.filter(organisation__isnull=True, applicant=OuterRef("user"))))


def progress(call: CallPage) -> dict:
    """Counts for the 填报情况 page, and the first of those still missing with their last reminder."""
    statuses = Counter(call.submissions.values_list("status", flat=True))
    absent = missing(call)
    shown: list[Member] = []
    total_missing = None
    if absent is not None:
        total_missing = absent.count()
        shown = list(absent.select_related("user", "membership_type").order_by("number")[:MISSING_SHOWN])
        reminded: dict[int, object] = {}
        for member_id, sent_on in CallReminder.objects.filter(call=call, member__in=shown).values_list(
            "member_id", "sent_on"
        ):
            reminded[member_id] = max(sent_on, reminded.get(member_id, sent_on))
        for member in shown:
            member.last_reminded = reminded.get(member.pk)
    return {
        "sent": sum(statuses[status] for status in SENT),
        "drafts": statuses[Status.DRAFT],
        "expected": expected(call).count() if absent is not None else None,
        "missing": total_missing,
        "missing_shown": shown,
        "reminded_today": CallReminder.objects.filter(call=call, sent_on=timezone.localdate()).count(),
    }


def sent_submissions(call: CallPage):
    return (
        call.submissions.filter(status__in=SENT)
        .select_related("applicant__member", "organisation", "form_version")
        .order_by("number", "pk")
    )


def aggregate(call: CallPage) -> list[dict]:
    """Each question of the latest form with its answers summed up: counts per option (and the
    share of answers) for choices and yes/no, count, average, lowest and highest for numbers, the
    number of answers for the rest. Answers given under an older version count where the question
    (its key) is still asked."""
    version = call.latest_form_version()
    if version is None:
        return []
    answers = list(CallSubmission.objects.filter(call=call, status__in=SENT).values_list("answers", flat=True))
    questions = []
    for definition in version.fields:
        key, kind = definition["key"], definition["type"]
        given = [answer[key] for answer in answers if answer.get(key) not in (None, "", [])]
        question = {
            "label": in_language(definition["label"], definition.get("label_en", "")),
            "type": kind,
            "answered": len(given),
        }
        if kind in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.YES_NO):
            if kind == FieldType.YES_NO:
                labels = [_("是"), _("否")]
                counts = Counter(0 if value else 1 for value in given)
            else:
                labels = option_labels(definition, "choices")
                picked = (value if isinstance(value, list) else [value] for value in given)
                counts = Counter(index for values in picked for index in values)
            most = max(counts.values(), default=0)
            question["options"] = [
                {
                    "label": label,
                    "count": counts[index],
                    "share": round(100 * counts[index] / len(given)) if given else 0,
                    "width": round(100 * counts[index] / most) if most else 0,
                }
                for index, label in enumerate(labels)
            ]
        elif kind == FieldType.NUMBER:
            numbers = []
            for value in given:
                try:
                    numbers.append(Decimal(str(value)))
                except InvalidOperation:
                    continue
            if numbers:
                question["average"] = round(sum(numbers) / len(numbers), 2)
                question["lowest"], question["highest"] = min(numbers), max(numbers)
        elif kind in (FieldType.SHORT_TEXT, FieldType.LONG_TEXT):
            question["texts"] = [str(value) for value in given[:TEXTS_SHOWN]]
        questions.append(question)
    return questions


def csv_columns(call: CallPage) -> list[str]:
    version = call.latest_form_version()
    labels = [in_language(field["label"], field.get("label_en", "")) for field in (version.fields if version else [])]
    return [_("编号"), _("填报人"), _("申报类别"), _("状态"), _("提交时间"), *labels]


def csv_rows(call: CallPage) -> Iterator[list[str]]:
    """Every sent submission, one row each, with a column per question of the latest form."""
    labels = csv_columns(call)[5:]
    for submission in sent_submissions(call).iterator(chunk_size=500):
        by_label = {}
        for answer in shown_answers(submission, files={}):
            if answer.columns:
                by_label[answer.label] = "；".join(" / ".join(row) for row in answer.rows)
            else:
                by_label[answer.label] = answer.text
        submitted = timezone.localtime(submission.submitted_at) if submission.submitted_at else None
        row = [
            submission.reference,
            submission.submitter_name,
            submission.category_name,
            str(submission.get_status_display()),
            f"{submitted:%Y-%m-%d %H:%M}" if submitted else "",
            *(by_label.get(label, "") for label in labels),
        ]
        yield row


class _Pipe:
    """A write-only file for zipfile that hands on what was written, so the archive streams."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def zip_stream(call: CallPage) -> Iterator[bytes]:
    """Every file attached to the call's sent submissions, named by submission and question, read
    and written one piece at a time: the archive is never held in memory."""
    version = call.latest_form_version()
    labels = {field["key"]: field["label"] for field in (version.fields if version else [])}
    pipe = _Pipe()
    files = (
        SubmissionFile.objects.filter(submission__call=call, submission__status__in=SENT)
        .select_related("submission__organisation", "submission__applicant__member")
        .order_by("submission__number", "field_key")
    )
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for kept in files.iterator(chunk_size=200):
            submission = kept.submission
            extension = kept.file.name.rsplit(".", 1)[-1] if "." in kept.file.name else "bin"
            question = labels.get(kept.field_key, kept.field_key)
            name = f"{submission.reference} {submission.submitter_name}/{question}.{extension}"
            with kept.file.open("rb") as source, archive.open(_safe_name(name), mode="w") as target:
                while chunk := source.read(64 * 1024):
                    target.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()


def _safe_name(name: str) -> str:
    """A path inside the archive that cannot climb out of it or name a drive."""
    return "/".join(
        part.replace("\\", "_").replace(":", "_") for part in name.split("/") if part not in ("", ".", "..")
    )
