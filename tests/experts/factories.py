"""Expert applications at each stage of the pipeline, reviewers, chairs and batches."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from experts import services
from experts.models import Expert, ExpertApplication, ExpertBatch, ExpertQualification, Language, ServiceType, Specialty
from portal.roles import EXPERT_CHAIRS, EXPERT_REVIEWERS
from portal.vetting import services as vetting
from portal.vetting.enums import Status
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member, make_period
from tests.portal.samples import PDF


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (30, 40), (200, 210, 220)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def login(user) -> Client:
    """A browser session signed in as `user`."""
    client = Client()
    sign_in(client, user)
    return client


def term(model, slug: str):
    return model.objects.get(slug=slug)


def make_reviewer(email: str):
    return make_user(email, groups=(EXPERT_REVIEWERS,))


def make_chair(email: str = "chair@example.com"):
    return make_user(email, groups=(EXPERT_CHAIRS,))


def make_applicant(email: str | None = None, **member_fields):
    """A member in good standing (no invoices yet, so nothing is overdue)."""
    n = _next()
    email = email or f"applicant{n}@example.com"
    return make_member(email, number=f"DL-2020-{n:04d}", **member_fields).user


def make_application(
    user=None,
    *,
    status: str = Status.SUBMITTED,
    full_name: str = "李文静",
    employer: str = "大连市第七人民医院",
    specialties=("youth",),
    services_=("lectures",),
    languages=("mandarin",),
    consent: bool = True,
    by=None,
    **fields,
) -> ExpertApplication:
    """An application moved through the pipeline to `status` (draft, submitted, approved, notice)."""
    user = user or make_applicant()
    defaults = {
        "title": "主任医师",
        "district": "shahekou",
        "years_of_practice": 12,
        "training_hours": 800,
        "supervision_hours": 150,
        "projects": "大连市中小学心理危机干预项目",
        "publications": "《青少年心理咨询实务》",
        "bio": "长期从事青少年心理咨询与家庭治疗工作。",
        "phone": "13800000000",
        "public_email": "expert@example.com",
        "notice_consent": True,
    }
    if consent:
        defaults.update(dict.fromkeys(ExpertApplication.CONSENTS, True))
    defaults.update(fields)
    application = ExpertApplication.objects.create(applicant=user, full_name=full_name, employer=employer, **defaults)
    application.specialties.set([term(Specialty, slug) for slug in specialties])
    application.services.set([term(ServiceType, slug) for slug in services_])
    application.languages.set([term(Language, slug) for slug in languages])
    ExpertQualification.objects.create(
        application=application,
        name="国家二级心理咨询师",
        number=f"Z{_next():06d}",
        scan=SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf"),
    )
    if status == Status.DRAFT:
        return application
    services.submit_application(application, by=user)
    if status == Status.SUBMITTED:
        return application
    chair = by or make_chair(f"chair{_next()}@example.com")
    for _index in range(application.reviews_required()):
        reviewer = make_reviewer(f"reviewer{_next()}@example.com")
        vetting.submit_review(application, reviewer, scores=good_scores(), comment="资质齐全，经验丰富。")
    services.propose(application, by=chair)
    if status == Status.APPROVED:
        return application
    raise ValueError(f"make_application cannot reach {status}; use make_batch")


def good_scores(value: int = 4) -> dict[str, int]:
    return {key: value for key, _label in ExpertApplication.REVIEW_CRITERIA}


def make_batch(applications, *, by=None, published_on: datetime.date | None = None) -> ExpertBatch:
    """A batch with these approved applications, published on `published_on` when given."""
    batch = services.open_batch()
    services.add_to_batch(batch, applications)
    if published_on:
        batch = services.publish_batch(batch, by=by or make_chair(f"chair{_next()}@example.com"), today=published_on)
    return batch


def make_expert(*, admitted_on: datetime.date, **application_fields) -> Expert:
    """An admitted expert, through the whole pipeline: applied, reviewed, proposed, published, closed."""
    chair = make_chair(f"chair{_next()}@example.com")
    application = make_application(status=Status.APPROVED, by=chair, **application_fields)
    batch = make_batch([application], by=chair, published_on=admitted_on - datetime.timedelta(days=14))
    services.close_batch(batch, by=chair, today=admitted_on)
    return Expert.objects.get(user=application.applicant)


__all__ = ["PDF", "make_period"]
