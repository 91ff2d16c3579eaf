"""Demo data: the institutions of the five seed regions and five fictional cases in different
stages, modelled on the seed news reports (Kota Pasuruan, Kota Kediri, Kabupaten Probolinggo,
Kota Sukabumi, Kota Bekasi). Every person and number here is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cases.commands import NewCase, Reporter, Terlapor, advance, open_case
from cases.identity.accounts import SYSTEM_INSTITUTION, initialise
from cases.registry import add_institution, add_officer
from db.registry import Institution, Officer
from db.unit_of_work import UnitOfWork
from rules.models import Role

WIB = ZoneInfo("Asia/Jakarta")
ADMIN_ID = "admin"
BKN_ID = "bkn.analis"
KASN_ID = "kasn.analis"  # the recommending body before 24 August 2024 (rule-sets 2023.x)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


@dataclass(frozen=True)
class Region:
    code: str
    slug: str
    city: str  # place name on letters
    kota: bool
    province: str
    bawaslu_unit: str  # Bawaslu's own unit code in its letter numbers

    @property
    def government(self) -> str:
        return f"{'Kota' if self.kota else 'Kabupaten'} {self.city}"

    @property
    def bawaslu(self) -> str:
        return f"BAWASLU-{self.code.replace('.', '')}"

    @property
    def ppk(self) -> str:
        return f"PEMDA-{self.code.replace('.', '')}"


REGIONS = (
    Region("35.75", "pasuruan", "Pasuruan", True, "Jawa Timur", "JI-30"),
    Region("35.71", "kediri", "Kediri", True, "Jawa Timur", "JI-26"),
    Region("35.13", "probolinggo", "Probolinggo", False, "Jawa Timur", "JI-14"),
    Region("32.72", "sukabumi", "Sukabumi", True, "Jawa Barat", "JB-23"),
    Region("32.75", "bekasi", "Bekasi", True, "Jawa Barat", "JB-19"),
)


def _institutions() -> list[Institution]:
    items = [
        Institution(
            code="BKN",
            kind="bkn",
            name="Badan Kepegawaian Negara",
            parent_name=None,
            region_code=None,
            city="Jakarta",
            address="Jalan Mayjen Sutoyo Nomor 12, Cililitan, Jakarta Timur 13640",
            phone="(021) 8093008",
            email="humas@bkn.go.id",
            website="www.bkn.go.id",
            head_title="Kepala Badan Kepegawaian Negara",
            head_name="Dr. Rahmat Hidayat, M.Si.",
            head_nip="197002141995031002",
            letter_number_format="B-{serial}/{classification}/{month:02d}/{year}",
        ),
        Institution(
            code="KASN",
            kind="bkn",
            name="Komisi Aparatur Sipil Negara",
            parent_name=None,
            region_code=None,
            city="Jakarta",
            address="Jalan Letjen M.T. Haryono Kav. 52-53, Jakarta Selatan 12770",
            phone="(021) 7901024",
            email="humas@kasn.go.id",
            website="www.kasn.go.id",
            head_title="Ketua Komisi Aparatur Sipil Negara",
            head_name="Prof. Dr. Wahyu Nugroho, M.Si.",
            head_nip=None,
            letter_number_format="B-{serial}/KASN/{month:02d}/{year}",
        ),
    ]
    for r in REGIONS:
        items.append(
            Institution(
                code=r.bawaslu,
                kind="bawaslu",
                name=f"Badan Pengawas Pemilihan Umum {r.government}",
                parent_name=f"Badan Pengawas Pemilihan Umum Provinsi {r.province}",
                region_code=r.code,
                city=r.city,
                address=f"Jalan Pemuda Nomor 17, {r.government}",
                phone=None,
                email=f"bawaslu.{r.slug}@bawaslu.go.id",
                website=None,
                head_title=f"Ketua Bawaslu {r.government}",
                head_name=f"Ahmad Fauzi {r.city}",
                head_nip=None,
                letter_number_format=f"{{serial:03d}}/{{classification}}/K.{r.bawaslu_unit}"
                "/{month:02d}/{year}",
            )
        )
        items.append(
            Institution(
                code=r.ppk,
                kind="ppk",
                name=f"Pemerintah {r.government}",
                parent_name=None,
                region_code=r.code,
                city=r.city,
                address=f"Jalan Panglima Sudirman Nomor 1, {r.government}",
                phone=None,
                email=f"bkpsdm@{r.slug}.go.id",
                website=None,
                head_title=f"Penjabat {'Wali Kota' if r.kota else 'Bupati'} {r.city}",
                head_name=f"Siti Rahmawati {r.city}",
                head_nip="197505202000032004",
                letter_number_format="{classification}/{serial}/BKPSDM/{year}",
            )
        )
    return items


def _officers() -> list[Officer]:
    people = [
        Officer(
            ADMIN_ID,
            "Administrator Netra",
            Role.ADMIN,
            SYSTEM_INSTITUTION.code,
            "Administrator Sistem",
            None,
        ),
        Officer(
            BKN_ID,
            "Dewi Kartika, S.H.",
            Role.BKN,
            "BKN",
            "Analis Pengawasan Netralitas ASN",
            "198811022012122001",
        ),
        Officer(
            KASN_ID,
            "Rina Lestari, S.Sos.",
            Role.BKN,
            "KASN",
            "Asisten Pengawasan Netralitas ASN",
            "198905122014022001",
        ),
        Officer(
            "auditor",
            "Bambang Sutrisno, S.E., Ak.",
            Role.AUDITOR,
            "BKN",
            "Auditor Inspektorat",
            "198004152006041003",
        ),
    ]
    for i, r in enumerate(REGIONS, start=1):
        people.append(
            Officer(
                f"bawaslu.{r.slug}",
                f"Rizky Pratama {r.city}",
                Role.BAWASLU,
                r.bawaslu,
                "Koordinator Divisi Penanganan Pelanggaran",
                None,
            )
        )
        people.append(
            Officer(
                f"bkpsdm.{r.slug}",
                f"Nur Aini {r.city}",
                Role.PPK,
                r.ppk,
                "Kepala Bidang Pengadaan, Pemberhentian dan Informasi",
                f"19830{i}142008012{i:03d}",
            )
        )
    return people


def _step(uow: UnitOfWork, who: str, case_id: str, trigger: str, when: str, **data: Any) -> None:
    advance(uow, who, case_id, trigger, data, at(when))


def _clarify_and_assess(uow: UnitOfWork, who: str, cid: str, day: int, month: int) -> None:
    _step(
        uow,
        who,
        cid,
        "register",
        f"2024-{month:02d}-{day:02d}T14:00",
        registration_number=f"{day:03d}/Reg/LP/PW/{month:02d}/2024",
    )
    _step(
        uow,
        who,
        cid,
        "invite_clarification",
        f"2024-{month:02d}-{day:02d}T15:00",
        clarification_at=f"2024-{month:02d}-{day + 1:02d}T10:00",
        clarification_place="Kantor Bawaslu",
    )
    _step(
        uow,
        who,
        cid,
        "assess",
        f"2024-{month:02d}-{day + 1:02d}T15:00",
        clarification_summary="Pelapor, terlapor dan dua saksi telah diklarifikasi.",
    )


@dataclass(frozen=True)
class DemoLoad:
    """What the demo loaded: the case ids and each demo account's generated password."""

    cases: list[str]
    logins: dict[str, str]


