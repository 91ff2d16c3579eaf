"""Electronic signatures on letter PDFs (PAdES, pyHanko) with a pluggable signer.

`LetterSigner` is what the services call: `sign(pdf, signatory)` returns the signed PDF
(an incremental update, so the unsigned PDF stays a byte-for-byte prefix of the signed one)
and `trust_roots()` the certificates a verifier must trust. Two signers ship:

- `LocalCA`: a local certificate authority for tests and the demo. It creates its own root
  and issues each signing officer a certificate (named by NIP, or by name when there is
  none), kept in a folder. Never for production: its keys sit on disk unencrypted.
- `Pkcs12Signer`: the production signer for a certificate issued by BSrE (Balai Sertifikasi
  Elektronik) to the signing official, loaded from its PKCS#12 file and passphrase; its
  trust roots are the BSrE chain inside the file. An HSM- or remote-API-backed signer only
  needs to implement the same two methods.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol

from rules.errors import InvalidInput

SIGNATURE_FIELD = "TandaTanganElektronik"


class LetterSigner(Protocol):
    """Signs a letter PDF for its signatory; says which roots a verifier must trust."""

    def sign(self, pdf: bytes, signatory: dict[str, Any], location: str) -> bytes: ...

    def trust_roots(self) -> list[Any]: ...


def _keep_pdfa_metadata(writer: Any) -> None:
    """Keep the signed letter PDF/A: pyHanko's incremental update rewrites the metadata.

    Left alone it replaces the letter's XMP with a new packet without its title and only
    updates Info entries that exist, so Info and XMP disagree (title, producer, dates).
    Here the letter's XMP is loaded as pyHanko's metadata stream (updated in place, the
    PDF/A identification kept), the title and creator carried over, the producer set to
    pyHanko's (which it writes into the XMP), and an Info /ModDate put in place so that it
    is updated together with the XMP modification date.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    try:
        info = writer.trailer["/Info"]  # resolved (a plain .get would not resolve it)
    except KeyError:
        info = None
    if info is not None:
        meta = writer.document_meta
        meta.title = str(info["/Title"]) if "/Title" in info else None
        meta.creator = str(info["/Creator"]) if "/Creator" in info else None
        # pyHanko writes its own name as the XMP producer and appends it to the Info
        # producer unless already there: the same string in both keeps them equal.
        info[generic.NameObject("/Producer")] = generic.TextStringObject(VENDOR)
        if "/ModDate" not in info:
            info[generic.NameObject("/ModDate")] = generic.TextStringObject("D:19700101000000Z")
    reference = writer.root.raw_get("/Metadata")
    if isinstance(reference, generic.IndirectObject):
        writer.get_object(reference.reference, as_metadata_stream=True)


