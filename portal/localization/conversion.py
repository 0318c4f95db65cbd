"""Simplified <-> Traditional Chinese conversion with OpenCC, shared by search, translation and display.

繁體 follows Taiwan usage: OpenCC's s2twp (Taiwan standard characters and Taiwan vocabulary such as
資訊, 搜尋, 帳號), except where its computing vocabulary misreads an association's words (社區 is
not an online 社群, a 文件 is not a computer 檔案, a 程序 is a procedure): taiwan_phrases.txt keeps
those, and is read before OpenCC's own Taiwan phrases.
"""

import hashlib
import json
import tempfile
from functools import cache
from pathlib import Path

import opencc

PHRASES = Path(__file__).with_name("taiwan_phrases.txt")
TRADITIONAL = "s2twp"

# Which OpenCC configuration turns one script into the other.
CONFIGS = {
    ("zh-hans", "zh-hant"): TRADITIONAL,
    ("zh-hant", "zh-hans"): "t2s",
}


def _share_dir() -> Path:
    return Path(getattr(opencc, "_opencc_share_dir", Path(opencc.__file__).parent / "clib" / "share" / "opencc"))


def _absolute(node, share: Path):
    """The config with every dictionary file named by its absolute path (OpenCC looks for files
    next to the config, which is written elsewhere)."""
    if isinstance(node, dict):
        node = {key: _absolute(value, share) for key, value in node.items()}
        if node.get("type") == "ocd2":
            node["file"] = str(share / node["file"])
        return node
    if isinstance(node, list):
        return [_absolute(value, share) for value in node]
    return node


def _portal_config() -> str:
    """s2twp with the portal's own phrases first in its Taiwan step, written once per machine."""
    share = _share_dir()
    config = _absolute(json.loads((share / f"{TRADITIONAL}.json").read_text(encoding="utf-8")), share)
    taiwan_step = config["conversion_chain"][-1]["dict"]["dicts"]
    taiwan_step.insert(0, {"type": "text", "file": str(PHRASES)})
    text = json.dumps(config, ensure_ascii=False, indent=1)
    digest = hashlib.sha256((text + PHRASES.read_text(encoding="utf-8")).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"portal-opencc-{TRADITIONAL}-{digest}.json"
    if not path.exists():
        partial = path.with_suffix(f".{digest}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    return str(path)


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(_portal_config() if config == TRADITIONAL else config)


def can_convert(source: str, target: str) -> bool:
    return (source.lower(), target.lower()) in CONFIGS


def convert(text: str, source: str, target: str) -> str:
    """Convert `text` from one Chinese script to the other; raises KeyError for other pairs."""
    if not text:
        return text
    config = CONFIGS[(source.lower(), target.lower())]
    if config == TRADITIONAL:
        # From 简体 whatever the text holds already: OpenCC's phrases expect 简体, and 繁體 fed to it
        # again can come out differently (心理干預 would become 心理幹預). So converting is idempotent.
        text = _converter("t2s").convert(text)
    return _converter(config).convert(text)


def to_simplified(text: str) -> str:
    return convert(text, "zh-hant", "zh-hans")


def to_traditional(text: str) -> str:
    return convert(text, "zh-hans", "zh-hant")


def is_traditional(text: str) -> bool:
    """Whether `text` reads as 繁體 already (nothing left that OpenCC would convert)."""
    return not text or to_traditional(text) == text
