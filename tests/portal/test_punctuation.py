"""Chinese text uses full-width punctuation (GB/T 15834): templates, catalogues and demo data are checked whole."""

import io
import json
import re
import tokenize
from pathlib import Path

import polib
import pytest
from django.conf import settings

from portal.typography import full_width, misplaced

ROOT = Path(settings.BASE_DIR)


# A translated string stands in the line as its text, so a mark written after the tag counts too:
# {% translate "当前位置" %}: reads 当前位置:.
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1[^%]*%}""")
BLOCK_TAG = re.compile(r"{%\s*(?:end)?blocktrans(?:late)?\b[^%]*%}")


def template_text(line: str) -> str:
    return BLOCK_TAG.sub("", TRANSLATE_TAG.sub(lambda match: match.group(2), line))


def _template_texts():
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                yield f"{path.relative_to(ROOT)}:{number}", template_text(line)


def _catalogue_texts():
    for path in sorted((ROOT / "locale").rglob("*.po")):
        for entry in polib.pofile(str(path)):
            where = f"{path.relative_to(ROOT)}:{entry.linenum}"
            yield where, entry.msgid
            yield where, entry.msgstr
            yield where, entry.msgid_plural
            yield from ((where, text) for text in entry.msgstr_plural.values())


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _python_strings(path: Path):
    """String literals of a demo module, docstrings left out (those are English prose about the code)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    statement_start = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}
    for index, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        before = tokens[index - 1].type if index else tokenize.NEWLINE
        after = tokens[index + 1].type if index + 1 < len(tokens) else tokenize.NEWLINE
        if before in statement_start and after == tokenize.NEWLINE:
            continue
        yield token.start[0], token.string


def _demo_texts():
    """The demo's data (demo/data/*.json) and the texts its loaders write in code."""
    for path in sorted((ROOT / "demo" / "data").glob("*.json")):
        for text in _json_strings(json.loads(path.read_text(encoding="utf-8"))):
            yield str(path.relative_to(ROOT)), text
    for path in sorted((ROOT / "demo").rglob("*.py")):
        for line, text in _python_strings(path):
            yield f"{path.relative_to(ROOT)}:{line}", text


def _misplaced(texts) -> list[str]:
    return [
        f"{where}: {text.strip()[:80]!r} → {full_width(text).strip()[:80]!r}"
        for where, text in texts
        if misplaced(text)
    ]


@pytest.mark.parametrize(
    "source", [_template_texts, _catalogue_texts, _demo_texts], ids=["templates", "catalogues", "demo"]
)
def test_chinese_text_has_full_width_punctuation(source):
    texts = list(source())
    assert texts, "nothing was read: the check would pass whatever the text"
    found = _misplaced(texts)
    assert not found, f"{len(found)} ASCII marks beside Chinese text:\n" + "\n".join(found[:40])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会员:张三,李四;共2人!对吗?", "会员：张三，李四；共2人！对吗？"),
        ("年度会费(元)", "年度会费（元）"),
        ("名称(English)", "名称（English）"),
        ("%(name)s（%(email)s,会员编号 %(number)s）", "%(name)s（%(email)s，会员编号 %(number)s）"),
        ("会员：张三，李四；共2人！", "会员：张三，李四；共2人！"),
        ("爱心大使||关注老年人抑郁孤独公益行动", "爱心大使｜关注老年人抑郁孤独公益行动"),
        ("爱心大使|第二批公益行动", "爱心大使｜第二批公益行动"),
        ("{{ title|zh }}年会费", "{{ title|zh }}年会费"),
        ("{{ name }} ({{ email }}) 会员", "{{ name }} ({{ email }}) 会员"),
        ("Read the charter (章程) first.", "Read the charter (章程) first."),
        ("共%(count)s条(含附件)", "共%(count)s条（含附件）"),
        ("请访问 https://例子.cn/a?b=1", "请访问 https://例子.cn/a?b=1"),
        ("Fees (2026): 200 yuan, due 31 March.", "Fees (2026): 200 yuan, due 31 March."),
        ("{{ value|default:'无' }}", "{{ value|default:'无' }}"),
    ],
)
def test_only_marks_beside_chinese_change(text, expected):
    assert full_width(text) == expected
    assert bool(misplaced(text)) == (text != expected)


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ('<span>{% translate "当前位置" %}:</span>', True),
        ('<span>{% translate "当前位置：" %}</span>', False),
        ("{% blocktranslate with a=b %}{{ a }}的理由{% endblocktranslate %}:{{ reason }}", True),
        ("<a title=\"{% translate '首页' %}\">Home</a>: next", False),
    ],
)
def test_a_mark_after_a_translated_string_counts(line, flagged):
    assert bool(misplaced(template_text(line))) == flagged
