"""Demo aid programme for `load_demo_content`: the aid section and the two-year programme for the
city's medical staff who went to Wuhan, its counsellors, and cases run through aid.services.

Cases are registered with a generated PDF as proof, dated back months from the day of loading;
some are assigned and have sessions, one has a risk flag waiting for follow-up, one a request for
another counsellor, one waits for assignment and one is closed. The beneficiaries are plainly
fictitious (示例甲 …, 138000000xx, 某医院(虚构)). Running it again changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale

from aid import services
from aid.enums import CloseReason, Mode, Need, Risk
from aid.models import AidIndexPage, AidProgrammePage, Case, Counsellor
from demo import files
from demo.members import OFFICER_EMAIL, SCAN, _person, pay_dues
from demo.site import stream
from demo.volunteers import child, publish, translate_section
from experts.models import Specialty
from home.models import HomePage
from members import services as member_services
from members.models import Member, MembershipApplication, MembershipType
from portal.roles import AID_COORDINATORS, MEMBERSHIP_OFFICERS

COORDINATOR_EMAIL = "aid@example.com"
COUNSELLOR_EMAIL = "counsellor@example.com"
BENEFICIARY_EMAIL = "beneficiary@example.com"
INDEX_SLUG = "aid"
INDEX = (
    "援助项目",
    "协会组织会员心理咨询师开展的公益心理援助项目：符合条件的人员在线登记，由协会安排咨询师提供义务心理咨询。",
)
INDEX_EN = (
    "Aid programmes",
    "Free counselling the association's member counsellors give to groups in need: eligible people register "
    "online and are assigned a counsellor.",
)
PROGRAMME_SLUG = "wuhan-medical-staff"
PROGRAMME_TITLE = "对我市赴武汉驰援的医护人员提供两年义务心理咨询援助"
ELIGIBILITY = "我市赴湖北武汉驰援的医护人员。"
PHONE = "0411-39768800"
# Registration opened this many days before the day of loading.
OPENED_DAYS_AGO = 210

BODY = [
    {"type": "heading", "text": "项目缘起"},
    (
        "新冠肺炎疫情发生后，我市医护人员驰援武汉，在抗疫一线承受着巨大的工作压力和心理压力。"
        "为关爱白衣战士，协会决定对我市赴武汉驰援的医护人员提供两年义务心理咨询援助，"
        "并部署做好为我市赴武汉驰援的医护人员心理援助工作。"
    ),
    {"type": "heading", "text": "援助内容与期限"},
    (
        "协会组织具备专业资质的会员心理咨询师，为驰援武汉的医护人员提供义务心理咨询服务，帮助其缓解压力、调适情绪，"
        "顺利回归正常工作和生活。每位登记人由协会安排一名咨询师负责，以电话、视频或面谈的方式进行，"
        "援助期限自分配咨询师之日起两年。"
    ),
    {"type": "heading", "text": "如何登记"},
    (
        "登录协会网站后在本页在线登记，填写联系方式、驰援时间与地点和希望得到帮助的方面，并上传驰援证明。"
        "协会核实后按需求为您安排咨询师，咨询师会主动与您联系。登记后可随时查看进度；对咨询师不满意的，可以申请更换。"
    ),
    {"type": "heading", "text": "工作原则"},
    (
        "严守心理咨询伦理原则和保密要求：对服务对象的个人和家庭隐私，包括个人信息、经历、家庭情况等严格保密。"
        "登记信息和咨询记录加密保存，只有负责您的咨询师和协会援助协调员可以查看，每次查看都有记录。"
    ),
    "分类分级：根据服务对象的不同需求（情绪与压力、创伤与应激反应、睡眠、哀伤、家庭、工作等）分类安排咨询师和援助方式。",
    (
        "及时发现处置高危风险：咨询中发现有自伤、自杀或冲动伤人风险的，咨询师第一时间向协会报告，"
        "协会立即组织危机干预，必要时协助转诊至精神卫生医疗机构。"
    ),
    {"type": "heading", "text": "联系方式"},
    f"协会秘书处，电话：{PHONE}。参与援助的会员须服从协会统一安排，未经允许不得擅自以协会名义开展援助活动。",
]


@dataclass(frozen=True)
class CounsellorSpec:
    email: str
    name: str
    employer: str
    qualification: str
    district: str
    specialties: tuple[str, ...]
    modes: tuple[str, ...]
    capacity: int


COUNSELLORS = [
    CounsellorSpec(
        COUNSELLOR_EMAIL,
        "宋佳音（演示）",
        "大连市心理咨询中心",
        "counsellor-2",
        "zhongshan",
        ("trauma", "crisis"),
        (Mode.PHONE, Mode.VIDEO),
        4,
    ),
    CounsellorSpec(
        "counsellor.lv@example.com",
        "吕文静（演示）",
        "沙河口区社会心理服务站",
        "psychotherapist",
        "shahekou",
        ("grief", "family"),
        (Mode.PHONE, Mode.IN_PERSON),
        3,
    ),
    CounsellorSpec(
        "counsellor.tian@example.com",
        "田卫东（演示）",
        "甘井子区某医院（虚构）心理科",
        "psychiatrist",
        "ganjingzi",
        ("workplace", "trauma"),
        (Mode.VIDEO, Mode.IN_PERSON),
        3,
    ),
]


@dataclass(frozen=True)
class CaseSpec:
    email: str
    name: str
    phone: str
    workplace: str
    deployment: str
    needs: tuple[str, ...]
    needs_detail: str
    mode: str
    district: str
    preferred_times: str
    registered_days_ago: int
    counsellor: str | None = None  # e-mail of the counsellor assigned
    assigned_days_ago: int = 0
    sessions_days_ago: tuple[int, ...] = ()
    story: str = ""  # "risk", "change" or "closed"


CASES = [
    CaseSpec(
        BENEFICIARY_EMAIL,
        "示例甲",
        "13800000011",
        "某医院（虚构）重症医学科",
        "2020年2月至4月，湖北省武汉市某定点医院（虚构）",
        (Need.STRESS, Need.SLEEP),
        "回来后入睡困难，夜里常醒，想起当时的病房会心慌。",
        Mode.PHONE,
        "zhongshan",
        "工作日晚上八点以后",
        150,
        COUNSELLOR_EMAIL,
        145,
        (140, 126, 112, 98, 70, 42),
    ),
    CaseSpec(
        "beneficiary2@example.com",
        "示例乙",
        "13800000012",
        "某医院（虚构）呼吸与危重症医学科",
        "2020年2月至3月，湖北省武汉市某方舱医院（虚构）",
        (Need.TRAUMA,),
        "常常梦到抢救的场面，情绪低落，不太愿意和家人说话。",
        Mode.VIDEO,
        "xigang",
        "周末上午",
        100,
        COUNSELLOR_EMAIL,
        96,
        (90, 76, 62, 48, 34, 1),
        story="risk",
    ),
    CaseSpec(
        "beneficiary3@example.com",
        "示例丙",
        "13800000013",
        "某医院（虚构）感染科",
        "2020年2月至4月，湖北省武汉市某定点医院（虚构）",
        (Need.FAMILY, Need.WORK),
        "回到工作岗位后和家人沟通变少，孩子的学习问题也让人焦虑。",
        Mode.IN_PERSON,
        "shahekou",
        "周六下午",
        80,
        "counsellor.lv@example.com",
        75,
        (70, 56),
        story="change",
    ),
    CaseSpec(
        "beneficiary4@example.com",
        "示例丁",
        "13800000014",
        "某医院（虚构）急诊科",
        "2020年2月至3月，湖北省武汉市某定点医院（虚构）",
        (Need.GRIEF,),
        "在武汉时送别过多位病人，至今想起仍很难过。",
        Mode.PHONE,
        "jinzhou",
        "工作日中午",
        3,
    ),
    CaseSpec(
        "beneficiary5@example.com",
        "示例戊",
        "13800000015",
        "某医院（虚构）麻醉科",
        "2020年2月至4月，湖北省武汉市某定点医院（虚构）",
        (Need.STRESS, Need.TRAUMA),
        "工作压力大，容易紧张。",
        Mode.VIDEO,
        "ganjingzi",
        "周日晚上",
        200,
        "counsellor.tian@example.com",
        195,
        (190, 176, 162),
        story="closed",
    ),
    CaseSpec(
        "beneficiary6@example.com",
        "示例己",
        "13800000016",
        "某医院（虚构）护理部",
        "2020年2月至3月，湖北省武汉市某方舱医院（虚构）",
        (Need.WORK,),
        "最近常感到疲惫，对工作提不起兴趣。",
        Mode.PHONE,
        "lushunkou",
        "工作日晚上",
        20,
        "counsellor.lv@example.com",
        14,
        (7,),
    ),
]
SESSION_NOTES = (
    "初次访谈：了解驰援经历和目前的困扰，介绍保密原则和咨询安排，约定每两周一次。",
    "来访者情绪较上次平稳，讨论了睡前放松练习和作息安排。",
    "回顾近两周的睡眠记录，练习腹式呼吸；来访者表示工作中的紧张感有所减轻。",
    "谈到与家人的沟通，布置了每天十分钟的家庭交流作业。",
)
RISK_NOTE = (
    "来访者在本次咨询中流露出消极念头，否认有具体计划；已告知其心理援助热线和紧急联系电话，建议协调员尽快安排危机评估。"
)
CHANGE_REASON = "希望换一位周末可以面谈的咨询师，平时值班时间不固定。"


def _session_notes(number: int) -> str:
    """The first session's notes, then the others in turn."""
    return SESSION_NOTES[0] if number == 1 else SESSION_NOTES[1 + (number - 2) % (len(SESSION_NOTES) - 1)]


