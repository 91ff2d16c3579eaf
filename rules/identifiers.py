"""The civil servant's NIP (Nomor Induk Pegawai): 18 digits with birth date, TMT CPNS and gender."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rules.errors import InvalidInput

_NIP = re.compile(r"^\d{18}$")
MIN_CPNS_AGE = 18  # a CPNS is appointed at 18 at the earliest (UU ASN, age requirement)


@dataclass(frozen=True)
class Nip:
    """A parsed NIP: `YYYYMMDD` birth date + `YYYYMM` TMT CPNS + gender digit + `NNN` sequence."""

    value: str
    birth_date: date
    appointed: date  # first day of the TMT CPNS month
    gender: str  # "L" (1) or "P" (2)
    sequence: int

    def __str__(self) -> str:
        return self.value

    @property
    def formatted(self) -> str:
        """The printed form used on letters: `19850312 201001 1 003`."""
        v = self.value
        return f"{v[:8]} {v[8:14]} {v[14]} {v[15:]}"


def parse_nip(raw: str) -> Nip:
    """Parse and validate a NIP; spaces are ignored. Raises InvalidInput naming the fault."""
    value = raw.replace(" ", "")
    if not _NIP.match(value):
        raise InvalidInput(f"NIP '{raw}' harus terdiri dari 18 digit angka")
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise InvalidInput(f"NIP '{raw}': tanggal lahir {value[:8]} tidak valid") from None
    month = int(value[12:14])
    if not 1 <= month <= 12:
        raise InvalidInput(f"NIP '{raw}': bulan TMT CPNS {value[8:14]} tidak valid")
    appointed = date(int(value[8:12]), month, 1)
    if appointed.year - birth.year < MIN_CPNS_AGE:
        raise InvalidInput(
            f"NIP '{raw}': TMT CPNS {value[8:14]} sebelum usia {MIN_CPNS_AGE} tahun tidak mungkin"
        )
    if value[14] not in "12":
        raise InvalidInput(f"NIP '{raw}': digit jenis kelamin harus 1 atau 2, bukan {value[14]}")
    sequence = int(value[15:])
    if sequence == 0:
        raise InvalidInput(f"NIP '{raw}': nomor urut 000 tidak valid")
    return Nip(value, birth, appointed, "L" if value[14] == "1" else "P", sequence)


def validate_nip_at(nip: Nip, today: date) -> Nip:
    """A NIP cannot carry a birth date or appointment in the future."""
    if nip.birth_date > today or nip.appointed > today:
        raise InvalidInput(f"NIP '{nip.value}': tanggal lahir atau TMT CPNS di masa depan")
    return nip
