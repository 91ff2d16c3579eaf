"""Offline check of the evidence in an audit bundle (no database, standard library and
`states` only): every listed file hashes to the SHA-256 its `evidence_added` event recorded,
and every non-internal `evidence_added` event of an exported case is listed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from states.events import EVIDENCE_ADDED, RecordedEvent

INDEX = "evidence/index.json"
FILES = "evidence/files/"


def verify_evidence_members(
    members: Mapping[str, bytes], events: Mapping[str, list[RecordedEvent]]
) -> list[str]:
    """Problems with the evidence of an unpacked bundle, each naming case, number and file."""
    if INDEX not in members:
        listed: dict[str, Any] = {"with_files": False, "entries": []}
    else:
        try:
            listed = json.loads(members[INDEX])
        except ValueError as error:
            return [f"{INDEX} tidak valid: {error}"]
    problems: list[str] = []
    by_key = {(e["case_id"], e["seq"]): e for e in listed["entries"]}
    for case_id, items in sorted(events.items()):
        for event in items:
            if event.event_type != EVIDENCE_ADDED:
                continue
            entry = by_key.get((case_id, event.seq))
            name = f"{event.payload['evidence']} '{event.payload['file_name']}' ({case_id})"
            if entry is None:
                if not event.payload.get("internal"):
                    problems.append(f"bukti {name}: tidak tercantum di {INDEX}")
                continue
            if entry["sha256"] != event.payload["sha256"]:
                problems.append(f"bukti {name}: hash di {INDEX} berbeda dari peristiwanya")
            if listed["with_files"]:
                data = members.get(FILES + event.payload["sha256"])
                if data is None:
                    problems.append(f"bukti {name}: berkas tidak ada dalam bundel")
                elif hashlib.sha256(data).hexdigest() != event.payload["sha256"]:
                    problems.append(f"bukti {name}: berkas diubah (sha256 tidak cocok)")
    return problems
