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


_ROUND_SERIES = (
    ("Netra with letters", "netra", "points"),
    ("Netra without letters", "netra_pure", "points"),
    ("pgbench, Netra's own SQL", "pgbench", "points"),
    ("pgbench, minimal SQL", "pgbench", "minimal_points"),
    ("peer", "peer", "points"),
    ("Netra with letters, processes", "netra", "process_points"),
    ("Netra without letters, processes", "netra_pure", "process_points"),
    ("peer, processes", "peer", "process_points"),
)


def _rounds_lines(tr: dict[str, Any]) -> list[str]:
    """Every round's throughput of the points measured in several rounds (`bench.rounds`)."""
    series = []
    for label, key, family in _ROUND_SERIES:
        points = _get(tr, key, family) or {}
        shown = [
            f"{clients}: {', '.join(_fmt(x) for x in point['rounds'])}"
            for clients, point in sorted(points.items(), key=lambda item: int(item[0]))
            if isinstance(point, dict) and point.get("rounds")
        ]
        if shown:
            series.append(f"{label} ({'; '.join(shown)})")
    if not series:
        return []
    return [
        "",
        f"**Rounds**: at 1 and 8 clients each figure above is the median of {tr.get('rounds')} "
        "rounds, each round running every variant once in the same order (so a drift of the "
        "host's speed within the run reaches Netra and its references alike); every round's "
        "commands/s, in the order run: " + "; ".join(series) + ".",
    ]


def _cpu_reference_line(machine: dict[str, Any]) -> str:
    """The host's speed at the start and the end of the run (`bench/cpu_reference.py`)."""
    shown = []
    for moment in ("start", "end"):
        ref = machine.get(f"cpu_reference_at_{moment}")
        if ref:
            shown.append(
                f"at {moment} {ref.get('python_ms')} ms of pure Python, "
                f"sha256 {ref.get('sha256_mb_s')} MB/s"
            )
    if not shown:
        return ""
    return (
        "**Host speed** (`bench/cpu_reference.py`, a fixed workload, best of 5; lower ms and "
        "higher MB/s mean a faster host, and every figure below moves with it): "
        + "; ".join(shown)
        + "."
    )


def _ratio(a: Any, b: Any) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.2f}"


def _primary(tr: dict[str, Any]) -> dict[str, Any]:
    """The Netra figures compared with pgbench: with letters if that run worked."""
    netra = tr.get("netra") or {}
    return netra if "points" in netra else tr.get("netra_pure") or {}


def _throughput(tr: dict[str, Any], key: str, clients: str, mode: str = "points") -> Any:
    if key == "pgbench_minimal":
        return _get(tr, "pgbench", "minimal_points", clients, "throughput")
    return _get(tr, key, mode, clients, "throughput")


def _div(a: Any, b: Any, digits: int = 2) -> float | None:
    return round(a / b, digits) if a and b else None


def ratios(results: dict[str, Any], mode: str = "points") -> dict[str, dict[str, float | None]]:
    """Per client count: Netra with/without letters vs the peer, vs the minimal SQL, and
    Netra's own SQL (pgbench) vs the minimal SQL."""
    tr = results.get("transitions") or {}
    out: dict[str, dict[str, float | None]] = {}
    counts = set(_primary(tr).get(mode) or {}) | set((tr.get("netra_pure") or {}).get(mode) or {})
    for clients in sorted(counts, key=int):
        letters = _throughput(tr, "netra", clients, mode)
        pure = _throughput(tr, "netra_pure", clients, mode)
        peer = _throughput(tr, "peer", clients, mode)
        own = _throughput(tr, "pgbench", clients)
        minimal = _throughput(tr, "pgbench_minimal", clients)
        out[clients] = {
            "letters_vs_peer": _div(letters, peer),
            "pure_vs_peer": _div(pure, peer),
            "pure_vs_minimal": _div(pure, minimal, 3),
            "own_sql_vs_minimal": _div(own, minimal, 3),
            "vs_pgbench": _div(letters, own, 3),
        }
    return out


