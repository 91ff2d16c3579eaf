"""Letters re-render with the templates they were issued with (the template store), so a new
template release does not make older letters fail verification, integrity or bundles."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, event, select, text, update
from sqlalchemy.exc import DatabaseError
from typer.testing import CliRunner

from cases.bundle import MANIFEST, SIGNATURE
from cases.bundle_archive import write_zip
from cases.bundle_export import export_bundle
from cases.bundle_verify import verify_bundle
from cases.integrity import verify_records
from cases.letter_corrections import issue_ralat
from cases.letter_templates import import_templates
from cases.letters import INSTALLED_CHANGED, get_letter, verify_letter
from cases.signing import Signer
from cli.main import app
from db import wire
from db.engine import make_engine
from db.schema import LetterTemplateRow
from db.template_store import known_stored
from db.unit_of_work import UnitOfWork
from letters.render import PACKAGE_TEMPLATES, TEMPLATES_ENV, templates
from rules.errors import InvalidInput, PermissionDenied
from tests.conftest import migrate_to, wib

DECREE = "DEMO-SKB-1-L32-KPS"  # keputusan_sanksi_disiplin_berat
NOTIFICATION = "DEMO-KDR-1-L11-PNR"  # Bawaslu Kediri's, corrected by a ralat below
runner = CliRunner()


@pytest.fixture
def changed_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new release installed: a copy of the templates with the shared layout and the
    decree's wording changed."""
    copy = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, copy)
    layout = copy / "_layout.html.j2"
    layout.write_text(
        layout.read_text(encoding="utf-8").replace('content="Netra"', 'content="Netra 2"'),
        encoding="utf-8",
    )
    decree = copy / "keputusan_sanksi_disiplin_berat.html.j2"
    decree.write_text(
        decree.read_text(encoding="utf-8").replace(
            "hukuman disiplin berat", "hukuman disiplin ringan"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv(TEMPLATES_ENV, str(copy))
    return copy


def _stored_hashes(uow: UnitOfWork) -> dict[str, str]:
    with uow:
        rows = uow.session.execute(select(LetterTemplateRow)).scalars()
        return {row.template_hash: row.template_name for row in rows}


def _allow_changes(uow: UnitOfWork) -> None:
    """What only someone with the database owner's rights could do: lift the append-only
    triggers (to forge or lose a stored template)."""
    with uow:
        if uow.engine.dialect.name == "postgresql":
            uow.session.execute(
                text("ALTER TABLE letter_templates DISABLE TRIGGER letter_templates_append_only")
            )
        else:
            uow.session.execute(text("DROP TRIGGER letter_templates_no_update"))
            uow.session.execute(text("DROP TRIGGER letter_templates_no_delete"))
        uow.commit()


def _letter_problems(findings: list[Any]) -> list[str]:
    return [str(f) for f in findings if f.kind == "letter"]


def test_issued_letters_store_exactly_the_templates_their_hash_covers(
    demo_uow: UnitOfWork,
) -> None:
    letter = get_letter(demo_uow, "auditor", DECREE)
    with demo_uow:
        stored = demo_uow.letter_templates().get(letter.template_hash)
    assert stored is not None
    assert stored.template_name == letter.template_name
    installed = templates()
    assert stored.sources == installed.template_sources(letter.template_name)
    assert "_layout.html.j2" in stored.sources  # and everything it uses
    assert known_stored(demo_uow.engine, letter.template_hash)


def test_old_letters_verify_after_a_template_release_and_new_letters_use_the_new_templates(
    demo_uow: UnitOfWork, changed_templates: Path
) -> None:
    old = get_letter(demo_uow, "auditor", DECREE)
    report = verify_letter(demo_uow, "auditor", DECREE)
    assert report.ok, report.problems
    assert report.notes == [INSTALLED_CHANGED]
    # verified against the changed folder by name, the change is still reported
    problems = verify_letter(demo_uow, "auditor", DECREE, changed_templates).problems
    assert any("hash templat berbeda" in p for p in problems)
    # a letter issued now uses the new templates, and stores them
    new = issue_ralat(
        demo_uow, "bawaslu.kediri", NOTIFICATION, "Salah tulis", wib("2024-10-20T09:00")
    )
    assert 'content="Netra 2"' in new.html and 'content="Netra"' not in new.html
    assert new.template_hash == templates(changed_templates).template_hash(new.template_name)
    assert new.template_hash in _stored_hashes(demo_uow)
    assert old.template_hash in _stored_hashes(demo_uow)
    fresh = verify_letter(demo_uow, "auditor", new.id)
    assert fresh.ok and not fresh.notes, fresh.problems
    assert verify_letter(demo_uow, "auditor", NOTIFICATION).ok
    # the auditor's integrity check re-renders every letter
    integrity = verify_records(demo_uow, "auditor", ["DEMO-SKB-1", "DEMO-KDR-1"])
    assert integrity.letters > 0
    assert not _letter_problems(integrity.findings)
    # and so does the bundle, offline, with the templates it carries
    signer = Signer(Ed25519PrivateKey.generate())
    bundle = export_bundle(
        demo_uow,
        "auditor",
        wib("2024-12-02T10:00"),
        ["DEMO-SKB-1", "DEMO-KDR-1"],
        with_pdf=False,
        signer=signer,
    )
    result = verify_bundle(bundle, signer.public)
    assert result.ok, result.problems
    assert result.letters_rerendered == result.letters - result.letters_withheld > 0


def test_a_forged_stored_template_is_reported(demo_uow: UnitOfWork) -> None:
    letter = get_letter(demo_uow, "auditor", DECREE)
    with demo_uow:
        stored = demo_uow.letter_templates().get(letter.template_hash)
    assert stored is not None
    _allow_changes(demo_uow)
    forged = dict(stored.sources)
    forged[letter.template_name] = forged[letter.template_name].replace("berat", "ringan")
    with demo_uow:
        demo_uow.session.execute(
            update(LetterTemplateRow)
            .where(LetterTemplateRow.template_hash == letter.template_hash)
            .values(sources=forged)
        )
        demo_uow.commit()
    problems = verify_letter(demo_uow, "auditor", DECREE).problems
    assert len(problems) == 1, problems  # re-rendered with the installed ones: identical
    assert "rusak atau dipalsukan" in problems[0]
    findings = verify_records(demo_uow, "auditor", ["DEMO-SKB-1"]).findings
    assert any("rusak atau dipalsukan" in p for p in _letter_problems(findings))


def test_letters_without_stored_templates_fall_back_and_an_older_release_can_be_imported(
    demo_uow: UnitOfWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = get_letter(demo_uow, "auditor", DECREE)
    _allow_changes(demo_uow)
    with demo_uow:  # as if issued before the template store existed
        demo_uow.session.execute(
            text("DELETE FROM letter_templates WHERE template_hash = :h"),
            {"h": letter.template_hash},
        )
        demo_uow.commit()
    assert verify_letter(demo_uow, "auditor", DECREE).ok  # the installed ones still match
    release = tmp_path / "release-1"
    shutil.copytree(PACKAGE_TEMPLATES, release)
    new = tmp_path / "release-2"
    shutil.copytree(PACKAGE_TEMPLATES, new)
    decree = new / letter.template_name
    decree.write_text(decree.read_text(encoding="utf-8") + "{# rilis 2 #}\n", encoding="utf-8")
    monkeypatch.setenv(TEMPLATES_ENV, str(new))
    problems = verify_letter(demo_uow, "auditor", DECREE).problems
    assert any("telah berubah sejak surat diterbitkan" in p for p in problems)
    # only an administrator imports; a missing or empty folder is refused
    with pytest.raises(PermissionDenied):
        import_templates(demo_uow, "auditor", release)
    with pytest.raises(InvalidInput, match="tidak ditemukan"):
        import_templates(demo_uow, "admin", tmp_path / "tidak-ada")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput, match="tidak berisi templat"):
        import_templates(demo_uow, "admin", tmp_path / "empty")
    # the new release's folder matches no issued decree: nothing new is stored
    assert not [x for x in import_templates(demo_uow, "admin", new) if x.stored_now]
    imported = import_templates(demo_uow, "admin", release)
    [decree_set] = [x for x in imported if x.stored_now]
    assert (decree_set.template_name, decree_set.template_hash) == (
        letter.template_name,
        letter.template_hash,
    )
    assert decree_set.letters >= 1
    assert all(x.template_hash in _stored_hashes(demo_uow) for x in imported)
    with demo_uow:  # who imported what is in the registry's chained history
        [event] = [
            e
            for e in demo_uow.registry_history.stream()
            if e.event_type == "letter_templates_imported"
        ]
    assert event.actor_id == "admin" and event.payload["folder"] == str(release.resolve())
    assert [t["template_hash"] for t in event.payload["templates"]] == [
        x.template_hash for x in imported if x.stored_now
    ]
    report = verify_letter(demo_uow, "auditor", DECREE)
    assert report.ok and report.notes == [INSTALLED_CHANGED], report.problems
    assert import_templates(demo_uow, "admin", release) == [
        type(x)(x.template_name, x.template_hash, x.letters, False) for x in imported
    ]


def test_the_template_store_refuses_update_and_delete(engine: Engine, demo_uow: UnitOfWork) -> None:
    for statement in (
        "UPDATE letter_templates SET template_name = 'x'",
        "DELETE FROM letter_templates",
    ):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert _stored_hashes(demo_uow)


NAME = "contoh.html.j2"
SOURCES = {NAME: "<p>{{ letter.number }}</p>\n"}
HASH = "a" * 64  # any key: the store does not check it (its readers do)


@pytest.fixture
def sent(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement that reaches the database: through SQLAlchemy and, on PostgreSQL's
    command path, the held writes sent at commit (`db.wire`)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    original = wire.execute_and_commit

    def execute_and_commit(driver: Any, statement: str, params: dict[str, Any]) -> Any:
        statements.append(statement)
        return original(driver, statement, params)

    monkeypatch.setattr(wire, "execute_and_commit", execute_and_commit)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


def _keep_in_a_command(uow: UnitOfWork, commit: bool) -> None:
    with uow:
        uow.read_for_command("TIDAK-ADA")  # a command: PostgreSQL holds its writes
        uow.letter_templates().keep(NAME, HASH, SOURCES)
        if commit:
            uow.commit()


def test_templates_are_sent_once_per_database_and_only_marked_stored_after_commit(
    engine: Engine, db_url: str, uow: UnitOfWork, sent: list[str]
) -> None:
    _keep_in_a_command(uow, commit=False)  # rolled back
    assert not known_stored(engine, HASH)
    with uow:
        assert uow.letter_templates().get(HASH) is None
    sent.clear()
    _keep_in_a_command(uow, commit=True)
    assert len([s for s in sent if "INSERT INTO letter_templates" in s]) == 1
    assert known_stored(engine, HASH)
    with uow:
        stored = uow.letter_templates().get(HASH)
    assert stored is not None and stored.sources == SOURCES
    sent.clear()
    _keep_in_a_command(uow, commit=True)  # a second letter with the same templates
    assert not [s for s in sent if "letter_templates" in s]
    # another process (another Engine) sends them once, and nothing changes
    other = make_engine(db_url)
    try:
        event.listen(other, "before_cursor_execute", lambda *a: sent.append(a[2]))
        _keep_in_a_command(UnitOfWork(other), commit=True)
        assert known_stored(other, HASH)
        with uow:
            assert uow.letter_templates().stored_hashes() == {HASH}
    finally:
        other.dispose()


def test_a_ralat_with_known_templates_sends_no_template_insert(
    demo_uow: UnitOfWork, db_url: str, sent: list[str]
) -> None:
    fresh = make_engine(db_url)  # a process that has not stored any template yet
    try:
        event.listen(fresh, "before_cursor_execute", lambda *a: sent.append(a[2]))
        uow = UnitOfWork(fresh)
        first = issue_ralat(
            uow, "bawaslu.kediri", NOTIFICATION, "Salah tulis", wib("2024-10-20T09:00")
        )
        assert [s for s in sent if "INSERT INTO letter_templates" in s]
        sent.clear()
        second = issue_ralat(uow, "bawaslu.kediri", first.id, "Salah lagi", wib("2024-10-20T10:00"))
        assert second.template_hash == first.template_hash
        assert not [s for s in sent if "letter_templates" in s]
        assert verify_letter(uow, "auditor", second.id).ok
    finally:
        fresh.dispose()


def _members(bundle: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def _rebuilt(members: dict[str, bytes]) -> bytes:
    """The bundle with its manifest's hashes recomputed, unsigned (as a forger would)."""
    files = {n: d for n, d in members.items() if n not in (MANIFEST, SIGNATURE)}
    manifest = json.loads(members[MANIFEST])
    manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in sorted(files.items())}
    files[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True).encode()
    return write_zip(files)


def test_bundles_carry_each_template_set_once_and_older_bundles_still_verify(
    demo_uow: UnitOfWork, changed_templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = get_letter(demo_uow, "auditor", DECREE)
    bundle = export_bundle(
        demo_uow, "auditor", wib("2024-12-02T10:00"), ["DEMO-SKB-1"], with_pdf=False
    )
    members = _members(bundle)
    prefix = f"templates/{letter.template_hash}/"
    carried = {n[len(prefix) :] for n in members if n.startswith(prefix)}
    with demo_uow:
        stored = demo_uow.letter_templates().get(letter.template_hash)
    assert stored is not None and carried == set(stored.sources)
    index = json.loads(members["letters/index.json"])
    sets = {n.split("/")[1] for n in members if n.startswith("templates/")}
    assert sets == {e["template_hash"] for e in index if e.get("withheld") is None}
    # the installed templates changed (fixture): the carried ones re-render every letter
    assert verify_bundle(bundle).ok, verify_bundle(bundle).problems
    # a bundle made before the template store carries none: the installed ones are used
    older = _rebuilt({n: d for n, d in members.items() if not n.startswith("templates/")})
    problems = verify_bundle(older).problems
    assert any(DECREE in p and "yang terpasang berbeda" in p for p in problems)
    monkeypatch.delenv(TEMPLATES_ENV)
    assert verify_bundle(older).ok, verify_bundle(older).problems
    # a carried template changed (and the manifest's hashes recomputed) is named
    forged = dict(members)
    name = f"{prefix}{letter.template_name}"
    forged[name] = forged[name].replace(b"berat", b"ringan")
    problems = verify_bundle(_rebuilt(forged)).problems
    assert any(DECREE in p and "dibawa bundel tidak cocok" in p for p in problems)


def test_cli_imports_a_release_folder_for_administrators_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'netra.db'}"
    assert runner.invoke(app, ["--db", url, "demo"]).exit_code == 0
    result = runner.invoke(
        app, ["--db", url, "--as", "auditor", "letter", "templates", "import", str(tmp_path)]
    )
    assert result.exit_code == 5, result.output  # PermissionDenied
    result = runner.invoke(
        app, ["--db", url, "--as", "admin", "letter", "templates", "import", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "tidak berisi templat" in " ".join(result.output.split())
    release = tmp_path / "release"
    shutil.copytree(PACKAGE_TEMPLATES, release)
    result = runner.invoke(
        app, ["--db", url, "--as", "admin", "letter", "templates", "import", str(release)]
    )
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "sudah tersimpan" in output  # the demo's letters stored them when issued
    assert "0 set templat disimpan" in output
    result = runner.invoke(
        app,
        ["--db", url, "--as", "admin", "--json", "letter", "templates", "import", str(release)],
    )
    rows = json.loads(result.output)
    assert rows and all(not row["stored_now"] and row["letters"] > 0 for row in rows)


def test_the_migration_stores_the_installed_templates_of_letters_issued_before_it(
    demo_uow: UnitOfWork, engine: Engine, changed_templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = issue_ralat(
        demo_uow, "bawaslu.kediri", NOTIFICATION, "Salah tulis", wib("2024-10-20T09:00")
    )
    with demo_uow:
        issued = {digest for _, digest, _ in demo_uow.letter_templates().issued()}
    assert set(_stored_hashes(demo_uow)) == issued
    # the packaged folder matches every letter but the one issued with the changed templates
    monkeypatch.delenv(TEMPLATES_ENV)
    migrate_to(engine, "downgrade", "0121")
    migrate_to(engine, "upgrade", "heads")
    assert set(_stored_hashes(demo_uow)) == issued - {new.template_hash}
    assert verify_letter(demo_uow, "auditor", DECREE).ok
    # a deployment's own folder (NETRA_LETTER_TEMPLATES) is looked at too
    monkeypatch.setenv(TEMPLATES_ENV, str(changed_templates))
    migrate_to(engine, "downgrade", "0121")
    migrate_to(engine, "upgrade", "heads")
    assert set(_stored_hashes(demo_uow)) == issued
    assert verify_letter(demo_uow, "auditor", DECREE).ok
