"""Calls with their forms, for the calls tests: `CallPageFactory` and `make_call`."""

import datetime

import factory
from django.utils import timezone

from calls.enums import CallKind, Eligibility, FieldType
from calls.models import CallCategory, CallField, CallPage
from tests.notices.factories import ArticleFactory


class CallPageFactory(ArticleFactory):
    class Meta:
        model = CallPage

    title = factory.Sequence(lambda n: f"关于开展第{n}次评选表彰活动的通知")
    kind = CallKind.NOMINATION
    eligibility = Eligibility.MEMBERS
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


# One field of each kind, as staff would set them up (label, English label, help, choices, columns).
EVERY_KIND = [
    {
        "field_type": FieldType.SHORT_TEXT,
        "label": "推荐对象姓名",
        "label_en": "Nominee's name",
        "help_text": "填写全名",
    },
    {"field_type": FieldType.LONG_TEXT, "label": "主要事迹", "label_en": "Achievements", "required": False},
    {"field_type": FieldType.NUMBER, "label": "从业年限", "label_en": "Years in practice"},
    {"field_type": FieldType.DATE, "label": "入会日期", "label_en": "Date joined", "required": False},
    {
        "field_type": FieldType.CHOICE,
        "label": "服务领域",
        "label_en": "Field",
        "choices": "学校心理\n社区服务\n危机干预",
        "choices_en": "Schools\nCommunity\nCrisis",
    },
    {
        "field_type": FieldType.MULTIPLE_CHOICE,
        "label": "服务对象",
        "label_en": "Clients",
        "choices": "青少年\n老年人\n家庭",
        "choices_en": "Young people\nOlder people\nFamilies",
        "required": False,
    },
    {"field_type": FieldType.YES_NO, "label": "是否为会员单位负责人", "label_en": "Heads a member organisation"},
    {"field_type": FieldType.FILE, "label": "推荐表扫描件", "label_en": "Signed nomination form", "required": False},
    {
        "field_type": FieldType.TABLE,
        "label": "团队成员",
        "label_en": "Team",
        "columns": "姓名\n职务",
        "columns_en": "Name\nRole",
        "required": False,
    },
]


def make_call(
    parent, *, fields=EVERY_KIND, categories=(("先进个人", "Outstanding individual", 10),), **options
) -> CallPage:
    """A published call under `parent` (a notice index) with these form fields and categories."""
    call = CallPageFactory(parent=parent, **options)
    for order, spec in enumerate(fields):
        CallField.objects.create(page=call, sort_order=order, **spec)
    for order, (name, name_en, quota) in enumerate(categories):
        CallCategory.objects.create(page=call, sort_order=order, name=name, name_en=name_en, quota=quota)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)


def keys(call: CallPage) -> dict[str, str]:
    """{field label: its key} of a call's form, to name the posted fields."""
    return {field.label: field.key for field in call.form_fields.all()}
