"""CSV files open in a spreadsheet without running what people typed: would-be formulas stay text."""

import csv
import io

import pytest
from django.urls import get_resolver
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.base import ViewSet

from portal.exports import SafeCsvExportMixin, csv_bytes, safe_cell

FORMULA = '=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("+86 138 0000 0000", "'+86 138 0000 0000"),
        ("王晓明", "王晓明"),
        ("a=b", "a=b"),
        ("", ""),
        ("-5", "-5"),  # a figure is never a formula
        ("-2.5", "-2.5"),
        ("+3", "+3"),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_kept_as_text(typed, written):
    assert safe_cell(typed) == written


def test_numbers_and_dates_stay_what_they_are():
    from decimal import Decimal

    for value in (-5, Decimal("-200.00"), -2.5, None):
        assert safe_cell(value) == value


def test_a_csv_file_has_its_headings_and_safe_cells_whether_rows_are_dicts_or_lists():
    data = csv_bytes(["姓名", "金额"], [{"姓名": FORMULA, "金额": "-5"}, [FORMULA, -5]])

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["姓名", "金额"], ["'" + FORMULA, "-5"], ["'" + FORMULA, "-5"]]


def test_every_admin_list_that_exports_writes_safe_csv(db):
    get_resolver().url_patterns  # noqa: B018 - builds the admin's URLs, which registers the viewsets
    exporting = {}
    for viewset in viewsets.viewsets:
        index_view = getattr(viewset, "index_view_class", None)
        if index_view is None:
            continue
        fields = viewset.list_export if viewset.list_export is not ViewSet.UNDEFINED else index_view.list_export
        if fields:
            exporting[viewset.name] = issubclass(index_view, SafeCsvExportMixin)

    assert len(exporting) >= 7  # members, applications, invoices, payments, expert applications, experts, drives
    assert all(exporting.values()), [name for name, safe in exporting.items() if not safe]
