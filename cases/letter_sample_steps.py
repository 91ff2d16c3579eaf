"""Sample letters' steps: the regions the sample cases are set in and the walk they share — a
temuan opened, taken from Bawaslu through BKN's review to the PPK, then the PPK's examination
(first or second summons, with or without a tim pemeriksa), sanction decree or, for a kode-etik
matter, the Majelis Kode Etik's hearing. The cases themselves are in `cases.letter_sample_cases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cases.commands import NewCase, Terlapor
from cases.demo_registry import BKN_ID
from cases.demo_steps import at, step
from db.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SampleRegion:
    code: str
    slug: str
    ppk: str
    agency: str


PASURUAN = SampleRegion("35.75", "pasuruan", "PEMDA-3575", "Pemerintah Kota Pasuruan")
KEDIRI = SampleRegion("35.71", "kediri", "PEMDA-3571", "Pemerintah Kota Kediri")
BEKASI = SampleRegion("32.75", "bekasi", "PEMDA-3275", "Pemerintah Kota Bekasi")
SUKABUMI = SampleRegion("32.72", "sukabumi", "PEMDA-3272", "Pemerintah Kota Sukabumi")
PROBOLINGGO = SampleRegion("35.13", "probolinggo", "PEMDA-3513", "Pemerintah Kabupaten Probolinggo")


def sample_temuan(
    region: SampleRegion, n: int, name: str, code: str, after: bool, summary: str
) -> NewCase:
    return NewCase(
        channel="temuan",
        election_type="pilkada",
        region_code=region.code,
        received_at=at("2024-10-07T09:00"),
        known_at=at("2024-10-05T10:00"),
        # a bakal calon's act (ethics) predates penetapan calon on 22 September 2024
        incident_at=at("2024-10-05T10:00" if after else "2024-09-20T10:00"),
        incident_place=f"Wilayah {region.agency[11:]}",
        summary=summary,
        violation_codes=[code],
        after_determination=after,
        terlapor=Terlapor(
            nip=f"1987060520120{n}1002",
            name=name,
            position="Kepala Seksi Umum",
            unit="Kecamatan Kota",
            agency=region.agency,
            rank="Penata Muda Tk. I (III/b)",
        ),
    )


def to_ppk(
    uow: UnitOfWork, region: SampleRegion, cid: str, category: str, basis: str | None = None
) -> None:
    """register → clarification → assessment → recommend → BKN review → recommendation.

    `basis`: BKN's recorded reason where the law sets no level (joining a campaign)."""
    b = f"bawaslu.{region.slug}"
    step(uow, b, cid, "register", "2024-10-07T14:00", registration_number=f"0{cid[-5:]}/Reg/TM")
    step(
        uow,
        b,
        cid,
        "invite_clarification",
        "2024-10-07T15:00",
        clarification_at="2024-10-08T10:00",
        clarification_place="Kantor Bawaslu",
    )
    step(
        uow,
        b,
        cid,
        "assess",
        "2024-10-08T15:00",
        clarification_summary="Terlapor dan dua saksi telah diklarifikasi.",
    )
    step(
        uow,
        b,
        cid,
        "recommend",
        "2024-10-09T16:00",
        findings="Unsur pelanggaran netralitas terpenuhi berdasarkan bukti foto dan keterangan saksi.",
    )
    step(uow, BKN_ID, cid, "bkn_accept", "2024-10-10T09:00")
    step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-10-14T10:00",
        sanction_category=category,
        ppk_institution=region.ppk,
        **({"justification": basis} if basis else {}),
    )


def examine(
    uow: UnitOfWork, region: SampleRegion, cid: str, absent_first: bool, attended: bool, team: bool
) -> None:
    p = f"bkpsdm.{region.slug}"
    team_data = (
        {"examination_team": f"Nur Aini {region.slug.title()}, Yusuf Hamdani, Lina Marlina"}
        if team
        else {}
    )  # the tim pemeriksa is appointed with the examination order
    step(
        uow,
        p,
        cid,
        "summon",
        "2024-10-15T09:00",
        examination_at="2024-10-28T09:00",
        examination_place=f"Ruang rapat BKPSDM {region.agency[11:]}",
        examiner_name=f"Nur Aini {region.slug.title()}",
        examiner_nip="198303142008012003",
        examiner_rank="Penata Tk. I (III/d)",
        **team_data,
    )
    last = "2024-10-28T12:00"
    if absent_first:
        step(uow, p, cid, "second_summons", "2024-10-28T13:00", examination_at="2024-11-04T09:00")
        last = "2024-11-04T12:00"
    data: dict[str, Any] = {
        "attended": attended,
        "findings": "Terlapor mengakui perbuatannya."
        if attended
        else "Terlapor tidak hadir pada panggilan pertama dan kedua tanpa alasan yang sah.",
    }
    if attended:
        data["examination_qa"] = [
            {
                "pertanyaan": "Apakah Saudara dalam keadaan sehat dan bersedia diperiksa?",
                "jawaban": "Ya, saya sehat dan bersedia diperiksa.",
            },
            {
                "pertanyaan": "Apakah benar Saudara melakukan perbuatan yang diuraikan dalam "
                "rekomendasi Badan Kepegawaian Negara?",
                "jawaban": "Benar, saya melakukannya karena tidak mengetahui larangannya.",
            },
            {
                "pertanyaan": "Apakah ada keterangan lain yang ingin Saudara sampaikan?",
                "jawaban": "Saya menyesal dan berjanji tidak akan mengulanginya.",
            },
        ]
    step(uow, p, cid, "record_examination", last, **data)


def impose(
    uow: UnitOfWork, region: SampleRegion, cid: str, code: str, day: str, **extra: Any
) -> None:
    step(
        uow,
        f"bkpsdm.{region.slug}",
        cid,
        "impose_sanction",
        f"{day}T10:00",
        sanction_code=code,
        decree_date=day,
        **extra,
    )


def ethics_council(uow: UnitOfWork, region: SampleRegion, cid: str, code: str) -> None:
    """A kode-etik matter: the Majelis Kode Etik hears it; the PPK declares the sanksi moral."""
    p = f"bkpsdm.{region.slug}"
    step(
        uow,
        p,
        cid,
        "convene_ethics_council",
        "2024-10-15T09:00",
        council_decree_number=f"800.1.6.4/MKE-{cid[-5:]}/2024",
        hearing_at="2024-10-24T09:00",
        hearing_place=f"Ruang rapat BKPSDM {region.agency[11:]}",
        council_members=f"Nur Aini {region.slug.title()}, Yusuf Hamdani, Lina Marlina",
    )
    step(
        uow,
        p,
        cid,
        "decide_ethics",
        "2024-10-30T10:00",
        attended=True,
        findings="Terlapor mengakui perbuatannya dan menyatakan tidak akan mengulanginya.",
        sanction_code=code,
        decree_date="2024-10-30",
    )
