"""Demo registry: the institutions of the five seed regions (each region's Bawaslu and PPK, plus
BKN and KASN) and the demo officers — the administrator and one account per role and region.
Every person and number here is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.identity.accounts import SYSTEM_INSTITUTION
from db.registry import Institution, Officer
from rules.models import Role

ADMIN_ID = "admin"
BKN_ID = "bkn.analis"
KASN_ID = "kasn.analis"  # the recommending body before 24 August 2024 (rule-sets 2023.x)


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


def institutions() -> list[Institution]:
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


def officers() -> list[Officer]:
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
