"""Sample letters: the demo cases plus six more, so every letter template is issued once.

The demo (`cases/demo.py`) reaches most letters; these extra fictional cases, run through the
same public services, add what it does not: a declined laporan, sanksi moral tertutup (heard
by the Majelis Kode Etik), hukuman disiplin sedang (with a second summons, no tim pemeriksa),
pemberhentian tidak dengan hormat for party membership (the terlapor absent twice; effective
from the end of the month of party entry), a PPK that misses its deadline (teguran, then SIASN
blocking by the system sweep) and a 2023 temuan handled under the law then in force (KASN
recommends, no letter cites UU 20/2023). An attended examination's BAP is a form of questions
and answers (`examination_qa`); Netra numbers every letter itself except where a step records
a letter issued outside Netra under its own number (the demo's Sukabumi BKN letter).
`write_samples` renders them to PDF in a throw-away database for officials to look at.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cases.bootstrap import unit_of_work
from cases.commands import NewCase, Reporter, Terlapor, advance, open_case
from cases.demo import BKN_ID, KASN_ID, at, load_demo
from cases.letters import get_letter, unsigned_pdf
from db.letter_register import LetterRegister, StoredLetter
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


@dataclass(frozen=True)
class _Region:
    code: str
    slug: str
    ppk: str
    agency: str


PASURUAN = _Region("35.75", "pasuruan", "PEMDA-3575", "Pemerintah Kota Pasuruan")
KEDIRI = _Region("35.71", "kediri", "PEMDA-3571", "Pemerintah Kota Kediri")
BEKASI = _Region("32.75", "bekasi", "PEMDA-3275", "Pemerintah Kota Bekasi")
SUKABUMI = _Region("32.72", "sukabumi", "PEMDA-3272", "Pemerintah Kota Sukabumi")
PROBOLINGGO = _Region("35.13", "probolinggo", "PEMDA-3513", "Pemerintah Kabupaten Probolinggo")


def _step(uow: UnitOfWork, who: str, cid: str, trigger: str, when: str, **data: Any) -> None:
    advance(uow, who, cid, trigger, data, at(when))


def _temuan(region: _Region, n: int, name: str, code: str, after: bool, summary: str) -> NewCase:
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


def _to_ppk(
    uow: UnitOfWork, region: _Region, cid: str, category: str, basis: str | None = None
) -> None:
    """register → clarification → assessment → recommend → BKN review → recommendation.

    `basis`: BKN's recorded reason where the law sets no level (joining a campaign)."""
    b = f"bawaslu.{region.slug}"
    _step(uow, b, cid, "register", "2024-10-07T14:00", registration_number=f"0{cid[-5:]}/Reg/TM")
    _step(
        uow,
        b,
        cid,
        "invite_clarification",
        "2024-10-07T15:00",
        clarification_at="2024-10-08T10:00",
        clarification_place="Kantor Bawaslu",
    )
    _step(
        uow,
        b,
        cid,
        "assess",
        "2024-10-08T15:00",
        clarification_summary="Terlapor dan dua saksi telah diklarifikasi.",
    )
    _step(
        uow,
        b,
        cid,
        "recommend",
        "2024-10-09T16:00",
        findings="Unsur pelanggaran netralitas terpenuhi berdasarkan bukti foto dan keterangan saksi.",
    )
    _step(uow, BKN_ID, cid, "bkn_accept", "2024-10-10T09:00")
    _step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-10-14T10:00",
        sanction_category=category,
        ppk_institution=region.ppk,
        **({"justification": basis} if basis else {}),
    )


def _examine(
    uow: UnitOfWork, region: _Region, cid: str, absent_first: bool, attended: bool, team: bool
) -> None:
    p = f"bkpsdm.{region.slug}"
    team_data = (
        {"examination_team": f"Nur Aini {region.slug.title()}, Yusuf Hamdani, Lina Marlina"}
        if team
        else {}
    )  # the tim pemeriksa is appointed with the examination order
    _step(
        uow,
        p,
        cid,
        "summon",
        "2024-10-15T09:00",
        examination_at="2024-10-28T09:00",
        examination_place=f"Ruang rapat BKPSDM {region.agency[11:]}",
        examiner_name=f"Nur Aini {region.slug.title()}",
        examiner_nip="198303142008012003",
        **team_data,
    )
    last = "2024-10-28T12:00"
    if absent_first:
        _step(uow, p, cid, "second_summons", "2024-10-28T13:00", examination_at="2024-11-04T09:00")
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
    _step(uow, p, cid, "record_examination", last, **data)


def _impose(uow: UnitOfWork, region: _Region, cid: str, code: str, day: str, **extra: Any) -> None:
    _step(
        uow,
        f"bkpsdm.{region.slug}",
        cid,
        "impose_sanction",
        f"{day}T10:00",
        sanction_code=code,
        decree_date=day,
        **extra,
    )


