"""Every kind of tampering is detected and named (case and seq, letter, checkpoint)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, select, update

from cases.checkpoints import create_checkpoint, list_checkpoints
from cases.commands import add_note
from cases.integrity import Finding, verify_chains, verify_records
from db.schema import CaseEventRow, CheckpointHeadRow, LetterRow
from db.unit_of_work import UnitOfWork
from rules.errors import IntegrityViolation
from tests.audit.tampering import events_of, rewrite_history, set_event, superuser
from tests.conftest import wib

SEAL_DAY = wib("2024-12-01T00:00")


@pytest.fixture
def sealed(demo_uow: UnitOfWork) -> UnitOfWork:
    """The demo, verified intact and sealed by a checkpoint."""
    create_checkpoint(demo_uow, "system", SEAL_DAY)
    report = verify_records(demo_uow, "auditor", rerender=False)
    assert report.ok, [str(f) for f in report.findings]
    assert report.checkpoints == 1 and report.letters > 0
    return demo_uow


def _findings(uow: UnitOfWork) -> list[Finding]:
    report = verify_records(uow, "auditor", rerender=False)
    assert not report.ok
    return report.findings


def _engine(uow: UnitOfWork) -> Engine:
    return uow.engine


def test_updated_payload_is_named_by_case_and_seq(sealed: UnitOfWork) -> None:
    with superuser(_engine(sealed)) as db:
        event = events_of(db, "DEMO-PBL-1")[2]
        set_event(db, "DEMO-PBL-1", event.seq, payload={**event.payload, "tampered": True})
    findings = _findings(sealed)
    assert [(f.kind, f.case_id, f.seq) for f in findings] == [("chain", "DEMO-PBL-1", 3)]
    assert "hash" in findings[0].problem


def test_deleted_event_is_named_where_the_chain_breaks(sealed: UnitOfWork) -> None:
    with superuser(_engine(sealed)) as db:
        db.execute(
            delete(CaseEventRow).where(CaseEventRow.case_id == "DEMO-KDR-1", CaseEventRow.seq == 5)
        )
    findings = _findings(sealed)
    assert ("chain", "DEMO-KDR-1", 6) in {(f.kind, f.case_id, f.seq) for f in findings}


def test_deleted_last_event_is_caught_by_the_projection_and_the_checkpoint(
    sealed: UnitOfWork,
) -> None:
    with superuser(_engine(sealed)) as db:
        last = events_of(db, "DEMO-BKS-1")[-1].seq
        db.execute(
            delete(CaseEventRow).where(
                CaseEventRow.case_id == "DEMO-BKS-1", CaseEventRow.seq == last
            )
        )
    named = {(f.kind, f.case_id) for f in _findings(sealed)}
    assert ("chain", "DEMO-BKS-1") in named  # chain head vs. projection
    assert ("checkpoint", "DEMO-BKS-1") in named
    sealed_at = [f for f in _findings(sealed) if f.kind == "checkpoint"]
    assert sealed_at[0].seq == last and "hilang" in sealed_at[0].problem


def test_two_swapped_events_are_both_named(sealed: UnitOfWork) -> None:
    with superuser(_engine(sealed)) as db:
        third, fourth = events_of(db, "DEMO-SKB-1")[2:4]
        for target, source in ((third, fourth), (fourth, third)):
            set_event(
                db,
                "DEMO-SKB-1",
                target.seq,
                event_type=source.event_type,
                payload=source.payload,
                prev_hash=source.prev_hash,
                hash=source.hash,
                occurred_at=source.occurred_at,
                recorded_at=source.recorded_at,
            )
    named = {(f.case_id, f.seq) for f in _findings(sealed) if f.kind == "chain"}
    assert {("DEMO-SKB-1", 3), ("DEMO-SKB-1", 4)} <= named


def test_rewritten_history_with_recomputed_hashes_is_caught_only_by_the_checkpoint(
    sealed: UnitOfWork,
) -> None:
    with superuser(_engine(sealed)) as db:
        events = events_of(db, "DEMO-PBL-1")
        imposed = next(e for e in events if e.event_type == "ethics_decided")
        data = {**imposed.payload["data"], "sanction_code": "moral_tertutup"}
        rewrite_history(db, "DEMO-PBL-1", imposed.seq, {"data": data})
        head = events[-1].seq
    assert verify_chains(sealed, "auditor").ok  # the chain alone looks perfect
    findings = _findings(sealed)
    assert [(f.kind, f.case_id, f.seq, f.checkpoint_id) for f in findings] == [
        ("checkpoint", "DEMO-PBL-1", head, 1)
    ]
    assert "ditulis ulang" in findings[0].problem
    # Regenerating the sanction decree from the forged history no longer gives its bytes.
    rerendered = verify_records(sealed, "auditor", case_ids=["DEMO-PBL-1"]).findings
    assert any(f.kind == "letter" and f.letter_id and "KPS" in f.letter_id for f in rerendered)


def test_forged_event_appended_after_a_checkpoint_is_legitimate_but_a_replaced_one_is_not(
    sealed: UnitOfWork,
) -> None:
    add_note(sealed, "bawaslu.pasuruan", "DEMO-PSR-1", "Catatan sah.", wib("2024-12-02T09:00"))
    assert verify_records(sealed, "auditor", rerender=False).ok
    create_checkpoint(sealed, "system", wib("2024-12-03T00:00"))
    with superuser(_engine(sealed)) as db:
        last = events_of(db, "DEMO-PSR-1")[-1]
        rewrite_history(db, "DEMO-PSR-1", last.seq, {"text": "Catatan palsu."})
    findings = _findings(sealed)
    assert {(f.case_id, f.seq, f.checkpoint_id) for f in findings} == {("DEMO-PSR-1", last.seq, 2)}


def test_altered_letter_is_named_by_letter_id(sealed: UnitOfWork) -> None:
    with superuser(_engine(sealed)) as db:
        letter_id, html = db.execute(
            select(LetterRow.id, LetterRow.html)
            .where(LetterRow.case_id == "DEMO-PBL-1")
            .order_by(LetterRow.id)
        ).first()  # type: ignore[misc]
        db.execute(
            update(LetterRow)
            .where(LetterRow.id == letter_id)
            .values(html=html.replace("Probolinggo", "Probolingo", 1))
        )
    findings = [f for f in _findings(sealed) if f.kind == "letter"]
    assert findings and {f.letter_id for f in findings} == {letter_id}
    assert all(f.case_id == "DEMO-PBL-1" for f in findings)


def test_altered_letter_hash_together_with_its_html_is_caught_by_the_event(
    sealed: UnitOfWork,
) -> None:
    from cases.sealing import sha256_text

    with superuser(_engine(sealed)) as db:
        letter_id, html = db.execute(
            select(LetterRow.id, LetterRow.html)
            .where(LetterRow.case_id == "DEMO-SKB-1")
            .order_by(LetterRow.id)
        ).first()  # type: ignore[misc]
        forged = html.replace("Sukabumi", "Sukabumy", 1)
        db.execute(
            update(LetterRow)
            .where(LetterRow.id == letter_id)
            .values(html=forged, content_hash=sha256_text(forged))
        )
    findings = [f for f in _findings(sealed) if f.kind == "letter"]
    assert findings and all(f.letter_id == letter_id for f in findings)
    assert any("letter_issued" in f.problem for f in findings)


def test_tampered_checkpoint_heads_break_the_merkle_root(sealed: UnitOfWork) -> None:
    with superuser(_engine(sealed)) as db:
        db.execute(
            update(CheckpointHeadRow).where(CheckpointHeadRow.case_id == "DEMO-KDR-1").values(seq=1)
        )
    findings = _findings(sealed)
    assert any(
        f.kind == "checkpoint" and f.checkpoint_id == 1 and "Merkle" in f.problem for f in findings
    )


def test_checkpoints_chain_and_refuse_to_seal_a_damaged_record(sealed: UnitOfWork) -> None:
    add_note(sealed, "bawaslu.kediri", "DEMO-KDR-1", "Catatan.", wib("2024-12-02T09:00"))
    second = create_checkpoint(sealed, "auditor", wib("2024-12-03T00:00"))
    first = list_checkpoints(sealed, "auditor")[0]
    assert second.prev_hash == first.hash and second.id == 2
    assert second.event_count == first.event_count + 1
    assert "NETRA CHECKPOINT 2" in second.printable() and second.root_hash in second.printable()
    with superuser(_engine(sealed)) as db:
        last = events_of(db, "DEMO-KDR-1")[-1].seq
        db.execute(
            delete(CaseEventRow).where(
                CaseEventRow.case_id == "DEMO-KDR-1", CaseEventRow.seq == last
            )
        )
    with pytest.raises(IntegrityViolation, match="DEMO-KDR-1"):
        create_checkpoint(sealed, "system", wib("2024-12-04T00:00"))


def test_a_changed_stored_body_breaks_the_chain_check_alone(sealed: UnitOfWork) -> None:
    with superuser(_engine(sealed)) as db:
        event = events_of(db, "DEMO-PBL-1")[2]
        body = db.execute(
            select(CaseEventRow.body).where(
                CaseEventRow.case_id == "DEMO-PBL-1", CaseEventRow.seq == event.seq
            )
        ).scalar_one()
        set_event(db, "DEMO-PBL-1", event.seq, body=body.replace(b'"seq":3', b'"seq":4'))
    breaks = verify_chains(sealed, "auditor").breaks
    assert [(b.case_id, b.seq) for b in breaks] == [("DEMO-PBL-1", 3)]
    assert [(f.kind, f.case_id, f.seq) for f in _findings(sealed)] == [("chain", "DEMO-PBL-1", 3)]
