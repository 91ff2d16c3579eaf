"""The Indonesian words for the fixed codes no rule-set version labels: how a case came in
(laporan, temuan), the kind of election, a letter's recipient and an institution's kind.
Each lookup answers with the code itself when it does not know it."""

from __future__ import annotations

CHANNELS = {"laporan": "Laporan", "temuan": "Temuan"}
ELECTION_TYPES = {"pemilu": "Pemilu", "pilkada": "Pilkada"}
RECIPIENTS = {
    "pelapor": "Pelapor",
    "terlapor": "Terlapor",
    "bkn": "Kepala BKN",
    "ppk": "PPK",
    "bkn_bawaslu": "BKN dan Bawaslu",
    "arsip": "Arsip berkas perkara",
}
INSTITUTION_KINDS = {"bawaslu": "Bawaslu", "bkn": "BKN", "ppk": "PPK", "sistem": "Sistem"}


def channel_label(code: str) -> str:
    return CHANNELS.get(code, code)


def election_type_label(code: str) -> str:
    return ELECTION_TYPES.get(code, code)


def recipient_label(code: str) -> str:
    return RECIPIENTS.get(code, code)


def institution_kind_label(code: str) -> str:
    return INSTITUTION_KINDS.get(code, code)
