"""The image and document libraries, the contact settings and the numbered series live in the kernel;
the migration that moved them there from `home` and `members` keeps every row and what points to it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Collection, Site

from portal.models import ContactSettings, CustomDocument, CustomImage, NumberSequence

BEFORE = [
    ("portal", None),
    ("home", "0007_counselling_centre_and_contact_pages"),
    ("members", "0017_account_closure_wording"),
    ("notices", "0003_notice_pin_end_date"),
]


@pytest.mark.django_db(transaction=True)
def test_moving_the_shared_models_to_the_kernel_keeps_their_rows(home_page):
    image_type = ContentType.objects.get_for_model(CustomImage).pk
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([node for node in BEFORE if node[1]]).apps
    OldImage, OldRendition = old.get_model("home", "CustomImage"), old.get_model("home", "Rendition")
    OldContentType, OldTag, OldTagged = (
        old.get_model("contenttypes", "ContentType"),
        old.get_model("taggit", "Tag"),
        old.get_model("taggit", "TaggedItem"),
    )
    # Going back, the content type is `home`'s again, with the same id.
    assert OldContentType.objects.get(app_label="home", model="customimage").pk == image_type
    collection = Collection.get_first_root_node().pk
    image = OldImage.objects.create(
        title="协会印章", file="original_images/seal.png", width=200, height=200, collection_id=collection
    )
    OldRendition.objects.create(
        image=image, filter_spec="max-165x165", file="images/seal.max-165x165.png", width=165, height=165
    )
    tag = OldTag.objects.create(name="印章", slug="seal")
    OldTagged.objects.create(tag=tag, content_type_id=image_type, object_id=image.pk)
    document = old.get_model("home", "CustomDocument").objects.create(
        title="章程", file="documents/charter.pdf", collection_id=collection
    )
    site = Site.objects.get(is_default_site=True)
    old.get_model("home", "ContactSettings").objects.create(
        site_id=site.pk, organisation_name="大连市心理咨询师协会", seal_id=image.pk, phone="0411-12345678"
    )
    old.get_model("members", "NumberSequence").objects.create(key="member-2026", last=41)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    connection.check_constraints()  # every foreign key still finds its row under the new table names
    moved = CustomImage.objects.get(pk=image.pk)
    assert moved.title == "协会印章" and list(moved.tags.names()) == ["印章"]
    assert list(moved.renditions.values_list("filter_spec", flat=True)) == ["max-165x165"]
    assert CustomDocument.objects.get(pk=document.pk).title == "章程"
    contact = ContactSettings.for_site(site)
    assert contact.seal == moved and contact.phone == "0411-12345678"
    with transaction.atomic():
        assert NumberSequence.objects.take("member-2026") == 42
    assert ContentType.objects.get_for_model(CustomImage).pk == image_type
    assert not ContentType.objects.filter(app_label="home", model__in=["customimage", "contactsettings"]).exists()


@pytest.mark.django_db
def test_a_series_counts_up_from_where_it_stopped():
    with transaction.atomic():
        numbers = [NumberSequence.objects.take("receipt-2026") for _ in range(3)]
        other = NumberSequence.objects.take("receipt-2027")
    assert numbers == [1, 2, 3] and other == 1
    assert NumberSequence.objects.get(key="receipt-2026").last == 3
