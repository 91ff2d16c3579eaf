"""The rule-set data loads, validates and cross-checks; every rule carries its legal basis."""

from __future__ import annotations

import pytest

from rules.errors import InvalidInput, NotFound
from rules.ruleset import available_versions, cross_check, load_rule_set

# An installed rule-set is never edited: cases keep the version they were opened under, the
# rule-set page shows each version's hash and every audit bundle carries the files with their
# hash, against which `verify-bundle` checks the installed version before re-rendering a
# letter. A change goes into a new version (2026.1: the examiner's rank on the summons).
INSTALLED = {
    "2023.1": "a144da3f02413e9d8b567ac73d5b01810d4864fab8919820802ad4e526082129",
    "2023.2": "8442c6f781120856c46293fd6ee60c2d103aaf6aa606efa528914676d9d6e753",
    "2024.1": "b5b2359e79d8bdb4a3a69d7c14f6859e71f385e10916a33a0aa5b48ea267c74c",
    "2025.1": "b4ec96577a21fb0219bc23f7d34762fa0d73e44c76d093eee0f3cd3f54f285ee",
    "2026.1": "8722545d45af3dce195bab5b3c9e64827710e698d2bf92750762265a1dc92c16",
}


def test_installed_rule_sets_are_never_edited() -> None:
    assert {v: load_rule_set(v).content_hash for v in available_versions()} == INSTALLED


def test_shipped_rule_sets_load_and_cross_check_cleanly() -> None:
    for version in available_versions():
        rule_set = load_rule_set(version)
        assert rule_set.version == version
        assert cross_check(rule_set) == []


def test_every_violation_cites_its_basis_and_maps_to_a_known_category() -> None:
    rule_set = load_rule_set("2024.1")
    assert len(rule_set.violations) >= 15
    for violation in rule_set.violations.values():
        assert violation.source.startswith(("checked", "verify"))
        for stage in (violation.before_determination, violation.after_determination):
            if stage:
                assert stage.citation
                # no level only where the law sets none (joining a campaign, issue 17)
                assert stage.sanction_category in rule_set.categories or (
                    stage.sanction_category is None and "angka 1" in stage.citation
                )


def test_party_membership_leads_to_dishonourable_dismissal() -> None:
    rule_set = load_rule_set("2024.1")
    party = [
        v
        for v in rule_set.violations.values()
        if "partai politik" in v.title.lower() and "anggota" in v.title.lower()
    ]
    assert party
    stage = party[0].after_determination
    assert stage is not None and stage.sanction_category == "pemberhentian_tidak_hormat"


def test_sanction_catalog_has_the_forms_of_pp_94_2021_and_pp_42_2004() -> None:
    rule_set = load_rule_set("2024.1")
    by_category: dict[str, list[str]] = {}
    for sanction in rule_set.sanctions.values():
        by_category.setdefault(sanction.category, []).append(sanction.code)
        assert sanction.citation.text.startswith(("PP 94/2021", "PP 42/2004", "UU 20/2023"))
    assert sorted(by_category["moral"]) == ["moral_terbuka", "moral_tertutup"]
    assert len(by_category["disiplin_sedang"]) == 3  # tukin 25 % for 6, 9 or 12 months
    assert len(by_category["disiplin_berat"]) == 3
    assert rule_set.sanction("moral_terbuka").objection == "none"
    assert rule_set.sanction("berat_pdhtaps").objection == "banding"


def test_unknown_rule_set_version_is_a_clear_error() -> None:
    with pytest.raises(NotFound, match=r"9999\.1"):
        load_rule_set("9999.1")


def test_region_catalog_knows_the_seed_regions() -> None:
    regions = load_rule_set().regions
    assert regions.regency_name("35.75") == "Kota Pasuruan"
    assert regions.regency_name("35.13") == "Kabupaten Probolinggo"
    assert regions.regency_name("32.75") == "Kota Bekasi"
    assert len(regions.provinces) == 38


def test_an_institutions_territory_is_a_province_or_a_regency() -> None:
    regions = load_rule_set().regions
    assert regions.territory_name("35") == "Provinsi Jawa Timur"
    assert regions.territory_name("35.71") == "Kota Kediri"
    with pytest.raises(InvalidInput, match=r"NN \(provinsi, mis. 35\) atau NN.NN"):
        regions.territory_name("3")
    with pytest.raises(InvalidInput, match="Kode provinsi '99' tidak dikenal"):
        regions.territory_name("99")
    with pytest.raises(InvalidInput, match=r"Kode wilayah '35\.99' tidak dikenal"):
        regions.territory_name("35.99")
