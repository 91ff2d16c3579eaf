"""Turns the suite's results into the Markdown tables printed and copied into the README,
and checks them against the issue's targets.
"""

from __future__ import annotations

from typing import Any

from bench.common import LIFECYCLE


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _ratio(a: Any, b: Any) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.2f}"


def _primary(tr: dict[str, Any]) -> dict[str, Any]:
    """The Netra figures compared with pgbench: with letters if that run worked."""
    netra = tr.get("netra") or {}
    return netra if "points" in netra else tr.get("netra_pure") or {}


def ratios(results: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    tr = results.get("transitions") or {}
    out: dict[str, dict[str, float | None]] = {}
    for clients, point in (_primary(tr).get("points") or {}).items():
        netra = point.get("throughput")
        pure = _get(tr, "netra_pure", "points", clients, "throughput")
        pg = _get(tr, "pgbench", "points", clients, "throughput")
        peer = _get(tr, "peer", "points", clients, "throughput")
        out[clients] = {
            "vs_pgbench": round(netra / pg, 3) if netra and pg else None,
            "vs_peer": round(netra / peer, 2) if netra and peer else None,
            "pure_vs_pgbench": round(pure / pg, 3) if pure and pg else None,
        }
    return out


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    r = ratios(results)
    at8 = _get(r, "8", "vs_pgbench")
    rows.append(
        {
            "target": "transitions >= 60% of pgbench at 8 clients",
            "value": at8,
            "met": None if at8 is None else at8 >= 0.6,
        }
    )
    at1 = _get(r, "1", "vs_peer")
    rows.append(
        {
            "target": "transitions >= 4x the peer at 1 client",
            "value": at1,
            "met": None if at1 is None else at1 >= 4,
        }
    )
    overhead = _get(results, "overhead", "us_per_transition")
    rows.append(
        {
            "target": "engine overhead <= 50 us per transition",
            "value": overhead,
            "met": None if overhead is None else overhead <= 50,
        }
    )
    verify = (
        _get(results, "verify", "auditor_bench", "verify_events_per_s")
        or _get(results, "verify", "auditor_bench", "events_per_s")
        or _get(results, "verify", "suite", "verify_from_db_events_per_s")
    )
    rows.append(
        {
            "target": "verify >= 100k events/s",
            "value": verify,
            "met": None if verify is None else verify >= 100_000,
        }
    )
    flat = _get(results, "memory", "verdict")
    if flat:
        met = all(v.get("flat") for v in flat.values())
        growth = {job: v.get("growth") for job, v in flat.items()}
        rows.append({"target": "memory flat as cases grow 10x", "value": growth, "met": met})
    contention = results.get("contention") or {}
    if "ok" in contention:
        rows.append(
            {
                "target": "contention: clean conflicts, no lost/duplicate events",
                "value": contention.get("conflicts"),
                "met": contention.get("ok"),
            }
        )
    return rows


def render_markdown(results: dict[str, Any]) -> str:
    lines: list[str] = []
    meta = results.get("meta", {})
    m = meta.get("machine", {})
    pg = m.get("postgresql", {})
    lines.append(
        f"Machine: {m.get('cpus')} CPUs ({m.get('cpu_model', '?')}), {m.get('memory_gb')} GB RAM, "
        f"PostgreSQL {pg.get('server_version', '?')} (fsync={pg.get('fsync')}, "
        f"synchronous_commit={pg.get('synchronous_commit')}), Python {m.get('python')}; "
        f"load average at start {m.get('load_average_at_start')}, at end "
        f"{m.get('load_average_at_end')}. Size: {meta.get('size')}, suite took "
        f"{meta.get('seconds')} s."
    )
    tr = results.get("transitions")
    if tr:
        lines += [
            "",
            "**Transitions** (commands/s; latency p50/p99 ms; one command = one "
            "transaction through `cases.commands.advance`)",
            "",
        ]
        header = ["clients", "Netra", "p50/p99"]
        pure = bool(_get(tr, "netra_pure", "points"))
        if pure:
            header += ["Netra (no letters)"]
        header += [
            "pgbench same SQL",
            "p50/p99",
            "eventsourcing",
            "p50/p99",
            "Netra/pgbench",
            "Netra/peer",
        ]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        r = ratios(results)
        for clients, point in (_primary(tr).get("points") or {}).items():
            pgp = _get(tr, "pgbench", "points", clients) or {}
            peer = _get(tr, "peer", "points", clients) or {}
            row = [
                clients,
                _fmt(point.get("throughput")),
                f"{_fmt(point.get('p50_ms'), 1)}/{_fmt(point.get('p99_ms'), 1)}",
            ]
            if pure:
                row.append(_fmt(_get(tr, "netra_pure", "points", clients, "throughput")))
            row += [
                _fmt(pgp.get("throughput")),
                f"{_fmt(pgp.get('p50_ms'), 1)}/{_fmt(pgp.get('p99_ms'), 1)}",
                _fmt(peer.get("throughput")),
                f"{_fmt(peer.get('p50_ms'), 1)}/{_fmt(peer.get('p99_ms'), 1)}",
                _fmt(_get(r, clients, "vs_pgbench"), 2),
                _fmt(_get(r, clients, "vs_peer"), 2),
            ]
            lines.append("| " + " | ".join(str(x) for x in row) + " |")
        netra = _primary(tr)
        if "error" in (tr.get("netra") or {}):
            lines += [
                "",
                f"Netra with letters failed: {tr['netra']['error']}; figures are without letters.",
            ]
        lines.append("")
        lines.append(
            f"Each case: {netra.get('events_per_case')} events, "
            f"{netra.get('letters_per_case')} letters over {len(LIFECYCLE)} steps. pgbench replays the SQL "
            f"captured from a real advance() ({tr.get('compared_with_pgbench')}); "
            f"{'pgbench: ' + str(_get(tr, 'pgbench', 'reason')) if _get(tr, 'pgbench', 'available') is False else ''}"
            f"{'peer: ' + str(_get(tr, 'peer', 'reason')) if _get(tr, 'peer', 'available') is False else ''}"
        )
    overhead = results.get("overhead")
    if overhead and "us_per_transition" in overhead:
        parts = ", ".join(f"{k} {v}" for k, v in overhead["breakdown_us"].items())
        lines += [
            "",
            f"**Engine overhead outside the database**: "
            f"{overhead['us_per_transition']} µs per transition ({parts} µs).",
        ]
    prof = results.get("profile")
    if prof and "by_category_us" in prof:
        lines += [
            "",
            f"**Profile** of {prof['transitions']} advance() calls at 1 client "
            f"(cProfile, {prof['wall_ms_per_transition_profiled']} ms each under the "
            "profiler; own time by area):",
            "",
            "| area | µs/transition | share |",
            "|---|---|---|",
        ]
        for name, item in prof["by_category_us"].items():
            lines.append(f"| {name} | {_fmt(item['us'], 0)} | {item['share'] * 100:.0f} % |")
    con = results.get("contention")
    if con and "committed" in con:
        lines += [
            "",
            f"**Contention**: {con['clients']} clients on {con['cases']} cases: "
            f"{con['committed']}/{con['expected_commits']} steps committed, "
            f"{con['conflicts']} clean conflicts (retried), {con['unclean_errors']} "
            f"unclean errors, {len(con['lost_or_duplicate'])} lost/duplicate problems, "
            f"{_fmt(con['throughput'])} commits/s — {'OK' if con['ok'] else 'FAILED'}.",
        ]
    lines += _simple_sections(results)
    rows = results.get("targets") or []
    if rows:
        lines += ["", "**Targets**", "", "| target | measured | met |", "|---|---|---|"]
        for row in rows:
            met = {True: "yes", False: "**no**", None: "—"}[row["met"]]
            lines.append(f"| {row['target']} | {_fmt(row['value'], 2)} | {met} |")
    return "\n".join(lines) + "\n"


def _simple_sections(results: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    sweep = _get(results, "sweep", "points")
    if sweep:
        lines += [
            "",
            "**Deadline sweep**: " + "; ".join(f"{n} cases: {_brief(p)}" for n, p in sweep.items()),
        ]
    verify = results.get("verify")
    if verify:
        s = verify.get("suite") or {}
        lines += [
            "",
            f"**Verify**: {_fmt(s.get('events'))} events: from PostgreSQL "
            f"{_fmt(s.get('verify_from_db_events_per_s'))} events/s, in memory "
            f"{_fmt(s.get('verify_in_memory_events_per_s'))}/s, canonical JSON alone "
            f"{_fmt(s.get('canonical_json_events_per_s'))}/s, raw sha256 over the same "
            f"bytes {_fmt(s.get('raw_sha256_events_per_s'))}/s (ratio "
            f"{_fmt(s.get('ratio_db_to_raw'), 3)}). Auditor bench: "
            f"{_brief(verify.get('auditor_bench'))}.",
        ]
    replay = _get(results, "replay", "suite", "by_case_length")
    if replay:
        lines += [
            "",
            "**Replay** (load + fold one case): "
            + "; ".join(f"{n} events {p['total_ms']} ms" for n, p in replay.items())
            + f". Auditor bench: {_brief(_get(results, 'replay', 'auditor_bench'))}.",
        ]
    letters = results.get("letters")
    if letters:
        lines += ["", f"**Letters**: {_brief(letters)}."]
    mem = _get(results, "memory", "points")
    if mem:
        lines += [
            "",
            "**Memory** (peak RSS of a fresh process): "
            + "; ".join(
                f"{n} cases: iterate_cases {_get(p, 'iterate_cases', 'peak_rss_mb')} MB, "
                f"verify_chains {_get(p, 'verify_chains', 'peak_rss_mb')} MB"
                for n, p in mem.items()
            ),
        ]
    scl = _get(results, "scaling", "points")
    if scl:
        lines += [
            "",
            "**Scaling** (1 client, mean ms per transition by events already "
            "stored): "
            + "; ".join(
                f"{_fmt(p['events_in_table'])} events: {p['mean_ms']} ms" for p in scl.values()
            )
            + f" (growth {_get(results, 'scaling', 'growth_last_vs_first')}x).",
        ]
    for name in (
        "sweep",
        "verify",
        "replay",
        "letters",
        "memory",
        "scaling",
        "transitions",
        "overhead",
        "profile",
        "contention",
    ):
        error = _get(results, name, "error")
        if error:
            lines += ["", f"**{name}**: error — {error}"]
    return lines


def _brief(data: Any) -> str:
    if not isinstance(data, dict):
        return _fmt(data)
    if data.get("available") is False:
        return f"not available ({data.get('reason')})"
    if "error" in data:
        return f"error ({data['error']})"
    items = [
        f"{k}={_fmt(v, 1)}"
        for k, v in data.items()
        if k != "available" and isinstance(v, int | float | str) and len(str(v)) < 40
    ]
    return ", ".join(items[:8])
