"""Synonyms staff list for the site search (年费 finds the pages about 会费)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.cache import cached_until_purge
from portal.localization.conversion import to_simplified

from .query import MAX_SYNONYM_LENGTH
from .segment import query_terms

SEPARATORS = re.compile(r"[\s,，、;；/|｜]+")


def split_words(text: str) -> list[str]:
    """The words of a synonym group as staff typed them, in order, each once."""
    words: list[str] = []
    for word in SEPARATORS.split(text or ""):
        if word and word not in words:
            words.append(word)
    return words


def normalise(word: str) -> str:
    """A word as the search compares it: 简体, lower case."""
    return to_simplified(word).strip().lower()


class SearchSynonym(models.Model):
    """Words readers use for the same thing: a search for any of them also finds the others."""

    words = models.CharField(
        _("同义词"),
        max_length=200,
        help_text=_(
            "两个或更多意思相同的词，用空格或顿号隔开，例如：会费 年费 会员费。"
            "读者搜索其中任何一个词，也能找到含有其他词的页面。"
        ),
    )

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["words"]

    def __str__(self) -> str:
        return "、".join(split_words(self.words))

    def clean(self) -> None:
        words = split_words(self.words)
        if len({normalise(word) for word in words}) < 2:
            raise ValidationError({"words": _("请至少填写两个不同的词。")})
        for word in words:
            if not query_terms(word):
                raise ValidationError({"words": _("“%(word)s”不是一个词：请只填写文字，用空格隔开。") % {"word": word}})
            if len(word) > MAX_SYNONYM_LENGTH:
                raise ValidationError(
                    {
                        "words": _("“%(word)s”太长：每个词最多 %(limit)d 个字。")
                        % {"word": word, "limit": MAX_SYNONYM_LENGTH}
                    }
                )
        self.words = " ".join(words)


def _build_synonyms() -> dict[str, tuple[str, ...]]:
    groups: dict[str, set[str]] = {}
    for text in SearchSynonym.objects.values_list("words", flat=True):
        words = {normalise(word) for word in split_words(text)} - {""}
        # A word listed in two groups brings both groups' words.
        merged = set(words)
        for word in words:
            merged |= groups.get(word, set())
        for word in merged:
            groups[word] = merged
    return {word: tuple(sorted(group, key=lambda w: (-len(w), w))) for word, group in groups.items()}


def synonyms() -> dict[str, tuple[str, ...]]:
    """Every listed word with its group (itself included), kept until the next purge (saving a synonym purges)."""
    return cached_until_purge("search-synonyms", _build_synonyms)
