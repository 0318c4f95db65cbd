"""The 审核发布 moderation workflow (editors submit, moderators approve or reject) and scheduled publishing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from notices.models import NoticePage
from portal.roles import MODERATION_TASK, MODERATION_WORKFLOW
from tests.conftest import sign_in
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory
from tests.portal.factories import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return NoticeIndexPageFactory(parent=home_page)


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def edit_form(client: Client, url: str, **fields):
    """The admin page form as the browser would send it, with `fields` changed and a one-paragraph body."""
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(html(response), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>请于3月31日前交纳会费。</p>"))])}))
    for name, value in fields.items():
        data[name] = value
    return data


@pytest.fixture
def submitted(index, editor):
    """A draft notice the editor has submitted for moderation."""
    page = NoticePageFactory(parent=index, title="关于交纳2024年会费的通知", slug="dues-2024", live=False)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    mail.outbox.clear()
    return Page.objects.get(pk=page.pk).specific


def workflow_action(user, page, action: str, comment: str = ""):
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return signed_in(user).post(url, {"comment": comment})


def is_live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


def test_the_moderation_workflow_covers_the_site(home_page):
    workflow = home_page.get_workflow()

    assert workflow is not None and workflow.name == MODERATION_WORKFLOW
    assert [task.name for task in workflow.tasks] == [MODERATION_TASK]


def test_editor_submits_a_new_notice_for_moderation(client, index, editor, moderator):
    editor_client = signed_in(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", index.pk))

    response = editor_client.post(
        add_url,
        edit_form(
            editor_client, add_url, title="关于交纳2024年会费的通知", slug="dues-2024", **{"action-submit": "submit"}
        ),
    )

    assert response.status_code == 302
    page = NoticePage.objects.get(slug="dues-2024")
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == MODERATION_TASK
    assert client.get("/notices/dues-2024/").status_code == 404
    # The moderators are told there is something to review.
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "关于交纳2024年会费的通知" in mail.outbox[0].subject


def test_editor_cannot_publish(client, index, editor, moderator):
    page = NoticePageFactory(parent=index, title="关于交纳2024年会费的通知", slug="dues-2024", live=False)
    editor_client = signed_in(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    response = editor_client.post(edit_url, edit_form(editor_client, edit_url, **{"action-publish": "publish"}))

    assert response.status_code == 302
    assert not is_live(page)
    assert client.get("/notices/dues-2024/").status_code == 404
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(moderator).can_publish()
    # What the editor sent was kept as a draft.
    assert Page.objects.get(pk=page.pk).get_latest_revision().content["body"]


def test_moderator_can_publish_directly(client, index, moderator):
    page = NoticePageFactory(parent=index, title="关于交纳2024年会费的通知", slug="dues-2024", live=False)
    moderator_client = signed_in(moderator)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    response = moderator_client.post(edit_url, edit_form(moderator_client, edit_url, **{"action-publish": "publish"}))

    assert response.status_code == 302
    assert is_live(page)
    assert "请于3月31日前交纳会费。" in html(client.get("/notices/dues-2024/"))


def test_moderator_approves_with_a_comment_and_the_page_goes_live(client, submitted, editor, moderator):
    assert client.get("/notices/dues-2024/").status_code == 404

    response = workflow_action(moderator, submitted, "approve", "内容无误，同意发布。")

    assert response.status_code == 302
    assert is_live(submitted)
    assert "关于交纳2024年会费的通知" in html(client.get("/notices/dues-2024/"))
    task_state = TaskState.objects.get(workflow_state__object_id=str(submitted.pk))
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.comment == "内容无误，同意发布。"
    assert task_state.finished_by == moderator
    assert WorkflowState.objects.get(object_id=str(submitted.pk)).status == WorkflowState.STATUS_APPROVED
    # The editor who submitted it is told.
    assert editor.email in [address for message in mail.outbox for address in message.to]


def test_editor_cannot_approve_their_own_submission(client, submitted, editor):
    response = workflow_action(editor, submitted, "approve", "我自己批准。")

    # Wagtail answers a permission denial in the admin with a redirect to the dashboard.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not is_live(submitted)
    assert Page.objects.get(pk=submitted.pk).workflow_in_progress


def test_moderator_rejects_with_a_comment_the_editor_sees(client, submitted, editor, moderator):
    response = workflow_action(moderator, submitted, "reject", "请补充缴费账户。")

    assert response.status_code == 302
    assert not is_live(submitted)
    assert client.get("/notices/dues-2024/").status_code == 404
    task_state = TaskState.objects.get(workflow_state__object_id=str(submitted.pk))
    assert task_state.status == TaskState.STATUS_REJECTED
    # On the editor's edit screen ...
    editor_view = signed_in(editor).get(reverse("wagtailadmin_pages:edit", args=[submitted.pk]))
    assert editor_view.status_code == 200
    assert "请补充缴费账户。" in html(editor_view)
    # ... in the workflow history ...
    history = signed_in(editor).get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=[submitted.pk, task_state.workflow_state_id])
    )
    assert "请补充缴费账户。" in html(history)
    # ... and by e-mail.
    to_editor = [message for message in mail.outbox if editor.email in message.to]
    assert len(to_editor) == 1
    assert "请补充缴费账户。" in to_editor[0].body
    assert moderator.email not in [address for message in mail.outbox for address in message.to]


def test_editor_resubmits_after_changes_were_requested(client, submitted, editor, moderator):
    workflow_action(moderator, submitted, "reject", "请补充缴费账户。")
    editor_client = signed_in(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[submitted.pk])

    editor_client.post(edit_url, edit_form(editor_client, edit_url, **{"action-submit": "submit"}))
    approved = workflow_action(moderator, submitted, "approve")

    assert approved.status_code == 302
    assert is_live(submitted)
    assert "请于3月31日前交纳会费。" in html(client.get("/notices/dues-2024/"))


# Scheduled publishing ---------------------------------------------------------------------------


def test_publish_scheduled_publishes_a_page_when_its_time_comes(client, index, superuser):
    page = NoticePageFactory(parent=index, title="关于交纳2024年会费的通知", slug="dues-2024", live=False)
    go_live = timezone.now() + datetime.timedelta(hours=1)
    page.go_live_at = go_live
    page.save_revision(user=superuser).publish(user=superuser)

    call_command("publish_scheduled")
    before = (is_live(page), client.get("/notices/dues-2024/").status_code)
    with time_machine.travel(go_live + datetime.timedelta(minutes=5), tick=False):
        call_command("publish_scheduled")
        after = (is_live(page), client.get("/notices/dues-2024/").status_code)

    assert before == (False, 404)
    assert after == (True, 200)


def test_publish_scheduled_unpublishes_an_expired_page(client, index, superuser, django_capture_on_commit_callbacks):
    page = NoticePageFactory(parent=index, title="关于交纳2024年会费的通知", slug="dues-2024")
    expiry = timezone.now() + datetime.timedelta(hours=1)
    page.expire_at = expiry
    page.save_revision(user=superuser).publish(user=superuser)

    call_command("publish_scheduled")
    before = (is_live(page), client.get("/notices/dues-2024/").status_code)
    with time_machine.travel(expiry + datetime.timedelta(minutes=5), tick=False):
        # The command commits in real life, which is when the page cache is purged.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_scheduled")
        after = Page.objects.get(pk=page.pk)
        status = client.get("/notices/dues-2024/").status_code

    assert before == (True, 200)
    assert not after.live and after.expired
    assert status == 404
