"""Hash-chain verification, pure and streaming: names the exact case and seq that broke."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from states.canonical import GENESIS_HASH
from states.events import RecordedEvent


@dataclass(frozen=True)
class ChainBreak:
    """One detected inconsistency: where, and what is wrong."""

    case_id: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"{self.case_id} seq {self.seq}: {self.problem}"


@dataclass
class ChainHead:
    seq: int
    hash: str


@dataclass
class ChainReport:
    """The outcome of verifying a stream of events, case by case."""

    cases: int = 0
    events: int = 0
    heads: dict[str, ChainHead] = field(default_factory=dict)
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def check_event(event: RecordedEvent, expected_seq: int, prev_hash: str) -> Iterator[ChainBreak]:
    if event.seq != expected_seq:
        yield ChainBreak(
            event.case_id, event.seq, f"urutan terputus: diharapkan seq {expected_seq}"
        )
    if event.prev_hash != prev_hash:
        yield ChainBreak(event.case_id, event.seq, "prev_hash tidak sama dengan hash sebelumnya")
    if event.expected_hash() != event.hash:
        yield ChainBreak(event.case_id, event.seq, "hash tidak cocok dengan isi peristiwa")


def verify_stream(events: Iterable[RecordedEvent], keep_heads: bool = True) -> ChainReport:
    """Verify events ordered by (case_id, seq); memory is constant per case."""
    report = ChainReport()
    current: str | None = None
    expected_seq = 1
    prev = GENESIS_HASH
    for event in events:
        if event.case_id != current:
            current = event.case_id
            report.cases += 1
            expected_seq, prev = 1, GENESIS_HASH
        report.events += 1
        report.breaks.extend(check_event(event, expected_seq, prev))
        expected_seq = event.seq + 1
        prev = event.hash
        if keep_heads:
            report.heads[event.case_id] = ChainHead(event.seq, event.hash)
    return report


def compare_heads(
    report: ChainReport, projection_heads: Iterable[tuple[str, int, str]]
) -> list[ChainBreak]:
    """The projection's (version, head_hash) must equal each chain's last event."""
    breaks: list[ChainBreak] = []
    seen: set[str] = set()
    for case_id, version, head_hash in projection_heads:
        seen.add(case_id)
        head = report.heads.get(case_id)
        if head is None:
            breaks.append(ChainBreak(case_id, version, "perkara tanpa peristiwa"))
        elif head.seq != version or head.hash != head_hash:
            breaks.append(
                ChainBreak(
                    case_id,
                    head.seq,
                    f"ujung rantai (seq {head.seq}) tidak sama dengan proyeksi (versi {version}):"
                    " peristiwa terakhir dihapus atau diubah",
                )
            )
    for case_id in sorted(set(report.heads) - seen):
        breaks.append(ChainBreak(case_id, report.heads[case_id].seq, "peristiwa tanpa perkara"))
    return breaks
