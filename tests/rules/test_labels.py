"""Every internal code an official could meet has an Indonesian label in the rule data."""

from __future__ import annotations

import re

import pytest

from cases.fields import FIELD_PARSERS
from rules.errors import NotFound
from rules.models import Role
from rules.ruleset import available_versions, load_rule_set
from states.events import OVERLAY_EVENTS

INTERNAL_CODE = re.compile(r"NET-\d|\b[a-z]+_[a-z_]+\b")


@pytest.fixture(params=available_versions())
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _readable(label: str) -> None:
    assert label.strip(), "empty label"
    assert not INTERNAL_CODE.search(label), f"label shows an internal code: {label!r}"


def test_every_state_and_step_has_a_label(version: str) -> None:
    rules = load_rule_set(version)
    for state in rules.lifecycle.states:
        _readable(rules.state_label(state.name))
    for spec in rules.lifecycle.transitions:
        _readable(rules.step_label(spec.trigger))
        _readable(rules.event_label(spec.event))


def test_every_step_field_required_or_optional_has_a_label(version: str) -> None:
    rules = load_rule_set(version)
    for spec in rules.lifecycle.transitions:
        required, optional = rules.step_fields(spec.trigger)
        for name in [*required, *optional]:
            _readable(rules.field_label(name))
    for name in FIELD_PARSERS:  # every field the service accepts, not only those the data names
        _readable(rules.field_label(name))


def test_a_field_a_later_version_introduced_keeps_its_label_on_an_older_case() -> None:
    # 2024.1 is never edited (tests/rules/test_ruleset.py), yet its cases may record the
    # examiner's rank (2026.1): the timeline and forms show the newest version's label.
    assert "examiner_rank" not in load_rule_set("2024.1").labels.fields
    assert load_rule_set("2024.1").field_label("examiner_rank") == "Pangkat/golongan pemeriksa"
    assert load_rule_set("2024.1").field_label("examiner_nip") == "NIP pemeriksa"  # its own
    with pytest.raises(NotFound):
        load_rule_set("2024.1").field_label("no_such_field")


def test_every_sanction_category_and_violation_has_a_label(version: str) -> None:
    rules = load_rule_set(version)
    for code in rules.sanctions:
        _readable(rules.sanction_label(code))
    for code in rules.categories:
        _readable(rules.category_label(code))
    for code, violation in rules.violations.items():
        label = rules.violation_label(code)
        _readable(label)
        assert violation.short_title in label
        assert violation.annex_rows, f"{code} records no annex row"
        for after in (False, True):
            stage = violation.stage(after)
            if stage is not None and stage.annex_row:
                letter, number = stage.annex_row.split(".")
                assert f"Lampiran SKB 2022 huruf {letter} angka {number}" in (
                    rules.violation_label(code, after)
                )


def test_every_role_escalation_and_overlay_event_has_a_label(version: str) -> None:
    rules = load_rule_set(version)
    for role in Role:
        _readable(rules.role_label(role))
    for event_type in OVERLAY_EVENTS:
        _readable(rules.event_label(event_type))
    for rule in rules.deadlines.rules:
        if rule.on_miss and rule.on_miss.escalation:
            _readable(rules.escalation_label(rule.on_miss.escalation))


def test_an_unknown_code_is_a_clear_error_not_a_silent_code() -> None:
    rules = load_rule_set("2024.1")
    with pytest.raises(NotFound):
        rules.field_label("no_such_field")
    with pytest.raises(NotFound):
        rules.state_label("no_such_state")
    with pytest.raises(NotFound):
        rules.step_label("no_such_step")


def test_a_rule_set_naming_a_field_without_a_label_fails_its_cross_check() -> None:
    from dataclasses import replace

    from rules.ruleset import cross_check

    rules = load_rule_set("2024.1")
    fields = {k: v for k, v in rules.labels.fields.items() if k != "decree_number"}
    broken = replace(rules, labels=rules.labels.model_copy(update={"fields": fields}))
    assert any("decree_number has no label" in p for p in cross_check(broken))


def test_a_field_a_later_version_added_to_a_step_is_offered_to_older_versions() -> None:
    for version in ("2023.1", "2024.1", "2025.1"):
        assert load_rule_set(version).fields_added_later("summon") == ["examiner_rank"]
    assert load_rule_set("2026.1").fields_added_later("summon") == []
    assert load_rule_set("2024.1").fields_added_later("register") == []


def test_a_steps_fields_across_versions_say_which_versions_require_them() -> None:
    from rules.step_fields import step_fields_everywhere

    fields = {field.name: field for field in step_fields_everywhere("summon")}
    assert fields["examination_at"].always_required
    assert fields["examiner_rank"].required_by == ("2026.1",)
    assert not fields["examiner_rank"].always_required  # older versions do not ask for it
    assert (
        not fields["examination_team"].always_required
        and not fields["examination_team"].required_by
    )
    assert list(fields).index("examiner_nip") < list(fields).index("examiner_rank")
