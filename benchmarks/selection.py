"""Benchmark `sendplan select` on synthetic person-level lists (issue 5).

Generates List 1 (EHC plans) and List 2 (SEN support) with code frequencies
close to England's published SEN statistics, as CSV and as one .xlsx
workbook with two sheets, then times the whole command (a fresh process, as a
user runs it) and its parts in-process, and reports peak memory.

    python benchmarks/selection.py                  # 20,000 + 80,000 rows
    python benchmarks/selection.py --ehc 2000 --support 8000
    python benchmarks/selection.py --write examples/lists --ehc 40 --support 60 --seed 7
    python benchmarks/selection.py --write /tmp/lists       # once, then time them again and again:
    python benchmarks/selection.py --lists /tmp/lists --runs 10

Every row is synthetic: ids start SYN, UPNs start Z and cannot be real.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

NOTIFICATION = date(2025, 4, 25)

LIST1_HEADINGS = [
    "Unique ID", "UPN", "ULN", "Date of birth", "Gender", "Ethnicity",
    "Date initial EHC plan issued", "Date updated EHC plan issued", "Date EHC plan last reviewed",
    "SEN primary need", "Main education establishment – URN",
    "Main education establishment – phase",
    "Subsidiary education establishment – phase (dual registration)", "Elective home education",
    "Suspensions", "Permanent exclusions", "Absence", "Pupil Premium",
    "Known to children's social care?", "Which children's social care team?",
    "Does the child or young person have a disability?",
]  # fmt: skip
LIST2_HEADINGS = [
    h for h in LIST1_HEADINGS if "EHC plan" not in h and h != "Elective home education"
] + ["Lives in area"]

# Shares of primary need (percent), roughly England's SEN statistics (2024).
NEEDS_EHC = {
    "ASD": 33, "SLCN": 21, "SEMH": 14, "SLD": 9, "MLD": 7, "PD": 5, "PMLD": 3,
    "SPLD": 2.5, "HI": 2, "VI": 1, "MSI": 0.4, "OTH": 2,
}  # fmt: skip
NEEDS_SUPPORT = {
    "SLCN": 25, "SEMH": 21, "MLD": 15, "SPLD": 14, "ASD": 10, "NSA": 5, "OTH": 4,
    "PD": 3, "HI": 1.5, "VI": 0.8, "SLD": 0.5, "MSI": 0.3, "PMLD": 0.1,
}  # fmt: skip
PHASE_TEXT = {
    "a": "a) Early years", "b": "b) Primary", "c": "c) Middle", "d": "d) Secondary",
    "e": "e) All-through", "f": "f) Special school", "g": "g) Post-16 / further education",
    "h": "h) Pupil referral unit/Alternative provision", "i": "i) Other / not in education",
}  # fmt: skip
ETHNICITY = {
    "WBRI": 68, "WOTH": 6, "MWBC": 3, "MOTH": 3, "APKN": 4, "AIND": 2, "ABAN": 1,
    "BAFR": 4, "BCRB": 2, "CHNE": 0.5, "AOTH": 2, "OOTH": 2, "WIRT": 0.5, "REFU": 2,
}  # fmt: skip
TEAMS = ["Children in need", "Child protection", "Children looked after", "Early help"]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _phase(rng: random.Random, age: int, ehc: bool) -> str:
    if rng.random() < (0.025 if ehc else 0.008) and 5 <= age <= 16:
        return "h"
    if ehc and rng.random() < 0.3 and age <= 19:
        return "f"
    if age <= 4:
        return "a"
    if age <= 10:
        return "b" if rng.random() < 0.95 else "e"
    if age <= 15:
        return "d" if rng.random() < 0.95 else "c"
    if age <= 19:
        return "g" if rng.random() < 0.7 else "d"
    return "g" if rng.random() < 0.5 else "i"


def generate(
    ehc: int, support: int, seed: int = 1, problems: float = 0.004
) -> tuple[list[list[object]], list[list[object]]]:
    """Rows (headings first) of List 1 and List 2; dates as ``date`` objects."""
    rng = random.Random(seed)
    serial = 0

    def person(ehc_plan: bool) -> list[object]:
        nonlocal serial
        serial += 1
        age = (
            min(25, max(0, int(rng.gauss(11.5, 4.8))))
            if ehc_plan
            else min(19, max(2, int(rng.gauss(10, 3.5))))
        )
        born = NOTIFICATION - timedelta(days=age * 365 + rng.randrange(365))
        need = _pick(rng, NEEDS_EHC if ehc_plan else NEEDS_SUPPORT)
        phase = _phase(rng, age, ehc_plan)
        known = rng.random() < (0.14 if ehc_plan else 0.08)
        row: list[object] = [
            f"SYN{serial:06d}",
            f"Z{serial:012d}" if age >= 4 else "",
            f"99{serial:08d}" if age >= 14 else "",
            born,
            rng.choices(["M", "F", "U"], weights=[70, 29, 1])[0],
            _pick(rng, ETHNICITY),
        ]
        if ehc_plan:
            issued = born + timedelta(days=rng.randrange(365, max(366, age * 365 + 1)))
            issued = min(issued, NOTIFICATION - timedelta(days=30))
            row += [issued, "", issued + timedelta(days=rng.randrange(0, 30))]
        row += [
            need,
            str(100000 + rng.randrange(4000)) if phase != "i" else "",
            PHASE_TEXT[phase],
            "",
        ]
        if ehc_plan:
            row.append("No")
        row += [
            str(rng.choices([0, 1, 2, 5], weights=[85, 8, 4, 3])[0]),
            "0",
            f"{rng.uniform(0, 25):.1f}",
            rng.choice(["Yes", "No", "No"]),
            "Yes" if known else "No",
            rng.choice(TEAMS) if known else "",
            rng.choice(["Yes", "No"]),
        ]
        if not ehc_plan:
            row.append("Yes" if rng.random() < 0.95 else "No")
        if rng.random() < problems:  # a realistic sprinkling of problems
            row[rng.choice([3, 9 if ehc_plan else 6])] = ""
        return row

    list1 = [list(LIST1_HEADINGS)] + [person(True) for _ in range(ehc)]
    list2 = [list(LIST2_HEADINGS)] + [person(False) for _ in range(support)]
    return list1, list2


def _csv_cell(value: object) -> object:
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else value


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerows([_csv_cell(c) for c in row] for row in rows)
    os.chmod(path, 0o600)


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """A workbook with real Excel dates, written with xlsxwriter (test extra)."""
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(r, c, value, dates)
                elif value != "":
                    sheet.write(r, c, value)
    book.close()
    os.chmod(path, 0o600)


CASE = """[inspection]
kind = "full"
local_area = "Synthshire"
notification = 2025-04-25
"""


def _run(args: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system: steadier on a shared machine) and peak
    RSS (KiB) of one fresh `sendplan` process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        detail = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"failed: {' '.join(args)}\n{detail}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def _parts(case: Path, **source: Path) -> dict[str, float]:
    """CPU seconds (``process_time``) of the command's parts, in this process: the
    workbook check, calamine reading the cells, checking the rows, the choice."""
    import gc

    from python_calamine import CalamineWorkbook

    from sendplan.case import load_case
    from sendplan.lists.limits import check_workbook
    from sendplan.tracking import ListsSource, read_lists, select_for_tracking

    loaded = load_case(case)
    parts: dict[str, float] = {}
    if "workbook" in source:
        start = time.process_time()
        check_workbook(source["workbook"])
        parts["check"] = time.process_time() - start
        gc.disable()
        start = time.process_time()
        book = CalamineWorkbook.from_path(str(source["workbook"]))
        cells = [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]
        parts["calamine"] = time.process_time() - start
        del book, cells
        gc.enable()
    start = time.process_time()
    lists = read_lists(loaded, ListsSource(**source), NOTIFICATION)
    parts["rows"] = time.process_time() - start - parts.get("check", 0) - parts.get("calamine", 0)
    start = time.process_time()
    select_for_tracking(lists.children, seed=1)
    parts["choose"] = time.process_time() - start
    return parts


def _write(folder: Path, ehc: int, support: int, seed: int) -> None:
    list1, list2 = generate(ehc, support, seed)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "list1.csv", list1)
    write_csv(folder / "list2.csv", list2)
    write_xlsx(folder / "lists.xlsx", {"List 1": list1, "List 2": list2})


def _load() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ehc", type=int, default=20_000, help="rows of List 1")
    parser.add_argument("--support", type=int, default=80_000, help="rows of List 2")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", type=Path, help="write the lists here and stop")
    parser.add_argument(
        "--lists", type=Path, help="time the lists written earlier with --write in this folder"
    )
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per input")
    args = parser.parse_args()

    if args.write:
        _write(args.write, args.ehc, args.support, args.seed)
        print(f"wrote {args.write}/list1.csv, list2.csv, lists.xlsx")
        return

    with tempfile.TemporaryDirectory() as folder:
        tmp = args.lists or Path(folder)
        case = Path(folder) / "case.toml"
        case.write_text(CASE, encoding="utf-8")
        if not args.lists:
            start = time.perf_counter()
            _write(tmp, args.ehc, args.support, args.seed)
            took = time.perf_counter() - start
            print(f"generated {args.ehc:,} + {args.support:,} rows in {took:.1f} s")
        exe = [sys.executable, "-m", "sendplan"]
        runs = {
            "csv": exe + ["select", str(case), "--list1", str(tmp / "list1.csv"),
                          "--list2", str(tmp / "list2.csv"), "--seed", "1", "-f", "json"],
            "xlsx": exe + ["select", str(case), "--lists", str(tmp / "lists.xlsx"),
                           "--seed", "1", "-f", "json"],
        }  # fmt: skip
        print(f"load average before: {_load()}; {args.runs} fresh processes per input")
        print(f"{'input':<6} {'CPU min-max (s)':>16} {'wall min (s)':>13} {'peak RSS (MiB)':>15}"
              "   parts in one process, CPU (s)")  # fmt: skip
        for name, command in runs.items():
            results = [_run(command) for _ in range(args.runs)]
            cpu = sorted(r[1] for r in results)
            wall = min(r[0] for r in results)
            rss = max(r[2] for r in results)
            if name == "csv":
                parts = _parts(case, list1=tmp / "list1.csv", list2=tmp / "list2.csv")
            else:
                parts = _parts(case, workbook=tmp / "lists.xlsx")
            shown = ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
            print(f"{name:<6} {cpu[0]:>7.2f}-{cpu[-1]:<8.2f} {wall:>13.2f} {rss / 1024:>15.0f}"
                  f"   {shown}")  # fmt: skip
        print(f"load average after: {_load()}")
        try:
            import openpyxl  # type: ignore[import-untyped]
        except ImportError:
            print("openpyxl not installed: skipping the reader comparison")
            return
        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        book = CalamineWorkbook.from_path(str(tmp / "lists.xlsx"))
        for sheet in book.sheet_names:
            book.get_sheet_by_name(sheet).to_python()
        calamine = time.perf_counter() - start
        start = time.perf_counter()
        book = openpyxl.load_workbook(tmp / "lists.xlsx", read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        print(
            f"reading the workbook's cells: python-calamine {calamine:.2f} s, "
            f"openpyxl (read-only) {time.perf_counter() - start:.2f} s"
        )


if __name__ == "__main__":
    main()