def load_demo(uow: UnitOfWork) -> list[str]:
    """Load institutions, officers and five cases; returns the case ids (idempotent: [] if
    the demo was loaded already)."""
    return load_demo_with_logins(uow).cases


def load_demo_with_logins(uow: UnitOfWork) -> DemoLoad:
    """Set up an empty database as a demo: fixed clocks allowed (the cases are dated 2024),
    the administrator and one account per role with generated passwords, and five cases.

    A database that was already set up (a production one included) is refused by
    `initialise`; a database that already holds the demo is left alone.
    """
    with uow:
        if uow.cases.exists("DEMO-PSR-1"):
            return DemoLoad([], {})
    officers = _officers()
    logins: dict[str, str] = {}
    admin_id, logins[admin_id] = initialise(uow, officers[0], allow_fixed_clock=True)
    for institution in _institutions():
        add_institution(uow, institution, admin_id)
    for officer in officers[1:]:
        logins[officer.id] = add_officer(uow, officer, admin_id)
    cases = [_pasuruan(uow), _kediri(uow), _probolinggo(uow), _sukabumi(uow), _bekasi(uow)]
    return DemoLoad(cases, logins)


def _terlapor(n: int, name: str, position: str, unit: str, agency: str) -> Terlapor:
    return Terlapor(
        nip=f"1985031220100{n}1003",
        name=name,
        position=position,
        unit=unit,
        agency=agency,
        rank="Penata (III/c)",
    )


