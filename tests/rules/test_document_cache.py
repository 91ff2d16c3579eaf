"""The rule-document cache: the same documents as the YAML, read only for the exact bytes,
only from a private folder, never holding what JSON would change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rules.document_cache import cache_dir, cached_documents, entry_name
from rules.ruleset import available_versions, load_rule_set

FILES = {"a.yaml": b"x: 1\n", "b.yaml": b"y: [true, null, 2.5]\n"}


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "netra"


class Parser:
    def __init__(self, documents: dict[str, Any] | None = None) -> None:
        self.calls = 0
        self.documents = documents

    def __call__(self, files: Mapping[str, bytes]) -> dict[str, Any]:
        self.calls += 1
        if self.documents is not None:
            return dict(self.documents)
        return {name: {"parsed": raw.decode()} for name, raw in files.items()}


def test_a_second_process_reads_the_documents_the_first_parsed(cache_home: Path) -> None:
    parse = Parser()
    first = cached_documents(FILES, parse)
    second = cached_documents(FILES, parse)
    assert first == second == {name: {"parsed": raw.decode()} for name, raw in FILES.items()}
    assert parse.calls == 1
    assert cache_dir() == cache_home
    assert (cache_home / entry_name(FILES)).is_file()


def test_changed_bytes_are_parsed_again(cache_home: Path) -> None:
    parse = Parser()
    cached_documents(FILES, parse)
    changed = {**FILES, "b.yaml": b"y: 3\n"}
    assert cached_documents(changed, parse)["b.yaml"] == {"parsed": "y: 3\n"}
    assert parse.calls == 2
    assert entry_name(changed) != entry_name(FILES)


@pytest.mark.parametrize("stored", [b"not json", b'{"a.yaml": 1}', b"[1, 2]"])
def test_an_unreadable_or_foreign_entry_is_parsed_again(cache_home: Path, stored: bytes) -> None:
    cache_home.mkdir(mode=0o700)
    (cache_home / entry_name(FILES)).write_bytes(stored)
    parse = Parser()
    assert cached_documents(FILES, parse) == {n: {"parsed": r.decode()} for n, r in FILES.items()}
    assert parse.calls == 1


def test_a_folder_others_may_write_to_is_not_used(cache_home: Path) -> None:
    cache_home.mkdir(mode=0o700)
    cache_home.chmod(0o777)
    parse = Parser()
    cached_documents(FILES, parse)
    cached_documents(FILES, parse)
    assert parse.calls == 2
    assert list(cache_home.iterdir()) == []


def test_documents_json_would_change_are_not_cached(cache_home: Path) -> None:
    parse = Parser({"a.yaml": {"day": date(2024, 1, 1)}, "b.yaml": {}})
    assert cached_documents(FILES, parse)["a.yaml"] == {"day": date(2024, 1, 1)}
    assert cached_documents(FILES, parse)["a.yaml"] == {"day": date(2024, 1, 1)}
    assert parse.calls == 2
    assert not (cache_home / entry_name(FILES)).exists()


@pytest.mark.parametrize("version", available_versions())
def test_every_rule_set_from_the_cache_equals_the_one_from_yaml(
    cache_home: Path, version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_yaml = load_rule_set.__wrapped__(version)
    assert len(list(cache_home.iterdir())) == 1

    def no_yaml(files: Mapping[str, bytes]) -> dict[str, Any]:
        raise AssertionError("parsed the YAML although the cache holds it")

    monkeypatch.setattr("rules.ruleset._yaml_documents", no_yaml)
    from_cache = load_rule_set.__wrapped__(version)
    assert from_cache == from_yaml
    assert from_cache.content_hash == from_yaml.content_hash


def test_without_a_usable_cache_folder_the_files_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    parse = Parser()
    assert cached_documents(FILES, parse) == cached_documents(FILES, parse)
    assert parse.calls == 2
