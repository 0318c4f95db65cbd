"""Words a 繁體 reader writes the Taiwan way (資訊, 帳號, 搜尋) find the pages written the mainland way,
and the other way round: converting the script alone turns 資訊 into 资讯, not 信息."""

from django.db import migrations

SYNONYMS = [
    "信息 资讯",
    "账户 账号 帐号 帐户",
    "搜索 搜寻",
    "软件 软体",
    "网络 网路",
    "视频 影片",
]


def add(apps, schema_editor):
    SearchSynonym = apps.get_model("portal_search", "SearchSynonym")
    for words in SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_editors_and_first_synonyms")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
