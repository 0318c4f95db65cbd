"""Staff in the admin are shown by the initials of their name (the surname for a Chinese name) on a
colour of their own, instead of an anonymous silhouette: no picture is fetched from anywhere
(Gravatar is off), and a picture a person uploads in their Wagtail profile still wins."""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.sax.saxutils import escape

# Two-character surnames, so 欧阳明 is shown as 欧阳 rather than 欧.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 夏侯 端木 公孙 独孤 南宫 西门 轩辕 呼延".split()
)
# Colours dark enough for white text (WCAG AA at the avatar's size).
COLOURS = ("#0b4f8a", "#00756f", "#8a3b12", "#5b3f8c", "#2f5d1e", "#9c1c4a", "#39474f", "#7a5500")
HAN = re.compile(r"[\u3400-\u9fff]")


def initials(name: str, email: str = "") -> str:
    """What the avatar shows: the surname of a Chinese name, the initials of another, else the
    first letter of the e-mail address."""
    name = re.sub(r"[（(].*?[)）]", "", name or "").strip()
    if name and HAN.match(name):
        return name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]
    words = re.findall(r"[^\W\d_]+", name)
    if words:
        return "".join(word[0] for word in words[:2]).upper()
    return (email[:1] or "?").upper()


def avatar_svg(user, size: int = 50) -> str:
    label = initials(getattr(user, "full_name", "") or user.get_full_name(), getattr(user, "email", ""))
    colour = COLOURS[(user.pk or 0) % len(COLOURS)]
    font_size = 42 if len(label) == 1 else 34
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{colour}"/>'
        f'<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" font-size="{font_size}" '
        'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif">'
        f"{escape(label)}</text></svg>"
    )


def initials_avatar_url(user, size: int = 50) -> str | None:
    """A data: URL of the person's initials avatar (the admin's policy allows data: images), or None to
    let Wagtail show the picture uploaded in their profile."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return "data:image/svg+xml;charset=utf-8," + quote(avatar_svg(user, size))
