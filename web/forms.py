"""Reading a step form: the typed values into the step's data (one error per blank required
field), and a service's refusal attached to the fields it names. The fields themselves come
from cases/step_forms.py, which reads the same rule data the service validates against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cases.step_forms import StepForm

Posted = dict[str, list[str]]


@dataclass
class StepDraft:
    """What the officer typed into a step form, and what was wrong with it."""

    values: Posted = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    conflict: bool = False


def step_data(form: StepForm, posted: Posted) -> tuple[dict[str, Any], dict[str, str]]:
    """The step's data from the posted fields, and an error per blank required field."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in form.fields:
        values = [v.strip() for v in posted.get(item.name, []) if v.strip()]
        if item.kind == "bool":
            data[item.name] = bool(values) and values[-1] in ("ya", "on", "true")
            continue
        if not values:
            if item.required:
                errors[item.name] = f"{item.label} wajib diisi"
            continue
        if item.kind in ("codes", "list"):
            parts = [p.strip() for v in values for p in v.replace("\n", ",").split(",")]
            data[item.name] = [p for p in parts if p]
        else:
            data[item.name] = values[-1]
    return data, errors


def errors_for(message: str, form: StepForm) -> dict[str, str]:
    """Attach a service's message to the fields it names (by code or by label)."""
    found: dict[str, str] = {}
    for item in form.fields:
        if item.name in message or item.label.lower() in message.lower():
            found[item.name] = message
    return found
