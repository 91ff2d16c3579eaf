"""Byte-identical letter PDFs across fresh virtualenvs (issue 14, "Done when").

`python -m bench.letters_reproducibility venvs [--workdir DIR]` creates two fresh
virtualenvs, installs Netra into each from this checkout (not editable, so the wheel's
packaged templates and fonts are what renders) with the pinned `constraints.txt`, runs
`netra letter samples --all` in each, and compares every PDF byte for byte. It prints one
line per differing file and a summary, and exits 1 when any file differs. It takes a few
minutes (two installs), so it is behind this command and not in the default test run; the
suite keeps a fast check that two separate processes produce equal bytes
(`tests/letters/test_pdf_layout.py`).

`python -m bench.letters_reproducibility render OUT` renders the samples once into OUT (what
each virtualenv runs, and what the fast test runs twice).

Nothing in a letter PDF depends on when or where it was rendered: the document identifier
is a hash of the letter's HTML, the creation date is the letter's own date (no
modification date is written), the fonts ship with the package, attachments carry the
letter's date, and the sample database is built with fixed clocks.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def render(out: Path) -> list[Path]:
    """The sample letters (every letter of every sample case) as PDF and HTML in `out`."""
    from cases.letter_samples import write_samples

    return write_samples(out, every_letter=True)


def digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.glob("*.pdf"))
    }


def _source_copy(root: Path) -> Path:
    """The checkout's files (no virtualenv, no git, no caches) copied for a clean build."""
    source = root / "src"
    if not source.exists():
        shutil.copytree(
            REPO,
            source,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", "__pycache__", "*.egg-info", "build", "out", ".*_cache"
            ),
        )
    return source


def _venv(root: Path, name: str) -> Path:
    env = root / name
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-cache-dir", "--upgrade", "pip"],
        check=True,
    )
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-cache-dir",
            "-c",
            str(REPO / "constraints.txt"),
            str(_source_copy(root)),
        ],
        check=True,
    )
    return python


def compare_venvs(workdir: Path) -> int:
    """Render the samples in two fresh virtualenvs; 0 when every PDF is byte-identical."""
    outputs = []
    for name in ("venv-a", "venv-b"):
        python = _venv(workdir, name)
        out = workdir / f"out-{name}"
        # run outside the checkout so the installed package, not the source tree, renders
        subprocess.run(
            [str(python.parent / "netra"), "letter", "samples", "--all", "--out", str(out)],
            check=True,
            cwd=workdir,
        )
        outputs.append(digests(out))
    first, second = outputs
    differing = sorted(
        name for name in first.keys() | second.keys() if first.get(name) != second.get(name)
    )
    for name in differing:
        print(f"BEDA: {name}")
    print(f"{len(first)} PDF dibandingkan, {len(differing)} berbeda")
    return 1 if differing or not first else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.letters_reproducibility")
    sub = parser.add_subparsers(dest="command", required=True)
    render_cmd = sub.add_parser("render", help="render the sample letters into OUT")
    render_cmd.add_argument("out", type=Path)
    venvs = sub.add_parser("venvs", help="compare the samples of two fresh virtualenvs")
    venvs.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "render":
        written = render(args.out)
        print(f"{len(written) // 2} surat ditulis ke {args.out}")
        return 0
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return compare_venvs(args.workdir)
    with tempfile.TemporaryDirectory(prefix="netra-repro-") as tmp:
        return compare_venvs(Path(tmp))


if __name__ == "__main__":
    raise SystemExit(main())