def _proof(name: str) -> ContentFile:
    """A one-page PDF standing in for the certificate of deployment a beneficiary uploads."""
    pdf = files.pdf_document(
        "驰援证明（演示）",
        [
            f"兹证明{name}（虚构人物）于2020年随我市医疗队赴湖北省武汉市参加新冠肺炎医疗救治工作。",
            "本文件由演示数据生成，不具任何证明效力。",
        ],
        author="大连市心理咨询师协会（演示）",
    )
    return ContentFile(pdf, name="驰援证明.pdf")


# Loading --------------------------------------------------------------------------------------------


def load(today: datetime.date, *, editor=None, progress: Callable[[str], None] = print) -> int:
    """Create what is missing; returns how many cases were registered (0 once the programme exists)."""
    home = HomePage.objects.filter(locale=Locale.get_default(), depth=2).first()
    if home is None:
        progress("  aid programme: no home page, skipped")
        return 0
    # The people are fictitious: the services' e-mails to them go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            coordinator = _person(COORDINATOR_EMAIL, "援助协调员（演示）", groups=(AID_COORDINATORS,))
            editor = editor or coordinator
            index = child(home, INDEX_SLUG)
            if index is None:
                index = AidIndexPage(title=INDEX[0], slug=INDEX_SLUG, intro=INDEX[1], show_in_menus=True)
                home.add_child(instance=index)
                publish(index, editor)
            programme = child(index, PROGRAMME_SLUG)
            added = 0
            if programme is None:
                programme = _programme(index, editor, today)
                counsellors = _counsellors(programme, today)
                added = _cases(programme, counsellors, coordinator, today)
                progress(
                    f"  aid programme: {added} cases, {len(counsellors)} counsellors, "
                    f"coordinated by {COORDINATOR_EMAIL}"
                )
    translate_section(home, [index, programme], INDEX_EN, editor=editor, progress=progress, name="aid section")
    return added


