"""Loads a versioned rule-set from `rules/data/<version>/`, validates it and cross-checks it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import Any

from pydantic import ValidationError

from rules.document_cache import cached_documents
from rules.errors import NotFound, RuleSetError
from rules.models import (
    DeadlineBook,
    DeadlineRule,
    LabelBook,
    LegalFrame,
    Lifecycle,
    Role,
    RuleSetManifest,
    Sanction,
    SanctionCatalog,
    SanctionCategory,
    StateSpec,
    TransitionSpec,
    Violation,
    ViolationCatalog,
    annex_citation,
)
from rules.regions import RegionCatalog
from rules.rule_files import RULE_FILES as RULE_FILES
from rules.rule_files import available_versions as available_versions
from rules.rule_files import latest_version as latest_version
from rules.rule_files import read_rule_files
from rules.unknown_codes import (
    unknown_category,
    unknown_sanction,
    unknown_state,
    unknown_violation,
)


@dataclass(frozen=True)
class RuleSet:
    """One version of the law as data, validated and indexed for lookups."""

    manifest: RuleSetManifest
    lifecycle: Lifecycle
    deadlines: DeadlineBook
    violations: dict[str, Violation]
    categories: dict[str, SanctionCategory]
    sanctions: dict[str, Sanction]
    regions: RegionCatalog
    labels: LabelBook
    legal: LegalFrame
    files: dict[str, bytes] = field(repr=False)

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def content_hash(self) -> str:
        """SHA-256 over the rule files, so an export can prove which rules applied."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + self.files[name] + b"\0")
        return digest.hexdigest()

    @cached_property
    def states(self) -> dict[str, StateSpec]:
        """By name (built once: a rule set never changes)."""
        return {state.name: state for state in self.lifecycle.states}

    @cached_property
    def _transitions_by_trigger(self) -> dict[str, list[TransitionSpec]]:
        found: dict[str, list[TransitionSpec]] = {}
        for spec in self.lifecycle.transitions:
            found.setdefault(spec.trigger, []).append(spec)
        return found

    def state(self, name: str) -> StateSpec:
        try:
            return self.states[name]
        except KeyError:
            raise unknown_state(name, self.version) from None

    def is_terminal(self, state: str) -> bool:
        return self.state(state).terminal

    def deadline_rule(self, state: str) -> DeadlineRule | None:
        for rule in self.deadlines.rules:
            if rule.state == state:
                return rule
        return None

    def transitions(self, trigger: str | None = None) -> list[TransitionSpec]:
        if trigger is None:
            return list(self.lifecycle.transitions)
        return list(self._transitions_by_trigger.get(trigger, ()))

    def triggers_from(self, state: str) -> list[TransitionSpec]:
        """The steps that can be taken from `state` (one entry per trigger)."""
        seen: dict[str, TransitionSpec] = {}
        for spec in self.lifecycle.transitions:
            if state in spec.sources and spec.trigger not in seen:
                seen[spec.trigger] = spec
        return list(seen.values())

    # --- labels: what an official reads instead of an internal code ----------------------

    def state_label(self, code: str) -> str:
        return self.state(code).label

    def step_label(self, trigger: str) -> str:
        specs = self.transitions(trigger)
        if not specs:
            raise NotFound(f"Langkah '{trigger}' tidak dikenal dalam aturan {self.version}")
        return specs[0].label

    def step_fields(self, trigger: str) -> tuple[list[str], list[str]]:
        """The required and the optional data fields of a step, in the order the data lists them."""
        specs = self.transitions(trigger)
        if not specs:
            raise NotFound(f"Langkah '{trigger}' tidak dikenal dalam aturan {self.version}")
        return list(specs[0].required), list(specs[0].optional)

    def fields_added_later(self, trigger: str) -> list[str]:
        """The data fields a newer installed version lists for this step and this version does
        not, in the newest version's order. A case keeps the version it was opened under, yet
        its officers may give these (the services accept every known field and refuse only a
        missing required one), e.g. the examiner's rank (2026.1) on an older case's summons:
        forms offer them as optional."""
        own = {name for names in self.step_fields(trigger) for name in names}
        versions = available_versions()
        if self.version not in versions:
            return []
        added: list[str] = []
        for version in reversed(versions[versions.index(self.version) + 1 :]):
            newer = load_rule_set(version)
            if not newer.transitions(trigger):
                continue
            for name in (name for names in newer.step_fields(trigger) for name in names):
                if name not in own and name not in added:
                    added.append(name)
        return added

    def field_label(self, name: str) -> str:
        """The field's label in this version, else in the newest version that labels it: an
        installed version is never edited, yet a case under it may carry a field a later
        version introduced (e.g. `examiner_rank`, 2026.1), and no official reads a code."""
        label = self.labels.fields.get(name)
        if label is not None:
            return label
        for version in reversed(available_versions()):
            label = load_rule_set(version).labels.fields.get(name)
            if label is not None:
                return label
        raise NotFound(f"Isian '{name}' tidak memiliki label")

    def event_label(self, event_type: str) -> str:
        """An overlay event's label, or the label of the step whose event it is."""
        if event_type in self.labels.events:
            return self.labels.events[event_type]
        for spec in self.lifecycle.transitions:
            if spec.event == event_type:
                return spec.label
        raise NotFound(f"Peristiwa '{event_type}' tidak memiliki label")

    def role_label(self, role: Role | str) -> str:
        return self.labels.roles[Role(role)]

    def escalation_label(self, kind: str) -> str:
        try:
            return self.labels.escalations[kind]
        except KeyError:
            raise NotFound(f"Eskalasi '{kind}' tidak memiliki label") from None

    def sanction_label(self, code: str) -> str:
        return self.sanction(code).name

    def category_label(self, code: str) -> str:
        try:
            return self.categories[code].name
        except KeyError:
            raise unknown_category(code) from None

    def violation_label(self, code: str, after_determination: bool | None = None) -> str:
        """Short title and annex row(s): "Kegiatan yang ... (Lampiran SKB 2022 huruf B angka 8)".

        With `after_determination` given, only the row of that stage is cited; an entry the
        annex does not list at that stage says so instead of showing a code.
        """
        violation = self.violation(code)
        if after_determination is None:
            rows = list(dict.fromkeys(violation.annex_rows))
        else:
            stage = violation.stage(after_determination)
            rows = [stage.annex_row] if stage is not None and stage.annex_row else []
        if not rows:
            return f"{violation.short_title} (tidak tercantum dalam Lampiran SKB 2022)"
        return f"{violation.short_title} ({'; '.join(annex_citation(r) for r in rows)})"

    def law(self, key: str) -> str:
        """A law's full title as letters cite it (`legal.yaml`)."""
        try:
            return self.legal.laws[key].text
        except KeyError:
            raise NotFound(f"Peraturan '{key}' tidak ada dalam aturan {self.version}") from None

    def violation(self, code: str) -> Violation:
        try:
            return self.violations[code]
        except KeyError:
            raise unknown_violation(code) from None

    def sanction(self, code: str) -> Sanction:
        try:
            return self.sanctions[code]
        except KeyError:
            raise unknown_sanction(code) from None


