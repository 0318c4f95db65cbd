"""Finding the translatable messages in the project's Python code and templates, as makemessages and
xgettext would, into a catalogue of Message records; the languages the catalogues are kept for."""

import ast
import io
import re
import tokenize
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.utils.translation import TranslatorCommentWarning
from django.utils.translation.template import templatize

from portal.localization.conversion import to_traditional

SOURCE_ROOTS: tuple[str, ...] = (
    "home",
    "notices",
    "members",
    "experts",
    "volunteers",
    "aid",
    "calls",
    "portal",
    "templates",
)
SKIPPED_DIRS = frozenset({".venv", "venv", "tests", "bench", "migrations", "locale", "__pycache__", "node_modules"})
TEMPLATE_SUFFIXES = frozenset({".html", ".txt"})
DOMAIN = "django"
PROJECT = "counsellors-portal"

# Positional roles of each translation function's arguments, as makemessages passes them to xgettext.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "pgettext": ("msgctxt", "msgid"),
    "pgettext_lazy": ("msgctxt", "msgid"),
    "ngettext": ("msgid", "msgid_plural"),
    "ngettext_lazy": ("msgid", "msgid_plural"),
    "npgettext": ("msgctxt", "msgid", "msgid_plural"),
    "npgettext_lazy": ("msgctxt", "msgid", "msgid_plural"),
}

# xgettext's (gettext 0.21) notion of Python %-conversions, grouped by the argument type they accept.
PYTHON_CONVERSIONS = {"c": "c", "s": "s", "r": "s", "d": "i", "i": "i", "u": "i", "o": "i", "x": "i", "X": "i"}
PYTHON_CONVERSIONS |= dict.fromkeys("eEfgG", "f")
PYTHON_FLAGS_WIDTH = re.compile(r"[ #+\-0]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]*")
BRACE_FIELD = re.compile(r"(?:\d+|[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*|\[[^\]]*\])*", re.ASCII)


class CatalogueError(Exception):
    """A problem the command reports as a CommandError naming the file, rather than as a traceback."""


@dataclass(frozen=True)
class Message:
    """One translatable string; references are informative and not part of its identity."""

    msgid: str
    msgctxt: str = ""
    msgid_plural: str = ""
    references: tuple[str, ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.msgctxt, self.msgid)

    @property
    def flags(self) -> list[str]:
        sources = [self.msgid, self.msgid_plural] if self.msgid_plural else [self.msgid]
        flags = ["python-format"] if any(python_format(text) for text in sources) else []
        return flags + (["python-brace-format"] if any(brace_format(text) for text in sources) else [])


@dataclass(frozen=True)
class Language:
    """A target locale: its directory name, plural rule and optional machine pre-translation."""

    code: str
    plural_forms: str
    autofill: Callable[[str], str] | None = None

    @property
    def nplurals(self) -> int:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.plural_forms)
        return int(match[1]) if match else 2

    def po_path(self, locale_dir: Path) -> Path:
        return locale_dir / self.code / "LC_MESSAGES" / f"{DOMAIN}.po"

    def mo_path(self, locale_dir: Path) -> Path:
        return self.po_path(locale_dir).with_suffix(".mo")


LANGUAGES: tuple[Language, ...] = (
    Language("zh_Hant", "nplurals=1; plural=0;", autofill=to_traditional),
    Language("en", "nplurals=2; plural=(n != 1);"),
)

Catalogue = dict[tuple[str, str], Message]


@dataclass
class UpdateReport:
    """What --update changed in one language, for the command's summary line."""

    language: str
    added: int = 0
    removed: int = 0
    autofilled: int = 0
    untranslated: int = 0
    written: bool = False


def python_format(text: str) -> list[tuple[str | None, str]] | None:
    """Parse a %-format string as xgettext does: (name, kind) per directive, %% included; None when invalid."""
    directives: list[tuple[str | None, str]] = []
    named: dict[str, str] = {}
    index = text.find("%")
    while index != -1:
        index += 1
        name = None
        if text.startswith("(", index):
            depth, start = 1, index + 1
            index = start
            while depth:
                if index >= len(text):
                    return None
                depth += {"(": 1, ")": -1}.get(text[index], 0)
                index += 1
            name = text[start : index - 1]
        spec = PYTHON_FLAGS_WIDTH.match(text, index)
        if spec is None:  # every part of the pattern is optional: it always matches
            return None
        stars = spec[0].count("*")
        if name is not None and stars:
            return None
        index = spec.end()
        conversion = text[index : index + 1]
        kind = "%" if conversion == "%" else PYTHON_CONVERSIONS.get(conversion)
        if kind is None:
            return None
        if name is not None and kind != "%" and named.setdefault(name, kind) != kind:
            return None
        directives += [(None, "i")] * stars + [(name, kind)]
        index = text.find("%", index + 1)
    if named and any(name is None and kind != "%" for name, kind in directives):
        return None
    return directives


def _brace_fields(text: str, index: int, fields: list[str], toplevel: bool) -> int | None:
    while index < len(text):
        char = text[index]
        if char == "{":
            if toplevel and text.startswith("{", index + 1):
                index += 2
                continue
            field_name = BRACE_FIELD.match(text, index + 1)
            if field_name is None:
                return None
            fields.append(field_name[0])
            index = field_name.end()
            if text.startswith(":", index):
                if not toplevel:
                    return None
                found = _brace_fields(text, index + 1, fields, toplevel=False)
                if found is None:
                    return None
                index = found
            if not text.startswith("}", index):
                return None
            index += 1
        elif char == "}":
            if not toplevel:
                return index
            if not text.startswith("}", index + 1):
                return None
            index += 2
        else:
            index += 1
    return index if toplevel else None


