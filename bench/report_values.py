"""The numbers the bench report is made of: looking a figure up in the results, formatting
it, and the ratios of Netra to its references that the targets are checked on."""

from __future__ import annotations

from typing import Any


def lookup(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def ratio_text(a: Any, b: Any) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.2f}"


def primary(tr: dict[str, Any]) -> dict[str, Any]:
    """The Netra figures compared with pgbench: with letters if that run worked."""
    netra = tr.get("netra") or {}
    return netra if "points" in netra else tr.get("netra_pure") or {}


def throughput_of(tr: dict[str, Any], key: str, clients: str, mode: str = "points") -> Any:
    if key == "pgbench_minimal":
        return lookup(tr, "pgbench", "minimal_points", clients, "throughput")
    return lookup(tr, key, mode, clients, "throughput")


def divide(a: Any, b: Any, digits: int = 2) -> float | None:
    return round(a / b, digits) if a and b else None


def ratios(results: dict[str, Any], mode: str = "points") -> dict[str, dict[str, float | None]]:
    """Per client count: Netra with/without letters vs the peer, vs the minimal SQL, and
    Netra's own SQL (pgbench) vs the minimal SQL."""
    tr = results.get("transitions") or {}
    out: dict[str, dict[str, float | None]] = {}
    counts = set(primary(tr).get(mode) or {}) | set((tr.get("netra_pure") or {}).get(mode) or {})
    for clients in sorted(counts, key=int):
        letters = throughput_of(tr, "netra", clients, mode)
        pure = throughput_of(tr, "netra_pure", clients, mode)
        peer = throughput_of(tr, "peer", clients, mode)
        own = throughput_of(tr, "pgbench", clients)
        minimal = throughput_of(tr, "pgbench_minimal", clients)
        out[clients] = {
            "letters_vs_peer": divide(letters, peer),
            "pure_vs_peer": divide(pure, peer),
            "pure_vs_minimal": divide(pure, minimal, 3),
            "own_sql_vs_minimal": divide(own, minimal, 3),
            "vs_pgbench": divide(letters, own, 3),
        }
    return out
