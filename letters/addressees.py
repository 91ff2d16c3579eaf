"""Whom a letter is addressed to ("Yth.") and whom it copies ("Tembusan"), per kind."""

from __future__ import annotations

from typing import Any

from letters.catalog import ARSIP, BKN, BKN_BAWASLU, PELAPOR, PPK, TERLAPOR, LetterKind
from rules.errors import InvalidInput
from rules.ruleset import RuleSet


def addressees(
    recipient: str,
    facts: dict[str, Any],
    institutions: dict[str, dict[str, Any]],
    rule_set: RuleSet,
) -> list[dict[str, Any]]:
    """The addressee blocks of a letter to `recipient`: its lines and the place ("di Tempat")."""
    body_head = rule_set.legal.recommending_body.head_title
    terlapor = facts["terlapor"]
    if recipient == PELAPOR:
        reporter = facts["reporter"]
        return [{"lines": [f"Sdr. {reporter['name']}", reporter["address"]], "place": "Tempat"}]
    if recipient == TERLAPOR:
        return [
            {
                "lines": [
                    f"{terlapor['salutation']} {terlapor['name']}",
                    f"{terlapor['position']}, {terlapor['unit']}",
                    terlapor["agency"],
                ],
                "place": "Tempat",
            }
        ]
    if recipient == BKN:
        bkn = institutions["bkn"]
        return [{"lines": [body_head], "place": bkn["city"]}]
    if recipient == PPK:
        ppk = institutions["ppk"]
        return [
            {
                "lines": [f"{ppk['head_title']} selaku Pejabat Pembina Kepegawaian"],
                "place": ppk["city"],
            }
        ]
    if recipient == BKN_BAWASLU:
        bkn, bawaslu = institutions["bkn"], institutions["bawaslu"]
        return [
            {"lines": [body_head], "place": bkn["city"]},
            {"lines": [bawaslu["head_title"]], "place": bawaslu["city"]},
        ]
    if recipient == ARSIP:
        return []
    raise InvalidInput(f"Penerima surat '{recipient}' tidak dikenal")


def tembusan(
    spec: LetterKind,
    facts: dict[str, Any],
    institutions: dict[str, dict[str, Any]],
    rule_set: RuleSet,
) -> list[str]:
    """The offices a letter of this kind copies, in the order the letter lists them."""
    region = facts["region_name"]
    province = facts["province_name"]
    bawaslu = institutions.get("bawaslu") or {}
    ppk = institutions.get("ppk") or {}
    provincial = f"Ketua {bawaslu['parent_name']}" if bawaslu.get("parent_name") else None
    items: list[str | None]
    if spec.kind in ("pemberitahuan_status", "undangan_klarifikasi"):
        items = [provincial]
    elif spec.kind == "penerusan_bawaslu":
        items = ["Ketua Badan Pengawas Pemilihan Umum Republik Indonesia", provincial]
    elif spec.kind == "rekomendasi_bkn":
        items = [
            "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "Menteri Dalam Negeri",
            bawaslu.get("head_title"),
            f"Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia {region}",
        ]
    elif spec.kind in ("eskalasi_ppk", "teguran_ppk"):
        items = [
            "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (sebagai laporan)",
            "Menteri Dalam Negeri (sebagai laporan)",
            f"Gubernur {province}",
            bawaslu.get("head_title"),
        ]
    elif spec.kind == "surat_panggilan":
        items = [f"{ppk.get('head_title')} (sebagai laporan)", f"Inspektur {region}"]
    elif spec.kind == "keputusan_sanksi":
        items = [
            rule_set.legal.recommending_body.head_title,
            bawaslu.get("head_title"),
            f"Sekretaris Daerah {region}",
            f"Inspektur {region}",
            f"Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia {region}",
            "Yang bersangkutan",
        ]
    elif spec.kind == "laporan_tindak_lanjut":
        items = [f"Sekretaris Daerah {region}", f"Inspektur {region}"]
    else:
        items = []
    return [item for item in items if item]
