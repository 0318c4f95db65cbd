"""Languages, a home page as the site root, the Editors/Moderators groups and the 审核发布 workflow."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from portal.roles import EDITORS, MODERATION_TASK, MODERATION_WORKFLOW, MODERATORS

LANGUAGE_CODES = ["zh-hans", "zh-hant", "en"]

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
MODERATOR_COLLECTION_PERMISSIONS = [
    *EDITOR_COLLECTION_PERMISSIONS,
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
]
MODERATOR_MODEL_PERMISSIONS = [
    ("home", "partner", ["add", "change", "delete"]),
    ("home", "contactsettings", ["change"]),
    ("notices", "noticecategory", ["add", "change", "delete"]),
    ("notices", "audience", ["add", "change", "delete"]),
]


def ensure_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def setup(apps, schema_editor):
    ensure_permissions(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    HomePage = apps.get_model("home", "HomePage")

    # Languages
    default_locale = Locale.objects.order_by("pk").first()
    if default_locale and default_locale.language_code not in LANGUAGE_CODES:
        default_locale.language_code = "zh-hans"
        default_locale.save()
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)
    zh_hans = Locale.objects.get(language_code="zh-hans")

    # The site root: replace Wagtail's welcome page with a home page.
    root = Page.objects.get(depth=1)
    if not HomePage.objects.exists():
        home_ct, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
        Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
        home = HomePage.objects.create(
            title="大连市心理咨询师协会",
            draft_title="大连市心理咨询师协会",
            slug="home",
            content_type=home_ct,
            path=f"{root.path}0001",
            depth=2,
            numchild=0,
            url_path="/home/",
            locale=zh_hans,
            live=True,
        )
        root.numchild = Page.objects.filter(depth=2).count()
        root.save(update_fields=["numchild"])
        site = Site.objects.filter(is_default_site=True).first()
        if site:
            site.root_page_id = home.pk
            site.site_name = "大连市心理咨询师协会"
            site.save()
        else:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page_id=home.pk,
                is_default_site=True,
                site_name="大连市心理咨询师协会",
            )

    # Groups
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    root_collection = Collection.objects.get(depth=1)
    for group, page_perms, collection_perms in (
        (editors, EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS),
        (moderators, MODERATOR_PAGE_PERMISSIONS, MODERATOR_COLLECTION_PERMISSIONS),
    ):
        group.permissions.add(admin_access)
        GroupPagePermission.objects.filter(group=group).exclude(permission__codename__in=page_perms).delete()
        for codename in page_perms:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        for app_label, codename in collection_perms:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    for app_label, model, actions in MODERATOR_MODEL_PERMISSIONS:
        for action in actions:
            moderators.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )

    # The moderation workflow on the whole public tree.
    task_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=MODERATION_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=MODERATION_TASK, content_type=task_ct, active=True)
    task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(name=MODERATION_WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    # Wagtail's own default workflow is replaced by ours.
    Workflow.objects.exclude(pk=workflow.pk).filter(workflow_tasks__task__name="Moderators approval").update(
        active=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_initial"),
        ("notices", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
