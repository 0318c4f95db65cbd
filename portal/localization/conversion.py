"""Simplified <-> Traditional Chinese conversion with OpenCC, shared by search and translation."""

from functools import cache

import opencc

# Which OpenCC configuration turns one script into the other.
CONFIGS = {
    ("zh-hans", "zh-hant"): "s2t",
    ("zh-hant", "zh-hans"): "t2s",
}


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def can_convert(source: str, target: str) -> bool:
    return (source.lower(), target.lower()) in CONFIGS


def convert(text: str, source: str, target: str) -> str:
    """Convert `text` from one Chinese script to the other; raises KeyError for other pairs."""
    if not text:
        return text
    return _converter(CONFIGS[(source.lower(), target.lower())]).convert(text)


def to_simplified(text: str) -> str:
    return convert(text, "zh-hant", "zh-hans")


def to_traditional(text: str) -> str:
    return convert(text, "zh-hans", "zh-hant")
