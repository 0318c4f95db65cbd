"""What the portal holds about one person, gathered from every app (个人信息保护法 第四十五条: a copy of
one's own data; 第四十七条: deletion when the account is closed).

Each app registers, from its AppConfig.ready(), what it holds about a person (sections of an export),
what stops their account from being closed today (holds, shown to the staff who act on the request),
and how it erases or anonymises its part while keeping what a law requires it to keep. The kernel
imports no app: it only collects, orders and calls what the apps registered.
"""

from __future__ import annotations

import datetime
import decimal
import json
import mimetypes
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL, as django-stubs resolves it: the kernel names no domain app.
    from django.contrib.auth.models import _User as User

# The section every app's uploaded files are listed in (names, types, dates; never the bytes).
FILES = "files"
FILE_COLUMNS = (
    ("record", _("所属记录")),
    ("field", _("文件")),
    ("name", _("文件名")),
    ("type", _("类型")),
    ("uploaded", _("上传日期")),
)


@dataclass
class Section:
    """One kind of record: a CSV file of the export, a key of its JSON."""

    key: str
    title: str | Promise
    columns: Sequence[tuple[str, str | Promise]]
    rows: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Holder:
    """An app that holds personal data, and the three things it answers about a person."""

    name: str
    order: int
    export: Callable | None  # (user, request) -> Iterable[Section]
    holds: Callable | None  # (user) -> Iterable[str]: why the account cannot be closed today
    erase: Callable | None  # (user, by) -> Iterable[str]: what was erased and kept, for the record


_holders: dict[str, Holder] = {}


def register(name: str, *, order: int = 100, export=None, holds=None, erase=None) -> None:
    """Let an app take part in exports and account closure (again under the same name: replaced)."""
    _holders[name] = Holder(name, order, export, holds, erase)


def holders() -> list[Holder]:
    return sorted(_holders.values(), key=lambda holder: (holder.order, holder.name))


def sections_for(user, request=None) -> list[Section]:
    """Every section about `user`, in the apps' order; the files of every app in one section at the end."""
    sections: list[Section] = []
    files = Section(FILES, _("上传的文件"), FILE_COLUMNS)
    for holder in holders():
        if holder.export is None:
            continue
        for section in holder.export(user, request):
            if section.key == FILES:
                files.rows.extend(section.rows)
            else:
                sections.append(section)
    sections.append(files)
    return sections


def holds_for(user) -> list[str]:
    """What must be settled before `user`'s account is closed (empty: nothing)."""
    return [str(reason) for holder in holders() if holder.holds for reason in holder.holds(user)]


def erase_for(user: User, *, by: User) -> list[str]:
    """Erase or anonymise `user`'s data in every app (the caller holds the transaction)."""
    return [str(line) for holder in holders() if holder.erase for line in holder.erase(user, by)]


# Building sections ---------------------------------------------------------------------------------


def columns_of(model: type[models.Model], names: Iterable[str]) -> list[tuple[str, str | Promise]]:
    """(name, heading) of a model's fields, the heading being the field's verbose name."""
    return [(name, _heading(model._meta.get_field(name), name)) for name in names]


def _heading(model_field: object, name: str) -> str | Promise:
    """A field's verbose name; a reverse relation has none, and is headed by its name."""
    return model_field.verbose_name if isinstance(model_field, models.Field) else name


def value_of(instance: models.Model, name: str):
    """A field's value as a person reads it: a choice's label, a related record's name, a file's name."""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return [str(item) for item in getattr(instance, name).all()]
    value = getattr(instance, name)
    if isinstance(model_field, models.Field) and model_field.choices and value not in (None, ""):
        return getattr(instance, f"get_{name}_display")()
    if isinstance(model_field, models.FileField):
        return os.path.basename(value.name) if value else ""
    if isinstance(value, models.Model):
        return str(value)
    return value


def rows_of(instances: Iterable[models.Model], names: Sequence[str], **extra: Callable) -> list[dict]:
    """One row per instance with `names` read through value_of(), and `extra` columns computed."""
    return [
        {**{name: value_of(instance, name) for name in names}, **{key: fn(instance) for key, fn in extra.items()}}
        for instance in instances
    ]


def file_row(record, label, file, uploaded, *, kind=None) -> dict | None:
    """A row of the files section for a stored file (None for an empty file field); its type from
    the name it is kept under (uploads are kept with the extension of their verified type)."""
    if not file:
        return None
    name = os.path.basename(file.name)
    return {
        "record": str(record),
        "field": str(label),
        "name": name,
        "type": str(kind) if kind else mimetypes.guess_type(name)[0] or "application/octet-stream",
        "uploaded": uploaded,
    }


def files_section(rows: Iterable[dict | None]) -> Section:
    return Section(FILES, _("上传的文件"), FILE_COLUMNS, [row for row in rows if row])


# Reading values out ---------------------------------------------------------------------------------


def plain(value):
    """A value as JSON holds it: text for lazy strings and decimals, ISO 8601 for moments (local time)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def cell(value) -> str:
    """A value as a spreadsheet cell: 是/否, lists joined with 、, moments to the second in local time."""
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, list):
        return "、".join(cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def delete_after_commit(file) -> None:
    """Remove a stored file once the erasure has committed (a rolled-back one keeps it), and empty the field."""
    if not file:
        return
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))
    file.name = ""
