"""Staff see each other in the admin by the initials of their names (the surname for a Chinese name),
never a Gravatar picture fetched from abroad nor a blank silhouette."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from portal.avatars import initials
from tests.conftest import make_user, sign_in
from tests.portal.samples import PNG

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "email", "shown"),
    [
        ("王秘书", "", "王"),
        ("欧阳明", "", "欧阳"),
        ("张明（演示）", "", "张"),
        ("Li Na", "", "LN"),
        ("", "zhang@example.com", "Z"),
    ],
)
def test_the_avatar_shows_the_surname_or_initials(name, email, shown):
    assert initials(name, email) == shown


def test_the_admin_shows_the_staff_members_initials(client):
    user = make_user("wang@example.com", superuser=True)
    user.full_name = "王秘书"
    user.save()
    sign_in(client, user)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "data:image/svg+xml" in page
    assert quote("王") in page
    assert "gravatar" not in page.lower()
    assert "default-user-avatar" not in page


def test_a_picture_uploaded_in_the_profile_still_wins(client):
    user = make_user("li@example.com", superuser=True)
    profile = UserProfile.get_for_user(user)
    profile.avatar.save("li.png", ContentFile(PNG), save=True)
    sign_in(client, user)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert profile.avatar.url in page


def _visible_text(html: str) -> str:
    from bs4 import BeautifulSoup

    main = BeautifulSoup(html, "html.parser").main
    for hidden in main.find_all(["script", "style", "template", "svg"]):
        hidden.decompose()
    return main.get_text(" ")


def test_the_dashboard_has_no_english_left_for_chinese_staff(client, home_page):
    import re

    user = make_user("wang.admin@example.com", superuser=True)
    user.full_name = "王管理"
    user.save()
    sign_in(client, user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    words = set(re.findall(r"[A-Za-z]{3,}", _visible_text(html))) - {"Wagtail"}

    assert words == set(), words
    assert 'placeholder="搜索所有页面…"' in html
    assert re.search(r"页面 \d+ 个", _visible_text(html))