def version_in_force(on: date) -> str:
    """The newest rule-set whose `effective_from` is on or before `on` (new cases open under
    it; installing a later version changes no running case)."""
    versions = available_versions()
    in_force = [v for v in versions if load_rule_set(v).manifest.effective_from <= on.isoformat()]
    return in_force[-1] if in_force else versions[0]


def _yaml_documents(files: Mapping[str, bytes]) -> dict[str, Any]:
    """Every rule file parsed (libyaml's safe loader when present: same documents, several
    times faster); regions.yaml's own errors are its catalog's to report."""
    import yaml  # imported only when the rule-document cache cannot answer

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    documents: dict[str, Any] = {}
    for name, raw in files.items():
        try:
            documents[name] = yaml.load(raw, Loader=loader)
        except yaml.YAMLError as exc:
            if name == "regions.yaml":
                raise
            raise RuleSetError(f"Berkas aturan {name} tidak valid: {exc}") from exc
    return documents


def _parse(name: str, document: Any, model: type[Any]) -> Any:
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        raise RuleSetError(f"Berkas aturan {name} tidak valid: {exc}") from exc


@cache
def load_rule_set(version: str | None = None) -> RuleSet:
    """Load, validate and cross-check one rule-set version (cached: rule-sets are immutable)."""
    version = version or latest_version()
    files = read_rule_files(version)
    documents = cached_documents(files, _yaml_documents)
    manifest = _parse("ruleset.yaml", documents["ruleset.yaml"], RuleSetManifest)
    violations = _parse("violations.yaml", documents["violations.yaml"], ViolationCatalog)
    sanctions = _parse("sanctions.yaml", documents["sanctions.yaml"], SanctionCatalog)
    rule_set = RuleSet(
        manifest=manifest,
        lifecycle=_parse("lifecycle.yaml", documents["lifecycle.yaml"], Lifecycle),
        deadlines=_parse("deadlines.yaml", documents["deadlines.yaml"], DeadlineBook),
        violations=_index(violations.violations, "violations.yaml"),
        categories=_index(sanctions.categories, "sanctions.yaml"),
        sanctions=_index(sanctions.sanctions, "sanctions.yaml"),
        regions=RegionCatalog.from_data(documents["regions.yaml"]),
        labels=_parse("labels.yaml", documents["labels.yaml"], LabelBook),
        legal=_parse("legal.yaml", documents["legal.yaml"], LegalFrame),
        files=files,
    )
    for name, declared in (
        ("ruleset.yaml", manifest.version),
        ("violations.yaml", violations.version),
        ("sanctions.yaml", sanctions.version),
        ("deadlines.yaml", rule_set.deadlines.version),
        ("labels.yaml", rule_set.labels.version),
        ("legal.yaml", rule_set.legal.version),
    ):
        if declared != version:
            raise RuleSetError(f"{name} says version {declared}, folder is {version}")
    problems = cross_check(rule_set)
    if problems:
        raise RuleSetError(f"Aturan {version} tidak konsisten: " + "; ".join(problems))
    return rule_set


