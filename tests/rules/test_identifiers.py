"""NIP: 18 digits carrying birth date, TMT CPNS month and gender; every fault is named."""

from __future__ import annotations

from datetime import date

import pytest

from rules.errors import InvalidInput
from rules.identifiers import parse_nip, validate_nip_at


def test_a_valid_nip_is_parsed_into_its_parts() -> None:
    nip = parse_nip("19850312 201001 1 003")
    assert nip.value == "198503122010011003"
    assert nip.birth_date == date(1985, 3, 12)
    assert nip.appointed == date(2010, 1, 1)
    assert nip.gender == "L"
    assert nip.sequence == 3
    assert nip.formatted == "19850312 201001 1 003"


@pytest.mark.parametrize(
    ("raw", "fault"),
    [
        ("19850312201001100", "18 digit"),
        ("1985031220100110AB", "18 digit"),
        ("198502302010011003", "tanggal lahir"),
        ("198503122010131003", "bulan TMT"),
        ("198503121995011003", "usia 18"),
        ("198503122010013003", "jenis kelamin"),
        ("198503122010011000", "nomor urut"),
    ],
)
def test_malformed_nips_are_refused_with_the_reason(raw: str, fault: str) -> None:
    with pytest.raises(InvalidInput, match=fault):
        parse_nip(raw)


def test_a_nip_cannot_be_from_the_future() -> None:
    with pytest.raises(InvalidInput, match="masa depan"):
        validate_nip_at(parse_nip("200001012030011001"), date(2024, 11, 18))
