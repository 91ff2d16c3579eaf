"""Sample letters' cases: six fictional cases beyond the demo, so every letter template is
issued once.

The demo (`cases.demo`) reaches most letters; these extra cases, run through the same public
services, add what it does not: a declined laporan, sanksi moral tertutup (heard by the Majelis
Kode Etik), hukuman disiplin sedang (with a second summons, no tim pemeriksa), pemberhentian
tidak dengan hormat for party membership (the terlapor absent twice; effective from the end of
the month of party entry), a PPK that misses its deadline (teguran, then SIASN blocking by the
system sweep) and a 2023 temuan handled under the law then in force (KASN recommends, no letter
cites UU 20/2023). An attended examination's BAP is a form of questions and answers
(`examination_qa`); Netra numbers every letter itself except where a step records a letter
issued outside Netra under its own number (the demo's Sukabumi BKN letter).
"""

from __future__ import annotations

from cases.commands import NewCase, Reporter, Terlapor, open_case
from cases.demo import load_demo
from cases.demo_registry import KASN_ID
from cases.demo_steps import at, step
from cases.letter_sample_steps import (
    BEKASI,
    KEDIRI,
    PASURUAN,
    PROBOLINGGO,
    SUKABUMI,
    ethics_council,
    examine,
    impose,
    sample_temuan,
    to_ppk,
)
from db.unit_of_work import UnitOfWork
from states.events import SYSTEM_ACTOR

SAMPLE_CASES = (
    "SAMPLE-TLK-1",
    "SAMPLE-TTP-1",
    "SAMPLE-SDG-1",
    "SAMPLE-PTH-1",
    "SAMPLE-ESK-1",
    "SAMPLE-KASN-1",
)


def _kasn_era(uow: UnitOfWork) -> None:
    """A 2023 temuan: the law then in force (rule-set 2023.1), KASN recommends."""
    cid = "SAMPLE-KASN-1"
    b, p = "bawaslu.probolinggo", f"bkpsdm.{PROBOLINGGO.slug}"
    open_case(
        uow,
        b,
        NewCase(
            channel="temuan",
            election_type="pemilu",
            region_code=PROBOLINGGO.code,
            received_at=at("2023-06-12T09:00"),
            known_at=at("2023-06-09T10:00"),
            incident_at=at("2023-06-08T19:00"),
            incident_place="Sekretariat partai politik di Kecamatan Kraksaan",
            summary="Terlapor mendatangi partai politik untuk mendaftar sebagai bakal calon "
            "anggota DPRD tanpa cuti di luar tanggungan negara.",
            violation_codes=["NET-12"],
            after_determination=False,
            terlapor=Terlapor(
                nip="198706052012061004",
                name="Agus Wibisono",
                position="Kepala Seksi Pemerintahan",
                unit="Kecamatan Kraksaan",
                agency=PROBOLINGGO.agency,
                rank="Penata (III/c)",
            ),
        ),
        at("2023-06-12T09:00"),
        case_id=cid,
    )
    step(uow, b, cid, "register", "2023-06-12T14:00", registration_number="001/Reg/TM/VI/2023")
    step(
        uow,
        b,
        cid,
        "invite_clarification",
        "2023-06-12T15:00",
        clarification_at="2023-06-14T10:00",
        clarification_place="Kantor Bawaslu Kabupaten Probolinggo",
    )
    step(
        uow,
        b,
        cid,
        "assess",
        "2023-06-14T15:00",
        clarification_summary="Terlapor dan pengurus partai telah diklarifikasi.",
    )
    step(
        uow,
        b,
        cid,
        "recommend",
        "2023-06-16T16:00",
        findings="Terlapor terbukti mendaftar sebagai bakal calon tanpa CLTN.",
    )
    step(uow, KASN_ID, cid, "bkn_accept", "2023-06-19T09:00")
    step(
        uow,
        KASN_ID,
        cid,
        "bkn_recommend",
        "2023-06-22T10:00",
        sanction_category="disiplin_sedang",
        ppk_institution=PROBOLINGGO.ppk,
    )
    step(
        uow,
        p,
        cid,
        "summon",
        "2023-06-26T09:00",
        examination_at="2023-07-11T09:00",
        examination_place="Ruang rapat BKPSDM Kabupaten Probolinggo",
        examiner_name="Nur Aini Probolinggo",
        examiner_nip="198303142008012003",
        examiner_rank="Penata Tk. I (III/d)",
    )  # hukuman disiplin sedang: no tim pemeriksa needed
    step(
        uow,
        p,
        cid,
        "record_examination",
        "2023-07-11T12:00",
        attended=True,
        findings="Terlapor mengakui dan telah menarik pendaftarannya.",
    )
    impose(uow, PROBOLINGGO, cid, "sedang_tukin_6", "2023-07-14")


