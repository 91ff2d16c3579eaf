"""Hash-chain verification, pure and streaming: names the exact case and seq that broke."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

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


class ChainLink(NamedTuple):
    """What the chain check needs of one event: where it is, its links, and its true hash."""

    case_id: str
    seq: int
    prev_hash: str
    hash: str
    recomputed_hash: str  # the hash its content gives (or a text saying why there is none)


def verify_links(links: Iterable[ChainLink], keep_heads: bool = True) -> ChainReport:
    """Verify links ordered by (case_id, seq); memory is constant per case."""
    report = ChainReport()
    breaks = report.breaks
    current: str | None = None
    expected_seq = 1
    prev = GENESIS_HASH
    for case_id, seq, prev_hash, hash_, recomputed in links:
        if case_id != current:
            if keep_heads and current is not None:
                report.heads[current] = ChainHead(expected_seq - 1, prev)
            current = case_id
            report.cases += 1
            expected_seq, prev = 1, GENESIS_HASH
        report.events += 1
        if seq != expected_seq:
            breaks.append(
                ChainBreak(case_id, seq, f"urutan terputus: diharapkan seq {expected_seq}")
            )
        if prev_hash != prev:
            breaks.append(ChainBreak(case_id, seq, "prev_hash tidak sama dengan hash sebelumnya"))
        if recomputed != hash_:
            breaks.append(ChainBreak(case_id, seq, "hash tidak cocok dengan isi peristiwa"))
        expected_seq = seq + 1
        prev = hash_
    if keep_heads and current is not None:
        report.heads[current] = ChainHead(expected_seq - 1, prev)
    return report


def verify_stream(events: Iterable[RecordedEvent], keep_heads: bool = True) -> ChainReport:
    """Verify recorded events ordered by (case_id, seq)."""
    return verify_links(
        (ChainLink(e.case_id, e.seq, e.prev_hash, e.hash, e.expected_hash()) for e in events),
        keep_heads,
    )


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
