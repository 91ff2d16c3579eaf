"""Renders letters: Jinja2 (StrictUndefined) to HTML, WeasyPrint to PDF, and their hashes.

Rendering is deterministic: the same context and the same template files give the same HTML
bytes. A template's hash covers its own source and every template it extends or includes
(found by parsing, recursively), so changing the shared layout or the print CSS changes the
hash of every letter that uses it. Compiled templates and hashes are cached per process and
per snapshot of the templates directory; a template file changed on disk gives a new
snapshot, and verification always re-reads the files.

The sources a letter's template hash covers (`TemplateSet.template_sources`) are kept with
the letter (the database's template store, an audit bundle's `templates/` members), so a
letter is re-rendered with the very templates it was issued with (`kept_templates`), after
checking that they are exactly what its template hash covers (`TemplateSet.covers`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import (
    DictLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    meta,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from letters.citations import cite_laws
from letters.formatting import FILTERS
from rules.errors import InvalidInput
from states.canonical import canonical_json

TEMPLATES_ENV = "NETRA_LETTER_TEMPLATES"
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"


def default_templates_dir() -> Path:
    """`NETRA_LETTER_TEMPLATES` if set (tests point it at a copy), else the packaged folder."""
    override = os.environ.get(TEMPLATES_ENV)
    return Path(override).resolve() if override else PACKAGE_TEMPLATES


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def context_hash(context: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a letter context (sorted keys, no floats)."""
    return hashlib.sha256(canonical_json(context)).hexdigest()


