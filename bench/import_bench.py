"""Import benchmark: a report file of 10,000 rows (Excel's `;` CSV with BOM, Indonesian
headers, every row a distinct civil servant) imported on PostgreSQL through the real
service, timed in its parts: reading the file, validating and opening the cases in one
transaction, and re-importing the same file (idempotent: nothing opened).

    python -m bench.import_bench [rows]        # 10000
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench.common import at, bench_schema, seed, server_facts
from cases.intake.importing import import_report
from cases.intake.reading import read_report_file
from db.unit_of_work import UnitOfWork

OFFICER = "bawaslu.kediri"
NOW = "2024-11-20T10:00"
HEADER = (
    "Jalur;Jenis Pemilihan;Kode Wilayah;Waktu Diterima;Waktu Diketahui;Waktu Kejadian;"
    "Tempat Kejadian;Uraian Kejadian;Kode Pelanggaran;NIP Terlapor;Nama Terlapor;"
    "Jabatan Terlapor;Instansi Terlapor;Nama Pelapor;Alamat Pelapor"
)


def nip_for(n: int) -> str:
    """A valid, distinct NIP per n: birth date, appointment 2010-03, male, serial."""
    born = date(1970, 1, 1) + timedelta(days=n // 900)
    return f"{born:%Y%m%d}2010031{n % 900 + 100:03d}"


def report_lines(rows: int) -> list[str]:
    lines = [HEADER]
    for n in range(rows):
        lines.append(
            f"laporan;pilkada;35.71;18/11/2024 09:00;15/11/2024 08:00;14/11/2024 19:00;"
            f"Kelurahan Bandar;Unggahan dukungan pasangan calon nomor {n};NET-05;"
            f"{nip_for(n)};Terlapor {n};Staf;Pemerintah Kota Kediri;Pelapor {n};"
            f'"Jalan Dhoho {n}; Kediri"'
        )
    return lines


def run(rows: int = 10_000) -> dict[str, Any]:
    with bench_schema("import") as schema, TemporaryDirectory() as folder:
        engine = schema.engine()
        uow = UnitOfWork(engine)
        seed(uow)
        path = Path(folder) / "laporan.csv"
        path.write_bytes(("\r\n".join(report_lines(rows)) + "\r\n").encode("utf-8-sig"))
        size = path.stat().st_size
        started = time.perf_counter()
        report = read_report_file(path)
        read_s = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        result = import_report(uow, OFFICER, report, at(NOW))
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        again = import_report(uow, OFFICER, read_report_file(path), at(NOW))
        again_s = time.perf_counter() - started
        engine.dispose()
    total = read_s + import_s
    return {
        "rows": rows,
        "bytes": size,
        "opened": len(result.opened),
        "errors": len(result.errors),
        "read_s": round(read_s, 3),
        "validate_and_write_s": round(import_s, 3),
        "total_s": round(total, 3),
        "validate_and_write_cpu_s": round(import_cpu, 3),
        "rows_per_s": round(rows / total, 1),
        "reimport_s": round(again_s, 3),
        "reimport_opened": len(again.opened),
        "reimport_before": again.count("imported_before"),
        "server": server_facts(),
        "load_average": list(os.getloadavg()),
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000), indent=1))
