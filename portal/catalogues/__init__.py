"""Pure-Python gettext catalogue upkeep, so translations can be extracted and compiled without GNU
gettext: `extract` finds the messages, `files` keeps the .po and .mo files (`manage.py catalogues`)."""

from .extract import (
    LANGUAGES,
    SOURCE_ROOTS,
    Catalogue,
    CatalogueError,
    Language,
    Message,
    UpdateReport,
    brace_format,
    collect,
    extract_python,
    extract_template,
    python_format,
    source_files,
)
from .files import check, compile_catalogues, render, update

__all__ = [
    "LANGUAGES",
    "SOURCE_ROOTS",
    "Catalogue",
    "CatalogueError",
    "Language",
    "Message",
    "UpdateReport",
    "brace_format",
    "check",
    "collect",
    "compile_catalogues",
    "extract_python",
    "extract_template",
    "python_format",
    "render",
    "source_files",
    "update",
]
