"""Laws cited in full on first mention and by their short name after, in every letter.

Rule data cites laws by short name ("PP 94/2021 Pasal 5 huruf n", "Lampiran SKB 2022 huruf
B angka 4") and `legal.yaml` gives each law its full title and short name. `cite_laws` walks
a rendered letter in reading order: the first mention of a law (short or full) becomes its
full title, followed by "(selanjutnya disebut <short>)" when the letter mentions it again, and
every later mention becomes the short name. An article reference follows Indonesian drafting
order ("Pasal 5 huruf n PP 94/2021", not "PP 94/2021 Pasal 5 huruf n").

A decree's legal basis lists (Mengingat, Memperhatikan: elements with class `basis`) always
give full titles, by the form of a decree; a law first mentioned there still gets its
"(selanjutnya disebut ...)" when the diktums cite it again.

The pass is part of rendering (`letters.render.TemplateSet.render`), so the stored, hashed
HTML and a verification's re-render go through the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

_TAG = re.compile(r"(<[^>]*>)")
_BASIS_OPEN = re.compile(r'<(\w+)[^>]*\bclass="[^"]*\bbasis\b[^"]*"[^>]*>')
# An article reference after a short name: up to the next ";", "," (unless another "Pasal"
# follows), ")" that closes nothing, a sentence end (not "jo."), a " dan " that joins
# something other than an article part, or the end of the text run.
_ARTICLE = re.compile(
    r" (Pasal (?:[^;,<()]|\((?:\d+[a-z]?|[a-z])\)|,(?= Pasal))+?)"
    r"(?=[;<)]|,(?! Pasal)|(?<!jo)\.(?:\s|$)| (?:serta|sebagaimana|dengan|yang|untuk|tentang) "
    r"| dan (?!Pasal|ayat|huruf|angka|\()| \((?!(?:\d+[a-z]?|[a-z])\))|$)"
)

# An annex row after a short name ("SKB 2022 huruf B angka 4"), moved before it likewise.
_ANNEX_ROW = re.compile(r" (huruf [A-Z] angka \d+)")


@dataclass(frozen=True)
class LawName:
    full: str
    short: str


@dataclass
class _Mention:
    law: int
    start: int  # offset in the text run
    end: int
    article: str | None  # "Pasal ..." following a short name, moved before the title
    basis: bool


def _pattern(names: tuple[LawName, ...]) -> re.Pattern[str]:
    # Longest first: one title can contain another (Peraturan BKN 6/2022's title names PP 94/2021).
    alternatives = sorted(
        {(text, i) for i, n in enumerate(names) for text in (n.full, n.short)},
        key=lambda pair: -len(pair[0]),
    )
    return re.compile(
        "|".join(
            f"(?P<l{i}_{k}>{re.escape(text)}{'' if text == names[i].full else r'(?![0-9/])'})"
            for k, (text, i) in enumerate(alternatives)
        )
    )


@dataclass(frozen=True)
class _LawFinder:
    """The names of a set of laws, found in a text run as `pattern.finditer` finds them.

    `pattern` (one alternative per name) is tried only where `starts` (the names' opening
    characters) occurs, which a scan finds far faster than the whole alternation can.
    """

    names: tuple[LawName, ...]
    pattern: re.Pattern[str]
    starts: re.Pattern[str]
    law_of_group: dict[str, int]  # the pattern's group name -> index of its law in `names`

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The same matches, in the same order, as `self.pattern.finditer(text)`."""
        position = 0
        while (candidate := self.starts.search(text, position)) is not None:
            match = self.pattern.match(text, candidate.start())
            if match is None:
                position = candidate.start() + 1
            else:
                yield match
                position = match.end()


@lru_cache(maxsize=64)
def _law_finder(titles: tuple[tuple[str, str], ...]) -> _LawFinder:
    """Compiled once per set of (full, short) titles: once per rule-set version in practice."""
    names = tuple(LawName(full, short) for full, short in titles)
    pattern = _pattern(names)
    texts = [text for name in names for text in (name.full, name.short)]
    width = min(len(text) for text in texts)
    starts = re.compile("|".join(re.escape(text) for text in sorted({t[:width] for t in texts})))
    groups = {group: int(group[1:].split("_")[0]) for group in pattern.groupindex}
    return _LawFinder(names, pattern, starts, groups)


def _runs_with_basis(parts: list[str], finder: _LawFinder) -> Iterator[tuple[int, bool]]:
    """The text runs that may name a law, each with whether it lies inside a basis list."""
    basis_depth: list[str] = []
    for index, part in enumerate(parts):
        if index % 2 == 1:  # a tag
            opened = _BASIS_OPEN.match(part) if "basis" in part else None
            if opened:
                basis_depth.append(opened.group(1))
            elif basis_depth and part.startswith(f"</{basis_depth[-1]}"):
                basis_depth.pop()
        elif finder.starts.search(part) is not None:  # most text runs name no law
            yield index, bool(basis_depth)


def cite_laws(html: str, laws: Iterable[Mapping[str, str]]) -> str:
    """The letter's HTML with each law in full once, then by its short name (see module)."""
    titles = tuple((item["full"], item["short"]) for item in laws)
    if not titles:
        return html
    finder = _law_finder(titles)
    names, starts = finder.names, finder.starts
    body_at = html.find("<body")
    head, body = (html[:body_at], html[body_at:]) if body_at >= 0 else ("", html)
    parts = _TAG.split(body)
    mentions: list[tuple[int, _Mention]] = []  # (part index, mention)
    if "basis" in body:
        runs = _runs_with_basis(parts, finder)
    else:  # no basis list can open: every mention is outside one, and tags need no look
        runs = ((i, False) for i in range(0, len(parts), 2) if starts.search(parts[i]))
    for index, basis in runs:
        part = parts[index]
        for match in finder.finditer(part):
            law = finder.law_of_group[match.lastgroup or ""]
            article = None
            end = match.end()
            if match.group(0) == names[law].short:
                following = _ARTICLE.match(part, end) or _ANNEX_ROW.match(part, end)
                if following:
                    article, end = following.group(1).rstrip(), following.end(1)
            mentions.append((index, _Mention(law, match.start(), end, article, basis)))
    if not mentions:
        return html
    counts: dict[int, int] = {}
    for _, mention in mentions:
        counts[mention.law] = counts.get(mention.law, 0) + 1
    seen: set[int] = set()
    replacements: dict[int, list[tuple[_Mention, str]]] = {}
    for index, mention in mentions:
        name = names[mention.law]
        if mention.law not in seen:
            seen.add(mention.law)
            title = name.full
            if counts[mention.law] > 1:
                title += f" (selanjutnya disebut {name.short})"
        elif mention.basis:
            title = name.full
        else:
            title = name.short
        text = f"{mention.article} {title}" if mention.article else title
        replacements.setdefault(index, []).append((mention, text))
    for index, items in replacements.items():
        part = parts[index]
        for mention, text in sorted(items, key=lambda pair: -pair[0].start):
            part = part[: mention.start] + text + part[mention.end :]
        parts[index] = part
    return head + "".join(parts)
