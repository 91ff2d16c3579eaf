"""One report row into a `NewCase`: every fault is named by its Indonesian column, and all of
a row's faults are reported together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cases.commands import NewCase, Reporter, Terlapor
from cases.input_limits import check_text
from cases.intake.columns import header_of
from cases.intake.reading import SourceRow, region_code_in, violation_codes_in
from rules.errors import InvalidInput
from rules.identifiers import parse_nip, validate_nip_at
from rules.models import Channel, ElectionType
from rules.ruleset import RuleSet

TRUE_WORDS = frozenset({"ya", "y", "yes", "true", "1", "benar", "sesudah"})
FALSE_WORDS = frozenset({"tidak", "t", "no", "n", "false", "0", "salah", "sebelum"})
TIME_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H.%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H.%M",
    "%d/%m/%Y",
    "%d-%m-%Y",
)
# The NewCase field each column fills, for the input limits in rules data.
FIELD_NAMES = {
    "summary": "summary",
    "terlapor_name": "name",
    "reporter_name": "name",
    "determination_reason": "reason",
}


@dataclass(frozen=True)
class RowError:
    """A fault in one row, named by the row number and the Indonesian column."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"baris {self.row}" + (f", kolom '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class ParsedRow:
    """A row's NewCase and the officer's own statement about penetapan calon, if any."""

    new: NewCase
    case_id: str | None
    stated_after: bool | None
    reason: str


class RowFaults(Exception):
    """Every fault found in one row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def local_time(text: str) -> str:
    """ISO `YYYY-MM-DDTHH:MM` from ISO or the Indonesian day-first forms Excel writes."""
    value = text.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(value, pattern).strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            continue
    raise InvalidInput(f"'{value}' bukan tanggal-jam (mis. 18/11/2024 09:00 atau 2024-11-18 09:00)")


def parse_row(row: SourceRow, rule_set: RuleSet, now: datetime) -> ParsedRow:
    """The row's NewCase; raises RowFaults listing every faulty column."""
    values = row.values
    errors = [RowError(row.number, None, problem) for problem in row.problems]

    def fail(key: str, message: str) -> None:
        errors.append(RowError(row.number, header_of(key), message))

    def text(key: str, required: bool = False) -> str:
        value = values.get(key, "").strip()
        if required and not value:
            fail(key, "wajib diisi")
        try:
            check_text(value, header_of(key), field=FIELD_NAMES.get(key, key))
        except InvalidInput as error:
            fail(key, error.message)
        return value

    channel = text("channel", True).lower()
    if channel and channel not in {c.value for c in Channel}:
        fail("channel", f"'{channel}' bukan laporan/temuan")
    election = text("election_type", True).lower()
    if election and election not in {e.value for e in ElectionType}:
        fail("election_type", f"'{election}' bukan pemilu/pilkada")
    region = region_code_in(text("region_code", True))
    if region:
        try:
            rule_set.regions.regency_name(region)
        except InvalidInput as error:
            fail("region_code", error.message)
    times: dict[str, str] = {}
    for key in ("received_at", "known_at", "incident_at"):
        raw = text(key, True)
        if raw:
            try:
                times[key] = local_time(raw)
            except InvalidInput as error:
                fail(key, error.message)
    codes_text = text("violation_codes", True)
    codes = violation_codes_in(codes_text)
    if codes_text and not codes:
        fail("violation_codes", f"'{codes_text}' tidak memuat kode NET-NN")
    for code in codes:
        if code not in rule_set.violations:
            fail("violation_codes", f"kode '{code}' tidak ada dalam katalog SKB 2022")
    nip = text("terlapor_nip", True)
    if nip:
        try:
            validate_nip_at(parse_nip(nip), now.date())
        except InvalidInput as error:
            fail("terlapor_nip", error.message)
    stated_text = text("after_determination").lower()
    stated: bool | None = None
    if stated_text in TRUE_WORDS:
        stated = True
    elif stated_text in FALSE_WORDS and stated_text:
        stated = False
    elif stated_text:
        fail("after_determination", f"'{stated_text}' bukan ya/tidak")
    names = {key: text(key) for key in ("reporter_address", "reporter_phone", "reporter_email")}
    reporter_name = text("reporter_name")
    new_values = {
        "place": text("incident_place", True),
        "summary": text("summary", True),
        "name": text("terlapor_name", True),
    }
    if errors:
        raise RowFaults(errors)
    reporter = (
        Reporter(
            reporter_name,
            names["reporter_address"],
            names["reporter_phone"],
            names["reporter_email"],
        )
        if reporter_name
        else None
    )
    new = NewCase(
        channel=channel,
        election_type=election,
        region_code=region,
        received_at=times["received_at"],
        known_at=times["known_at"],
        incident_at=times["incident_at"],
        incident_place=new_values["place"],
        summary=new_values["summary"],
        violation_codes=codes,
        terlapor=Terlapor(
            nip,
            new_values["name"],
            text("terlapor_position"),
            text("terlapor_unit"),
            text("terlapor_agency"),
            text("terlapor_rank"),
        ),
        reporter=reporter,
        after_determination=False,
    )
    return ParsedRow(new, text("case_id") or None, stated, text("determination_reason"))


def column_of_message(message: str) -> str | None:
    """The column a cross-field fault from `validated_facts` concerns."""
    lowered = message.lower()
    if "urutan waktu" in lowered:
        return "Waktu Kejadian/Diketahui/Diterima"
    if "pelapor" in lowered:
        return header_of("reporter_name")
    if "penetapan calon" in lowered:
        return header_of("after_determination")
    return None
