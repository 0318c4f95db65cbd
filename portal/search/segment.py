"""Chinese word segmentation for the search index and for queries.

Text is converted to Simplified Chinese first, so a 繁體 query finds pages in
either script, then cut into words with jieba. Indexing also stores the shorter dictionary words
inside long ones, so a query cut in jieba's accurate mode finds them, and every pair of adjacent
Chinese characters as a marked bigram (g会费), so a word the segmenter cut differently in the page
(written apart, or inside a longer word it did not know) is still found (see portal.search.query).
"""

import re
import threading
from pathlib import Path

import jieba

from portal.localization.conversion import to_simplified, to_traditional

DICTIONARY = Path(__file__).with_name("dictionary.txt")
_lock = threading.Lock()
_WORD = re.compile(r"\w", re.UNICODE)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{_HAN}]+")
# Bigrams are stored as one token with this prefix: no word the segmenter makes starts with a Latin
# letter followed by a Chinese character, so a bigram never matches a word, nor a word a bigram.
GRAM_MARK = "g"


_tokenizer: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    """jieba with the domain dictionary, loaded once per process (about a second), by one thread."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = jieba.Tokenizer()
                tok.initialize()
                tok.load_userdict(str(DICTIONARY))
                _tokenizer = tok
    return _tokenizer


def _is_word(token: str) -> bool:
    return bool(_WORD.search(token))


def index_words(text: str) -> list[str]:
    if not text:
        return []
    tok = tokenizer()
    words: list[str] = []
    for word in tok.cut(to_simplified(str(text)).lower()):
        word = word.strip()
        if not _is_word(word):
            continue
        words.append(word)
        # Also index every dictionary word inside a longer one, so 心理咨询师 is
        # found in 心理咨询师协会 and 咨询 in 心理咨询.
        for size in range(len(word) - 1, 1, -1):
            for start in range(len(word) - size + 1):
                part = word[start : start + size]
                if tok.FREQ.get(part):
                    words.append(part)
    return words


def segment_for_index(text: str) -> str:
    """The form in which text is stored in the search index: words separated by spaces."""
    return " ".join(index_words(text))


def bigrams(text: str) -> list[str]:
    """The marked bigrams of every run of Chinese characters in `text`, in order (简体, lower case)."""
    grams: list[str] = []
    for run in HAN_RUN.findall(to_simplified(str(text or "")).lower()):
        grams.extend(GRAM_MARK + run[i : i + 2] for i in range(len(run) - 1))
    return grams


def text_for_index(text: str) -> str:
    """What a search field stores: its words, then its bigrams (after the words, so phrase queries
    over consecutive bigrams never run into a word)."""
    return " ".join([*index_words(text), *bigrams(text)])


def is_han(text: str) -> bool:
    return bool(text) and HAN_RUN.fullmatch(text) is not None


def query_terms(query: str) -> list[str]:
    """The words of a visitor's query, deduplicated, in order."""
    if not query:
        return []
    text = to_simplified(query).lower()
    terms: list[str] = []
    for token in tokenizer().cut(text):
        token = token.strip()
        if _is_word(token) and token not in terms:
            terms.append(token)
    return terms


def segment_query(query: str) -> str:
    return " ".join(query_terms(query))


def highlight_forms(terms: list[str]) -> list[str]:
    """Every spelling of the query words that may appear in page text (简体 and 繁體), longest first."""
    forms = set()
    for term in terms:
        forms.add(term)
        forms.add(to_traditional(term))
    return sorted(forms, key=len, reverse=True)
