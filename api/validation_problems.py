"""A malformed request's problems in Indonesian: pydantic's error types (`missing`,
`int_parsing`, `string_too_long`, ...) as the words an integrator's user can be shown, with
the limits they name. The type itself stays beside the words for programs; a type this
table does not know keeps pydantic's own message."""

from __future__ import annotations

from typing import Any

PROBLEMS = {
    "missing": "wajib diisi",
    "extra_forbidden": "isian tidak dikenal",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus bilangan",
    "string_type": "harus teks",
    "bool_parsing": "harus true atau false",
    "bool_type": "harus true atau false",
    "list_type": "harus daftar (array)",
    "dict_type": "harus objek",
    "model_type": "harus objek",
    "model_attributes_type": "harus objek",
    "string_too_short": "terlalu pendek (paling sedikit {min_length} karakter)",
    "string_too_long": "terlalu panjang (paling banyak {max_length} karakter)",
    "too_short": "terlalu sedikit (paling sedikit {min_length} butir)",
    "too_long": "terlalu banyak (paling banyak {max_length} butir)",
    "greater_than": "harus lebih dari {gt}",
    "greater_than_equal": "paling kecil {ge}",
    "less_than": "harus kurang dari {lt}",
    "less_than_equal": "paling besar {le}",
    "string_pattern_mismatch": "tidak sesuai pola {pattern}",
    "enum": "harus salah satu dari: {expected}",
    "literal_error": "harus salah satu dari: {expected}",
    "date_parsing": "harus tanggal YYYY-MM-DD",
    "date_from_datetime_parsing": "harus tanggal YYYY-MM-DD",
    "date_type": "harus tanggal YYYY-MM-DD",
    "datetime_parsing": "harus waktu ISO 8601 (mis. 2024-11-18T09:00+07:00)",
    "datetime_from_date_parsing": "harus waktu ISO 8601 (mis. 2024-11-18T09:00+07:00)",
    "datetime_type": "harus waktu ISO 8601 (mis. 2024-11-18T09:00+07:00)",
    "value_error": "nilai tidak sah",
}


def problem_text(error: dict[str, Any]) -> str:
    """One validation error of pydantic (`RequestValidationError.errors()`) in Indonesian."""
    words = PROBLEMS.get(str(error.get("type")))
    if words is None:
        return str(error.get("msg", "tidak sah"))
    try:
        return words.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return words.split(" (", 1)[0].split(":", 1)[0]


def field_problems(errors: Any) -> list[dict[str, str]]:
    """Each problem with the field it is about (`body.terlapor.nip`) and pydantic's type."""
    return [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())),
            "problem": problem_text(item),
            "type": str(item.get("type")),
        }
        for item in errors
    ]