def _programme(index: AidIndexPage, editor, today: datetime.date) -> AidProgrammePage:
    page = AidProgrammePage(
        title=PROGRAMME_TITLE,
        slug=PROGRAMME_SLUG,
        summary="协会组织会员心理咨询师，为我市赴武汉驰援的医护人员提供为期两年的义务心理咨询援助。",
        eligibility=ELIGIBILITY,
        term_months=24,
        capacity=200,
        case_prefix="WH",
        registration_opens=today - datetime.timedelta(days=OPENED_DAYS_AGO),
        body=stream(BODY),
    )
    index.add_child(instance=page)
    publish(page, editor)
    return page


def _counsellors(programme: AidProgrammePage, today: datetime.date) -> dict[str, Counsellor]:
    """Members in good standing, admitted through a membership application, who volunteer as counsellors."""
    officer = _person(OFFICER_EMAIL, "秘书处（演示）", groups=(MEMBERSHIP_OFFICERS,))
    individual = MembershipType.objects.get(name="个人会员")
    counsellors = {}
    for spec in COUNSELLORS:
        user = _person(spec.email, spec.name)
        if not Member.objects.filter(user=user).exists():
            application = MembershipApplication.objects.create(
                applicant=user,
                full_name=spec.name,
                phone="13900000003",
                employer=spec.employer,
                district=spec.district,
                qualification=spec.qualification,
                certificate_number="DEMO-0003",
                years_of_practice=8,
                membership_type=individual,
                charter_agreed=True,
            )
            application.certificate_scan.save("demo.pdf", ContentFile(SCAN))
            member_services.submit_application(application, by=user)
            joined_on = datetime.date(today.year - 4, 3, 1)
            pay_dues(member_services.approve_application(application, by=officer, joined_on=joined_on), officer=officer)
        counsellor, _created = Counsellor.objects.get_or_create(
            user=user,
            defaults={
                "qualification": spec.qualification,
                "district": spec.district,
                "modes": list(spec.modes),
                "capacity": spec.capacity,
                "joined_on": today - datetime.timedelta(days=OPENED_DAYS_AGO),
            },
        )
        counsellor.programmes.add(programme)
        counsellor.specialties.set(Specialty.objects.filter(slug__in=spec.specialties))
        counsellors[spec.email] = counsellor
    return counsellors


