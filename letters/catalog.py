"""The letter kinds: who sends each, to whom, its classification code, subject and template.

Kinds are the names the lifecycle uses (`rules/data/<version>/lifecycle.yaml`, `letters:`).
Classification codes (kode klasifikasi arsip) are per sending institution's practice and are
marked `verify` where not seen in an official register. Fixed legal citations (the SKB 2022
and the laws every letter cites in full) live here too; per-case citations (the violation's
article, the sanction's article, the step's article) come from the case's rule-set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rules.errors import NotFound

if TYPE_CHECKING:  # annotations only: the kinds' titles load without the rule models
    from rules.ruleset import RuleSet
    from states.case import Case

# --- a letter's record, as verification names its parts --------------------------------------

# The stored letter's fields its `letter_issued` event also records, by what an auditor reads.
RECORD_FIELDS = {
    "kind": "jenis surat",
    "number": "nomor surat",
    "template_name": "nama templat",
    "template_hash": "hash templat",
    "context_hash": "hash konteks",
    "content_hash": "hash isi surat",
}
ISSUED_EVENT = "peristiwa penerbitan surat (letter_issued)"

# --- recipients -------------------------------------------------------------------------------

PELAPOR = "pelapor"  # the citizen reporter (only letters to the reporter carry their identity)
TERLAPOR = "terlapor"  # the civil servant reported
BKN = "bkn"  # Kepala BKN
PPK = "ppk"  # the PPK (Pejabat Pembina Kepegawaian)
BKN_BAWASLU = "bkn_bawaslu"  # the follow-up report: to BKN and to the Bawaslu office
ARSIP = "arsip"  # a record (BAP) kept in the case file, no addressee

RECIPIENT_CODES = {PELAPOR: "P", TERLAPOR: "T", BKN: "B", PPK: "K", BKN_BAWASLU: "BB", ARSIP: "A"}


@dataclass(frozen=True)
class LetterKind:
    """One kind of official letter the lifecycle issues."""

    kind: str
    code: str  # short code for letter ids
    title: str  # Hal / perihal
    sender: str  # bawaslu | bkn | ppk
    classification: str
    recipients: tuple[str, ...]
    sifat: str
    lampiran: str
    source: str  # how sure we are of the form: "checked: ..." or "verify: ..."

    def template_name(self, case: Case, rule_set: RuleSet) -> str:
        """The template for this case: one per kind, except decrees (one per sanction kind)."""
        if self.kind == "berita_acara_pemeriksaan" and not case.step("record_examination").get(
            "attended", True
        ):
            return "berita_acara_ketidakhadiran.html.j2"
        if self.kind != "keputusan_sanksi":
            return f"{self.kind}.html.j2"
        if not case.sanction_code:
            raise NotFound(f"Perkara {case.case_id} belum memiliki jenis sanksi")
        sanction = rule_set.sanction(case.sanction_code)
        if sanction.category == "moral":
            variant = sanction.code  # moral_tertutup | moral_terbuka
        elif sanction.category == "pemberhentian_tidak_hormat":
            variant = "pemberhentian"
        else:
            variant = sanction.category  # disiplin_sedang | disiplin_berat
        return f"keputusan_sanksi_{variant}.html.j2"

    def recipients_for(self, case: Case) -> list[str]:
        """The addressees of this kind for a case; a temuan has no reporter to write to."""
        return [r for r in self.recipients if r != PELAPOR or case.reporter is not None]


KINDS: dict[str, LetterKind] = {
    spec.kind: spec
    for spec in (
        LetterKind(
            "pemberitahuan_status",
            "PST",
            "Pemberitahuan Status Laporan",
            "bawaslu",
            "PP.01.02",
            (PELAPOR,),
            "Biasa",
            "-",
            "verify: Perbawaslu 7/2022 form for the status notice not found (LETTER-FORMS §3)",
        ),
        LetterKind(
            "undangan_klarifikasi",
            "UKL",
            "Undangan Klarifikasi",
            "bawaslu",
            "PP.01.02",
            (PELAPOR, TERLAPOR),
            "Segera",
            "-",
            "checked: Perbawaslu 7/2022 Formulir Model B.9 (fields); layout: verify",
        ),
        LetterKind(
            "penerusan_bawaslu",
            "PNR",
            "Penerusan Pelanggaran Peraturan Perundang-undangan Lainnya (Netralitas ASN)",
            "bawaslu",
            "PP.01.02",
            (BKN,),
            "Segera",
            "1 (satu) berkas",
            "verify: penerusan letter to KASN/BKN not found (LETTER-FORMS §3); built from §5",
        ),
        LetterKind(
            "rekomendasi_bkn",
            "RKB",
            "Rekomendasi atas Pelanggaran Netralitas Pegawai ASN",
            "bkn",
            "KP.10",
            (PPK,),
            "Segera",
            "-",
            "checked: KASN letter layout (LETTER-FORMS §2); item list and tembusan: verify",
        ),
        LetterKind(
            "teguran_ppk",
            "TGR",
            "Teguran atas Rekomendasi yang Belum Ditindaklanjuti",
            "bkn",
            "KP.10",
            (PPK,),
            "Sangat Segera",
            "-",
            "verify: no public form; teguran before SIASN blocking (LEGAL-NOTES Corrections)",
        ),
        LetterKind(
            "eskalasi_ppk",
            "ESK",
            "Pemblokiran Data Kepegawaian atas Rekomendasi yang Belum Dilaksanakan",
            "bkn",
            "KP.10",
            (PPK,),
            "Sangat Segera",
            "-",
            "verify: no public escalation form; Peraturan BKN 1/2023 (blokir SIASN) cited",
        ),
        LetterKind(
            "surat_panggilan",
            "SPG",
            "Panggilan",
            "ppk",
            "800.1.6.4",
            (TERLAPOR,),
            "Rahasia",
            "-",
            "checked: Perka BKN 21/2010 Anak Lampiran I-a (predecessor); Perban BKN 6/2022: verify",
        ),
        LetterKind(
            "berita_acara_pemeriksaan",
            "BAP",
            "Berita Acara Pemeriksaan",
            "ppk",
            "800.1.6.4",
            (ARSIP,),
            "Rahasia",
            "-",
            "checked: Perka BKN 21/2010 Anak Lampiran I-c (predecessor); Q&A block: verify",
        ),
        LetterKind(
            "keputusan_sanksi",
            "KPS",
            "Keputusan Penjatuhan Sanksi",
            "ppk",
            "800.1.6.4",
            (TERLAPOR,),
            "Rahasia",
            "-",
            "checked (secondary): public decree templates (LETTER-FORMS §1e); official: verify",
        ),
        LetterKind(
            "laporan_tindak_lanjut",
            "LTL",
            "Laporan Tindak Lanjut Rekomendasi",
            "ppk",
            "800.1.6.4",
            (BKN_BAWASLU,),
            "Segera",
            "1 (satu) berkas",
            "verify: no public form; SKB 2022 (PPK reports the follow-up)",
        ),
    )
}


# A step field that names the number of a letter issued outside Netra (e.g. BKN's own letter
# when BKN does not use Netra): when the step carries it, Netra records that letter with its
# external number and never numbers it again. When the field is absent, Netra issues and
# numbers the letter itself: one number per letter either way.
EXTERNAL_NUMBER_FIELDS = {
    "penerusan_bawaslu": "recommendation_number",
    "rekomendasi_bkn": "bkn_letter_number",
    "keputusan_sanksi": "decree_number",
    "laporan_tindak_lanjut": "report_number",
}
# The step field that dates the external letter, where the step has one (else the step's date).
EXTERNAL_DATE_FIELDS = {"keputusan_sanksi": "decree_date"}


def letter_kind(kind: str) -> LetterKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise NotFound(f"Jenis surat '{kind}' tidak dikenal") from None


def letter_id(case_id: str, case_seq: int, kind: str, recipient: str) -> str:
    """Deterministic and unique per case step: `DEMO-PSR-1-L7-UKL-P`."""
    spec = letter_kind(kind)
    suffix = f"-{RECIPIENT_CODES[recipient]}" if len(spec.recipients) > 1 else ""
    return f"{case_id}-L{case_seq}-{spec.code}{suffix}"


# --- the laws cited in full -------------------------------------------------------------------

SKB_2022 = (
    "Keputusan Bersama Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi, "
    "Menteri Dalam Negeri, Kepala Badan Kepegawaian Negara, Ketua Komisi Aparatur Sipil "
    "Negara, dan Ketua Badan Pengawas Pemilihan Umum Nomor 2 Tahun 2022, Nomor 800-5474 Tahun "
    "2022, Nomor 246 Tahun 2022, Nomor 30 Tahun 2022, Nomor 1447.1/PM.01/K.1/09/2022 tentang "
    "Pedoman Pembinaan dan Pengawasan Netralitas Pegawai Aparatur Sipil Negara dalam "
    "Penyelenggaraan Pemilihan Umum dan Pemilihan"
)
UU_ASN = "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara"
UU_PEMILU = "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum"
UU_PILKADA = (
    "Undang-Undang Nomor 1 Tahun 2015 tentang Penetapan Peraturan Pemerintah Pengganti "
    "Undang-Undang Nomor 1 Tahun 2014 tentang Pemilihan Gubernur, Bupati, dan Walikota menjadi "
    "Undang-Undang sebagaimana telah beberapa kali diubah terakhir dengan Undang-Undang "
    "Nomor 6 Tahun 2020"
)
PP_42_2004 = (
    "Peraturan Pemerintah Nomor 42 Tahun 2004 tentang Pembinaan Jiwa Korps dan Kode Etik "
    "Pegawai Negeri Sipil"
)
PP_94_2021 = "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil"
PP_11_2017 = (
    "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil "
    "sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020"
)
PERBAN_BKN_6_2022 = (
    "Peraturan Badan Kepegawaian Negara Nomor 6 Tahun 2022 tentang Peraturan Pelaksanaan "
    "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil"
)
PERBAN_BKN_1_2023 = (
    "Peraturan Badan Kepegawaian Negara Nomor 1 Tahun 2023 (pemblokiran data dan/atau "
    "layanan kepegawaian dalam Sistem Informasi Aparatur Sipil Negara)"
)
PERBAWASLU_PEMILU = (
    "Peraturan Badan Pengawas Pemilihan Umum Nomor 7 Tahun 2022 tentang Penanganan Temuan "
    "dan Laporan Pelanggaran Pemilihan Umum"
)
PERBAWASLU_PILKADA = (
    "Peraturan Badan Pengawas Pemilihan Umum Nomor 8 Tahun 2020 tentang Penanganan "
    "Pelanggaran Pemilihan Gubernur dan Wakil Gubernur, Bupati dan Wakil Bupati, serta Wali "
    "Kota dan Wakil Wali Kota sebagaimana telah diubah dengan Peraturan Badan Pengawas "
    "Pemilihan Umum Nomor 9 Tahun 2024"
)
CITATION_SOURCES = {
    "SKB_2022": "checked: LEGAL-NOTES (seed 003) and the SKB's front page",
    "UU_PILKADA": "known: last amendment UU 6/2020; verify against JDIH",
    "PERBAN_BKN_1_2023": "checked: subject (LEGAL-NOTES); official title: verify",
    "PERBAWASLU_PILKADA": "verify: Perbawaslu 9/2024 as the amendment (LETTER-FORMS §3)",
}
