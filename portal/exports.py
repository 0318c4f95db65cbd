"""CSV files for spreadsheets, safe to open: text that a spreadsheet would run as a formula is kept as text.

A cell that starts with = + - @, a tab or a carriage return is a formula to Excel, LibreOffice and
WPS, so a name typed as =HYPERLINK("http://…") would become a link, or worse, in the file an officer
opens. Such text gets a leading apostrophe, which spreadsheets show as text (OWASP "CSV injection").
Numbers are left alone, whether passed as numbers or written as plain figures such as -5 or -2.5: a
figure is never a formula. Wagtail's own CSV export does not do this (its XLSX export already stores
such text as text), hence `SafeCsvExportMixin` for every admin list that exports.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value):
    """`value` as a spreadsheet will read it as text: a leading apostrophe before a would-be formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Mapping | Sequence):
    """A row of cells, as a dict (for csv.DictWriter) or a list (for csv.writer), made safe."""
    if isinstance(row, Mapping):
        return {key: safe_cell(value) for key, value in row.items()}
    return [safe_cell(value) for value in row]


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping | Sequence]) -> bytes:
    """A CSV file with a heading row, in UTF-8 with a byte-order mark so that Excel shows Chinese.
    Rows are dicts keyed by the column names, or lists in the columns' order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        cells = [row[column] for column in columns] if isinstance(row, Mapping) else row
        writer.writerow(safe_row(cells))
    return buffer.getvalue().encode("utf-8-sig")


if TYPE_CHECKING:
    from wagtail.admin.views.generic import IndexView as ExportingView
else:
    ExportingView = object


class SafeCsvExportMixin(ExportingView):
    """For an admin IndexView with `list_export`: its CSV export writes every cell through safe_cell()."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return safe_cell(value) if export_format == self.FORMAT_CSV else value
