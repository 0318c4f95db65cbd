"""Demo volunteer section for `load_demo_content`: the section page, the recruitment drives and the
爱心大使 campaign batches of the association's notice centre, with applications, sign-ups, hours
and last year's commendations made through volunteers.services.

Batches 1 and 2 of each campaign ran last year (the year the commendations are for); batch 3 runs
now, with one activity full, one full with a waiting list and the others with places left. Four
drives are open and one has closed. Sign-ups to activities that have already taken place are
recorded as they stood then (the service takes sign-ups only before an activity starts); hours are
reported, approved, corrected and recorded through the services. Every person here is fictitious;
what the services would e-mail them goes nowhere. Running it again changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale, Page

from demo.members import _person
from demo.site import stream
from home.models import HomePage
from portal.localization.services import machine_translate
from portal.roles import VOLUNTEER_COORDINATORS
from volunteers import services
from volunteers.enums import Qualification, QuestionKind, SignUpStatus
from volunteers.models import (
    Activity,
    CampaignPage,
    CampaignPartner,
    RecruitmentPage,
    RecruitmentQuestion,
    SignUp,
    Team,
    VolunteerIndexPage,
)

COORDINATOR_EMAIL = "coordinator@example.com"
VOLUNTEER_EMAIL = "volunteer@example.com"
INDEX_SLUG = "volunteer"
INDEX = ("志愿服务", "欢迎会员和社会爱心人士加入协会的志愿者队伍：报名参加志愿者招募，参加爱心大使公益行动。")
INDEX_EN = ("Volunteering", "Join the association's volunteers: answer a recruitment drive or take part in a campaign.")
PHONE = "0411-39768800"

# key: (e-mail, name). 林晓雨 is the volunteer whose login `make run` prints.
VOLUNTEERS = {
    "lin": (VOLUNTEER_EMAIL, "林晓雨（演示）"),
    "guo": ("volunteer.guo@example.com", "郭婷（演示）"),
    "han": ("volunteer.han@example.com", "韩磊（演示）"),
    "du": ("volunteer.du@example.com", "杜佳（演示）"),
    "shao": ("volunteer.shao@example.com", "邵文博（演示）"),
    "jiang": ("volunteer.jiang@example.com", "蒋红（演示）"),
    "pan": ("volunteer.pan@example.com", "潘宇（演示）"),
    "bai": ("volunteer.bai@example.com", "白雪（演示）"),
    "qu": ("volunteer.qu@example.com", "曲波（演示）"),
    "yu": ("volunteer.yu@example.com", "于洋（演示）"),
}
PHONES = {key: f"1390000{number:04d}" for number, key in enumerate(VOLUNTEERS, 11)}

# Recruitment drives ---------------------------------------------------------------------------------

TEAMS = {
    "心理剧社": "协会会员的心理剧学习与实践团体，以心理剧的形式开展心理健康宣传和会员交流。",
    "大连市反家暴志愿者联盟 心理咨询组": "为家庭暴力受害人提供心理疏导和心理支持，参与反家庭暴力宣传教育。",
    "社区家庭教育顾问": "兼职社区家庭教育顾问，为社区居民提供家庭教育咨询和亲子关系指导。",
    "大连市家庭教育讲师团": "面向家庭、学校和社区开展家庭教育讲座和咨询活动的专家和讲师。",
    "老年人抑郁筛查及心理干预服务项目组": "深入社区为老年人开展抑郁筛查，为有需要的老年人提供心理干预服务。",
}
SCREENING_TEAM = "老年人抑郁筛查及心理干预服务项目组"


@dataclass(frozen=True)
class Question:
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    help_text: str = ""
    required: bool = True


@dataclass(frozen=True)
class Application:
    volunteer: str
    outcome: str  # "submitted", "shortlisted", "accepted" or "rejected"
    motivation: str
    answers: tuple[str, ...]  # one per question of the drive
    note: str = ""


@dataclass(frozen=True)
class Drive:
    slug: str
    title: str
    team: str
    purpose: str
    requirements: str
    places: int
    deadline_in: int  # days from the day of loading; negative: the drive has closed
    body: tuple[str, ...]
    questions: tuple[Question, ...]
    applications: tuple[Application, ...] = ()


YES_NO = QuestionKind.YES_NO
HOW_TO_APPLY = "报名方式：登录协会网站后在本页在线报名，填写报名理由和本次招募的问题，报名后可随时查看办理进度。"

DRIVES = [
    Drive(
        slug="psychodrama-club",
        title="关于招募《心理剧社》社员的通知",
        team="心理剧社",
        purpose="为丰富会员专业学习和交流形式，提升会员运用心理剧开展心理服务的能力，协会《心理剧社》现面向全体会员招募社员。",
        requirements="协会会员，对心理剧理论与实践感兴趣，能够坚持参加心理剧社活动（每月一次周末排练）。",
        places=12,
        deadline_in=20,
        body=(
            "心理剧社定期组织心理剧理论学习、技术练习和排练，并以心理剧展演的形式走进社区、学校开展心理健康宣传。",
            "社员由协会统一组织活动，在有经验的心理剧导演带领下学习和实践，活动中涉及的个人经历严格保密。",
            HOW_TO_APPLY,
            f"咨询电话：{PHONE}。",
        ),
        questions=(
            Question("是否参加过心理剧或戏剧表演？", YES_NO),
            Question(
                "您更希望在剧社中承担的工作",
                QuestionKind.CHOICE,
                choices=("主角或辅角", "导演助理", "展演组织与宣传", "都可以"),
            ),
            Question("每月能参加几次周末排练？", QuestionKind.TEXT, help_text="例如：一到两次"),
        ),
        applications=(
            Application(
                "lin",
                "accepted",
                "在社区服务中看到心理剧展演对居民的触动，希望系统学习心理剧，把它用到社区心理健康宣传中。",
                ("否", "展演组织与宣传", "每月一到两次"),
            ),
            Application(
                "han",
                "shortlisted",
                "大学时参加过话剧社，从事心理咨询工作五年，想学习心理剧技术并参加展演。",
                ("是", "主角或辅角", "每月一次"),
            ),
            Application(
                "qu",
                "submitted",
                "希望通过心理剧社与同行交流，提升团体辅导能力。",
                ("否", "都可以", "每月一次，节假日可以多参加"),
            ),
        ),
    ),
    Drive(
        slug="anti-domestic-violence-counselling",
        title="【心理咨询组】大连市反家暴志愿者联盟招募！",
        team="大连市反家暴志愿者联盟 心理咨询组",
        purpose="大连市反家暴志愿者联盟现面向我市心理咨询师招募心理咨询组志愿者，为家庭暴力受害人提供心理疏导和心理支持服务，参与反家庭暴力宣传教育活动。",
        requirements="热心公益、具备心理咨询专业资质（国家二级心理咨询师或心理治疗师）的协会会员；能接受联盟组织的岗前培训和定期督导。",
        places=8,
        deadline_in=30,
        body=(
            "心理咨询组志愿者以电话、面谈等方式为家庭暴力受害人提供心理疏导和心理支持，协助开展危机评估和转介，"
            "并参加社区反家庭暴力宣传教育活动。",
            "服务中涉及的个人和家庭信息严格保密；发现有自伤、伤害他人等高危风险时，须第一时间向联盟负责人报告。",
            HOW_TO_APPLY,
            f"咨询电话：{PHONE}。",
        ),
        questions=(
            Question(
                "您的心理咨询专业资质",
                QuestionKind.CHOICE,
                choices=("国家二级心理咨询师", "心理治疗师", "国家三级心理咨询师", "其他"),
            ),
            Question("是否有为家庭暴力受害人或危机个案提供咨询的经验？", YES_NO),
            Question("每月可提供服务的时间", QuestionKind.TEXTAREA, help_text="例如：每周三晚上，周末上午"),
        ),
        applications=(
            Application(
                "du",
                "rejected",
                "关注家庭暴力问题，希望用所学帮助受害人。",
                ("国家三级心理咨询师", "否", "周末全天"),
                note="本组要求具备国家二级心理咨询师或心理治疗师资质，您目前的资质暂不符合。"
                "欢迎参加协会的爱心大使公益行动，取得相应资质后再报名。",
            ),
            Application(
                "bai",
                "submitted",
                "在妇女儿童服务机构做过两年个案咨询，接触过遭受家庭暴力的来访者。",
                ("国家二级心理咨询师", "是", "每周三晚上，每月两个周六上午"),
            ),
        ),
    ),
    Drive(
        slug="community-family-education-advisers",
        title="关于招募家庭教育工作者担任兼职社区家庭教育顾问的通知",
        team="社区家庭教育顾问",
        purpose="为推进社区家庭教育工作，协会现招募家庭教育工作者担任兼职社区家庭教育顾问，为社区居民提供家庭教育咨询和亲子关系指导。",
        requirements="从事家庭教育或心理咨询工作，具有相关专业知识和实践经验，能定期到所在区的社区开展服务。",
        places=20,
        deadline_in=-15,
        body=(
            "社区家庭教育顾问将深入社区，为居民提供家庭教育咨询和亲子关系指导，开展家庭教育讲座等服务。",
            "顾问由协会统一培训后，按就近原则安排到社区服务。",
            f"本次招募已截止，感谢大家的关注。咨询电话：{PHONE}。",
        ),
        questions=(
            Question("从事家庭教育或心理咨询工作的年限", QuestionKind.TEXT),
            Question("希望服务的区市县", QuestionKind.TEXT),
        ),
    ),
    Drive(
        slug="family-education-lecturers",
        title="关于 “大连市家庭教育讲师团” 招募专家和讲师的通知",
        team="大连市家庭教育讲师团",
        purpose="为普及科学的家庭教育理念和方法，“大连市家庭教育讲师团”现面向社会招募专家和讲师，面向家庭、学校和社区开展家庭教育讲座和咨询活动。",
        requirements="在家庭教育、心理咨询等领域具有专业知识和实践经验；有面向家长授课经验者优先。",
        places=15,
        deadline_in=45,
        body=(
            "讲师团将面向家庭、学校和社区开展家庭教育讲座和咨询活动。入选的专家和讲师由讲师团统一安排授课，"
            "讲座主题和内容经集体备课后确定。",
            HOW_TO_APPLY,
            f"咨询电话：{PHONE}。",
        ),
        questions=(
            Question("擅长的讲座主题", QuestionKind.TEXT, help_text="例如：青春期亲子沟通"),
            Question("是否有面向家长授课的经验？", YES_NO),
            Question("可以授课的区市县", QuestionKind.TEXT, required=False),
        ),
        applications=(
            Application(
                "yu",
                "submitted",
                "在小学担任心理健康教师八年，经常为家长开设讲座，希望为更多家庭服务。",
                ("小学生学习习惯与亲子沟通", "是", "甘井子区、沙河口区"),
            ),
        ),
    ),
    Drive(
        slug="elderly-depression-screening",
        title="关于招募实施《老年人抑郁筛查及心理干预服务项目》通知",
        team=SCREENING_TEAM,
        purpose="为关注老年人心理健康，及早发现和干预老年人抑郁问题，协会实施《老年人抑郁筛查及心理干预服务项目》，现面向会员招募项目实施人员。",
        requirements="具备心理咨询专业资质、热心公益、能够保证服务时间的协会会员；须参加项目的筛查工具培训。",
        places=10,
        deadline_in=10,
        body=(
            "项目将深入社区，为老年人开展抑郁筛查，为筛查中发现有需要的老年人提供心理干预服务，并开展老年心理健康科普宣传。",
            "项目组成员参加“关注老年人抑郁孤独”公益行动中的社区筛查活动；筛查结果和老人的个人信息严格保密。",
            HOW_TO_APPLY,
            f"咨询电话：{PHONE}。",
        ),
        questions=(
            Question("是否接受过老年抑郁量表等筛查工具的培训？", YES_NO),
            Question("每周可服务的时间", QuestionKind.TEXT, help_text="例如：周二、周四上午"),
        ),
        applications=(
            Application(
                "jiang",
                "accepted",
                "在社区卫生服务中心工作，常接触独居老人，希望参与抑郁筛查和随访。",
                ("是", "周二、周四上午"),
            ),
            Application(
                "pan",
                "accepted",
                "退休前是中学心理教师，时间充裕，愿意为老年人服务。",
                ("否", "周一至周五均可"),
            ),
            Application(
                "guo",
                "shortlisted",
                "参加过去年的爱心大使走访活动，想更系统地为老人提供心理服务。",
                ("否", "周六全天"),
            ),
        ),
    ),
]

# Campaigns ------------------------------------------------------------------------------------------

ELDERLY = "关注老年人抑郁孤独"
CHILDHOOD = "护航童年，远离侵害"
ORGANISER = ("大连市心理咨询师协会", "主办")
CENTRE = ("协会附属心理咨询中心", "专业支持")
CORRECTION_NOTE = "活动前的准备时间不计入服务时长，按签到表确认 %(hours)s 小时。"

# When an activity or batch happens: days from the day of loading, or (month, day) of last year.
When = int | tuple[int, int]


@dataclass(frozen=True)
class Visit:
    """An activity and the volunteers who came to it (past) or signed up for it (to come), in order."""

    title: str
    when: When
    start: tuple[int, int]
    hours: float
    place: str
    district: str
    places: int
    description: str
    # Past: (volunteer, "approved" | "corrected" | "recorded" | "absent" | "reported"); to come: volunteer keys.
    people: tuple = ()
    qualification: str = Qualification.OPEN


@dataclass(frozen=True)
class Campaign:
    slug: str
    title: str
    theme: str
    batch: int
    starts: When
    ends: When
    summary: str
    body: tuple[str, ...]
    partners: tuple[tuple[str, str], ...]
    visits: tuple[Visit, ...]
    team: str | None = None


def _elderly_body(batch: str) -> tuple[str, ...]:
    return (
        "“关注老年人抑郁孤独”公益行动是协会组织开展的关爱老年人心理健康公益项目，旨在引导社会关注老年人的抑郁、"
        "孤独等心理问题，为有需要的老年人提供心理关爱服务。",
        f"{batch}爱心大使由会员和社会爱心人士组成，走进社区、养老机构，开展心理健康讲座、入户陪伴走访和抑郁筛查。"
        "走访中发现情绪低落、有需要的老人，经本人同意后转介协会心理咨询师跟进。",
        "每项活动名额有限，报满后可以候补，有人取消时按候补顺序递补；活动结束后请填报服务时长，由协调员确认后计入志愿服务记录。",
        f"欢迎更多会员和社会各界爱心人士成为爱心大使，共同关注老年人心理健康。联系电话：{PHONE}。",
    )


def _childhood_body(batch: str) -> tuple[str, ...]:
    return (
        "“护航童年，远离侵害”公益行动是协会组织开展的儿童保护公益项目，旨在普及儿童防范侵害知识，关注儿童心理健康，"
        "为儿童健康成长营造安全的环境。",
        f"{batch}爱心大使走进校园和社区，为孩子们开展安全自护课堂，为家长开设识别儿童受侵害信号的家长课堂，"
        "并以情景剧展演的形式普及防范侵害知识。活动中涉及儿童的个人信息严格保密。",
        "每项活动名额有限，报满后可以候补，有人取消时按候补顺序递补；活动结束后请填报服务时长，由协调员确认后计入志愿服务记录。",
        f"欢迎更多会员和社会各界爱心人士成为爱心大使，共同守护儿童健康成长。联系电话：{PHONE}。",
    )


ELDERLY_LECTURE = "两位心理咨询师主讲老年人常见的情绪变化、抑郁的早期表现和求助途径，志愿者协助签到、引导和会后答疑。"
HOME_VISITS = "两人一组入户陪伴独居老人，聊天、读报，了解老人的情绪和生活状况，走访后填写记录交协调员。"
SCREENING = (
    "在社区为60岁以上老人开展抑郁筛查，由项目组成员使用标准化量表一对一进行，结果当场向老人说明，需要时预约回访。"
)
CARE_HOME = "到养老院陪伴老人做手工、唱老歌、做放松练习，与护理人员交流老人的情绪变化。"
SAFETY_CLASS = "面向小学中高年级学生的安全自护课堂：身体边界、识别不安全的接触、学会拒绝和求助，以游戏和情景练习为主。"
PARENT_CLASS = "面向家长：儿童受侵害后可能出现的情绪和行为信号，如何与孩子谈论身体安全，发现问题后向哪里求助。"
DRAMA = "志愿者以情景剧的形式展演防范侵害的常见情境，演后与孩子和家长互动讨论。"
SUMMER_CAMP = "暑期一日营：安全自护游戏、情景剧练习和团体辅导，家长同场参加家长课堂。"

CAMPAIGNS = [
    Campaign(
        slug="elderly-loneliness-batch-1",
        title="爱心大使｜关注老年人抑郁孤独公益行动（第一批）",
        theme=ELDERLY,
        batch=1,
        starts=(3, 1),
        ends=(5, 31),
        summary="协会启动“关注老年人抑郁孤独”公益行动，首批爱心大使走进社区，关爱老年人心理健康。",
        body=_elderly_body("首批"),
        partners=(ORGANISER, CENTRE, ("中山区桃源街道社区服务中心", "场地支持")),
        visits=(
            Visit(
                "老年人心理健康讲座：走出孤独，乐享晚年",
                (3, 15),
                (9, 0),
                3,
                "中山区桃源街道社区服务中心",
                "zhongshan",
                8,
                ELDERLY_LECTURE,
                people=(("lin", "approved"), ("guo", "approved"), ("han", "recorded"), ("du", "absent")),
            ),
            Visit(
                "独居老人入户陪伴走访",
                (4, 12),
                (8, 30),
                4,
                "沙河口区春柳街道（社区服务中心集合）",
                "shahekou",
                6,
                HOME_VISITS,
                people=(("lin", "corrected"), ("guo", "approved"), ("shao", "approved")),
            ),
        ),
    ),
    Campaign(
        slug="elderly-loneliness-batch-2",
        title="爱心大使｜第二批关注老年人抑郁孤独公益行动",
        theme=ELDERLY,
        batch=2,
        starts=(9, 1),
        ends=(11, 30),
        summary="第二批爱心大使加入“关注老年人抑郁孤独”公益行动，走进社区和养老院，开展抑郁筛查和陪伴关爱。",
        body=_elderly_body("第二批"),
        partners=(ORGANISER, CENTRE, ("甘井子区红旗街道养老服务中心", "场地支持")),
        visits=(
            Visit(
                "老年人抑郁筛查进社区",
                (9, 20),
                (9, 0),
                6,
                "甘井子区红旗街道养老服务中心",
                "ganjingzi",
                6,
                SCREENING,
                people=(("lin", "approved"), ("guo", "recorded"), ("jiang", "approved")),
            ),
            Visit(
                "养老院心理关爱陪伴日",
                (10, 25),
                (14, 0),
                3,
                "金州区友谊街道敬老院",
                "jinzhou",
                10,
                CARE_HOME,
                people=(("lin", "approved"), ("shao", "approved"), ("pan", "approved")),
            ),
        ),
    ),
    Campaign(
        slug="elderly-loneliness-batch-3",
        title="爱心大使｜第三批关注老年人抑郁孤独公益行动",
        theme=ELDERLY,
        batch=3,
        starts=-21,
        ends=69,
        summary="第三批爱心大使加入“关注老年人抑郁孤独”公益行动，本批与《老年人抑郁筛查及心理干预服务项目》联合开展社区筛查。",
        body=_elderly_body("第三批"),
        partners=(ORGANISER, CENTRE, ("西岗区八一路街道社区服务中心", "场地支持")),
        team=SCREENING_TEAM,
        visits=(
            Visit(
                "独居老人入户陪伴走访",
                -7,
                (8, 30),
                4,
                "沙河口区春柳街道（社区服务中心集合）",
                "shahekou",
                6,
                HOME_VISITS,
                people=(("lin", "reported"), ("guo", "reported"), ("shao", "reported")),
            ),
            Visit(
                "走出孤独：社区老年人心理健康讲座",
                5,
                (9, 0),
                2.5,
                "西岗区八一路街道社区服务中心",
                "xigang",
                4,
                ELDERLY_LECTURE,
                people=("lin", "guo", "shao", "jiang"),
            ),
            Visit(
                "老年人抑郁筛查进社区",
                12,
                (9, 0),
                6,
                "甘井子区红旗街道养老服务中心",
                "ganjingzi",
                6,
                SCREENING + "本场仅限项目组成员报名。",
                people=("jiang", "pan"),
                qualification=Qualification.TEAM,
            ),
            Visit(
                "养老院心理关爱陪伴日",
                26,
                (14, 0),
                3,
                "金州区友谊街道敬老院",
                "jinzhou",
                8,
                CARE_HOME,
                people=("bai", "qu", "yu"),
            ),
        ),
    ),
    Campaign(
        slug="childhood-protection-batch-1",
        title="爱心大使｜“护航童年，远离侵害”公益行动（第一批）",
        theme=CHILDHOOD,
        batch=1,
        starts=(4, 1),
        ends=(6, 30),
        summary="协会启动“护航童年，远离侵害”公益行动，首批爱心大使走进校园和社区，守护儿童健康成长。",
        body=_childhood_body("首批"),
        partners=(ORGANISER, CENTRE, ("西岗区人民广场街道社区服务中心", "场地支持")),
        visits=(
            Visit(
                "安全自护课堂进校园",
                (4, 20),
                (9, 0),
                2,
                "西岗区人民广场街道社区服务中心（辖区小学学生）",
                "xigang",
                6,
                SAFETY_CLASS,
                people=(("guo", "approved"), ("bai", "approved")),
            ),
            Visit(
                "家长课堂：识别儿童受侵害的早期信号",
                (5, 24),
                (19, 0),
                2,
                "沙河口区黑石礁街道社区服务中心",
                "shahekou",
                8,
                PARENT_CLASS,
                people=(("lin", "approved"), ("bai", "recorded"), ("yu", "approved")),
            ),
        ),
    ),
    Campaign(
        slug="childhood-protection-batch-2",
        title="爱心大使｜第二批“护航童年，远离侵害”公益行动",
        theme=CHILDHOOD,
        batch=2,
        starts=(7, 1),
        ends=(8, 31),
        summary="第二批爱心大使加入“护航童年，远离侵害”公益行动，暑期走进社区开展儿童安全自护营和情景剧展演。",
        body=_childhood_body("第二批"),
        partners=(ORGANISER, CENTRE, ("甘井子区泉水街道社区服务中心", "场地支持")),
        visits=(
            Visit(
                "暑期儿童安全自护营",
                (7, 18),
                (9, 0),
                6,
                "甘井子区泉水街道社区服务中心",
                "ganjingzi",
                10,
                SUMMER_CAMP,
                people=(("lin", "approved"), ("guo", "approved"), ("bai", "approved"), ("yu", "absent")),
            ),
            Visit(
                "社区儿童防侵害情景剧展演",
                (8, 22),
                (14, 0),
                3,
                "中山区老虎滩街道社区文化广场",
                "zhongshan",
                8,
                DRAMA,
                people=(("bai", "approved"), ("qu", "approved")),
            ),
        ),
    ),
    Campaign(
        slug="childhood-protection-batch-3",
        title="爱心大使｜第三批“护航童年，远离侵害”公益行动",
        theme=CHILDHOOD,
        batch=3,
        starts=-10,
        ends=80,
        summary="第三批爱心大使加入“护航童年，远离侵害”公益行动，本批开展安全自护课堂、家长课堂和情景剧展演。",
        body=_childhood_body("第三批"),
        partners=(ORGANISER, CENTRE, ("沙河口区黑石礁街道社区服务中心", "场地支持")),
        visits=(
            Visit(
                "安全自护课堂进校园",
                8,
                (9, 0),
                2,
                "西岗区人民广场街道社区服务中心（辖区小学学生）",
                "xigang",
                3,
                SAFETY_CLASS,
                people=("guo", "bai", "yu", "lin", "du"),
            ),
            Visit(
                "家长课堂：识别儿童受侵害的早期信号",
                19,
                (19, 0),
                2,
                "沙河口区黑石礁街道社区服务中心",
                "shahekou",
                10,
                PARENT_CLASS,
                people=("shao", "pan", "qu", "han"),
            ),
            Visit(
                "社区儿童防侵害情景剧展演",
                33,
                (14, 0),
                2.5,
                "中山区老虎滩街道社区文化广场",
                "zhongshan",
                6,
                DRAMA,
                people=("han",),
            ),
        ),
    ),
]
COMMENDATION_CITATION = "热心参加爱心大使公益行动，全年服务时长达到协会表彰标准。"


def _day(when: When, today: datetime.date) -> datetime.date:
    if isinstance(when, int):
        return today + datetime.timedelta(days=when)
    return datetime.date(today.year - 1, *when)


def publish(page: Page, editor) -> None:
    page.save_revision(user=editor, log_action=False).publish(
        user=editor, log_action=False, skip_permission_checks=True
    )


def child(parent: Page, slug: str):
    return Page.objects.child_of(parent).filter(slug=slug).specific().first()


def translate_section(home: HomePage, pages: list[Page], english: tuple[str, str], *, editor, progress, name: str):
    """A section's pages in 繁體, like the rest of the demo, and its section page (the first) in English,
    where those sites exist: the English site has its sections, not their 简体 contents."""
    zh_hant = Locale.objects.filter(language_code="zh-hant").first()
    if zh_hant and Page.objects.filter(translation_key=home.translation_key, locale=zh_hant).exists():
        missing = [
            page
            for page in pages
            if not Page.objects.filter(translation_key=page.translation_key, locale=zh_hant).exists()
        ]
        for page in missing:
            machine_translate(page, zh_hant, editor)
        if missing:
            progress(f"  {name} in 繁體： {len(missing)} pages")
    en = Locale.objects.filter(language_code="en").first()
    section = pages[0]
    if (
        en
        and Page.objects.filter(translation_key=home.translation_key, locale=en).exists()
        and not Page.objects.filter(translation_key=section.translation_key, locale=en).exists()
    ):
        copy = section.copy_for_translation(en)
        copy.title, copy.intro = english
        publish(copy, editor)
        progress(f"  {name} in English")


# Loading --------------------------------------------------------------------------------------------


def load(today: datetime.date, *, editor=None, progress: Callable[[str], None] = print) -> int:
    """Create what is missing; returns how many pages were added (0 once they all exist)."""
    home = HomePage.objects.filter(locale=Locale.get_default(), depth=2).first()
    if home is None:
        progress("  volunteer section: no home page, skipped")
        return 0
    # The people are fictitious: the services' e-mails to them go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            coordinator = _person(COORDINATOR_EMAIL, "志愿服务协调员（演示）", groups=(VOLUNTEER_COORDINATORS,))
            editor = editor or coordinator
            people = {key: _person(email, name) for key, (email, name) in VOLUNTEERS.items()}
            teams = {
                name: Team.objects.get_or_create(name=name, defaults={"description": text})[0]
                for name, text in TEAMS.items()
            }
            index, added = _index(home, editor)
            drives = [_drive(index, drive, teams, people, coordinator, editor, today) for drive in DRIVES]
            campaigns = [
                _campaign(index, campaign, teams, people, coordinator, editor, today) for campaign in CAMPAIGNS
            ]
            added += sum(made for _page, made in drives + campaigns)
            if any(made for _page, made in campaigns):
                _commend(today.year - 1, coordinator, progress)
    pages = [index] + [page for page, _made in drives + campaigns]
    translate_section(home, pages, INDEX_EN, editor=editor, progress=progress, name="volunteer section")
    if added:
        progress(
            f"  volunteer section: {len(DRIVES)} drives and {len(CAMPAIGNS)} campaign batches, "
            f"coordinated by {COORDINATOR_EMAIL}"
        )
    return added


def _index(home: HomePage, editor) -> tuple[VolunteerIndexPage, int]:
    existing = child(home, INDEX_SLUG)
    if existing is not None:
        return existing, 0
    page = VolunteerIndexPage(title=INDEX[0], slug=INDEX_SLUG, intro=INDEX[1], show_in_menus=True)
    home.add_child(instance=page)
    publish(page, editor)
    return page, 1


def _drive(index, drive: Drive, teams, people, coordinator, editor, today) -> tuple[RecruitmentPage, int]:
    existing = child(index, drive.slug)
    if existing is not None:
        return existing, 0
    page = RecruitmentPage(
        title=drive.title,
        slug=drive.slug,
        team=teams[drive.team],
        purpose=drive.purpose,
        requirements=drive.requirements,
        places=drive.places,
        deadline=today + datetime.timedelta(days=drive.deadline_in),
        body=stream(drive.body),
    )
    for order, question in enumerate(drive.questions):
        page.questions.add(
            RecruitmentQuestion(
                label=question.label,
                kind=question.kind,
                choices="\n".join(question.choices),
                help_text=question.help_text,
                required=question.required,
                sort_order=order,
            )
        )
    index.add_child(instance=page)
    publish(page, editor)
    for application in drive.applications:  # only open drives have them: applications need an open drive
        _apply(page, drive, application, people, coordinator)
    return page, 1


def _apply(page: RecruitmentPage, drive: Drive, application: Application, people, coordinator) -> None:
    user = people[application.volunteer]
    answers = [
        {"question": question.label, "answer": answer}
        for question, answer in zip(drive.questions, application.answers, strict=True)
    ]
    sent = services.apply(
        page,
        user,
        full_name=user.full_name,
        phone=PHONES[application.volunteer],
        motivation=application.motivation,
        answers=answers,
    )
    if application.outcome in ("shortlisted", "accepted"):
        services.shortlist(sent, by=coordinator, note="材料齐全，约面谈。")
    if application.outcome == "accepted":
        services.accept(sent, by=coordinator, note="面谈通过，欢迎加入。")
    elif application.outcome == "rejected":
        services.reject(sent, by=coordinator, note=application.note)


def _campaign(index, campaign: Campaign, teams, people, coordinator, editor, today) -> tuple[CampaignPage, int]:
    existing = child(index, campaign.slug)
    if existing is not None:
        return existing, 0
    page = CampaignPage(
        title=campaign.title,
        slug=campaign.slug,
        theme=campaign.theme,
        batch_number=campaign.batch,
        starts_on=_day(campaign.starts, today),
        ends_on=_day(campaign.ends, today),
        summary=campaign.summary,
        body=stream(campaign.body),
        team=teams[campaign.team] if campaign.team else None,
    )
    for order, (name, role) in enumerate(campaign.partners):
        page.partners.add(CampaignPartner(name=name, role=role, sort_order=order))
    index.add_child(instance=page)
    publish(page, editor)
    for visit in campaign.visits:
        _activity(page, visit, people, coordinator, today)
    return page, 1


def _activity(page: CampaignPage, visit: Visit, people, coordinator, today) -> Activity:
    starts_at = timezone.make_aware(datetime.datetime.combine(_day(visit.when, today), datetime.time(*visit.start)))
    activity = Activity.objects.create(
        campaign=page,
        title=visit.title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=visit.hours),
        place=visit.place,
        district=visit.district,
        places=visit.places,
        qualification=visit.qualification,
        description=visit.description,
    )
    if activity.has_started():
        for key, outcome in visit.people:
            _served(activity, people[key], outcome, coordinator)
    else:
        for key in visit.people:
            services.sign_up(activity, people[key])
    return activity


def _served(activity: Activity, volunteer, outcome: str, coordinator) -> None:
    """A volunteer's place on an activity that has taken place, and what became of their hours."""
    signed_up_at = activity.starts_at - datetime.timedelta(days=10)
    signup = SignUp.objects.create(
        activity=activity,
        volunteer=volunteer,
        status=SignUpStatus.CONFIRMED,
        created_at=signed_up_at,
        confirmed_at=signed_up_at,
    )
    if outcome in ("approved", "reported"):
        services.report_hours(signup, by=volunteer, hours=activity.hours)
    elif outcome == "corrected":
        services.report_hours(signup, by=volunteer, hours=activity.hours + Decimal("0.5"), note="含活动前的准备时间")
    if outcome == "approved":
        services.approve_hours(signup, by=coordinator)
    elif outcome == "corrected":
        services.approve_hours(
            signup, by=coordinator, hours=activity.hours, note=CORRECTION_NOTE % {"hours": activity.hours}
        )
    elif outcome in ("recorded", "absent"):
        services.record_attendance(activity, volunteer, by=coordinator, attended=outcome == "recorded")


def _commend(year: int, coordinator, progress) -> None:
    candidates = [row["volunteer_id"] for row in services.commendation_candidates(year)]
    if candidates:
        services.commend(year, candidates, by=coordinator, citation=COMMENDATION_CITATION)
        progress(f"  volunteer commendations for {year}: {len(candidates)}")
