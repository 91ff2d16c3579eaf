"""The error hierarchy every layer raises; entrypoints map it once to exit codes and HTTP."""

from __future__ import annotations


class NetraError(Exception):
    """Base of every error Netra reports to a user on purpose."""

    exit_code = 1
    label = "galat"  # what an official reads of the kind of error
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(NetraError):
    """The input is malformed or contradicts a rule of law (nothing was written)."""

    exit_code = 2
    label = "isian tidak sah"
    http_status = 422


class TransitionNotAllowed(NetraError):
    """The case is not in a state where this step may be taken, or a guard refused it."""

    exit_code = 3
    label = "langkah tidak diizinkan"
    http_status = 409


class ConcurrencyConflict(NetraError):
    """Someone else changed the case first; reload and try again."""

    exit_code = 4
    label = "bentrok dengan perubahan lain"
    http_status = 409


class PermissionDenied(NetraError):
    """The acting officer's role may not do this."""

    exit_code = 5
    label = "tidak berwenang"
    http_status = 403


class NotFound(NetraError):
    """No such case, letter, officer or rule-set."""

    exit_code = 6
    label = "tidak ditemukan"
    http_status = 404


class IntegrityViolation(NetraError):
    """Stored history or a letter does not match its hash chain: tampering or corruption."""

    exit_code = 7
    label = "integritas rusak"
    http_status = 500


class RuleSetError(NetraError):
    """A rule-set data file is missing or invalid."""

    exit_code = 8
    label = "aturan tidak sah"
    http_status = 500


class AuthenticationFailed(NetraError):
    """No valid credential: unknown account, wrong password, expired or revoked token.

    Unknown and wrong credentials get the same message, so the answer reveals no account.
    """

    exit_code = 5
    label = "autentikasi gagal"
    http_status = 401


class StorageError(NetraError):
    """The database refused or failed the operation (nothing was written)."""

    exit_code = 9
    label = "galat basis data"
    http_status = 503
