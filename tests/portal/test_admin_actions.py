"""The one action view of the admin (portal/admin_actions.py): who may act, the record's state, the
form kept on an error, the message and the way back. Its users are tested with their apps (aid's
case actions); here it is driven directly, on a page title."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.test import RequestFactory
from wagtail.models import Page

from portal.admin_actions import ActionView
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


class RenameForm(forms.Form):
    title = forms.CharField(max_length=20)


class RenameView(ActionView):
    permission = "wagtailcore.change_page"
    queryset = Page.objects.all()
    form_class = RenameForm
    title = "改名"

    def refusal(self):
        return "草稿不能改名。" if not self.object.live else None

    def act(self, form):
        if form.cleaned_data["title"] == "保留":
            raise ValidationError("这个名称已被占用。")
        self.object.title = form.cleaned_data["title"]
        self.object.save(update_fields=["title"])
        return "已改名。"

    def get_back_url(self):
        return f"/back/{self.object.pk}/"


def call(view, user, page, data=None):
    request = RequestFactory().post("/", data) if data is not None else RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    response = view.as_view()(request, pk=page.pk)
    if hasattr(response, "render"):
        response.render()
    return request, response


@pytest.fixture
def page(home_page):
    return StandardPageFactory(parent=home_page, slug="about", title="关于协会")


def test_someone_without_the_permission_is_refused_before_the_record_is_read(page, member, django_assert_num_queries):
    with pytest.raises(PermissionDenied), django_assert_num_queries(0):
        call(RenameView, member, Page(pk=10**9))


def test_the_form_is_shown_and_a_valid_post_acts_says_so_and_goes_back(page, superuser):
    _request, shown = call(RenameView, superuser, page)
    request, done = call(RenameView, superuser, page, {"title": "协会简介"})

    assert shown.status_code == 200 and 'name="title"' in shown.content.decode()
    assert done.status_code == 302 and done["Location"] == f"/back/{page.pk}/"
    assert [str(m) for m in get_messages(request)] == ["已改名。"]
    page.refresh_from_db()
    assert page.title == "协会简介"


def test_an_error_from_the_work_is_shown_on_the_form_with_what_was_typed(page, superuser):
    _request, response = call(RenameView, superuser, page, {"title": "保留"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "这个名称已被占用。" in html and 'value="保留"' in html
    page.refresh_from_db()
    assert page.title == "关于协会"


def test_a_refusal_about_the_record_can_be_shown_on_the_way_back_instead(page, superuser):
    class RecordRefusal(RenameView):
        errors_go_back = True

    request, response = call(RecordRefusal, superuser, page, {"title": "保留"})

    assert response.status_code == 302 and response["Location"] == f"/back/{page.pk}/"
    assert [str(m) for m in get_messages(request)] == ["这个名称已被占用。"]


def test_a_record_whose_state_does_not_allow_it_is_sent_back_with_the_reason(page, superuser):
    page.live = False
    page.save(update_fields=["live"])

    request, response = call(RenameView, superuser, page, {"title": "协会简介"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(request)] == ["草稿不能改名。"]
    page.refresh_from_db()
    assert page.title == "关于协会"


def test_a_view_that_names_no_permission_refuses_to_guess(page, superuser):
    class Unguarded(RenameView):
        permission = None

    with pytest.raises(ImproperlyConfigured):
        call(Unguarded, superuser, page)


def test_a_view_that_does_not_say_what_it_does_refuses_to_guess(page, superuser):
    class Silent(ActionView):
        permission = "wagtailcore.change_page"
        queryset = Page.objects.all()
        form_class = RenameForm

        def get_back_url(self):
            return "/"

    with pytest.raises(ImproperlyConfigured):
        call(Silent, superuser, page, {"title": "协会简介"})
    page.refresh_from_db()
    assert page.title == "关于协会"