def content_hash(html: str) -> str:
    """SHA-256 of the letter's HTML bytes (UTF-8)."""
    return sha256_text(html)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class LetterEnvironment(Environment):
    """Jinja's environment, with `a.b` on a plain dict (every letter context is JSON) read as
    the key straight away: Jinja prefers an attribute, which on a dict only its methods can
    be, so it raised and caught AttributeError for every field a letter prints."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class KeptLetterEnvironment(LetterEnvironment, ImmutableSandboxedEnvironment):
    """The same, sandboxed, for sources that did not come from the installed folder (the
    database's template store, an audit bundle): until they are checked against a letter's
    hash they are anyone's text, and a sandboxed template cannot reach Python's internals.
    The letters' templates render the same bytes in it."""


class TemplateSet:
    """A snapshot of one directory's letter templates: a Jinja environment and their hashes.

    The sources are read once into memory, so what is rendered and what is hashed are the
    same bytes; a changed file on disk gives a new snapshot (see `templates`).
    """

    def __init__(self, directory: Path, sources: dict[str, str], sandboxed: bool = False) -> None:
        self.directory = directory
        self.sources = sources
        self.digest = hashlib.sha256(
            b"".join(
                n.encode() + b"\0" + s.encode("utf-8") + b"\0" for n, s in sorted(sources.items())
            )
        ).hexdigest()
        self.env = (KeptLetterEnvironment if sandboxed else LetterEnvironment)(
            loader=DictLoader(sources),
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.env.filters.update(FILTERS)
        self._hashes: dict[str, str] = {}
        self._used: dict[str, dict[str, str]] = {}
        self._compiled: dict[str, Template] = {}  # past Jinja's locked LRU cache

    def names(self) -> list[str]:
        """The letter templates (shared partials start with `_`)."""
        return sorted(n for n in self.sources if n.endswith(".html.j2") and not n.startswith("_"))

    def render(self, name: str, context: dict[str, Any]) -> str:
        """The letter's HTML; laws cited in full once, then short (`letters.citations`)."""
        template = self._compiled.get(name)
        if template is None:
            template = self._compiled[name] = self.env.get_template(name)
        html = template.render(context)
        legal = context.get("legal")
        titles = legal.get("titles") if isinstance(legal, dict) else None
        return cite_laws(html, titles) if titles else html

    def _source(self, name: str) -> str:
        try:
            return self.sources[name]
        except KeyError:
            raise TemplateNotFound(name) from None

    def dependencies(self, name: str) -> list[str]:
        """`name` and every template it extends, includes or imports, recursively, sorted."""
        seen: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            for ref in meta.find_referenced_templates(self.env.parse(self._source(current))):
                if ref is None:
                    raise InvalidInput(f"Templat {current} memakai include dinamis (tanpa hash)")
                pending.append(ref)
        return sorted(seen)

    def template_sources(self, name: str) -> dict[str, str]:
        """The sources `template_hash(name)` covers: `name` and everything it uses, by file
        name (what the letter template store keeps; cached, do not modify)."""
        used = self._used.get(name)
        if used is None:
            used = self._used[name] = {dep: self._source(dep) for dep in self.dependencies(name)}
        return used

    def template_hash(self, name: str) -> str:
        """SHA-256 over (name, source) of the template and everything it uses."""
        digest = self._hashes.get(name)
        if digest is None:
            hasher = hashlib.sha256()
            for dep, source in sorted(self.template_sources(name).items()):
                hasher.update(dep.encode() + b"\0" + source.encode("utf-8") + b"\0")
            digest = self._hashes[name] = hasher.hexdigest()
        return digest

    def matches(self, name: str, template_hash: str) -> bool:
        """This set has template `name`, and it hashes (with what it uses) to `template_hash`."""
        try:
            return name in self.sources and self.template_hash(name) == template_hash
        except (TemplateError, InvalidInput):
            return False

    def covers(self, name: str, template_hash: str) -> bool:
        """This set holds exactly `name` and what it uses, and they hash to `template_hash`
        (the sources kept with a letter must be exactly the set it was issued with)."""
        return self.matches(name, template_hash) and set(self.sources) == set(
            self.dependencies(name)
        )


_BY_DIGEST: dict[str, TemplateSet] = {}
_BY_DIRECTORY: dict[Path, tuple[float, tuple[tuple[str, int, int], ...], TemplateSet]] = {}


RECHECK_SECONDS = 1.0


def _template_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(".j2"))


def _stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    with os.scandir(directory) as entries:
        return tuple(
            sorted(
                (e.name, e.stat().st_mtime_ns, e.stat().st_size)
                for e in entries
                if e.name.endswith(".j2") and e.is_file()
            )
        )


def _snapshot(directory: Path) -> TemplateSet:
    sources = {p.name: p.read_text(encoding="utf-8") for p in _template_files(directory)}
    candidate = TemplateSet(directory, sources)
    return _BY_DIGEST.setdefault(candidate.digest, candidate)


KEPT = Path("<kept>")  # the `directory` of a template set built from kept sources
_KEPT_BY_DIGEST: dict[str, TemplateSet] = {}


def kept_templates(sources: Mapping[str, str]) -> TemplateSet:
    """The template set of sources kept with letters (the database's template store, a
    bundle's `templates/` members), sandboxed, cached by digest (apart from the directories'
    snapshots), so the letters issued with one set compile it once."""
    candidate = TemplateSet(KEPT, dict(sources), sandboxed=True)
    return _KEPT_BY_DIGEST.setdefault(candidate.digest, candidate)


def templates(directory: Path | str | None = None, fresh: bool = False) -> TemplateSet:
    """The template set of a directory (default: `default_templates_dir()`).

    Issuing uses the cached snapshot, re-read when a file's mtime or size changed (looked
    at no more than once a second); what is rendered and hashed always come from the same
    snapshot. `fresh=True` (verification) re-reads the files and compares by content, so a
    template altered with its mtime preserved is still noticed.
    """
    path = Path(directory).resolve() if directory is not None else default_templates_dir()
    if fresh:
        return _snapshot(path)
    now = time.monotonic()
    cached = _BY_DIRECTORY.get(path)
    if cached is not None and now - cached[0] < RECHECK_SECONDS:
        return cached[2]
    stamp = _stamp(path)
    if cached is not None and cached[1] == stamp:
        _BY_DIRECTORY[path] = (now, stamp, cached[2])
        return cached[2]
    snapshot = _snapshot(path)
    _BY_DIRECTORY[path] = (now, stamp, snapshot)
    return snapshot


def html_to_pdf(html: str, context: dict[str, Any] | None = None) -> bytes:
    """An A4 PDF/A-3b of a rendered letter (see `letters.pdf.letter_pdf`)."""
    from letters.pdf import letter_pdf

    return letter_pdf(html, context)
