"""The image and document libraries, the contact settings and the numbered series move to the kernel
(from `home` and `members`), keeping their tables and rows: this migration only tells Django where the
models now live; 0002 renames the tables and the content types."""

import django.db.models.deletion
import modelsearch.index
import taggit.managers
import wagtail.images.models
import wagtail.models.media
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("home", "0007_counselling_centre_and_contact_pages"),
        ("members", "0017_account_closure_wording"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NumberSequence",
                    fields=[
                        ("key", models.CharField(max_length=40, primary_key=True, serialize=False)),
                        ("last", models.PositiveIntegerField(default=0)),
                    ],
                    options={"db_table": "members_numbersequence"},
                ),
                migrations.CreateModel(
                    name="CustomDocument",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=255, verbose_name="title")),
                        ("file", models.FileField(upload_to="documents", verbose_name="file")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("file_size", models.PositiveBigIntegerField(editable=False, null=True)),
                        ("file_hash", models.CharField(blank=True, editable=False, max_length=40)),
                        (
                            "collection",
                            models.ForeignKey(
                                default=wagtail.models.media.get_root_collection_id,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="wagtailcore.collection",
                                verbose_name="collection",
                            ),
                        ),
                        (
                            "tags",
                            taggit.managers.TaggableManager(
                                blank=True,
                                help_text=None,
                                through="taggit.TaggedItem",
                                to="taggit.Tag",
                                verbose_name="tags",
                            ),
                        ),
                        (
                            "uploaded_by_user",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="uploaded by user",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "home_customdocument",
                        "verbose_name": "文件",
                        "verbose_name_plural": "文件",
                        "abstract": False,
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
                migrations.CreateModel(
                    name="CustomImage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=255, verbose_name="title")),
                        (
                            "file",
                            wagtail.images.models.WagtailImageField(
                                height_field="height",
                                upload_to=wagtail.images.models.get_upload_to,
                                verbose_name="file",
                                width_field="width",
                            ),
                        ),
                        (
                            "description",
                            models.CharField(blank=True, default="", max_length=255, verbose_name="description"),
                        ),
                        ("width", models.IntegerField(editable=False, verbose_name="width")),
                        ("height", models.IntegerField(editable=False, verbose_name="height")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                        ),
                        ("focal_point_x", models.PositiveIntegerField(blank=True, null=True)),
                        ("focal_point_y", models.PositiveIntegerField(blank=True, null=True)),
                        ("focal_point_width", models.PositiveIntegerField(blank=True, null=True)),
                        ("focal_point_height", models.PositiveIntegerField(blank=True, null=True)),
                        ("file_size", models.PositiveIntegerField(editable=False, null=True)),
                        ("file_hash", models.CharField(blank=True, db_index=True, editable=False, max_length=40)),
                        (
                            "collection",
                            models.ForeignKey(
                                default=wagtail.models.media.get_root_collection_id,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="wagtailcore.collection",
                                verbose_name="collection",
                            ),
                        ),
                        (
                            "tags",
                            taggit.managers.TaggableManager(
                                blank=True,
                                help_text=None,
                                through="taggit.TaggedItem",
                                to="taggit.Tag",
                                verbose_name="tags",
                            ),
                        ),
                        (
                            "uploaded_by_user",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="uploaded by user",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "home_customimage",
                        "verbose_name": "图片",
                        "verbose_name_plural": "图片",
                        "abstract": False,
                    },
                    bases=(wagtail.images.models.ImageFileMixin, modelsearch.index.Indexed, models.Model),
                ),
                migrations.CreateModel(
                    name="ContactSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "organisation_name",
                            models.CharField(default="大连市心理咨询师协会", max_length=100, verbose_name="协会名称"),
                        ),
                        (
                            "organisation_name_en",
                            models.CharField(
                                default="Dalian Psychological Counsellors Association",
                                max_length=150,
                                verbose_name="协会名称（英文）",
                            ),
                        ),
                        (
                            "description",
                            models.CharField(
                                blank=True,
                                help_text="没有单独简介的页面，搜索引擎和分享卡片显示这段文字",
                                max_length=200,
                                verbose_name="网站简介",
                            ),
                        ),
                        (
                            "description_en",
                            models.CharField(blank=True, max_length=300, verbose_name="网站简介（英文）"),
                        ),
                        ("address", models.CharField(blank=True, max_length=200, verbose_name="地址")),
                        ("address_en", models.CharField(blank=True, max_length=250, verbose_name="地址（英文）")),
                        ("postcode", models.CharField(blank=True, max_length=10, verbose_name="邮编")),
                        ("phone", models.CharField(blank=True, max_length=40, verbose_name="电话")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="电子邮箱")),
                        ("wechat_account", models.CharField(blank=True, max_length=60, verbose_name="微信公众号")),
                        ("bank_account_name", models.CharField(blank=True, max_length=100, verbose_name="开户名称")),
                        ("bank_name", models.CharField(blank=True, max_length=100, verbose_name="开户银行")),
                        ("bank_account_number", models.CharField(blank=True, max_length=40, verbose_name="银行账号")),
                        (
                            "hotline_name",
                            models.CharField(
                                blank=True, default="心理援助热线", max_length=40, verbose_name="援助热线名称"
                            ),
                        ),
                        (
                            "hotline_number",
                            models.CharField(blank=True, default="12356", max_length=40, verbose_name="援助热线号码"),
                        ),
                        (
                            "hotline_hours",
                            models.CharField(blank=True, default="24小时", max_length=60, verbose_name="热线服务时间"),
                        ),
                        (
                            "emergency_numbers",
                            models.CharField(blank=True, default="110/120", max_length=40, verbose_name="紧急电话"),
                        ),
                        (
                            "receipt_handler",
                            models.CharField(
                                blank=True,
                                help_text="印在收据和证明上的经办人姓名",
                                max_length=40,
                                verbose_name="经办人",
                            ),
                        ),
                        (
                            "icp_number",
                            models.CharField(
                                blank=True,
                                help_text="例如：辽ICP备12345678号-1",
                                max_length=60,
                                verbose_name="ICP备案号",
                            ),
                        ),
                        (
                            "public_security_number",
                            models.CharField(
                                blank=True,
                                help_text="例如：辽公网安备21020202000123号",
                                max_length=60,
                                verbose_name="公安备案号",
                            ),
                        ),
                        (
                            "site",
                            models.OneToOneField(
                                editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site"
                            ),
                        ),
                        (
                            "seal",
                            models.ForeignKey(
                                blank=True,
                                help_text="印在收据和证明上的印章图片（透明背景的PNG）",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="portal.customimage",
                                verbose_name="协会印章",
                            ),
                        ),
                        (
                            "share_image",
                            models.ForeignKey(
                                blank=True,
                                help_text="页面没有自己的图片时，分享到微信等平台显示这张图片",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="portal.customimage",
                                verbose_name="默认分享图片",
                            ),
                        ),
                        (
                            "wechat_qr",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="portal.customimage",
                                verbose_name="公众号二维码",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "home_contactsettings",
                        "verbose_name": "联系信息",
                    },
                ),
                migrations.CreateModel(
                    name="Rendition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("filter_spec", models.CharField(db_index=True, max_length=255)),
                        (
                            "file",
                            wagtail.images.models.WagtailImageField(
                                height_field="height",
                                storage=wagtail.images.models.get_rendition_storage,
                                upload_to=wagtail.images.models.get_rendition_upload_to,
                                width_field="width",
                            ),
                        ),
                        ("width", models.IntegerField(editable=False)),
                        ("height", models.IntegerField(editable=False)),
                        ("focal_point_key", models.CharField(blank=True, default="", editable=False, max_length=16)),
                        (
                            "image",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="renditions",
                                to="portal.customimage",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "home_rendition",
                        "unique_together": {("image", "filter_spec", "focal_point_key")},
                    },
                    bases=(wagtail.images.models.ImageFileMixin, models.Model),
                ),
            ],
        ),
    ]