def load_letter_samples(uow: UnitOfWork) -> list[str]:
    """Demo data plus the sample cases (idempotent); returns every case id loaded."""
    demo = load_demo(uow)
    with uow:
        if uow.cases.exists(SAMPLE_CASES[0]):
            return demo
    # 1. A laporan filed too late: not registered, the reporter is told why.
    open_case(
        uow,
        "bawaslu.pasuruan",
        NewCase(
            channel="laporan",
            election_type="pilkada",
            region_code=PASURUAN.code,
            received_at=at("2024-10-07T09:00"),
            known_at=at("2024-09-20T08:00"),
            incident_at=at("2024-09-19T19:00"),
            incident_place="Balai Kelurahan Bugul Kidul",
            summary="Pelapor menduga terlapor mengajak warga memilih bakal pasangan calon.",
            violation_codes=["NET-09"],
            after_determination=False,
            terlapor=Terlapor(
                nip="198706052012061002",
                name="Bayu Prasetyo",
                position="Lurah Bugul Kidul",
                unit="Kecamatan Panggungrejo",
                agency=PASURUAN.agency,
                rank="Penata (III/c)",
            ),
            reporter=Reporter(
                "Wahyu Hidayat",
                "Jalan Hasanuddin Nomor 21, Kota Pasuruan",
                "081355512345",
                "wahyu.h@example.org",
            ),
        ),
        at("2024-10-07T09:00"),
        case_id="SAMPLE-TLK-1",
    )
    step(
        uow,
        "bawaslu.pasuruan",
        "SAMPLE-TLK-1",
        "decline",
        "2024-10-07T15:00",
        reason="Laporan disampaikan melewati batas 7 (tujuh) hari sejak peristiwa diketahui.",
    )
    # 2. Sanksi moral, pernyataan secara tertutup (before candidate determination).
    open_case(
        uow,
        "bawaslu.kediri",
        sample_temuan(
            KEDIRI,
            7,
            "Rudi Hartono",
            "NET-02",
            False,
            "Terlapor mengunggah materi sosialisasi bakal calon wali kota di akun media sosialnya.",
        ),
        at("2024-10-07T09:00"),
        case_id="SAMPLE-TTP-1",
    )
    to_ppk(uow, KEDIRI, "SAMPLE-TTP-1", "moral")
    ethics_council(uow, KEDIRI, "SAMPLE-TTP-1", "moral_tertutup")
    # 3. Hukuman disiplin sedang after a second summons.
    open_case(
        uow,
        "bawaslu.bekasi",
        sample_temuan(
            BEKASI,
            8,
            "Yuliana Sari",
            "NET-10",
            True,
            "Terlapor ikut serta dalam kegiatan kampanye pasangan calon wali kota di Lapangan Multiguna.",
        ),
        at("2024-10-07T09:00"),
        case_id="SAMPLE-SDG-1",
    )
    to_ppk(
        uow,
        BEKASI,
        "SAMPLE-SDG-1",
        "disiplin_sedang",
        basis="Ikut kampanye tanpa atribut dan tanpa mengerahkan PNS lain; PP 94/2021 tidak "
        "menetapkan tingkatnya, dipilih hukuman disiplin sedang.",
    )
    examine(uow, BEKASI, "SAMPLE-SDG-1", absent_first=True, attended=True, team=False)
    impose(uow, BEKASI, "SAMPLE-SDG-1", "sedang_tukin_6", "2024-11-06")
    # 4. Pemberhentian tidak dengan hormat, terlapor absent twice.
    open_case(
        uow,
        "bawaslu.sukabumi",
        sample_temuan(
            SUKABUMI,
            9,
            "Hendri Gunawan",
            "NET-13",
            True,
            "Terlapor tercatat sebagai pengurus partai politik pengusung pasangan calon.",
        ),
        at("2024-10-07T09:00"),
        case_id="SAMPLE-PTH-1",
    )
    to_ppk(uow, SUKABUMI, "SAMPLE-PTH-1", "pemberhentian_tidak_hormat")
    examine(uow, SUKABUMI, "SAMPLE-PTH-1", absent_first=True, attended=False, team=True)
    impose(
        uow,
        SUKABUMI,
        "SAMPLE-PTH-1",
        "pemberhentian_tidak_hormat",
        "2024-11-06",
        party_joined_on="2024-03-18",
    )
    # 5. The PPK misses its follow-up deadline: the system escalates on BKN's behalf.
    open_case(
        uow,
        "bawaslu.probolinggo",
        sample_temuan(
            PROBOLINGGO,
            6,
            "Joko Susilo",
            "NET-05",
            True,
            "Terlapor membagikan konten akun pemenangan pasangan calon bupati ke grup warga.",
        ),
        at("2024-10-07T09:00"),
        case_id="SAMPLE-ESK-1",
    )
    to_ppk(uow, PROBOLINGGO, "SAMPLE-ESK-1", "disiplin_berat")
    step(uow, SYSTEM_ACTOR.user_id, "SAMPLE-ESK-1", "warn_ppk", "2024-11-05T00:30")
    step(uow, SYSTEM_ACTOR.user_id, "SAMPLE-ESK-1", "escalate_ppk", "2024-11-13T00:30")
    # 6. A 2023 temuan under the law then in force: KASN recommends.
    _kasn_era(uow)
    return [*demo, *SAMPLE_CASES]