def _sign_with(signer: Any, pdf: bytes, signatory: dict[str, Any], location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    _keep_pdfa_metadata(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=f"Ditandatangani secara elektronik oleh {signatory.get('title') or ''}".strip(),
        location=location,
        name=str(signatory.get("name") or ""),
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


class LocalCA:
    """A folder-backed test/demo CA: `ca.pem`/`ca.key` plus one certificate per officer."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._root_key, self._root_cert = self._load_or_create_root()

    # --- keys and certificates (cryptography) -----------------------------------------------

    @staticmethod
    def _new_key() -> Any:
        from cryptography.hazmat.primitives.asymmetric import ec

        return ec.generate_private_key(ec.SECP256R1())

    @staticmethod
    def _write_key(path: Path, key: Any) -> None:
        from cryptography.hazmat.primitives import serialization

        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)

    @staticmethod
    def _read(path_key: Path, path_cert: Path) -> tuple[Any, Any]:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_private_key(path_key.read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate(path_cert.read_bytes())
        return key, cert

    def _load_or_create_root(self) -> tuple[Any, Any]:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.x509.oid import NameOID

        key_path, cert_path = self.folder / "ca.key", self.folder / "ca.pem"
        if key_path.exists() and cert_path.exists():
            return self._read(key_path, cert_path)
        key = self._new_key()
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Netra (CA uji, bukan produksi)"),
                x509.NameAttribute(NameOID.COMMON_NAME, "Netra Test Root CA"),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2045, 1, 1, tzinfo=dt.UTC))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        self._write_key(key_path, key)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key, cert

    def _officer(self, signatory: dict[str, Any]) -> tuple[Any, Any]:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.x509.oid import NameOID

        name = str(signatory.get("name") or "").strip()
        if not name:
            raise InvalidInput("Penanda tangan surat tidak memiliki nama")
        ident = str(signatory.get("nip") or "") or hashlib.sha256(name.encode()).hexdigest()[:16]
        stem = re.sub(r"[^0-9A-Za-z]", "", ident)
        key_path, cert_path = self.folder / f"{stem}.key", self.folder / f"{stem}.pem"
        if key_path.exists() and cert_path.exists():
            return self._read(key_path, cert_path)
        key = self._new_key()
        attrs = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
        ]
        if signatory.get("nip"):
            attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, str(signatory["nip"])))
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attrs))
            .issuer_name(self._root_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2044, 1, 1, tzinfo=dt.UTC))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self._root_key, hashes.SHA256())
        )
        self._write_key(key_path, key)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key, cert

    # --- LetterSigner ------------------------------------------------------------------------

    def sign(self, pdf: bytes, signatory: dict[str, Any], location: str) -> bytes:
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        key, cert = self._officer(signatory)
        signer = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            signing_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                self.trust_roots()
            ),
        )
        return _sign_with(signer, pdf, signatory, location)

    def trust_roots(self) -> list[Any]:
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization

        der = self._root_cert.public_bytes(serialization.Encoding.DER)
        return [asn1_x509.Certificate.load(der)]


class Pkcs12Signer:
    """A BSrE-issued (or any CA-issued) certificate and key from a PKCS#12 file."""

    def __init__(self, path: Path | str, passphrase: str | None) -> None:
        from pyhanko.sign import signers

        loaded = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(path), passphrase=passphrase.encode() if passphrase else None
        )
        if loaded is None:
            raise InvalidInput(f"Sertifikat PKCS#12 {path} tidak dapat dibuka")
        self._signer = loaded

    def sign(self, pdf: bytes, signatory: dict[str, Any], location: str) -> bytes:
        return _sign_with(self._signer, pdf, signatory, location)

    def trust_roots(self) -> list[Any]:
        registry = self._signer.cert_registry
        return [cert for cert in registry if cert.self_signed == "maybe" or cert.self_signed]


def signer_from_setting(setting: str, passphrase: str | None = None) -> LetterSigner | None:
    """`none` -> None; `local-ca:<folder>` -> LocalCA; `pkcs12:<file>` -> Pkcs12Signer."""
    kind, _, where = setting.partition(":")
    if kind == "none" or not setting:
        return None
    if kind == "local-ca" and where:
        return LocalCA(where)
    if kind == "pkcs12" and where:
        return Pkcs12Signer(where, passphrase)
    raise InvalidInput(
        f"NETRA_LETTER_SIGNER '{setting}' tidak dikenal (none | local-ca:<folder> | pkcs12:<file>)"
    )


def validate_signatures(pdf: bytes, trust_roots: list[Any]) -> list[dict[str, Any]]:
    """Every signature in the PDF, validated by pyHanko against `trust_roots`.

    Each item says whether the signed bytes are intact, whether the signature covers the
    whole file (nothing added after signing), whether the chain ends at a trusted root, and
    who signed.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(BytesIO(pdf))
    results = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
        results.append(
            {
                "field": embedded.field_name,
                "intact": bool(status.intact),
                "valid": bool(status.valid),
                "trusted": bool(status.trusted),
                "entire_file": status.coverage is not None
                and status.coverage.name == "ENTIRE_FILE",
                "signer": status.signing_cert.subject.human_friendly,
                "bottom_line": bool(status.bottom_line),
            }
        )
    return results
