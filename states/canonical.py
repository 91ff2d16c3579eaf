"""Canonical JSON and the per-case SHA-256 hash chain (shared by the store, audits and bundles)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import orjson

GENESIS_HASH = "0" * 64


def utc_iso(instant: datetime) -> str:
    """UTC ISO-8601 with a `Z`, to the microsecond only when present."""
    zone = instant.tzinfo
    if zone is None:
        raise ValueError("naive datetimes are not allowed in events")
    if zone is not UTC:
        instant = instant.astimezone(UTC)
    return instant.isoformat()[:-6] + "Z"  # a UTC instant's isoformat ends in "+00:00"


def parse_utc(text: str) -> datetime:
    if text[-1:] == "Z":
        return datetime.fromisoformat(text)  # Python 3.11 reads "Z" as UTC itself
    return datetime.fromisoformat(text).astimezone(UTC)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not allowed in canonical JSON")


_SCALARS = frozenset({str, int, bool, type(None)})


def reject_floats(value: Any) -> None:
    """TypeError if a float is anywhere inside `value` (dicts, lists, tuples).

    Only what is not a plain scalar goes on the stack, so a payload of strings and numbers
    costs one pass over its values.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            children = item.values()
        elif kind is list or kind is tuple:
            children = item
        elif kind in _SCALARS:
            continue
        elif isinstance(item, float):
            raise TypeError("floats are not allowed in canonical JSON")
        elif isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        for child in children:
            if type(child) not in _SCALARS:
                stack.append(child)


_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def canonical_json(value: Any, check_floats: bool = True) -> bytes:
    """Sorted keys, no whitespace, UTF-8, UTC timestamps, no floats.

    The bytes equal `json.dumps(value, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` (tests/states/test_chain.py holds the two to the same output), so any
    auditor can recompute a hash with the standard library; orjson only makes it faster.
    `check_floats=False` is for callers that already refused floats while parsing.
    """
    if check_floats:
        reject_floats(value)
    try:
        return orjson.dumps(value, default=_default, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError as error:
        raise TypeError(str(error)) from error


def reference_canonical_json(value: Any) -> bytes:
    """The standard-library definition of canonical JSON (what an external verifier uses)."""
    reject_floats(value)
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )
    return text.encode("utf-8")


def chain_hash(prev_hash: str, body: dict[str, Any], check_floats: bool = True) -> str:
    """`sha256(prev_hash || canonical_json(body))`, hex."""
    return hash_bytes(prev_hash, canonical_json(body, check_floats=check_floats))


def hash_bytes(prev_hash: str, encoded: bytes) -> str:
    """The chain hash of an event whose canonical body is `encoded` (as stored)."""
    return hashlib.sha256(prev_hash.encode("ascii") + encoded).hexdigest()
