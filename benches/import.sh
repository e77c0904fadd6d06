#!/bin/sh
# Benchmark of `aims import` (not a timed test): a spreadsheet of 5,000 new risks (plus the
# sample's 21, exported with them) imported into a fresh copy of the sample workspace, then
# `aims check` on the result, which must pass (exit 0). Prints the median import time of
# the XLSX and of the same rows as CSV. The target: under 10 s with the release binary.
#
#   benches/import.sh [RISKS] [RUNS]      # RISKS default 5000, RUNS 3
set -eu
cd "$(dirname "$0")/.."
RISKS=${1:-5000}
RUNS=${2:-3}
cargo build --release --bin aims
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$(pwd)/$TARGET ;; esac
BIN=$TARGET/release/aims
WORK=$(mktemp -d /tmp/aims-import-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export AIMS_TODAY=2026-11-22
# The rows: every category, five systems, four owners, scores that keep residual below
# inherent, mitigated by controls the sample's SoA includes; commas and quotes in the text.
python3 - "$RISKS" "$WORK/new.csv" <<'PY'
import csv, sys
n, out = int(sys.argv[1]), sys.argv[2]
cats = ["bias-fairness", "privacy", "security", "safety", "transparency", "robustness", "accountability", "environmental"]
owners = ["amoreau", "lchen", "pnair", "rsantos"]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["Title", "Description", "Systems", "Category", "Likelihood", "Impact",
                "Residual likelihood", "Residual impact", "Treatment", "Annex A controls",
                "Treatment plan", "Treatment due", "Owner", "Status"])
    for i in range(n):
        l, im = 2 + i % 4, 2 + (i // 4) % 4
        w.writerow([f"Imported risk {i + 1}: model output \"drifts\", unnoticed",
                    f"Cause {i}, event and consequence, in one sentence.",
                    f"SYS-00{1 + i % 5}", cats[i % len(cats)], l, im, 1, 1, "mitigate",
                    "A.6.2.4; A.7.4", "Filter and monitor outputs", "2027-06-30",
                    owners[i % len(owners)], "treating"])
PY
# The XLSX as auditors and GRC tools hand it over: exported by aims itself.
cp -r sample-workspace "$WORK/seed"
"$BIN" import risks "$WORK/new.csv" "$WORK/seed" --yes --as amoreau >/dev/null
"$BIN" export risks "$WORK/seed" --format xlsx --out "$WORK/risks.xlsx"
"$BIN" export risks "$WORK/seed" --format csv --out "$WORK/risks.csv"
python3 - "$BIN" "$WORK" "$RUNS" <<'PY'
import os, resource, shutil, statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def once(sheet, n):
    ws = os.path.join(work, f"ws-{n}")
    shutil.rmtree(ws, ignore_errors=True)
    shutil.copytree("sample-workspace", ws)
    cpu = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))
    t, c = time.perf_counter(), cpu()
    subprocess.run([bin, "import", "risks", sheet, ws, "--yes", "--as", "amoreau"],
                   check=True, stdout=subprocess.DEVNULL)
    took = (time.perf_counter() - t, cpu() - c)
    files = len(os.listdir(os.path.join(ws, "risks")))
    check = subprocess.run([bin, "check", ws], stdout=subprocess.PIPE, text=True)
    if check.returncode != 0:
        sys.exit(f"aims check failed after importing {sheet}:\n{check.stdout[-2000:]}")
    return took, files
for sheet in ["risks.xlsx", "risks.csv"]:
    times, cpus = [], []
    for n in range(runs):
        (took, cpu_s), files = once(os.path.join(work, sheet), n)
        times.append(took)
        cpus.append(cpu_s)
    # Wall time includes waiting for the disk (an fsync per record written); CPU time
    # (user + system) is what the import itself costs.
    print(f"{sheet}: {files} risk files; import median {statistics.median(times):.2f} s wall, "
          f"{statistics.median(cpus):.2f} s CPU (runs: {', '.join(f'{t:.2f}' for t in times)}); "
          "aims check passed")
PY
