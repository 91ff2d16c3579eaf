"""Demo cases still in review: Pasuruan (a laporan at the clarification), Kediri (a temuan BKN
has recommended to the PPK for a heavy disciplinary sanction) and Bekasi (a laporan Bawaslu
dismissed). Each function walks one case through the public services and returns its id.
"""

from __future__ import annotations

from cases.commands import NewCase, Reporter, open_case
from cases.demo_registry import BKN_ID
from cases.demo_steps import at, clarify_and_assess, demo_terlapor, step
from db.unit_of_work import UnitOfWork


def load_pasuruan(uow: UnitOfWork) -> str:
    cid = "DEMO-PSR-1"
    open_case(
        uow,
        "bawaslu.pasuruan",
        NewCase(
            channel="laporan",
            election_type="pilkada",
            region_code="35.75",
            received_at=at("2024-11-18T09:00"),
            known_at=at("2024-11-16T08:00"),
            incident_at=at("2024-11-15T20:00"),
            incident_place="Grup WhatsApp pemenangan paslon 01",
            summary="Terlapor mengunggah ajakan memilih pasangan calon nomor urut 01 di grup "
            "pemenangan, dilaporkan oleh warga yang tergabung dalam Elemen Masyarakat "
            "Pasuruan (E-Mapas).",
            violation_codes=["NET-03"],
            after_determination=True,
            terlapor=demo_terlapor(
                1,
                "Hendra Wijaya",
                "Kepala Seksi Pelayanan",
                "Kecamatan Gadingrejo",
                "Pemerintah Kota Pasuruan",
            ),
            reporter=Reporter(
                "Yono Saputra",
                "Jalan Veteran Nomor 5, Kota Pasuruan",
                "081234567890",
                "yono@example.org",
            ),
        ),
        at("2024-11-18T09:00"),
        case_id=cid,
    )
    who = "bawaslu.pasuruan"
    step(uow, who, cid, "register", "2024-11-18T14:00", registration_number="001/Reg/LP/PW/11/2024")
    step(
        uow,
        who,
        cid,
        "invite_clarification",
        "2024-11-19T09:00",
        clarification_at="2024-11-20T10:00",
        clarification_place="Kantor Bawaslu Kota Pasuruan",
    )
    return cid


def load_kediri(uow: UnitOfWork) -> str:
    cid = "DEMO-KDR-1"
    open_case(
        uow,
        "bawaslu.kediri",
        NewCase(
            channel="temuan",
            election_type="pilkada",
            region_code="35.71",
            received_at=at("2024-10-03T09:00"),
            known_at=at("2024-10-02T19:00"),
            incident_at=at("2024-10-02T19:00"),
            incident_place="Gedung serbaguna Kelurahan Bandar",
            summary="Pengawas kelurahan menemukan terlapor hadir dan berorasi mendukung pasangan "
            "calon pada acara deklarasi relawan.",
            violation_codes=["NET-09"],
            after_determination=True,
            terlapor=demo_terlapor(
                2, "Agus Setiawan", "Lurah Bandar", "Kecamatan Mojoroto", "Pemerintah Kota Kediri"
            ),
        ),
        at("2024-10-03T09:00"),
        case_id=cid,
    )
    clarify_and_assess(uow, "bawaslu.kediri", cid, 3, 10)
    step(
        uow,
        "bawaslu.kediri",
        cid,
        "recommend",
        "2024-10-05T16:00",
        findings="Terlapor terbukti menghadiri deklarasi dan menyatakan dukungan secara aktif.",
    )
    step(uow, BKN_ID, cid, "bkn_accept", "2024-10-08T09:00")
    step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-10-11T10:00",
        sanction_category="disiplin_berat",
        ppk_institution="PEMDA-3571",
    )
    return cid


def load_bekasi(uow: UnitOfWork) -> str:
    cid = "DEMO-BKS-1"
    open_case(
        uow,
        "bawaslu.bekasi",
        NewCase(
            channel="laporan",
            election_type="pilkada",
            region_code="32.75",
            received_at=at("2024-10-21T10:00"),
            known_at=at("2024-10-18T12:00"),
            incident_at=at("2024-10-17T19:00"),
            incident_place="Balai Patriot, Kota Bekasi",
            summary="Pelapor menduga pejabat eselon membagikan bingkisan bergambar pasangan calon "
            "pada acara yang tertutup bagi media.",
            violation_codes=["NET-14"],
            after_determination=True,
            terlapor=demo_terlapor(
                5, "Rina Oktaviani", "Kepala Bidang", "Dinas Sosial", "Pemerintah Kota Bekasi"
            ),
            reporter=Reporter("Fajar Nugroho", "Jalan Ahmad Yani Nomor 9, Kota Bekasi"),
        ),
        at("2024-10-21T10:00"),
        case_id=cid,
    )
    b = "bawaslu.bekasi"
    clarify_and_assess(uow, b, cid, 21, 10)
    step(
        uow,
        b,
        cid,
        "dismiss",
        "2024-10-23T16:00",
        reason="Bingkisan terbukti berasal dari program rutin Dinas Sosial tanpa atribut "
        "pasangan calon; unsur pelanggaran netralitas tidak terpenuhi.",
    )
    return cid
