from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, NoticeCategory


class NoticeCategoryViewSet(SnippetViewSet):
    model = NoticeCategory
    icon = "tag"
    menu_label = _("通知分类")
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("读者对象")
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class PublishingVocabularyGroup(SnippetViewSetGroup):
    menu_label = _("内容分类")
    menu_icon = "list-ul"
    items = (NoticeCategoryViewSet, AudienceViewSet)


register_snippet(PublishingVocabularyGroup)