def _index(items: list[Any], file_name: str) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for item in items:
        if item.code in index:
            raise RuleSetError(f"{file_name}: kode ganda {item.code}")
        index[item.code] = item
    return index


def cross_check(rule_set: RuleSet) -> list[str]:
    """Every reference between the files must resolve; returns the problems found."""
    problems: list[str] = []
    states = rule_set.states
    if rule_set.lifecycle.initial not in states:
        problems.append(f"initial state {rule_set.lifecycle.initial} unknown")
    for spec in rule_set.lifecycle.transitions:
        for name in [*spec.sources, spec.dest]:
            if name not in states:
                problems.append(f"transition {spec.trigger}: unknown state {name}")
    for state in states.values():
        rule = rule_set.deadline_rule(state.name)
        if not state.terminal and rule is None:
            problems.append(f"non-terminal state {state.name} has no deadline rule")
        if rule is not None and not rule.continues and set(rule.variants) != {"pemilu", "pilkada"}:
            problems.append(f"deadline rule {state.name} must have pemilu and pilkada variants")
        if rule is not None and rule.anchor == "payload_date" and not rule.anchor_field:
            problems.append(f"deadline rule {state.name}: payload_date needs anchor_field")
    for rule in rule_set.deadlines.rules:
        if rule.state not in states:
            problems.append(f"deadline rule for unknown state {rule.state}")
        trigger = rule.on_miss.trigger if rule.on_miss else None
        if trigger:
            specs = [t for t in rule_set.transitions(trigger) if rule.state in t.sources]
            if not specs or any(Role.SYSTEM not in t.roles for t in specs):
                problems.append(f"on_miss trigger {trigger} is not a system step from {rule.state}")
    for spec in rule_set.lifecycle.transitions:
        if spec.keeps_deadline and spec.dest not in spec.sources:
            problems.append(f"transition {spec.trigger}: keeps_deadline but leaves its state")
    for rule in rule_set.deadlines.rules:
        for variant in rule.variants.values():
            anchor = variant.anchor or rule.anchor
            if anchor == "payload_date" and not rule.anchor_field:
                problems.append(f"deadline rule {rule.state}: payload_date needs anchor_field")
            law_words = ("Pasal", "ayat")
            if variant.basis == "service_level" and any(
                w in variant.citation.text for w in law_words
            ):
                problems.append(
                    f"deadline rule {rule.state}: a service level must not cite an article"
                )
            if variant.basis == "service_level" and "administrator" not in variant.citation.text:
                problems.append(f"deadline rule {rule.state}: service level not labelled as such")
    for violation in rule_set.violations.values():
        for stage in (violation.before_determination, violation.after_determination):
            if stage and stage.sanction_category is None and stage.matter != "disiplin":
                problems.append(
                    f"{violation.code}: only a discipline stage may leave its level open"
                )
            if (
                stage
                and stage.sanction_category is not None
                and stage.sanction_category not in rule_set.categories
            ):
                problems.append(f"{violation.code}: unknown category {stage.sanction_category}")
        if violation.before_determination is None and violation.after_determination is None:
            problems.append(f"{violation.code}: no stage classified")
    for sanction in rule_set.sanctions.values():
        if sanction.category not in rule_set.categories:
            problems.append(f"sanction {sanction.code}: unknown category {sanction.category}")
    problems += _missing_labels(rule_set)
    return problems


def _missing_labels(rule_set: RuleSet) -> list[str]:
    """Every field, escalation and role the rules name must have an Indonesian label."""
    labels = rule_set.labels
    problems = [
        f"step {spec.trigger}: field {name} has no label"
        for spec in rule_set.lifecycle.transitions
        for name in [*spec.required, *spec.optional]
        if name not in labels.fields
    ]
    problems += [
        f"escalation {rule.on_miss.escalation} has no label"
        for rule in rule_set.deadlines.rules
        if rule.on_miss
        and rule.on_miss.escalation
        and rule.on_miss.escalation not in labels.escalations
    ]
    problems += [f"role {role.value} has no label" for role in Role if role not in labels.roles]
    return problems
