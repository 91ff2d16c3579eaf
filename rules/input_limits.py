"""Input limits as data (rules/data/input_limits.yaml): text lengths, identifier patterns,
upload sizes. Pure: the file ships with the package and is read through importlib.resources."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextLimits(_Frozen):
    summary: int
    long: int
    name: int
    short: int
    default: int


class IdentifierPatterns(_Frozen):
    case_id: str
    account_id: str
    institution_code: str


class UploadLimits(_Frozen):
    max_bytes: int
    bundle_member_max_bytes: int


class RecordingLimits(_Frozen):
    late_entry_max_days: int


class InputLimits(_Frozen):
    text: TextLimits
    identifiers: IdentifierPatterns
    uploads: UploadLimits
    recording: RecordingLimits

    def pattern(self, kind: str) -> re.Pattern[str]:
        return re.compile(getattr(self.identifiers, kind))


@cache
def input_limits() -> InputLimits:
    text = resources.files("rules").joinpath("data/input_limits.yaml").read_text("utf-8")
    return InputLimits.model_validate(yaml.safe_load(text))
