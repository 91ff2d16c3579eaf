"""The S3 adapter against a real S3-speaking server: moto in server mode, started here as its
own process on 127.0.0.1 (MinIO is what production runs; no MinIO binary is available)."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import boto3
import pytest

from cases.evidence.service import add_evidence, evidence_content, list_evidence
from cases.integrity import verify_records
from db.evidence_settings import EvidenceSettings
from db.file_store import S3FileStore, file_store
from db.unit_of_work import UnitOfWork
from tests.conftest import wib
from tests.evidence.files import jpeg_with_exif, pdf_scan

NOW = wib("2024-11-20T10:00")
PSR = "DEMO-PSR-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:  # bounded polling until the server answers
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("moto server did not start")
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_store(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3FileStore:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "netra-test",
        "AWS_SECRET_ACCESS_KEY": "netra-test-secret",
        "NETRA_EVIDENCE_S3_ENDPOINT": s3_endpoint,
        "NETRA_EVIDENCE_S3_BUCKET": f"bukti-{os.getpid()}-{time.monotonic_ns()}",
    }.items():
        monkeypatch.setenv(name, value)
    settings = EvidenceSettings()
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=settings.s3_bucket)
    store = file_store(settings)
    assert isinstance(store, S3FileStore)
    return store


def test_upload_download_and_verify_on_the_s3_adapter(
    demo_uow: UnitOfWork, s3_store: S3FileStore
) -> None:
    photo = jpeg_with_exif()
    item = add_evidence(
        demo_uow, "bawaslu.pasuruan", PSR, io.BytesIO(photo), "spanduk.jpg", "Foto", NOW
    )
    digest = hashlib.sha256(photo).hexdigest()
    head = s3_store.client.head_object(Bucket=s3_store.bucket, Key=s3_store.key(digest))
    assert head["ContentLength"] == len(photo)
    assert item.thumbnail_sha256 is not None and s3_store.exists(item.thumbnail_sha256)
    assert b"".join(evidence_content(demo_uow, "auditor", PSR, "B1")[1]) == photo
    assert [i.sha256 for i in list_evidence(demo_uow, "auditor", PSR)] == [digest]
    assert verify_records(demo_uow, "auditor", [PSR], rerender=False).ok


def test_an_altered_object_in_the_bucket_is_named_by_audit_verify(
    demo_uow: UnitOfWork, s3_store: S3FileStore
) -> None:
    scan = pdf_scan()
    add_evidence(demo_uow, "bawaslu.pasuruan", PSR, io.BytesIO(scan), "bap.pdf", "BAP", NOW)
    key = s3_store.key(hashlib.sha256(scan).hexdigest())
    s3_store.client.put_object(Bucket=s3_store.bucket, Key=key, Body=scan.replace(b"595", b"596"))
    findings = list(verify_records(demo_uow, "auditor", rerender=False).findings)
    assert [(f.kind, f.case_id) for f in findings] == [("evidence", PSR)]
    assert "B1 'bap.pdf'" in findings[0].problem and "diubah" in findings[0].problem
    s3_store.client.delete_object(Bucket=s3_store.bucket, Key=key)
    findings = list(verify_records(demo_uow, "auditor", rerender=False).findings)
    assert "hilang" in findings[0].problem and s3_store.bucket in findings[0].problem
