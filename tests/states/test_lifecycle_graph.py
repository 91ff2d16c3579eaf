"""The lifecycle graph: every reachable state can finish, every open state has a deadline."""

from __future__ import annotations

from collections import deque

import pytest

from rules.models import Role
from rules.ruleset import available_versions, load_rule_set
from states.guards import GUARDS, SELECTORS
from states.machine import lifecycle_for


@pytest.fixture(params=available_versions())
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _edges(version: str) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for spec in load_rule_set(version).lifecycle.transitions:
        for source in spec.sources:
            edges.setdefault(source, set()).add(spec.dest)
    return edges


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def test_every_reachable_state_can_reach_a_terminal_state(version: str) -> None:
    rule_set = load_rule_set(version)
    edges = _edges(version)
    terminals = {s.name for s in rule_set.lifecycle.states if s.terminal}
    reachable = _reachable(rule_set.lifecycle.initial, edges)
    assert reachable == set(rule_set.states), "every state is reachable from `received`"
    for state in reachable:
        assert _reachable(state, edges) & terminals, f"{state} can never finish"


def test_terminal_states_have_no_way_out_and_open_states_have_one(version: str) -> None:
    rule_set = load_rule_set(version)
    edges = _edges(version)
    for state in rule_set.lifecycle.states:
        assert bool(edges.get(state.name)) != state.terminal, state.name


def test_every_open_state_has_a_deadline_rule_with_owner_and_citation(version: str) -> None:
    rule_set = load_rule_set(version)
    for state in rule_set.lifecycle.states:
        if state.terminal:
            continue
        rule = rule_set.deadline_rule(state.name)
        assert rule is not None, state.name
        assert rule.owner in Role
        if not rule.continues:
            for variant in rule.variants.values():
                assert variant.citation.text and variant.citation.source
                # law or a service level set by the administrator, never a service level
                # dressed up as an article (issue 17)
                assert variant.basis in ("law", "service_level")
                if variant.basis == "service_level":
                    assert "administrator" in variant.citation.text
                    assert "Pasal" not in variant.citation.text


def test_every_guard_and_selector_named_by_the_rules_exists(version: str) -> None:
    for spec in load_rule_set(version).lifecycle.transitions:
        for guard in spec.guards:
            assert guard in GUARDS
        if spec.when:
            assert spec.when in SELECTORS


def test_one_shared_machine_per_rule_set_version(version: str) -> None:
    assert lifecycle_for(version) is lifecycle_for(version)
    assert lifecycle_for(version).machine.models == []


def test_the_system_may_only_take_the_steps_the_deadline_rules_fire(version: str) -> None:
    rule_set = load_rule_set(version)
    system_steps = {t.trigger for t in rule_set.lifecycle.transitions if Role.SYSTEM in t.roles}
    fired = {r.on_miss.trigger for r in rule_set.deadlines.rules if r.on_miss and r.on_miss.trigger}
    assert system_steps == fired