def brace_format(text: str) -> list[str] | None:
    """Parse a str.format() string as xgettext does: its field names, or None when invalid."""
    fields: list[str] = []
    return fields if _brace_fields(text, 0, fields, toplevel=True) is not None else None


def format_signature(text: str) -> tuple[frozenset[tuple[str, str]], tuple[str, ...]] | None:
    directives = python_format(text)
    if directives is None:
        return None
    named = frozenset((name, kind) for name, kind in directives if name is not None and kind != "%")
    return named, tuple(kind for name, kind in directives if name is None and kind != "%")


def _message_from_args(name: str, args: Sequence[str | None], origin: str) -> Message | None:
    roles = KEYWORDS[name]
    if len(args) < len(roles):
        return None
    values = dict(zip(roles, args, strict=False))
    if any(value is None for value in values.values()) or not values["msgid"]:
        return None
    return Message(
        msgid=values["msgid"] or "",
        msgctxt=values.get("msgctxt") or "",
        msgid_plural=values.get("msgid_plural") or "",
        references=(origin,),
    )


def _literal(node: ast.expr) -> str | None:
    """A string literal's value; an f-string counts only without placeholders, since only then can it match."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr) and all(isinstance(part, ast.Constant) for part in node.values):
        return "".join(
            part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


def extract_python(source: str, origin: str = "<string>") -> list[Message]:
    """Find literal arguments of the translation functions, as xgettext --language=Python would."""
    try:
        tree = ast.parse(source, filename=origin)
    except SyntaxError as exc:
        raise CatalogueError(f"{origin}: {exc}") from exc
    messages = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in KEYWORDS:
            continue
        if message := _message_from_args(name, [_literal(arg) for arg in node.args], origin):
            messages.append(message)
    return messages


def _line_tokens(code: str) -> Iterator[tokenize.TokenInfo]:
    """Tokenize templatize() output line by line: it is not Python, but every call it emits sits on one line."""
    for line in code.splitlines():
        try:
            yield from tokenize.generate_tokens(io.StringIO(line.lstrip() + "\n").readline)
        except (tokenize.TokenError, SyntaxError):
            continue


def _string_value(tokens: list[tokenize.TokenInfo]) -> str | None:
    if not tokens or any(token.type != tokenize.STRING for token in tokens):
        return None
    try:
        parts = [ast.literal_eval(token.string) for token in tokens]
    except (ValueError, SyntaxError):
        return None
    return "".join(parts) if all(isinstance(part, str) for part in parts) else None


def _call_arguments(tokens: list[tokenize.TokenInfo], start: int) -> list[list[tokenize.TokenInfo]] | None:
    depth = 0
    args: list[list[tokenize.TokenInfo]] = [[]]
    for token in tokens[start:]:
        if token.type == tokenize.OP and token.string in {"(", "[", "{"}:
            depth += 1
            if depth == 1:
                continue
        elif token.type == tokenize.OP and token.string in {")", "]", "}"}:
            depth -= 1
            if depth == 0:
                return args
        elif depth == 1 and token.type == tokenize.OP and token.string == ",":
            args.append([])
            continue
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            args[-1].append(token)
    return None


def extract_template(source: str, origin: str = "<template>") -> list[Message]:
    """Find translatable strings of a Django template exactly as makemessages does, via templatize()."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TranslatorCommentWarning)
            code = templatize(source, origin=origin)
    except SyntaxError as exc:
        raise CatalogueError(f"{origin}: {exc}") from exc
    tokens = [token for token in _line_tokens(code) if token.type not in (tokenize.INDENT, tokenize.DEDENT)]
    messages = []
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.type != tokenize.NAME or token.string not in KEYWORDS or following.string != "(":
            continue
        arguments = _call_arguments(tokens, index + 1)
        if arguments is None:
            continue
        message = _message_from_args(token.string, [_string_value(arg) for arg in arguments], origin)
        if message:
            messages.append(message)
    return messages


def source_files(base_dir: Path, roots: Iterable[str] = SOURCE_ROOTS) -> Iterator[tuple[Path, str]]:
    """Yield (path, kind) for every project file that may hold translatable strings, in a stable order."""
    for root in roots:
        for path in sorted((base_dir / root).rglob("*")):
            relative = path.relative_to(base_dir)
            if not path.is_file() or any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts):
                continue
            if path.suffix == ".py":
                yield path, "python"
            elif path.suffix in TEMPLATE_SUFFIXES and "templates" in relative.parts[:-1]:
                yield path, "template"


def collect(base_dir: Path, roots: Iterable[str] = SOURCE_ROOTS) -> Catalogue:
    """Extract the project's messages, merging duplicates and their references."""
    catalogue: Catalogue = {}
    for path, kind in source_files(base_dir, roots):
        origin = path.relative_to(base_dir).as_posix()
        source = path.read_text(encoding="utf-8")
        found = extract_python(source, origin) if kind == "python" else extract_template(source, origin)
        for message in found:
            known = catalogue.get(message.key)
            if known is None:
                catalogue[message.key] = message
                continue
            plural = max(known.msgid_plural, message.msgid_plural)
            references = tuple(sorted({*known.references, *message.references}))
            catalogue[message.key] = replace(known, msgid_plural=plural, references=references)
    return catalogue
