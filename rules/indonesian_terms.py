"""The Indonesian words for the fixed codes no rule-set version labels: how a case came in
(laporan, temuan), the kind of election, a letter's recipient, an institution's kind, and
the registry's own codes (token scopes, calendar override kinds, settings, notice delivery
states) that the web app and the command line both show. Each lookup answers with the code
itself when it does not know it."""

from __future__ import annotations

CHANNELS = {"laporan": "Laporan", "temuan": "Temuan"}
ELECTION_TYPES = {"pemilu": "Pemilu", "pilkada": "Pilkada"}
RECIPIENTS = {
    "pelapor": "Pelapor",
    "terlapor": "Terlapor",
    "ppk": "PPK",
    "arsip": "Arsip berkas perkara",
}
INSTITUTION_KINDS = {"bawaslu": "Bawaslu", "bkn": "BKN", "ppk": "PPK", "sistem": "Sistem"}
TOKEN_SCOPES = {"officer": "petugas", "sweep": "penyisiran tenggat"}
OVERRIDE_KINDS = {"holiday": "hari libur", "working_day": "hari kerja"}
SETTINGS = {"fixed_clock": "jam tetap (waktu tindakan diisi sendiri, untuk data lampau)"}
SETTING_VALUES = {"allowed": "diizinkan", "refused": "ditolak"}
# Notice delivery (cases/notice_channels.py, db/deadline_store.py).
DELIVERY_STATUSES = {
    "pending": "menunggu",
    "sending": "sedang dikirim",
    "sent": "terkirim",
    "failed": "gagal",
}


def channel_label(code: str) -> str:
    return CHANNELS.get(code, code)


def election_type_label(code: str) -> str:
    return ELECTION_TYPES.get(code, code)


def recipient_label(
    code: str,
    recommending_head: str = "Kepala Badan Kepegawaian Negara",
    recommending_body: str = "BKN",
) -> str:
    """A letter's recipient. `bkn` is the recommending body of the case's rule set, named
    as its letters address it: BKN since UU 20/2023, KASN before (`rules.legal`)."""
    if code == "bkn":
        return recommending_head
    if code == "bkn_bawaslu":
        return f"{recommending_body} dan Bawaslu"
    return RECIPIENTS.get(code, code)


def institution_kind_label(code: str) -> str:
    return INSTITUTION_KINDS.get(code, code)
