"""Chinese punctuation (GB/T 15834): ASCII marks next to Chinese text become full-width; dates as
official documents write them."""

import datetime
import re

# Han characters and the full-width punctuation that already sits among them.
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e"
_CJK = re.compile(f"[{CJK}]")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）", "|": "｜"}
_MARK = re.compile(r"\|\||[,:;!?()|]")
_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);$")
_FULL_WIDTH_MARK = re.compile("[，。：；！？、]")


def _is_cjk(text: str, index: int) -> bool:
    return 0 <= index < len(text) and bool(_CJK.match(text[index]))


def _paren_pairs(text: str) -> dict[int, int]:
    """Matching ( ) positions, both ways; `%(name)s` placeholders are not brackets."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            stack.append(-1 if index and text[index - 1] == "%" else index)
        elif char == ")" and stack:
            opening = stack.pop()
            if opening >= 0:
                pairs[opening], pairs[index] = index, opening
    return pairs


def misplaced(text: str) -> list[int]:
    """Positions of ASCII punctuation that touches Chinese text (a bracket counts with its partner)."""
    pairs = _paren_pairs(text)
    found = []
    for match in _MARK.finditer(text):
        index = match.start()
        char = text[index]
        end = match.end()  # a "||" separator is one mark
        if char == "(" and index and text[index - 1] == "%":
            continue
        touching = _is_cjk(text, index - 1) or _is_cjk(text, end)
        if index in pairs:
            # A bracket pair is Chinese when it touches Chinese that goes on outside it, or holds a
            # Chinese clause; "the charter (章程)" in an English sentence keeps its ASCII brackets.
            opening, closing = sorted((index, pairs[index]))
            inside, outside = text[opening + 1 : closing], text[:opening] + text[closing + 1 :]
            touches = any(_is_cjk(text, i) for i in (opening - 1, opening + 1, closing - 1, closing + 1))
            touching = (touches and bool(_CJK.search(outside))) or bool(_FULL_WIDTH_MARK.search(inside))
        if not touching:
            continue
        if char in ":!?" and index + 1 < len(text) and text[index + 1] in "/=":
            continue  # a URL or an operator, not prose
        if char == ";" and _ENTITY.search(text, 0, index + 1):
            continue  # the end of an HTML entity such as &gt;
        found.append(index)
    return found


def full_width(text: str) -> str:
    """The text with every misplaced ASCII mark replaced by its full-width form ("||" by one "｜")."""
    chars = list(text)
    for index in misplaced(text):
        chars[index] = FULL_WIDTH[chars[index]]
        if text.startswith("||", index):
            chars[index + 1] = ""
    return "".join(chars)


def chinese_date(day: datetime.date | None) -> str:
    """2026年12月7日, as notices and certificates write a date ("" for none)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
