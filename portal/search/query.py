"""The site search's query: every word of the reader's query matched at more than one granularity.

A page is found when, for each word of the query, it holds

- the word itself, as the segmenter cut it (what "exact" means for ranking);
- or the word's characters in a row (its bigrams as a phrase), however the page's own text was
  cut: 新冠 is found in 新冠肺炎, 会费 in 年会费;
- or, for a word of three characters or more, the dictionary words it is made of, anywhere:
  会员大会 finds 会员代表大会, 先进个人 finds 先进集体和个人;
- or one of the synonyms staff listed for it (SearchSynonym), matched the same ways.

A single character (年 in 2019年会费) is matched with its neighbour in the query, as a bigram.
Both database backends and Elasticsearch receive the same query objects.
"""

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from modelsearch.query import And, Or, Phrase, PlainText, SearchQuery

from portal.localization.conversion import to_simplified

from .segment import GRAM_MARK, bigrams, is_han, query_terms, tokenizer

# Longer than any synonym staff would list: bounds the look-up of synonyms in a query.
MAX_SYNONYM_LENGTH = 20


class Words(PlainText):
    """Words already cut the way the index was: the backend passes them on as they are."""


class Grams(Phrase):
    """Consecutive marked bigrams: the backend passes them on as they are."""


@dataclass(frozen=True)
class Term:
    """One word of the reader's query (简体, lower case), with what may stand for it in a page."""

    text: str
    synonyms: tuple[str, ...] = ()
    # For a single Chinese character: it and its neighbour in the query, as written there.
    pair: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.text, *self.synonyms)


def _boundaries(text: str) -> tuple[list[tuple[str, int, int]], set[int]]:
    tokens = list(tokenizer().tokenize(text))
    return tokens, {start for _w, start, _e in tokens} | {end for _w, _s, end in tokens}


def _synonym_at(text: str, start: int, boundaries: set[int], synonyms: Mapping[str, tuple[str, ...]]) -> int:
    """The end of the longest listed synonym starting at `start` and ending where a word of the query
    ends (so 会费 is not taken out of 年会费用), or 0."""
    for end in range(min(len(text), start + MAX_SYNONYM_LENGTH), start + 1, -1):
        if end in boundaries and text[start:end] in synonyms:
            return end
    return 0


def _pair(text: str, start: int, end: int) -> str:
    if end - start != 1 or not is_han(text[start]):
        return ""
    if start > 0 and is_han(text[start - 1]):
        return text[start - 1 : end]
    if end < len(text) and is_han(text[end]):
        return text[start : end + 1]
    return ""


def parse(query: str, synonyms: Mapping[str, tuple[str, ...]] | None = None) -> list[Term]:
    """The words of a reader's query, deduplicated, in order, a listed synonym kept whole."""
    text = to_simplified(query or "").lower()
    synonyms = synonyms or {}
    tokens, boundaries = _boundaries(text)
    terms: list[Term] = []
    seen: set[str] = set()
    skip_to = 0
    for word, start, end in tokens:
        if start < skip_to:
            continue
        synonym_end = _synonym_at(text, start, boundaries, synonyms) if synonyms else 0
        if synonym_end:
            word, end, skip_to = text[start:synonym_end], synonym_end, synonym_end
            term = Term(word, tuple(w for w in synonyms[word] if w != word))
        else:
            word = word.strip()
            if not query_terms(word):
                continue
            term = Term(word, pair=_pair(text, start, end))
        if term.text not in seen:
            seen.add(term.text)
            terms.append(term)
    return terms


@functools.lru_cache(maxsize=1024)
def _parts(word: str) -> tuple[str, ...]:
    """The dictionary words a long word is made of, left to right, or () when it is not made of
    words of two characters or more (心理咨询中心 -> 心理咨询, 中心)."""
    freq = tokenizer().FREQ
    parts, start = [], 0
    while start < len(word):
        end = next((e for e in range(len(word), start + 1, -1) if e - start < len(word) and freq.get(word[start:e])), 0)
        if not end:
            return ()
        parts.append(word[start:end])
        start = end
    return tuple(parts) if len(parts) > 1 else ()


def holds(text: str, term: Term) -> bool:
    """Whether `text` (简体, lower case) holds the term, its characters in a row or the words it is
    made of, or one of its synonyms: for ranking titles that hold the query first."""
    for form in term.forms:
        if form in text:
            return True
        parts = _parts(form) if len(form) > 2 and is_han(form) else ()
        if parts and all(part in text for part in parts):
            return True
    return False


def _words(form: str) -> Words | None:
    words = query_terms(form)
    return Words(" ".join(words), operator="and") if words else None


def _is_one_word(form: str) -> bool:
    return len(query_terms(form)) == 1


def _either(options: list[SearchQuery]) -> SearchQuery:
    return options[0] if len(options) == 1 else Or(options)


def _all(queries: list[SearchQuery]) -> SearchQuery | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else And(queries)


def _form_query(form: str, pair: str = "") -> SearchQuery | None:
    exact = _words(form)
    if exact is None:
        return None
    options: list[SearchQuery] = [exact]
    if is_han(form) and len(form) > 1:
        options.append(Grams(" ".join(bigrams(form))))
        if len(form) > 2 and _is_one_word(form) and (parts := _parts(form)):
            options.append(Words(" ".join(parts), operator="and"))
    elif pair:
        options.append(Grams(GRAM_MARK + pair))
    return _either(options)


def exact_query(terms: Iterable[Term]) -> SearchQuery | None:
    """Pages holding every word of the query as a word: ranked before the others."""
    return _all([words for term in terms if (words := _words(term.text)) is not None])


def broad_query(terms: Iterable[Term]) -> SearchQuery | None:
    """Pages holding every word of the query in any of the forms above: the results."""
    queries = []
    for term in terms:
        options = [q for i, form in enumerate(term.forms) if (q := _form_query(form, term.pair if i == 0 else ""))]
        if options:
            queries.append(_either(options))
    return _all(queries)


def marked_forms(terms: Iterable[Term]) -> list[str]:
    """What to mark in titles and excerpts: each word and its synonyms."""
    forms: list[str] = []
    for term in terms:
        forms.extend(form for form in term.forms if form not in forms)
    return forms
