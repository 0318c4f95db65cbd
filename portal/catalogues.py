"""Pure-Python gettext catalogue upkeep, so translations can be extracted and compiled without GNU gettext."""

import ast
import io
import re
import tokenize
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib
from django.utils.translation import TranslatorCommentWarning
from django.utils.translation.template import templatize

from portal.localization.conversion import to_traditional

SOURCE_ROOTS: tuple[str, ...] = ("home", "notices", "members", "experts", "volunteers", "aid", "portal", "templates")
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


def _signature(text: str) -> tuple[frozenset[tuple[str, str]], tuple[str, ...]] | None:
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
        return "".join(part.value for part in node.values)
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
    depth, args = 0, [[]]
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


def _header(language: Language) -> str:
    return (
        f"{language.code} translation of the {PROJECT} interface.\n"
        "Maintained with `manage.py catalogues --update`; edit msgstr values only."
    )


def _metadata(previous: dict[str, str], language: Language) -> dict[str, str]:
    metadata = {key: value for key, value in previous.items() if key != "POT-Creation-Date"}
    metadata.setdefault("Project-Id-Version", PROJECT)
    metadata.update(
        {
            "Language": language.code,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": language.plural_forms,
        }
    )
    return metadata


def _is_empty(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return not any(entry.msgstr_plural.values())
    return not entry.msgstr


def _new_entry(message: Message, previous: polib.POEntry | None, language: Language) -> polib.POEntry:
    entry = polib.POEntry(
        msgid=message.msgid,
        msgctxt=message.msgctxt or None,
        msgid_plural=message.msgid_plural,
        occurrences=[(reference, "") for reference in message.references],
    )
    fuzzy = False
    if previous is not None:
        entry.tcomment = previous.tcomment
        fuzzy = previous.fuzzy or previous.msgid_plural != message.msgid_plural
        old_forms = (
            [previous.msgstr_plural[index] for index in sorted(previous.msgstr_plural)]
            if previous.msgid_plural
            else [previous.msgstr]
        )
    else:
        old_forms = []
    if message.msgid_plural:
        entry.msgstr_plural = {
            index: old_forms[index] if index < len(old_forms) else "" for index in range(language.nplurals)
        }
    else:
        entry.msgstr = old_forms[0] if old_forms else ""
    if language.autofill and _is_empty(entry):
        fuzzy = False
        if message.msgid_plural:
            sources = [message.msgid_plural] if language.nplurals == 1 else [message.msgid, message.msgid_plural]
            entry.msgstr_plural = {
                index: language.autofill(sources[min(index, len(sources) - 1)]) for index in range(language.nplurals)
            }
        else:
            entry.msgstr = language.autofill(message.msgid)
    if fuzzy and _is_empty(entry):
        fuzzy = False
    entry.flags = (["fuzzy"] if fuzzy else []) + message.flags
    return entry


def render(catalogue: Catalogue, language: Language, previous: polib.POFile | None = None) -> tuple[str, UpdateReport]:
    """Merge the extracted messages into a language's previous catalogue; returns the new .po text."""
    report = UpdateReport(language.code)
    old_entries = {
        (entry.msgctxt or "", entry.msgid): entry for entry in (previous or []) if not entry.obsolete and entry.msgid
    }
    po = polib.POFile(wrapwidth=78)
    po.header = previous.header if previous is not None and previous.header.strip() else _header(language)
    po.metadata = _metadata(previous.metadata if previous is not None else {}, language)
    po.metadata_is_fuzzy = False
    for key in sorted(catalogue, key=lambda key: (key[1], key[0])):
        message = catalogue[key]
        old = old_entries.get(key)
        entry = _new_entry(message, old, language)
        report.added += old is None
        report.autofilled += bool(language.autofill) and (old is None or _is_empty(old)) and not _is_empty(entry)
        report.untranslated += not entry.translated()
        po.append(entry)
    report.removed = len(old_entries.keys() - catalogue.keys())
    return str(po).rstrip("\n") + "\n", report


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def update(catalogue: Catalogue, locale_dir: Path, languages: Sequence[Language] = LANGUAGES) -> list[UpdateReport]:
    """Write each language's .po from the extracted messages, keeping existing translations."""
    reports = []
    for language in languages:
        path = language.po_path(locale_dir)
        previous = polib.pofile(str(path), wrapwidth=78) if path.exists() else None
        text, report = render(catalogue, language, previous)
        report.written = _write_if_changed(path, text.encode("utf-8"))
        reports.append(report)
    return reports


def compile_catalogues(locale_dir: Path, languages: Sequence[Language] = LANGUAGES) -> list[Path]:
    """Write the .mo next to each .po (only when its bytes change); returns the files written."""
    written = []
    for language in languages:
        po_path = language.po_path(locale_dir)
        if not po_path.exists():
            raise CatalogueError(f"{po_path} does not exist; run `manage.py catalogues --update` first.")
        mo_path = language.mo_path(locale_dir)
        if _write_if_changed(mo_path, polib.pofile(str(po_path)).to_binary()):
            written.append(mo_path)
    return written


def _translations(entries: Iterable[polib.POEntry | polib.MOEntry]) -> dict[tuple[str, str, str], tuple[str, ...]]:
    return {
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""): (
            tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else (entry.msgstr,)
        )
        for entry in entries
    }


