"""Demo expert database for `load_demo_content`: two reviewers and a chair, the call for applications,
and batches 1 to 4 run through the real pipeline with dates counted back from the day of loading.

Batches 1 to 3 are closed and their experts are in the directory (batch 3 with one objection dismissed
and one upheld, so one applicant was withdrawn); batch 4 was published on the latest working day and is
in its notice period with one objection waiting. A few applications wait in the reviewers' queue and
one has been returned for changes. Every person here is fictitious; what the pipeline would e-mail
them goes nowhere. Running it again, on the same day or later, changes nothing.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils.html import escape
from wagtail.models import Locale, Page

from demo.members import OFFICER_EMAIL, SCAN, _person, pay_dues
from experts import services
from experts.models import (
    ExpertApplication,
    ExpertBatch,
    ExpertQualification,
    Language,
    ServiceType,
    Specialty,
    chinese_number,
)
from members import services as member_services
from members.models import MembershipApplication, MembershipType
from portal.localization.services import machine_translate
from portal.roles import EXPERT_CHAIRS, EXPERT_REVIEWERS, MEMBERSHIP_OFFICERS
from portal.vetting import services as vetting
from portal.vetting import workdays
from portal.vetting.enums import ObjectionOutcome

REVIEWER_EMAIL = "reviewer@example.com"
REVIEWER2_EMAIL = "reviewer2@example.com"
CHAIR_EMAIL = "chair@example.com"
CALL_SLUG = "expert-database-call"
CALL_TITLE = "采集专家信息建立心理咨询专家库的通知"
# The association titled its second batch's notice after the 市科协 database it reports to.
NOTICE_TITLES = {2: "关于报审市科协《大连市心理咨询行业专家库》第二批入库专家名单的通告"}
TAGS = ("专家库", "市科协")
# Each qualification: the membership application's code for it, and who issues the certificate.
QUALIFICATIONS = {
    "国家二级心理咨询师": ("counsellor-2", "人力资源和社会保障部职业技能鉴定中心"),
    "心理治疗师（中级）": ("psychotherapist", "国家卫生健康委人才交流服务中心"),
    "精神科执业医师": ("psychiatrist", "大连市卫生健康委员会"),
}
# The national counsellor certificate was last awarded in 2017.
LAST_COUNSELLOR_CERTIFICATES = 2017

# Days before the day of loading: the call, then batches 1 to 3 (about 11, 10, 7 and 3 months).
CALL_DAYS_AGO = 330
BATCH_DAYS_AGO = {1: 300, 2: 210, 3: 90, 4: 0}


@dataclass(frozen=True)
class Applicant:
    email: str
    name: str
    title: str
    employer: str
    district: str
    specialties: tuple[str, ...]
    services: tuple[str, ...]
    languages: tuple[str, ...]
    years: int
    bio: str
    stage: str  # a batch number, "queue", "queue-reviewed" or "returned"
    qualification: str = "国家二级心理咨询师"
    projects: str = ""
    publications: str = ""
    hidden: frozenset[str] = field(default_factory=frozenset)  # consents not given
    contact: bool = False  # shows a public e-mail address

    @property
    def consents(self) -> dict[str, bool]:
        given = {consent: consent not in self.hidden for consent in ExpertApplication.CONSENTS}
        return given | {"show_photo": False, "show_contact": self.contact}


APPLICANTS = [
    # Batch 1
    Applicant(
        "wang.xuemei@example.com",
        "王雪梅（演示）",
        "主任医师",
        "大连市第七人民医院心理科",
        "ganjingzi",
        ("crisis", "trauma"),
        ("counselling", "crisis", "supervision"),
        ("mandarin",),
        22,
        "从事精神科临床与心理治疗工作二十余年，擅长危机干预与创伤后应激的心理治疗，长期为基层咨询师提供个案督导。",
        "1",
        qualification="精神科执业医师",
        projects="大连市心理援助热线督导（2018年至今）",
        publications="《突发事件后的心理危机干预》（合著）",
        contact=True,
    ),
    Applicant(
        "liu.jianguo@example.com",
        "刘建国（演示）",
        "教授",
        "辽宁师范大学心理学院",
        "shahekou",
        ("assessment", "youth"),
        ("lectures", "supervision"),
        ("mandarin", "english"),
        25,
        "心理学教授，研究方向为心理测量与青少年发展，主持多项中小学生心理健康测评工作。",
        "1",
        projects="大连市中小学生心理健康状况调查",
        publications="《心理测评在学校心理服务中的应用》",
    ),
    Applicant(
        "sun.xiaoyan@example.com",
        "孙晓燕（演示）",
        "中学高级教师",
        "大连市中山区教师进修学校心理健康教育中心",
        "zhongshan",
        ("youth", "education"),
        ("lectures", "community"),
        ("mandarin",),
        16,
        "专职从事中小学心理健康教育，组织区域心理健康教师培训，开展家长课堂。",
        "1",
        hidden=frozenset({"show_employer"}),
    ),
    Applicant(
        "zhao.zhigang@example.com",
        "赵志刚（演示）",
        "副主任医师",
        "大连医科大学附属第一医院精神科",
        "xigang",
        ("workplace", "crisis"),
        ("counselling", "media"),
        ("mandarin", "japanese"),
        18,
        "关注职场压力与睡眠问题，多次参与媒体心理健康科普访谈。",
        "1",
        qualification="精神科执业医师",
    ),
    # Batch 2
    Applicant(
        "chen.lihua@example.com",
        "陈丽华（演示）",
        "副教授",
        "大连理工大学心理健康教育与咨询中心",
        "ganjingzi",
        ("youth", "grief"),
        ("counselling", "lectures"),
        ("mandarin", "english"),
        14,
        "高校心理咨询师，擅长大学生适应、情绪困扰与哀伤辅导，可提供英语咨询。",
        "2",
        contact=True,
    ),
    Applicant(
        "yang.hongtao@example.com",
        "杨洪涛（演示）",
        "心理治疗师",
        "大连市金州区社区卫生服务中心",
        "jinzhou",
        ("elderly", "community"),
        ("community", "counselling"),
        ("mandarin", "sign"),
        11,
        "扎根社区心理服务，开展老年人抑郁筛查与随访，能以手语为听障居民提供咨询。",
        "2",
        qualification="心理治疗师（中级）",
        projects="老年人抑郁筛查及心理干预服务项目",
    ),
    Applicant(
        "gao.min@example.com",
        "高敏（演示）",
        "讲师",
        "大连海事大学心理健康教育中心",
        "ganjingzi",
        ("family", "youth"),
        ("counselling",),
        ("mandarin", "korean"),
        9,
        "从事大学生心理咨询与家庭关系辅导。",
        "2",
        hidden=frozenset({"show_employer", "show_bio", "show_projects"}),
    ),
    # Batch 3 (何立新 is the subject of the upheld objection)
    Applicant(
        "ma.yulan@example.com",
        "马玉兰（演示）",
        "主治医师",
        "瓦房店市第三人民医院心理门诊",
        "wafangdian",
        ("elderly", "grief"),
        ("counselling", "community"),
        ("mandarin",),
        13,
        "在县域医院开设心理门诊，关注老年人孤独、丧偶后的哀伤反应。",
        "3",
    ),
    Applicant(
        "zhou.haibo@example.com",
        "周海波（演示）",
        "国家二级心理咨询师",
        "大连市甘井子区未成年人心理健康辅导站",
        "ganjingzi",
        ("youth", "crisis"),
        ("counselling", "crisis", "community"),
        ("mandarin",),
        10,
        "为中小学生及其家庭提供心理辅导，参与校园心理危机个案的评估与转介。",
        "3",
    ),
    Applicant(
        "xu.jing@example.com",
        "徐静（演示）",
        "中学一级教师",
        "庄河市高级中学心理辅导室",
        "zhuanghe",
        ("youth", "education"),
        ("lectures", "counselling"),
        ("mandarin",),
        8,
        "高中专职心理教师，开设生涯规划与考试焦虑团体辅导。",
        "3",
        hidden=frozenset({"show_bio", "show_experience"}),
    ),
    Applicant(
        "he.lixin@example.com",
        "何立新（演示）",
        "国家二级心理咨询师",
        "大连海韵心理咨询工作室",
        "shahekou",
        ("workplace", "family"),
        ("counselling",),
        ("mandarin",),
        7,
        "个体执业心理咨询师，从事婚姻家庭与职场压力咨询。",
        "3",
    ),
    # Batch 4, in its notice period (曹颖 is the subject of the pending objection)
    Applicant(
        "zheng.yaqin@example.com",
        "郑雅琴（演示）",
        "副主任医师",
        "大连市妇女儿童医疗中心（集团）儿童青少年心理卫生与发育行为科",
        "shahekou",
        ("youth", "family", "assessment"),
        ("counselling", "lectures"),
        ("mandarin",),
        15,
        "儿童青少年心理卫生专科医生，擅长儿童情绪与行为问题的评估和家庭治疗。",
        "4",
        qualification="精神科执业医师",
    ),
    Applicant(
        "han.dongsheng@example.com",
        "韩东升（演示）",
        "中学高级教师",
        "旅顺口区教师进修学校心理健康教育指导中心",
        "lushunkou",
        ("education", "youth"),
        ("lectures", "supervision"),
        ("mandarin",),
        19,
        "区域心理健康教育教研员，指导中小学心理辅导室建设与心理教师成长。",
        "4",
    ),
    Applicant(
        "cao.ying@example.com",
        "曹颖（演示）",
        "副教授",
        "大连外国语大学心理健康教育中心",
        "lushunkou",
        ("workplace", "trauma"),
        ("counselling", "media"),
        ("mandarin", "english", "japanese"),
        12,
        "为留学生和外籍人士提供英语、日语心理咨询，关注跨文化适应与压力管理。",
        "4",
        contact=True,
    ),
    # Waiting for the reviewers
    Applicant(
        "feng.xiaodong@example.com",
        "冯晓东（演示）",
        "主治医师",
        "大连市普兰店区中心医院",
        "pulandian",
        ("crisis", "community"),
        ("crisis", "community"),
        ("mandarin",),
        9,
        "参与突发事件现场心理救援，为基层医护人员开展心理减压。",
        "queue-reviewed",
    ),
    Applicant(
        "xie.wenjuan@example.com",
        "谢文娟（演示）",
        "国家二级心理咨询师",
        "长海县社会心理服务指导中心",
        "changhai",
        ("community", "elderly"),
        ("community", "counselling"),
        ("mandarin",),
        6,
        "服务海岛渔民家庭和留守老人，开展社区心理健康讲座。",
        "queue",
    ),
    Applicant(
        "tang.minghui@example.com",
        "唐明辉（演示）",
        "讲师",
        "大连交通大学心理健康教育中心",
        "shahekou",
        ("youth", "workplace"),
        ("counselling", "lectures"),
        ("mandarin", "english"),
        8,
        "从事大学生生涯咨询与心理健康课程教学。",
        "queue",
    ),
    Applicant(
        "xu.jia@example.com",
        "许佳（演示）",
        "国家二级心理咨询师",
        "大连市西岗区社会心理服务站",
        "xigang",
        ("family",),
        ("counselling",),
        ("mandarin",),
        5,
        "关注亲子沟通与婚姻家庭关系。",
        "returned",
    ),
]
RETURN_NOTE = "请补充近三年接受督导的证明材料，并重新上传清晰的国家二级心理咨询师证书扫描件（正反两面）。"

# Each reviewer's scores (资质, 经验, 贡献, 伦理) and comment, in turn.
REVIEWS = [
    (
        (5, 5, 4, 5),
        (4, 5, 4, 5),
        "资质齐全，临床经验丰富，专业贡献突出，同意推荐入库。",
        "从业经历与受训、督导时数均有证明，建议入库。",
    ),
    (
        (4, 4, 4, 5),
        (4, 3, 4, 5),
        "专业背景扎实，长期服务本地，符合入库条件。",
        "实践经验稍短，但受训系统、督导充分，同意入库。",
    ),
    (
        (5, 4, 5, 5),
        (5, 4, 4, 4),
        "在所擅长领域有持续的项目和论著，推荐入库。",
        "材料完整，证书与从业证明一致，同意。",
    ),
]
PROPOSAL_NOTE = "两位评审人意见一致，提请列入下一批公示。"

OBJECTIONS = {
    # batch: (objector, contact, about, grounds, outcome, resolution)
    3: [
        (
            "钱女士（演示）",
            "objector.qian@example.com",
            "徐静（演示）",
            "据我了解，该老师从事专职心理辅导的时间不足所填年限，请核实。",
            ObjectionOutcome.DISMISSED,
            "经向所在学校核实，申请人担任专职心理教师的年限与申报一致，异议不成立。",
        ),
        (
            "孔先生（演示）",
            "objector.kong@example.com",
            "何立新（演示）",
            "该咨询师申报的督导时数中，有部分督导并非由具备资质的督导师提供。",
            ObjectionOutcome.UPHELD,
            "经核实，申请人申报的接受督导时数与督导机构出具的证明不符，异议成立，本批不予入库。",
        ),
    ],
    4: [
        (
            "吴先生（演示）",
            "13800000000",
            "曹颖（演示）",
            "听说该申请人在校外兼职咨询时曾被服务对象投诉，希望协会在入库前核实有关情况。",
            None,
            "",
        ),
    ],
}


def _on_or_before(day: datetime.date) -> datetime.date:
    """The last working day on or before `day`."""
    while not workdays.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _after(day: datetime.date) -> datetime.date:
    """The first working day after `day`."""
    return workdays.working_days_from(day + datetime.timedelta(days=1), 1)[0]


def _certified_in(applicant: Applicant, today: datetime.date) -> int:
    year = today.year - applicant.years + 1
    if applicant.qualification == "国家二级心理咨询师":
        return min(year, LAST_COUNSELLOR_CERTIFICATES)
    return year


def _scores(values: tuple[int, ...]) -> dict[str, int]:
    return {key: value for (key, _label), value in zip(ExpertApplication.REVIEW_CRITERIA, values, strict=True)}


def _notice_index():
    from notices.models import NoticeIndexPage

    return NoticeIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()


def _call_notice(on: datetime.date, editor):
    """采集专家信息建立心理咨询专家库的通知: the call that opened the database to applications."""
    from notices.models import NoticeCategory, NoticePage

    index = _notice_index()
    existing = NoticePage.objects.child_of(index).filter(slug=CALL_SLUG).first()
    if existing is not None:
        return existing, False
    years = chinese_number(settings.EXPERT_TERM_YEARS)
    paragraphs = [
        escape(
            "为加强我市心理咨询行业人才队伍建设，充分发挥专家在行业发展和社会心理服务中的作用，"
            "协会采集专家信息，建立《大连市心理咨询行业专家库》。"
        ),
        escape(
            "申报对象为会籍正常、在心理咨询及相关领域具有较高专业水平和丰富实践经验的协会会员。"
            "申报人须如实填报个人基本信息、专业资质、从业经历和专业特长，并上传资质证书扫描件；"
            "哪些信息向公众公开，由申报人逐项选择。"
        ),
        '申报实行网上办理：会员登录后进入<a href="/experts/apply/">专家库在线申报</a>页面（/experts/apply/）'
        "填写并提交申请，可随时查看办理进度。",
        escape(
            "协会组织评审人对申报材料进行独立评审，评审通过的人员分批公示，"
            f"公示期满无异议的入库，入库有效期{years}年。联系电话：0411-39768800。"
        ),
    ]
    page = NoticePage(
        title=CALL_TITLE,
        slug=CALL_SLUG,
        date=on,
        author="协会秘书处",
        source="大连市心理咨询师协会",
        summary="协会采集专家信息，建立《大连市心理咨询行业专家库》，符合条件的会员可在线申报。",
        body=json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs], ensure_ascii=False),
        category=NoticeCategory.objects.filter(slug="expert-database", locale=Locale.get_default()).first(),
    )
    index.add_child(instance=page)
    page.tags.add(*TAGS)
    page.save_revision(user=editor, log_action=False).publish(
        user=editor, log_action=False, skip_permission_checks=True
    )
    return page, True


def _member(applicant: Applicant, officer, individual: MembershipType, today: datetime.date):
    """A member in good standing, admitted through a membership application like the demo members."""
    user = _person(applicant.email, applicant.name)
    application = MembershipApplication.objects.create(
        applicant=user,
        full_name=applicant.name,
        phone="13900000002",
        employer=applicant.employer,
        district=applicant.district,
        qualification=QUALIFICATIONS[applicant.qualification][0],
        certificate_number="DEMO-0002",
        years_of_practice=applicant.years,
        membership_type=individual,
        charter_agreed=True,
    )
    application.certificate_scan.save("demo.pdf", ContentFile(SCAN))
    member_services.submit_application(application, by=user)
    joined_on = datetime.date(today.year - min(applicant.years, 6), 3, 1)
    pay_dues(member_services.approve_application(application, by=officer, joined_on=joined_on), officer=officer)
    return user


def _application(applicant: Applicant, user, number: int, today: datetime.date) -> ExpertApplication:
    application = ExpertApplication.objects.create(
        applicant=user,
        full_name=applicant.name,
        title=applicant.title,
        employer=applicant.employer,
        district=applicant.district,
        years_of_practice=applicant.years,
        training_hours=300 + applicant.years * 40,
        supervision_hours=60 + applicant.years * 8,
        projects=applicant.projects,
        publications=applicant.publications,
        bio=applicant.bio,
        public_email=applicant.email if applicant.contact else "",
        phone="13900000002",
        notice_consent=True,
        **applicant.consents,
    )
    application.specialties.set(Specialty.objects.filter(slug__in=applicant.specialties))
    application.services.set(ServiceType.objects.filter(slug__in=applicant.services))
    application.languages.set(Language.objects.filter(slug__in=applicant.languages))
    ExpertQualification.objects.create(
        application=application,
        name=applicant.qualification,
        number=f"DEMO-E{number:03d}",
        issued_by=QUALIFICATIONS[applicant.qualification][1],
        year=_certified_in(applicant, today),
        scan=ContentFile(SCAN, name="certificate.pdf"),
    )
    services.submit_application(application, by=user)
    return application


def _review(application: ExpertApplication, reviewers, number: int, *, only_second: bool = False) -> None:
    first, second, comment, comment2 = REVIEWS[number % len(REVIEWS)]
    if not only_second:
        vetting.submit_review(application, reviewers[0], scores=_scores(first), comment=comment)
    vetting.submit_review(application, reviewers[1], scores=_scores(second), comment=comment2)


def _batch(number: int, applications, *, chair, reviewers, published_on: datetime.date, today: datetime.date, close):
    """Batch `number`: proposed, published on `published_on` and its objections raised; a past batch's
    objections are resolved and it is closed on the first working day after its notice period."""
    for application in applications:
        services.propose(application, by=chair, note=PROPOSAL_NOTE)
    batch = services.open_batch()
    if batch.number != number:
        raise RuntimeError(f"The demo expects to open batch {number}, not {batch.number}.")
    services.add_to_batch(batch, applications)
    batch = services.publish_batch(batch, by=chair, today=published_on)
    if number in NOTICE_TITLES:
        page = batch.notice_page
        page.title = page.draft_title = NOTICE_TITLES[number]
        page.save_revision(user=chair, log_action=False).publish(
            user=chair, log_action=False, skip_permission_checks=True
        )
    by_name = {application.full_name: application for application in applications}
    raised_on = min(today, batch.notice_ends)
    for objector, contact, about, grounds, outcome, resolution in OBJECTIONS.get(number, []):
        objection = services.raise_objection(
            batch,
            name=objector,
            contact=contact,
            grounds=grounds,
            application_id=by_name[about].pk,
            today=batch.notice_starts if outcome else raised_on,
        )
        if outcome:
            services.resolve_objection(objection, outcome=outcome, note=resolution, by=reviewers[0])
    if close:
        batch = services.close_batch(batch, by=chair, today=_after(batch.notice_ends))
    return batch


def _translate(pages, editor, progress) -> int:
    """The notices in 繁體 too, like every other notice of the demo (where the 繁體 site exists)."""
    zh_hant = Locale.objects.filter(language_code="zh-hant").first()
    index = _notice_index()
    if zh_hant is None or not Page.objects.filter(translation_key=index.translation_key, locale=zh_hant).exists():
        return 0
    missing = [
        page for page in pages if not Page.objects.filter(translation_key=page.translation_key, locale=zh_hant).exists()
    ]
    for page in missing:
        machine_translate(page, zh_hant, editor)
    if missing:
        progress(f"  expert database notices in 繁體： {len(missing)}")
    return len(missing)


def load(today: datetime.date, *, editor=None, progress: Callable[[str], None] = print) -> int:
    """Create what is missing; returns how many expert applicants were added (0 once batches exist)."""
    if _notice_index() is None:
        progress("  expert database: no notice centre to publish in, skipped")
        return 0
    # The people are fictitious: the pipeline's e-mails to them go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            reviewers = [
                _person(REVIEWER_EMAIL, "评审专家（演示）", groups=(EXPERT_REVIEWERS,)),
                _person(REVIEWER2_EMAIL, "评审专家二（演示）", groups=(EXPERT_REVIEWERS,)),
            ]
            chair = _person(CHAIR_EMAIL, "评审组长（演示）", groups=(EXPERT_CHAIRS,))
            editor = editor or chair
            call, created = _call_notice(_on_or_before(today - datetime.timedelta(days=CALL_DAYS_AGO)), editor)
            if created:
                progress(f"  expert database call for applications: {CALL_TITLE}")
            added = 0 if ExpertBatch.objects.exists() else _pipeline(today, reviewers, chair, progress)
    batches = ExpertBatch.objects.filter(number__in=BATCH_DAYS_AGO).select_related("notice_page", "result_page")
    pages = [call] + [page for batch in batches for page in (batch.notice_page, batch.result_page) if page]
    _translate(pages, editor, progress)
    return added


def _pipeline(today: datetime.date, reviewers, chair, progress) -> int:
    officer = _person(OFFICER_EMAIL, "秘书处（演示）", groups=(MEMBERSHIP_OFFICERS,))
    individual = MembershipType.objects.get(name="个人会员")
    stages: dict[str, list[ExpertApplication]] = {}
    for number, applicant in enumerate(APPLICANTS, 1):
        user = _member(applicant, officer, individual, today)
        application = _application(applicant, user, number, today)
        if applicant.stage.isdigit():
            _review(application, reviewers, number)
        elif applicant.stage == "queue-reviewed":
            _review(application, reviewers, number, only_second=True)
        elif applicant.stage == "returned":
            services.return_for_changes(application, by=chair, comments=RETURN_NOTE)
        stages.setdefault(applicant.stage, []).append(application)
    progress(f"  expert applicants {len(APPLICANTS)}, reviewed by {REVIEWER_EMAIL} and {REVIEWER2_EMAIL}")
    for number, days_ago in BATCH_DAYS_AGO.items():
        published_on = _on_or_before(today - datetime.timedelta(days=days_ago))
        batch = _batch(
            number,
            stages[str(number)],
            chair=chair,
            reviewers=reviewers,
            published_on=published_on,
            today=today,
            close=days_ago > 0,
        )
        if batch.closed_at:
            state = f"closed {_after(batch.notice_ends):%Y-%m-%d}, {batch.experts.count()} experts admitted"
        else:
            state = f"in its notice period until {batch.notice_ends:%Y-%m-%d}"
        progress(f"  expert batch {number}: published {published_on:%Y-%m-%d}, {state}")
    return len(APPLICANTS)
