from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchSynonym


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = _("搜索同义词")
    add_to_settings_menu = True
    list_display = ["__str__"]
    search_fields = ["words"]


register_snippet(SearchSynonymViewSet)
