"""The pure-Python replacement for makemessages/compilemessages (`manage.py catalogues`)."""

import gettext as python_gettext
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from portal import catalogues

MODELS = """\
from django.utils import translation
from django.utils.translation import gettext_lazy as _, ngettext, npgettext_lazy, pgettext_lazy

fee = _("会费")
month = pgettext_lazy("月份", "五月")
files = ngettext("%(count)s 个文件", "%(count)s 个文件", 2)
results = npgettext_lazy("搜索", "一条结果", "%(count)s 条结果", 3)
called = translation.gettext("属性" "调用")
skipped = [_(fee), _(f"{fee}"), _("")]
"""

TEMPLATE = """\
{% load i18n %}
<p>{% translate "当前位置" %}</p>
    <p>{% blocktranslate trimmed with year=selected_year %}
        {{ year }} 年暂无内容。
    {% endblocktranslate %}</p>
{% translate "菜单" context "导航" as label %}{{ value|default:_("默认") }}
{% blocktranslate count counter=items|length %}一项{% plural %}{{ counter }} 项{% endblocktranslate %}
"""

EN = {
    "会费": "Membership fees",
    "五月": "May",
    "%(count)s 个文件": ["%(count)s file", "%(count)s files"],
    "一条结果": ["One result", "%(count)s results"],
    "属性调用": "Attribute call",
    "当前位置": "You are here",
    "%(year)s 年暂无内容。": "Nothing was published in %(year)s.",
    "菜单": "Menu",
    "默认": "Default",
    "一项": ["One item", "%(counter)s items"],
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def po_path(locale: Path, code: str) -> Path:
    return locale / code / "LC_MESSAGES" / "django.po"


def translate(locale: Path, mapping: dict[str, str | list[str]]) -> None:
    path = po_path(locale, "en")
    po = polib.pofile(str(path))
    for entry in po:
        value = mapping.get(entry.msgid)
        if isinstance(value, list):
            entry.msgstr_plural = dict(enumerate(value))
        elif value is not None:
            entry.msgstr = value
    po.save(str(path))


def files(locale: Path) -> dict[str, bytes]:
    return {str(path.relative_to(locale)): path.read_bytes() for path in sorted(locale.rglob("*")) if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throw-away project tree shaped like the real one, with code that must be skipped."""
    write(tmp_path / "home" / "models.py", MODELS)
    write(tmp_path / "home" / "migrations" / "0001_initial.py", 'x = _("迁移")\n')
    write(tmp_path / "home" / "tests" / "test_models.py", 'x = _("测试")\n')
    write(tmp_path / "templates" / "home" / "page.html", TEMPLATE)
    write(tmp_path / "tests" / "page.html", '{% load i18n %}{% translate "测试模板" %}')
    return tmp_path


@pytest.fixture
def locale(project: Path) -> Path:
    """Catalogues updated, translated into English and compiled: the state --check accepts."""
    locale = project / "locale"
    catalogues.update(catalogues.collect(project), locale)
    translate(locale, EN)
    catalogues.compile_catalogues(locale)
    return locale


@pytest.fixture
def project_settings(settings, project: Path, locale: Path):
    settings.BASE_DIR = project
    settings.LOCALE_PATHS = [locale]
    return settings


def problems(project: Path, locale: Path) -> list[str]:
    return catalogues.check(catalogues.collect(project), locale)


def test_python_extraction_covers_every_keyword_and_skips_non_literals():
    found = {(m.msgctxt, m.msgid, m.msgid_plural): m.flags for m in catalogues.extract_python(MODELS, "models.py")}

    assert found == {
        ("", "会费", ""): [],
        ("月份", "五月", ""): [],
        ("", "%(count)s 个文件", "%(count)s 个文件"): ["python-format"],
        ("搜索", "一条结果", "%(count)s 条结果"): ["python-format"],
        ("", "属性调用", ""): [],
    }


def test_template_extraction_matches_makemessages_for_trimmed_blocktranslate_with():
    found = {(m.msgctxt, m.msgid, m.msgid_plural) for m in catalogues.extract_template(TEMPLATE, "page.html")}

    assert found == {
        ("", "当前位置", ""),
        ("", "%(year)s 年暂无内容。", ""),
        ("导航", "菜单", ""),
        ("", "默认", ""),
        ("", "一项", "%(counter)s 项"),
    }


def test_untrimmed_blocktranslate_keeps_whitespace_and_escapes_percent():
    template = "{% load i18n %}{% blocktranslate with q=query %}\n 找到“{{ q }}” 100%\n{% endblocktranslate %}"

    (message,) = catalogues.extract_template(template)

    assert message.msgid == "\n 找到“%(q)s” 100%%\n"
    assert message.flags == ["python-format"]


def test_collect_skips_migrations_tests_and_non_template_folders(project: Path):
    catalogue = catalogues.collect(project)

    msgids = {message.msgid for message in catalogue.values()}
    assert not msgids & {"迁移", "测试", "测试模板"}
    assert catalogue[("", "会费")].references == ("home/models.py",)


def test_committed_state_passes_check(project: Path, locale: Path):
    assert problems(project, locale) == []


def test_new_string_fails_check_naming_the_msgid(project: Path, locale: Path):
    with (project / "home" / "models.py").open("a", encoding="utf-8") as source:
        source.write('extra = _("新增的字符串")\n')

    found = problems(project, locale)

    assert "zh_Hant: stale catalogue, missing msgid '新增的字符串'" in found
    assert "en: stale catalogue, missing msgid '新增的字符串'" in found


def test_removed_string_is_reported_then_dropped_by_update(project: Path, locale: Path):
    source = project / "home" / "models.py"
    source.write_text(source.read_text(encoding="utf-8").replace('_("会费")', '"会费"'), encoding="utf-8")

    assert "en: stale catalogue, extra msgid '会费'" in problems(project, locale)
    catalogues.update(catalogues.collect(project), locale)
    assert polib.pofile(str(po_path(locale, "en"))).find("会费") is None


def test_missing_or_fuzzy_translation_fails(project: Path, locale: Path):
    path = po_path(locale, "en")
    po = polib.pofile(str(path))
    po.find("会费").msgstr = ""
    po.find("当前位置").flags.append("fuzzy")
    po.find("一项").msgstr_plural[1] = ""
    po.save(str(path))
    catalogues.compile_catalogues(locale)

    found = problems(project, locale)

    assert "en: missing translation of '会费'" in found
    assert "en: fuzzy translation of '当前位置'" in found
    assert "en: missing translation of '一项'" in found


def test_translation_with_wrong_placeholder_fails(project: Path, locale: Path):
    translate(locale, {"%(year)s 年暂无内容。": "Nothing in %(yaer)s.", "一项": ["One item", "%(count)s items"]})
    catalogues.compile_catalogues(locale)

    found = problems(project, locale)

    assert "en: placeholders of '%(year)s 年暂无内容。' differ in its translation 'Nothing in %(yaer)s.'" in found
    assert "en: placeholders of '一项' differ in its translation '%(count)s items'" in found


def test_out_of_date_or_missing_mo_fails(project: Path, locale: Path):
    translate(locale, {"会费": "Fees"})

    assert problems(project, locale) == [
        f"en: {locale / 'en' / 'LC_MESSAGES' / 'django.mo'} is out of date; run `manage.py catalogues --compile`"
    ]
    (locale / "zh_Hant" / "LC_MESSAGES" / "django.mo").unlink()
    assert any("zh_Hant" in problem and "django.mo is missing" in problem for problem in problems(project, locale))


def test_update_is_idempotent_and_keeps_translations(project: Path, locale: Path):
    catalogues.update(catalogues.collect(project), locale)
    first = files(locale)

    reports = catalogues.update(catalogues.collect(project), locale)

    assert files(locale) == first
    assert not any(report.written for report in reports)
    assert polib.pofile(str(po_path(locale, "en"))).find("会费").msgstr == "Membership fees"
    assert "POT-Creation-Date" not in po_path(locale, "en").read_text(encoding="utf-8")


def test_compile_is_deterministic_and_readable_by_gettext(project: Path, locale: Path):
    mo = locale / "en" / "LC_MESSAGES" / "django.mo"
    before = mo.read_bytes()
    mo.unlink()

    catalogues.compile_catalogues(locale)

    assert mo.read_bytes() == before
    with mo.open("rb") as handle:
        compiled = python_gettext.GNUTranslations(handle)
    assert compiled.gettext("会费") == "Membership fees"
    assert compiled.pgettext("月份", "五月") == "May"
    assert compiled.ngettext("一项", "%(counter)s 项", 3) == "%(counter)s items"


def test_zh_hant_is_filled_by_opencc_without_overwriting(project: Path, locale: Path):
    path = po_path(locale, "zh_Hant")
    po = polib.pofile(str(path))
    assert po.find("会费").msgstr == "會費"
    assert po.find("%(year)s 年暂无内容。").msgstr == "%(year)s 年暫無內容。"
    assert po.find("一条结果", msgctxt="搜索").msgstr_plural == {0: "%(count)s 條結果"}
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert polib.pofile(str(po_path(locale, "en"))).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"

    po.find("会费").msgstr = "會費（人工）"
    po.save(str(path))
    catalogues.update(catalogues.collect(project), locale)

    assert polib.pofile(str(path)).find("会费").msgstr == "會費（人工）"


def test_command_check_fails_with_the_new_msgid_and_writes_nothing(project_settings, project: Path, locale: Path):
    with (project / "templates" / "home" / "page.html").open("a", encoding="utf-8") as template:
        template.write('{% translate "新的模板字符串" %}\n')
    before = files(locale)

    with pytest.raises(CommandError, match="missing msgid '新的模板字符串'"):
        call_command("catalogues", "--check")

    assert files(locale) == before


def test_command_update_compile_check_round_trip(project_settings, project: Path, locale: Path, capsys):
    with (project / "home" / "models.py").open("a", encoding="utf-8") as source:
        source.write('extra = _("新增")\n')

    call_command("catalogues", "--update")
    translate(locale, {"新增": "New"})
    call_command("catalogues", "--compile")
    call_command("catalogues", "--check")

    assert "Translation catalogues OK" in capsys.readouterr().out


def test_committed_catalogue_passes_check(capsys):
    call_command("catalogues", "--check")

    assert "Translation catalogues OK" in capsys.readouterr().out


@pytest.mark.parametrize(("language", "expected"), [("en", "You are here"), ("zh-hant", "目前位置")])
def test_django_translates_through_the_compiled_catalogue(language: str, expected: str):
    with translation.override(language):
        assert translation.gettext("当前位置") == expected
