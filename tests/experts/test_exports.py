"""A batch's list as CSV and as the PDF of the official notice."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from experts import exports, services
from experts.models import ExpertBatch
from portal.vetting.enums import Status
from tests.conftest import make_user
from tests.experts.factories import login, make_application, make_batch, make_expert

pytestmark = pytest.mark.django_db

LONG_EMPLOYER = "大连市妇女儿童医疗中心（集团）儿童青少年心理卫生与发育行为科心理咨询门诊"
PUBLISHED_ON = datetime.date(2025, 3, 3)  # a Monday: the notice period is 3 to 7 March


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


@pytest.fixture
def batch(notice_index, chair):
    applications = [
        make_application(status=Status.APPROVED, full_name="王雪梅", employer=LONG_EMPLOYER, by=chair),
        make_application(status=Status.APPROVED, full_name="刘建国", employer="辽宁师范大学心理学院", by=chair),
        make_application(status=Status.APPROVED, full_name="孙晓燕", specialties=("youth", "crisis"), by=chair),
    ]
    return make_batch(applications, by=chair, published_on=PUBLISHED_ON)


def test_the_rows_list_the_batch_by_name_with_what_the_notice_shows(batch):
    outside = make_application(status=Status.SUBMITTED, full_name="不在批次")

    rows = exports.batch_rows(batch)

    assert [row["姓名"] for row in rows] == sorted(["王雪梅", "刘建国", "孙晓燕"])
    assert [row["序号"] for row in rows] == ["1", "2", "3"]
    sun = next(row for row in rows if row["姓名"] == "孙晓燕")
    assert sun == {
        "序号": sun["序号"],
        "姓名": "孙晓燕",
        "工作单位": "大连市第七人民医院",
        "职称": "主任医师",
        "专长领域": "青少年心理、危机干预",
        "状态": "公示中",
    }
    assert outside.full_name not in {row["姓名"] for row in rows}


def test_withdrawn_applications_leave_the_list(batch):
    application = batch.applications.get(full_name="刘建国")
    services.withdraw_application(application, by=application.applicant)

    assert "刘建国" not in {row["姓名"] for row in exports.batch_rows(batch)}


def test_the_csv_opens_in_excel_with_a_chinese_header(batch):
    data = exports.batch_csv(batch)

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "姓名", "工作单位", "职称", "专长领域", "状态"]
    assert {row[1] for row in rows[1:]} == {"王雪梅", "刘建国", "孙晓燕"}
    assert [LONG_EMPLOYER] == [row[2] for row in rows[1:] if row[1] == "王雪梅"]


def test_the_pdf_is_the_official_notice_of_the_batch(batch):
    data = exports.batch_pdf(batch)

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "关于报审第一批入库专家名单的通告"
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4
    text = pdf_text(data)
    assert "关于报审第一批入库专家名单的通告" in text
    assert "2025年03月03日 至 2025年03月07日" in text
    for name in ("王雪梅", "刘建国", "孙晓燕"):
        assert name in text
    assert LONG_EMPLOYER in text
    assert "大连市心理咨询师协会" in text and text.rstrip().endswith("2025年03月03日")


def test_the_pdf_wraps_a_long_employer_inside_its_cell(batch):
    lines = PdfReader(io.BytesIO(exports.batch_pdf(batch))).pages[0].extract_text().splitlines()

    # Its beginning is on one line and the rest on the next ones, within the column.
    assert any(LONG_EMPLOYER[:8] in line for line in lines)
    assert not any(LONG_EMPLOYER in line for line in lines)


def test_a_batch_numbered_past_ten_is_titled_in_chinese_numerals(db):
    batch = ExpertBatch.objects.create(number=12)

    assert "关于报审第十二批入库专家名单的通告" in pdf_text(exports.batch_pdf(batch))
    assert exports.batch_rows(batch) == []


def test_the_exports_take_as_many_queries_for_twenty_experts_as_for_three(notice_index, chair):
    few = make_batch(
        [make_application(status=Status.APPROVED, full_name=f"甲{n:02d}", by=chair) for n in range(3)],
        by=chair,
        published_on=PUBLISHED_ON,
    )
    many = services.open_batch()
    services.add_to_batch(
        many, [make_application(status=Status.APPROVED, full_name=f"乙{n:02d}", by=chair) for n in range(20)]
    )
    many = services.publish_batch(many, by=chair, today=PUBLISHED_ON + datetime.timedelta(days=7))

    counts = {}
    for label, batch in (("few", few), ("many", many)):
        for export in (exports.batch_rows, exports.batch_csv, exports.batch_pdf):
            fresh = ExpertBatch.objects.get(pk=batch.pk)
            with CaptureQueriesContext(connection) as queries:
                export(fresh)
            counts[label, export.__name__] = len(queries.captured_queries)

    assert len(exports.batch_rows(many)) == 20
    for name in ("batch_rows", "batch_csv", "batch_pdf"):
        assert counts["few", name] == counts["many", name], name
    assert counts["few", "batch_rows"] <= 2


FORMULA = '=HYPERLINK("http://x")'


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_what_applicants_typed_cannot_run_as_a_formula_in_the_batch_list(notice_index, chair):
    application = make_application(status=Status.APPROVED, full_name=FORMULA, employer="+1+cmd|' /C calc'!A0", by=chair)
    batch = make_batch([application], by=chair, published_on=PUBLISHED_ON)

    (row,) = csv_rows(exports.batch_csv(batch))

    assert row["姓名"] == "'" + FORMULA and row["工作单位"] == "'+1+cmd|' /C calc'!A0"
    assert row["序号"] == "1"


def test_what_applicants_typed_cannot_run_as_a_formula_in_the_admin_exports(notice_index):
    make_application(full_name=FORMULA, title="@SUM(A1:A9)")
    make_expert(admitted_on=PUBLISHED_ON, full_name="-2+3+cmd|' /C calc'!A0")
    client = login(make_user("root@example.com", superuser=True))

    def exported(url_name: str) -> list[dict[str, str]]:
        response = client.get(reverse(url_name), {"export": "csv"})
        return csv_rows(b"".join(response.streaming_content) if response.streaming else response.content)

    applications = {row["姓名"]: row for row in exported("expert_applications:index")}
    experts = exported("expert_records:index")

    assert applications["'" + FORMULA]["职称/职务"] == "'@SUM(A1:A9)"
    assert applications["'" + FORMULA]["从业年限"] == "12"
    assert [row["姓名"] for row in experts] == ["'-2+3+cmd|' /C calc'!A0"]
