"""Kemendagri region codes (provinsi `NN`, kabupaten/kota `NN.NN`) and each region's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from rules.errors import InvalidInput, RuleSetError

REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
PROVINCE_CODE = re.compile(r"^\d{2}$")

# Provinces outside WIB, by Kemendagri province code (UU/PP on Indonesian time zones).
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


@dataclass(frozen=True)
class RegionCatalog:
    """Province and regency names by code."""

    provinces: dict[str, str]
    regencies: dict[str, str]
    source: str

    @classmethod
    def from_data(cls, data: Any) -> RegionCatalog:
        """The catalog from regions.yaml's parsed document, checked."""
        try:
            provinces = {str(k): str(v) for k, v in data["provinces"].items()}
            regencies = {str(k): str(v) for k, v in data["regencies"].items()}
        except (KeyError, AttributeError, TypeError) as exc:
            raise RuleSetError(f"regions.yaml tidak valid: {exc}") from exc
        for code in regencies:
            if not REGENCY_CODE.match(code) or code[:2] not in provinces:
                raise RuleSetError(f"regions.yaml: kode wilayah tidak valid {code}")
        return cls(provinces=provinces, regencies=regencies, source=str(data.get("source", "")))

    def regency_name(self, code: str) -> str:
        """The name of a kabupaten/kota; raises InvalidInput for an unknown or malformed code."""
        if not REGENCY_CODE.match(code):
            raise InvalidInput(f"Kode wilayah '{code}' harus berbentuk NN.NN (mis. 35.75)")
        try:
            return self.regencies[code]
        except KeyError:
            raise InvalidInput(f"Kode wilayah '{code}' tidak dikenal (Kemendagri)") from None

    def province_name(self, code: str) -> str:
        return self.provinces[code[:2]]

    def territory_name(self, code: str) -> str:
        """The name of an institution's territory: a province ("Provinsi Jawa Timur", for
        Bawaslu Provinsi or a provincial PPK) or a kabupaten/kota; raises InvalidInput for
        an unknown or malformed code."""
        if not PROVINCE_CODE.match(code):
            if not REGENCY_CODE.match(code):
                raise InvalidInput(
                    f"Kode wilayah '{code}' harus berbentuk NN (provinsi, mis. 35) "
                    "atau NN.NN (kabupaten/kota, mis. 35.75)"
                )
            return self.regency_name(code)
        try:
            return f"Provinsi {self.provinces[code]}"
        except KeyError:
            raise InvalidInput(f"Kode provinsi '{code}' tidak dikenal (Kemendagri)") from None


def timezone_for(region_code: str) -> ZoneInfo:
    """WIB, WITA or WIT for a region code: deadlines end at midnight local time."""
    province = region_code[:2]
    if province in _WITA:
        return ZoneInfo("Asia/Makassar")
    if province in _WIT:
        return ZoneInfo("Asia/Jayapura")
    return ZoneInfo("Asia/Jakarta")
