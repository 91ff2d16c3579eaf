"""Evidence storage settings (`NETRA_EVIDENCE_*`): where files go and how large they may be."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MAX_BYTES = 200 * 1024 * 1024


class EvidenceSettings(BaseSettings):
    """Local directory by default; an S3-compatible bucket (MinIO) when a bucket is set.

    S3 credentials come from the standard `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
    variables (boto3's own chain), never from Netra's settings.
    """

    model_config = SettingsConfigDict(env_prefix="NETRA_EVIDENCE_", extra="ignore")

    dir: str = "evidence"
    max_bytes: int = DEFAULT_MAX_BYTES
    s3_bucket: str | None = None
    s3_endpoint: str | None = None  # e.g. http://minio:9000
    s3_region: str = "us-east-1"
    s3_prefix: str = "netra/"


def get_evidence_settings() -> EvidenceSettings:
    return EvidenceSettings()