def _ethics(uow: UnitOfWork, region: _Region, cid: str, code: str) -> None:
    """A kode-etik matter: the Majelis Kode Etik hears it; the PPK declares the sanksi moral."""
    p = f"bkpsdm.{region.slug}"
    _step(
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
    _step(
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
    _step(uow, b, cid, "register", "2023-06-12T14:00", registration_number="001/Reg/TM/VI/2023")
    _step(
        uow,
        b,
        cid,
        "invite_clarification",
        "2023-06-12T15:00",
        clarification_at="2023-06-14T10:00",
        clarification_place="Kantor Bawaslu Kabupaten Probolinggo",
    )
    _step(
        uow,
        b,
        cid,
        "assess",
        "2023-06-14T15:00",
        clarification_summary="Terlapor dan pengurus partai telah diklarifikasi.",
    )
    _step(
        uow,
        b,
        cid,
        "recommend",
        "2023-06-16T16:00",
        findings="Terlapor terbukti mendaftar sebagai bakal calon tanpa CLTN.",
    )
    _step(uow, KASN_ID, cid, "bkn_accept", "2023-06-19T09:00")
    _step(
        uow,
        KASN_ID,
        cid,
        "bkn_recommend",
        "2023-06-22T10:00",
        sanction_category="disiplin_sedang",
        ppk_institution=PROBOLINGGO.ppk,
    )
    _step(
        uow,
        p,
        cid,
        "summon",
        "2023-06-26T09:00",
        examination_at="2023-07-11T09:00",
        examination_place="Ruang rapat BKPSDM Kabupaten Probolinggo",
        examiner_name="Nur Aini Probolinggo",
        examiner_nip="198303142008012003",
    )  # hukuman disiplin sedang: no tim pemeriksa needed
    _step(
        uow,
        p,
        cid,
        "record_examination",
        "2023-07-11T12:00",
        attended=True,
        findings="Terlapor mengakui dan telah menarik pendaftarannya.",
    )
    _impose(uow, PROBOLINGGO, cid, "sedang_tukin_6", "2023-07-14")


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
    _step(
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
        _temuan(
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
    _to_ppk(uow, KEDIRI, "SAMPLE-TTP-1", "moral")
    _ethics(uow, KEDIRI, "SAMPLE-TTP-1", "moral_tertutup")
    # 3. Hukuman disiplin sedang after a second summons.
    open_case(
        uow,
        "bawaslu.bekasi",
        _temuan(
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
    _to_ppk(
        uow,
        BEKASI,
        "SAMPLE-SDG-1",
        "disiplin_sedang",
        basis="Ikut kampanye tanpa atribut dan tanpa mengerahkan PNS lain; PP 94/2021 tidak "
        "menetapkan tingkatnya, dipilih hukuman disiplin sedang.",
    )
    _examine(uow, BEKASI, "SAMPLE-SDG-1", absent_first=True, attended=True, team=False)
    _impose(uow, BEKASI, "SAMPLE-SDG-1", "sedang_tukin_6", "2024-11-06")
    # 4. Pemberhentian tidak dengan hormat, terlapor absent twice.
    open_case(
        uow,
        "bawaslu.sukabumi",
        _temuan(
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
    _to_ppk(uow, SUKABUMI, "SAMPLE-PTH-1", "pemberhentian_tidak_hormat")
    _examine(uow, SUKABUMI, "SAMPLE-PTH-1", absent_first=True, attended=False, team=True)
    _impose(
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
        _temuan(
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
    _to_ppk(uow, PROBOLINGGO, "SAMPLE-ESK-1", "disiplin_berat")
    _step(uow, SYSTEM_ACTOR.user_id, "SAMPLE-ESK-1", "warn_ppk", "2024-11-05T00:30")
    _step(uow, SYSTEM_ACTOR.user_id, "SAMPLE-ESK-1", "escalate_ppk", "2024-11-13T00:30")
    # 6. A 2023 temuan under the law then in force: KASN recommends.
    _kasn_era(uow)
    return [*demo, *SAMPLE_CASES]


def _sample_key(letter: StoredLetter) -> tuple[str, ...]:
    context = letter.context
    return (
        letter.template_name,
        str(context["letter"]["title"]),
        str(context["letter"]["recipient"]),
        str(context["body"].get("status") or ""),
        str(context["body"].get("attended", "")),
        str(bool(context["body"].get("qa"))),
        str(context["legal"]["body"]["short_name"]),  # KASN-era letters (rule-sets 2023.x)
    )


def write_samples(out_dir: Path, every_letter: bool = False) -> list[Path]:
    """Render sample letters (one per template and variant, or all) to `out_dir` as PDF+HTML.

    Uses a throw-away SQLite database, so no real database is touched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        uow = unit_of_work(f"sqlite:///{Path(tmp) / 'samples.db'}")
        case_ids = load_letter_samples(uow)
        with uow:
            letters = [x for cid in case_ids for x in LetterRegister(uow.session).for_case(cid)]
        seen: set[tuple[str, ...]] = set()
        for letter in letters:
            key = _sample_key(letter)
            if not every_letter and key in seen:
                continue
            seen.add(key)
            stored = get_letter(uow, "admin", letter.id)
            stem = f"{len(written) // 2 + 1:02d}-{letter.template_name.removesuffix('.html.j2')}-{letter.id}"
            (out_dir / f"{stem}.html").write_text(stored.html, encoding="utf-8")
            (out_dir / f"{stem}.pdf").write_bytes(unsigned_pdf(uow, stored))
            written.extend([out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"])
        uow.engine.dispose()
    return written