def _pasuruan(uow: UnitOfWork) -> str:
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
            terlapor=_terlapor(
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
    _step(
        uow, who, cid, "register", "2024-11-18T14:00", registration_number="001/Reg/LP/PW/11/2024"
    )
    _step(
        uow,
        who,
        cid,
        "invite_clarification",
        "2024-11-19T09:00",
        clarification_at="2024-11-20T10:00",
        clarification_place="Kantor Bawaslu Kota Pasuruan",
    )
    return cid


def _kediri(uow: UnitOfWork) -> str:
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
            terlapor=_terlapor(
                2, "Agus Setiawan", "Lurah Bandar", "Kecamatan Mojoroto", "Pemerintah Kota Kediri"
            ),
        ),
        at("2024-10-03T09:00"),
        case_id=cid,
    )
    _clarify_and_assess(uow, "bawaslu.kediri", cid, 3, 10)
    _step(
        uow,
        "bawaslu.kediri",
        cid,
        "recommend",
        "2024-10-05T16:00",
        findings="Terlapor terbukti menghadiri deklarasi dan menyatakan dukungan secara aktif.",
    )
    _step(uow, BKN_ID, cid, "bkn_accept", "2024-10-08T09:00")
    _step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-10-11T10:00",
        sanction_category="disiplin_berat",
        ppk_institution="PEMDA-3571",
    )
    return cid


def _probolinggo(uow: UnitOfWork) -> str:
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
            terlapor=_terlapor(
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
    _clarify_and_assess(uow, b, cid, 30, 8)
    _step(
        uow,
        b,
        cid,
        "recommend",
        "2024-09-01T16:00",
        findings="Terlapor terbukti memasang alat peraga bakal calon.",
    )
    _step(uow, BKN_ID, cid, "bkn_accept", "2024-09-03T09:00")
    _step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-09-06T10:00",
        sanction_category="moral",
        ppk_institution="PEMDA-3513",
    )
    # a kode-etik matter: heard by the agency's Majelis Kode Etik (PP 42/2004), no summons
    _step(
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
    _step(
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
    _step(uow, p, cid, "deliver_decree", "2024-09-26T10:00", delivered_at="2024-09-26T09:30")
    _step(uow, p, cid, "execute_sanction", "2024-09-30T10:00", executed_at="2024-09-30T08:00")
    _step(
        uow,
        p,
        cid,
        "report_follow_up",
        "2024-10-02T10:00",
    )
    return cid


def _sukabumi(uow: UnitOfWork) -> str:
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
            terlapor=_terlapor(
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
    _clarify_and_assess(uow, b, cid, 14, 10)
    _step(
        uow,
        b,
        cid,
        "recommend",
        "2024-10-16T16:00",
        findings="Terlapor terbukti menjadi tim pemenangan pasangan calon.",
    )
    _step(uow, BKN_ID, cid, "bkn_accept", "2024-10-18T09:00")
    _step(
        uow,
        BKN_ID,
        cid,
        "bkn_recommend",
        "2024-10-22T10:00",
        sanction_category="disiplin_berat",
        ppk_institution="PEMDA-3272",
        bkn_letter_number="B-2388/KP.10/10/2024",
    )
    _step(
        uow,
        p,
        cid,
        "summon",
        "2024-10-24T09:00",
        examination_at="2024-11-05T09:00",
        examination_place="Ruang rapat BKPSDM Kota Sukabumi",
        examiner_name="Nur Aini Sukabumi",
        examiner_nip="198304142008012004",
        examination_team="Nur Aini Sukabumi, Yusuf Hamdani, Lina Marlina",
    )
    _step(uow, p, cid, "second_summons", "2024-11-05T13:00", examination_at="2024-11-12T09:00")
    _step(
        uow,
        p,
        cid,
        "record_examination",
        "2024-11-12T12:00",
        attended=True,
        findings="Terlapor mengakui menjadi koordinator relawan pasangan calon.",
    )
    _step(
        uow,
        p,
        cid,
        "impose_sanction",
        "2024-11-19T10:00",
        sanction_code="berat_pembebasan_jabatan",
        decree_date="2024-11-19",
    )
    _step(uow, p, cid, "deliver_decree", "2024-11-21T10:00", delivered_at="2024-11-21T09:00")
    _step(
        uow,
        p,
        cid,
        "file_objection",
        "2024-11-28T10:00",
        filed_at="2024-11-28T09:00",
    )
    return cid


def _bekasi(uow: UnitOfWork) -> str:
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
            terlapor=_terlapor(
                5, "Rina Oktaviani", "Kepala Bidang", "Dinas Sosial", "Pemerintah Kota Bekasi"
            ),
            reporter=Reporter("Fajar Nugroho", "Jalan Ahmad Yani Nomor 9, Kota Bekasi"),
        ),
        at("2024-10-21T10:00"),
        case_id=cid,
    )
    b = "bawaslu.bekasi"
    _clarify_and_assess(uow, b, cid, 21, 10)
    _step(
        uow,
        b,
        cid,
        "dismiss",
        "2024-10-23T16:00",
        reason="Bingkisan terbukti berasal dari program rutin Dinas Sosial tanpa atribut "
        "pasangan calon; unsur pelanggaran netralitas tidak terpenuhi.",
    )
    return cid
