"""Which PPK may receive BKN's recommendation: the one that employs the terlapor.

A regional civil servant's PPK is the head of the region (its institution's region code is
the case's regency, or the province for a provincial agency); an institution with no region
is a central agency's PPK and may receive only cases of civil servants of that agency.
"""

from __future__ import annotations

from db.registry import Institution
from rules.errors import InvalidInput
from states.case import Case


def employs_terlapor(institution: Institution, case: Case) -> bool:
    region = institution.region_code
    if region:
        return case.region_code == region or case.region_code.startswith(region + ".")
    agency = str(case.terlapor.get("agency", "")).strip().casefold()
    names = {
        institution.name.strip().casefold(),
        (institution.parent_name or "").strip().casefold(),
    }
    return bool(agency) and agency in names


def check_ppk_addressee(institution: Institution, case: Case) -> None:
    if institution.kind != "ppk":
        raise InvalidInput(f"Instansi '{institution.code}' bukan PPK")
    if not employs_terlapor(institution, case):
        raise InvalidInput(
            f"Rekomendasi hanya dapat ditujukan kepada PPK yang membina terlapor; "
            f"{institution.name} bukan PPK instansi terlapor ({case.terlapor.get('agency', '-')}, "
            f"wilayah {case.region_code})"
        )