def _variant_lines(
    tr: dict[str, Any], points: dict[str, Any], references: dict[str, str], title: str
) -> list[str]:
    """A labelled variant's throughput per client count, as a ratio of each reference
    (label: key of `_throughput`), in one paragraph after `title`."""
    shown = []
    for clients, point in sorted(points.items(), key=lambda item: int(item[0])):
        if not (isinstance(point, dict) and point.get("throughput")):
            continue
        of = ", ".join(
            f"{_ratio(point['throughput'], _throughput(tr, key, clients))} of the {label}"
            for label, key in references.items()
        )
        plural = "s" if clients != "1" else ""
        shown.append(f"{clients} client{plural} {_fmt(point['throughput'])}/s ({of})")
    return ["", f"{title}: " + "; ".join(shown) + "."] if shown else []


def _own_register_lines(tr: dict[str, Any]) -> list[str]:
    """The labelled variant of the own-SQL pgbench: a letter register per client."""
    return _variant_lines(
        tr,
        _get(tr, "pgbench", "own_register_points") or {},
        {"minimal SQL": "pgbench_minimal"},
        "**pgbench, Netra's own SQL with a letter register per client** (a labelled variant, "
        "not the figure above: there every client numbers its letters in the same register, "
        "whose counter row is locked from the reservation to the COMMIT; here each client "
        "has its own, as officers of different offices do)",
    )


def _own_sql_without_letters_lines(tr: dict[str, Any]) -> list[str]:
    """The labelled variant of the own-SQL pgbench: the steps' SQL without their letters."""
    return _variant_lines(
        tr,
        _get(tr, "pgbench_pure", "points") or {},
        {"minimal SQL": "pgbench_minimal"},
        "**pgbench, Netra's own SQL without letters** (a labelled variant, not the figure "
        "above: the statements `advance()` sends when its steps issue no letters, so no "
        "letter counter row is shared and no letter row written)",
    )


def _read_every_command_lines(tr: dict[str, Any]) -> list[str]:
    """The labelled variant without letters in which every command reads its case."""
    return _variant_lines(
        tr,
        _get(tr, "netra_pure_read", "points") or {},
        {"peer": "peer", "minimal SQL": "pgbench_minimal"},
        "**Netra without letters, every command reading its case** (a labelled variant, not "
        "the figure above: there a process's later commands on a case start from the "
        "snapshot it wrote, `db/case_cache.py`; here none does, as for a case's first "
        "command in a process)",
    )


def _target(name: str, value: Any, met: bool | None) -> dict[str, Any]:
    return {"target": name, "value": value, "met": met}