def _label(msgctxt: str, msgid: str) -> str:
    return f"{msgctxt!r} | {msgid!r}" if msgctxt else repr(msgid)


def _entry_problems(entry: polib.POEntry, language: Language) -> list[str]:
    label = _label(entry.msgctxt or "", entry.msgid)
    if entry.fuzzy:
        return [f"fuzzy translation of {label}"]
    forms = (
        [entry.msgstr_plural.get(index, "") for index in range(language.nplurals)]
        if entry.msgid_plural
        else [entry.msgstr]
    )
    if not all(forms):
        return [f"missing translation of {label}"]
    if "python-format" not in entry.flags:
        return []
    sources = [_signature(entry.msgid)] + ([_signature(entry.msgid_plural)] if entry.msgid_plural else [])
    valid = [source for source in sources if source is not None]
    named = frozenset().union(*(source[0] for source in valid))
    positional = {source[1] for source in valid}
    signatures = [_signature(form) for form in forms]
    if entry.msgid_plural:
        bad = [form for form, sig in zip(forms, signatures, strict=True) if not sig or not sig[0] <= named]
        bad += [form for form, sig in zip(forms, signatures, strict=True) if sig and sig[1] not in positional]
    else:
        bad = [form for form, sig in zip(forms, signatures, strict=True) if sig != sources[0]]
    return [f"placeholders of {label} differ in its translation {form!r}" for form in bad]


def check(catalogue: Catalogue, locale_dir: Path, languages: Sequence[Language] = LANGUAGES) -> list[str]:
    """List every reason the committed catalogues do not match the code; an empty list means all is well."""
    problems: list[str] = []
    expected = {(message.msgctxt, message.msgid, message.msgid_plural) for message in catalogue.values()}
    for language in languages:
        po_path = language.po_path(locale_dir)
        if not po_path.exists():
            problems.append(f"{language.code}: {po_path} is missing")
            continue
        po = polib.pofile(str(po_path))
        entries = [entry for entry in po if not entry.obsolete]
        present = {(entry.msgctxt or "", entry.msgid, entry.msgid_plural or "") for entry in entries}
        problems += [
            f"{language.code}: stale catalogue, missing msgid {_label(ctxt, msgid)}"
            for ctxt, msgid, _plural in sorted(expected - present)
        ]
        problems += [
            f"{language.code}: stale catalogue, extra msgid {_label(ctxt, msgid)}"
            for ctxt, msgid, _plural in sorted(present - expected)
        ]
        for name, value in (("Language", language.code), ("Plural-Forms", language.plural_forms)):
            if po.metadata.get(name) != value:
                problems.append(f"{language.code}: header {name} is {po.metadata.get(name)!r}, expected {value!r}")
        for entry in entries:
            problems += [f"{language.code}: {problem}" for problem in _entry_problems(entry, language)]
        mo_path = language.mo_path(locale_dir)
        if not mo_path.exists():
            problems.append(f"{language.code}: {mo_path} is missing; run `manage.py catalogues --compile`")
            continue
        mo = polib.mofile(str(mo_path))
        if _translations(mo) != _translations(po.translated_entries()) or mo.metadata != po.metadata:
            problems.append(f"{language.code}: {mo_path} is out of date; run `manage.py catalogues --compile`")
    return problems