def _cases(programme: AidProgrammePage, counsellors: dict[str, Counsellor], coordinator, today) -> int:
    now = timezone.now()
    for spec in CASES:
        user = _person(spec.email, spec.name)
        case = services.register(
            programme,
            user,
            personal={
                "full_name": spec.name,
                "phone": spec.phone,
                "workplace": spec.workplace,
                "deployment": spec.deployment,
                "needs_detail": spec.needs_detail,
                "preferred_times": spec.preferred_times,
            },
            needs=list(spec.needs),
            preferred_mode=spec.mode,
            district=spec.district,
            proof=_proof(spec.name),
            consent=True,
        )
        registered_at = now - datetime.timedelta(days=spec.registered_days_ago)
        Case.objects.filter(pk=case.pk).update(registered_at=registered_at, consent_at=registered_at)
        if spec.counsellor is None:
            continue
        counsellor = counsellors[spec.counsellor]
        services.assign(
            case, counsellor, by=coordinator, starts_on=today - datetime.timedelta(days=spec.assigned_days_ago)
        )
        for number, days_ago in enumerate(spec.sessions_days_ago, 1):
            services.log_session(
                case,
                by=counsellor.user,
                held_on=today - datetime.timedelta(days=days_ago),
                minutes=50,
                mode=spec.mode,
                notes=_session_notes(number),
                idempotency_key=f"demo-{case.number}-{number}",
            )
        if spec.story == "risk":
            services.raise_risk(case, by=counsellor.user, kinds=[Risk.SUICIDE], note=RISK_NOTE)
        elif spec.story == "change":
            services.request_change(case, by=user, reason=CHANGE_REASON)
        elif spec.story == "closed":
            services.close_case(case, by=coordinator, reason=CloseReason.DECLINED)
    return len(CASES)
