"""Sample letters: the demo cases plus five more, so every letter template is issued once.

The demo (`cases/demo.py`) reaches most letters; these extra fictional cases, run through the
same public services, add what it does not: a declined laporan, sanksi moral tertutup,
hukuman disiplin sedang (with a second summons), pemberhentian tidak dengan hormat (the
terlapor absent twice) and a PPK that misses its deadline (escalation by the system sweep).
`write_samples` renders them to PDF in a throw-away database for officials to look at.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cases.bootstrap import unit_of_work
from cases.commands import NewCase, Reporter, Terlapor, advance, open_case
from cases.demo import BKN_ID, at, load_demo
from cases.letters import get_letter, unsigned_pdf
from db.letter_register import LetterRegister, StoredLetter
from db.unit_of_work import UnitOfWork
from states.events import SYSTEM_ACTOR

SAMPLE_CASES = ("SAMPLE-TLK-1", "SAMPLE-TTP-1", "SAMPLE-SDG-1", "SAMPLE-PTH-1", "SAMPLE-ESK-1")


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
        incident_at=at("2024-10-05T10:00"),
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


def _to_ppk(uow: UnitOfWork, region: _Region, cid: str, category: str) -> None:
    """register → clarification → assessment → recommend → BKN review → recommendation."""
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
    )


def _examine(
    uow: UnitOfWork, region: _Region, cid: str, absent_first: bool, attended: bool, team: bool
) -> None:
    p = f"bkpsdm.{region.slug}"
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
    if team:
        data["examination_team"] = f"Nur Aini {region.slug.title()}, Yusuf Hamdani, Lina Marlina"
    _step(uow, p, cid, "record_examination", last, **data)


def _impose(uow: UnitOfWork, region: _Region, cid: str, code: str, day: str) -> None:
    _step(
        uow,
        f"bkpsdm.{region.slug}",
        cid,
        "impose_sanction",
        f"{day}T10:00",
        sanction_code=code,
        decree_date=day,
    )


def load_letter_samples(uow: UnitOfWork) -> list[str]:
    """Demo data plus the five sample cases (idempotent); returns every case id loaded."""
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
    _examine(uow, KEDIRI, "SAMPLE-TTP-1", absent_first=False, attended=True, team=False)
    _impose(uow, KEDIRI, "SAMPLE-TTP-1", "moral_tertutup", "2024-10-30")
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
    _to_ppk(uow, BEKASI, "SAMPLE-SDG-1", "disiplin_sedang")
    _examine(uow, BEKASI, "SAMPLE-SDG-1", absent_first=True, attended=True, team=True)
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
    _impose(uow, SUKABUMI, "SAMPLE-PTH-1", "pemberhentian_tidak_hormat", "2024-11-06")
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
    _step(uow, SYSTEM_ACTOR.user_id, "SAMPLE-ESK-1", "escalate_ppk", "2024-11-05T00:30")
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
