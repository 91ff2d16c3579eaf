"""The label view of `case show`: the validated rule set's labels, kept only in the private
cache, keyed by the files' bytes; anything odd means loading the rule set again."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from rules.case_labels import FORMAT, CaseLabels, case_labels
from rules.document_cache import entry_name
from rules.errors import NotFound
from rules.rule_files import read_rule_files
from rules.ruleset import available_versions, load_rule_set


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    case_labels.cache_clear()
    yield tmp_path / "netra"
    case_labels.cache_clear()


def entry(version: str, home: Path) -> Path:
    return home / entry_name(read_rule_files(version), "labels", FORMAT)


@pytest.mark.parametrize("version", available_versions())
def test_labels_equal_the_validated_rule_sets_from_the_cache_too(
    version: str, cache_home: Path
) -> None:
    expected = CaseLabels.from_rule_set(load_rule_set(version))
    assert case_labels(version) == expected
    assert entry(version, cache_home).is_file()
    case_labels.cache_clear()
    assert case_labels(version) == expected  # read back from the entry


def test_labels_answer_as_the_rule_set_does(cache_home: Path) -> None:
    rules = load_rule_set()
    labels = case_labels(rules.version)
    for name in rules.states:
        assert labels.state_label(name) == rules.state_label(name)
    for code in rules.violations:
        for after in (False, True):
            assert labels.violation_label(code, after) == rules.violation_label(code, after)
    for code in rules.sanctions:
        assert labels.sanction_label(code) == rules.sanction_label(code)
    for code in rules.categories:
        assert labels.category_label(code) == rules.category_label(code)
    for role in rules.labels.roles:
        assert labels.role_label(role) == labels.role_label(role.value) == rules.role_label(role)
    for spec in rules.lifecycle.transitions:
        assert labels.step_label(spec.trigger) == rules.step_label(spec.trigger)
        assert labels.event_label(spec.event) == rules.event_label(spec.event)
    for event_type in rules.labels.events:
        assert labels.event_label(event_type) == rules.event_label(event_type)
    for code, violation in rules.violations.items():
        assert labels.violation_title(code) == violation.short_title
    assert labels.step_label("no_such_step") == "no_such_step"  # shown as it is
    assert labels.event_label("no_such_event") == "no_such_event"
    assert labels.recommending_body == rules.legal.recommending_body.short_name
    assert labels.recommending_head == rules.legal.recommending_body.head_title
    assert labels.region_name("35.13") == rules.regions.regencies["35.13"]
    assert labels.region_name("99.99") == "99.99"
    assert labels.escalation_label("no-such-kind") == "no-such-kind"
    for unknown_lookup, rule_set_lookup in (
        (labels.state_label, rules.state_label),
        (labels.sanction_label, rules.sanction_label),
        (labels.category_label, rules.category_label),
        (labels.violation_title, rules.violation),
        (lambda code: labels.violation_label(code, False), rules.violation_label),
    ):
        with pytest.raises(NotFound) as ours:
            unknown_lookup("NO-SUCH")
        with pytest.raises(NotFound) as theirs:
            rule_set_lookup("NO-SUCH")
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "stored",
    [
        b"not json",
        b"[1, 2]",
        b'{"version": "2024.1"}',
        None,  # the right shape, another version
        "wrong types",
    ],
)
def test_an_odd_entry_is_never_used(cache_home: Path, stored: bytes | str | None) -> None:
    version = available_versions()[-1]
    cache_home.mkdir(mode=0o700)  # first: loading the rule set may write its cache there
    expected = CaseLabels.from_rule_set(load_rule_set(version))
    if stored is None:
        blob = json.dumps({**asdict(expected), "version": "1999.1"}).encode()
    elif stored == "wrong types":
        blob = json.dumps({**asdict(expected), "states": {"closed": 1}}).encode()
    else:
        assert isinstance(stored, bytes)
        blob = stored
    entry(version, cache_home).write_bytes(blob)
    assert case_labels(version) == expected
    assert CaseLabels.from_json(json.loads(entry(version, cache_home).read_bytes())) == expected


def test_an_entry_in_a_folder_others_may_write_is_not_read(cache_home: Path) -> None:
    version = available_versions()[-1]
    cache_home.mkdir(mode=0o700)  # first: loading the rule set may write its cache there
    expected = CaseLabels.from_rule_set(load_rule_set(version))
    forged = {**asdict(expected), "states": dict.fromkeys(expected.states, "PALSU")}
    entry(version, cache_home).write_text(json.dumps(forged))
    cache_home.chmod(0o777)
    try:
        assert case_labels(version) == expected
    finally:
        cache_home.chmod(stat.S_IRWXU)


def test_an_unknown_version_is_not_found(cache_home: Path) -> None:
    with pytest.raises(NotFound):
        case_labels("1999.1")
