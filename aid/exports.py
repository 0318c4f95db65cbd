"""The anonymised export of aid sessions, for the association's reports and its funders.

One row per session, from `services.anonymised_rows`: a case appears only under an identifier that
cannot be turned back into its number, with no name, contact, workplace, proof or notes. The
columns are the association's Chinese headings, whatever language the person downloading reads.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from portal.exports import csv_bytes

from .models import AidProgrammePage
from .services import anonymised_rows

COLUMNS = {
    "case": "匿名编号",
    "programme": "援助项目",
    "month": "月份",
    "minutes": "时长（分钟）",
    "mode": "方式",
    "needs": "需求类别",
    "district": "所在区市县",
}


def anonymised_csv(programme: AidProgrammePage | None = None) -> bytes:
    """The sessions as CSV for a spreadsheet (programme titles as staff typed them, kept as text)."""
    with translation.override(settings.LANGUAGE_CODE):
        rows = [[row[key] for key in COLUMNS] for row in anonymised_rows(programme)]
    return csv_bytes(list(COLUMNS.values()), rows)
