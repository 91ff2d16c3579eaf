"""Demo cases the PPK has decided: Probolinggo (a kode-etik matter heard by the Majelis Kode
Etik, sanksi moral executed and reported) and Sukabumi (hukuman disiplin berat after a second
summons, the decree delivered and an objection filed). Each function walks one case through
the public services and returns its id.
"""

from __future__ import annotations

from cases.commands import NewCase, Reporter, open_case
from cases.demo_registry import BKN_ID
from cases.demo_steps import at, clarify_and_assess, demo_terlapor, step
from db.unit_of_work import UnitOfWork


def load_probolinggo(uow: UnitOfWork) -> str:
    cid = "DEMO-PBL-1"
    open_case(
        uow,
        "bawaslu.probolinggo",
        NewCase(
            channel="laporan",
            election_type="pilkada",
            region_code="35.13",
            received_at=at("2024-08-30T09:00"),
            known_at=at("2024-08-29T07:00"),
            incident_at=at("2024-08-28T16:00"),
            incident_place="Pertigaan Jalan Raya Kraksaan",
            summary="Terlapor memasang baliho bakal calon bupati di depan rumahnya dan mengunggah "
            "fotonya; alat peraga sosialisasi bertebaran di wilayah Kabupaten Probolinggo.",
            violation_codes=["NET-01"],
            after_determination=False,
            terlapor=demo_terlapor(
                3,
                "Slamet Riyadi",
                "Staf Dinas Pekerjaan Umum",
                "Bidang Bina Marga",
                "Pemerintah Kabupaten Probolinggo",
            ),
            reporter=Reporter("Siti Maemunah", "Desa Sumberlele, Kraksaan", "081298765432"),
        ),
        at("2024-08-30T09:00"),
        case_id=cid,
    )
    b, p = "bawaslu.probolinggo", "bkpsdm.probolinggo"
    clarify_and_assess(uow, b, cid, 30, 8)
    step(
        uow,
        b,
        cid,
        "recommend",
        "2024-09-01T16:00",
        findings="Terlapor terbukti memasang alat peraga bakal calon.",
    )
    step(uow, BKN_ID, cid, "bkn_accept", "2024-09-03T09:00")
    step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-09-06T10:00",
        sanction_category="moral",
        ppk_institution="PEMDA-3513",
    )
    # a kode-etik matter: heard by the agency's Majelis Kode Etik (PP 42/2004), no summons
    step(
        uow,
        p,
        cid,
        "convene_ethics_council",
        "2024-09-09T09:00",
        council_decree_number="800.1.6.4/101/426.32/2024",
        hearing_at="2024-09-20T09:00",
        hearing_place="Ruang rapat BKPSDM Kabupaten Probolinggo",
        council_members=["Nur Aini Probolinggo", "Yusuf Hamdani", "Lina Marlina"],
    )
    step(
        uow,
        p,
        cid,
        "decide_ethics",
        "2024-09-24T10:00",
        attended=True,
        findings="Terlapor mengakui memasang baliho dan telah menurunkannya.",
        sanction_code="moral_terbuka",
        decree_date="2024-09-24",
    )
    step(uow, p, cid, "deliver_decree", "2024-09-26T10:00", delivered_at="2024-09-26T09:30")
    step(uow, p, cid, "execute_sanction", "2024-09-30T10:00", executed_at="2024-09-30T08:00")
    step(
        uow,
        p,
        cid,
        "report_follow_up",
        "2024-10-02T10:00",
    )
    return cid


def load_sukabumi(uow: UnitOfWork) -> str:
    cid = "DEMO-SKB-1"
    open_case(
        uow,
        "bawaslu.sukabumi",
        NewCase(
            channel="temuan",
            election_type="pilkada",
            region_code="32.72",
            received_at=at("2024-10-14T09:00"),
            known_at=at("2024-10-12T10:00"),
            incident_at=at("2024-10-12T10:00"),
            incident_place="Posko pemenangan, Kecamatan Cikole",
            summary="Terlapor tercatat sebagai anggota tim pemenangan pasangan calon wali kota dan "
            "mengoordinasikan relawan.",
            violation_codes=["NET-15"],
            after_determination=True,
            terlapor=demo_terlapor(
                4,
                "Dedi Kurniawan",
                "Sekretaris Kecamatan",
                "Kecamatan Cikole",
                "Pemerintah Kota Sukabumi",
            ),
        ),
        at("2024-10-14T09:00"),
        case_id=cid,
    )
    b, p = "bawaslu.sukabumi", "bkpsdm.sukabumi"
    clarify_and_assess(uow, b, cid, 14, 10)
    step(
        uow,
        b,
        cid,
        "recommend",
        "2024-10-16T16:00",
        findings="Terlapor terbukti menjadi tim pemenangan pasangan calon.",
    )
    step(uow, BKN_ID, cid, "bkn_accept", "2024-10-18T09:00")
    step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-10-22T10:00",
        sanction_category="disiplin_berat",
        ppk_institution="PEMDA-3272",
        bkn_letter_number="B-2388/KP.10/10/2024",
    )
    step(
        uow,
        p,
        cid,
        "summon",
        "2024-10-24T09:00",
        examination_at="2024-11-05T09:00",
        examination_place="Ruang rapat BKPSDM Kota Sukabumi",
        examiner_name="Nur Aini Sukabumi",
        examiner_nip="198304142008012004",
        examiner_rank="Pembina (IV/a)",
        examination_team="Nur Aini Sukabumi, Yusuf Hamdani, Lina Marlina",
    )
    step(uow, p, cid, "second_summons", "2024-11-05T13:00", examination_at="2024-11-12T09:00")
    step(
        uow,
        p,
        cid,
        "record_examination",
        "2024-11-12T12:00",
        attended=True,
        findings="Terlapor mengakui menjadi koordinator relawan pasangan calon.",
    )
    step(
        uow,
        p,
        cid,
        "impose_sanction",
        "2024-11-19T10:00",
        sanction_code="berat_pembebasan_jabatan",
        decree_date="2024-11-19",
    )
    step(uow, p, cid, "deliver_decree", "2024-11-21T10:00", delivered_at="2024-11-21T09:00")
    step(
        uow,
        p,
        cid,
        "file_objection",
        "2024-11-28T10:00",
        filed_at="2024-11-28T09:00",
    )
    return cid