def _at_least(name: str, value: Any, bound: float) -> dict[str, Any]:
    return _target(name, value, None if value is None else value >= bound)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    threads, processes = ratios(results), ratios(results, "process_points")
    for clients in ("1", "8"):
        rows.append(
            _at_least(
                f"with letters >= 1.0x the peer, {clients} client threads",
                _get(threads, clients, "letters_vs_peer"),
                1.0,
            )
        )
        rows.append(
            _at_least(
                f"without letters >= 2x the peer, {clients} client threads",
                _get(threads, clients, "pure_vs_peer"),
                2.0,
            )
        )
    for clients in processes:
        rows.append(
            _at_least(
                f"with letters >= 1.0x the peer, {clients} client processes",
                _get(processes, clients, "letters_vs_peer"),
                1.0,
            )
        )
        rows.append(
            _at_least(
                f"without letters >= 2x the peer, {clients} client processes",
                _get(processes, clients, "pure_vs_peer"),
                2.0,
            )
        )
    rows.append(
        _at_least(
            "without letters >= 40% of minimal-SQL pgbench, 8 clients",
            _get(threads, "8", "pure_vs_minimal"),
            0.4,
        )
    )
    rows.append(
        _at_least(
            "Netra's own SQL (pgbench) >= 60% of minimal SQL, 8 clients",
            _get(threads, "8", "own_sql_vs_minimal"),
            0.6,
        )
    )
    overhead = _get(results, "overhead", "us_per_transition")
    rows.append(
        _target(
            "engine overhead <= 50 us per transition",
            overhead,
            None if overhead is None else overhead <= 50,
        )
    )
    verify = _get(results, "verify", "suite", "verify_from_db_events_per_s")
    rows.append(_at_least("chain verification >= 500k events/s from PostgreSQL", verify, 500_000))
    for command, seconds in (_get(results, "startup", "seconds") or {}).items():
        rows.append(_target(f"`netra {command}` starts in <= 0.3 s", seconds, seconds <= 0.3))
    batch = _get(results, "letters", "pdf_per_s_parallel")
    rows.append(_at_least("letter PDFs >= 20/s in a batch (issue 14)", batch, 20))
    single = _get(results, "letters", "pdf_ms_p50")
    rows.append(
        _target(
            "one letter PDF <= 250 ms, p50 (issue 14)",
            single,
            None if single is None else single <= 250,
        )
    )
    flat = _get(results, "memory", "verdict")
    if flat:
        met = all(v.get("flat") for v in flat.values())
        growth = {job: v.get("growth") for job, v in flat.items()}
        rows.append(_target("memory flat as cases grow 10x", growth, met))
    contention = results.get("contention") or {}
    if "ok" in contention:
        rows.append(
            _target(
                "contention: clean conflicts, no lost/duplicate events",
                contention.get("conflicts"),
                contention.get("ok"),
            )
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
    speed = _cpu_reference_line(m)
    if speed:
        lines.append("")
        lines.append(speed)
    start = results.get("startup")
    if start and "seconds" in start:
        lines += [
            "",
            "**Start-up** (best of 5 fresh processes, SQLite demo database): "
            + ", ".join(f"`netra {k}` {v} s" for k, v in start["seconds"].items())
            + f" (Python alone {start['python_alone_s']} s). Slowest imports of `case show`"
            f" (-X importtime, cumulative): {'; '.join(start['slowest_imports_case_show'])}.",
        ]
    tr = results.get("transitions")
    if tr:
        lines += [
            "",
            "**Transitions** (commands/s; latency p50/p99 ms; one command = one "
            "transaction through `cases.commands.advance`)",
            "",
        ]
        header = [
            "clients",
            "Netra with letters",
            "p50/p99",
            "Netra, no letters",
            "pgbench, Netra's own SQL",
            "eventsourcing peer",
            "p50/p99",
            "pgbench, minimal SQL",
            "letters/peer",
            "no letters/peer",
            "no letters/minimal",
            "own SQL/minimal",
        ]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for mode, label in (("points", ""), ("process_points", " processes")):
            r = ratios(results, mode)
            for clients in r:
                point = _get(tr, "netra", mode, clients) or {}
                peer = _get(tr, "peer", mode, clients) or {}
                threads = mode == "points"
                row = [
                    clients + label,
                    _fmt(point.get("throughput")),
                    f"{_fmt(point.get('p50_ms'), 1)}/{_fmt(point.get('p99_ms'), 1)}",
                    _fmt(_throughput(tr, "netra_pure", clients, mode)),
                    _fmt(_throughput(tr, "pgbench", clients)) if threads else "",
                    _fmt(peer.get("throughput")),
                    f"{_fmt(peer.get('p50_ms'), 1)}/{_fmt(peer.get('p99_ms'), 1)}",
                    _fmt(_throughput(tr, "pgbench_minimal", clients)) if threads else "",
                    _fmt(_get(r, clients, "letters_vs_peer"), 2),
                    _fmt(_get(r, clients, "pure_vs_peer"), 2),
                    _fmt(_get(r, clients, "pure_vs_minimal"), 2),
                    _fmt(_get(r, clients, "own_sql_vs_minimal"), 2) if threads else "",
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
            f"{netra.get('letters_per_case')} letters over {len(LIFECYCLE)} steps. Rows "
            "'N processes': N client processes (an Engine / Application each) instead of "
            "threads. pgbench replays the SQL captured from a real advance() "
            f"({tr.get('compared_with_pgbench')}); the minimal SQL is one UPDATE of the "
            "projection's version and one INSERT of a hash-chained event; "
            f"{'pgbench: ' + str(_get(tr, 'pgbench', 'reason')) if _get(tr, 'pgbench', 'available') is False else ''}"
            f"{'peer: ' + str(_get(tr, 'peer', 'reason')) if _get(tr, 'peer', 'available') is False else ''}"
        )
        lines += _rounds_lines(tr)
        lines += _own_register_lines(tr)
        lines += _own_sql_without_letters_lines(tr)
        lines += _read_every_command_lines(tr)
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
        "startup",
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
