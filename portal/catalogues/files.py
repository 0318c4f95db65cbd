"""The .po and .mo files: merging a collected catalogue into each language's .po file (繁體 filled
by OpenCC where empty), compiling the .mo files, and checking that nothing is stale or untranslated."""

from collections.abc import Iterable, Sequence
from pathlib import Path

import polib

from .extract import (
    LANGUAGES,
    PROJECT,
    Catalogue,
    CatalogueError,
    Language,
    Message,
    UpdateReport,
    format_signature,
)


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
    sources = [format_signature(entry.msgid)] + ([format_signature(entry.msgid_plural)] if entry.msgid_plural else [])
    valid = [source for source in sources if source is not None]
    named = frozenset().union(*(source[0] for source in valid))
    positional = {source[1] for source in valid}
    signatures = [format_signature(form) for form in forms]
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
