#!/bin/sh
# Benchmark of `aims trends` (not a timed test): a generated 10,000-record workspace with a
# year of history (1,000 commits, each changing a few records), trends computed the first
# time and again when nothing is new. Prints the medians.
#
#   benches/trends.sh [DIR] [RUNS]      # DIR default /tmp/aims-trends-bench, RUNS 5
#
# Builds the release binary, writes the workspace with `cargo bench --bench e2e --
# --generate`, adds the history with benches/make_history.py (skipped when DIR exists).
set -eu
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/aims-trends-bench}
RUNS=${2:-5}
cargo build --release --bin aims
BIN=${CARGO_TARGET_DIR:-target}/release/aims
if [ ! -d "$DIR" ]; then
    cargo bench --bench e2e -- --generate "$DIR" --records 10000
    python3 benches/make_history.py "$DIR" --commits 1000
fi
echo "commits: $(git -C "$DIR" rev-list --count HEAD), record files: $(git -C "$DIR" ls-files '*.yaml' | wc -l)"
python3 - "$BIN" "$DIR" "$RUNS" <<'PY'
import glob, os, statistics, subprocess, sys, time
bin, root, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run():
    t = time.perf_counter()
    subprocess.run([bin, "trends", root, "--format", "csv"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t
def drop(pattern):
    for p in glob.glob(os.path.join(root, ".aims", "cache", "*", pattern)):
        os.remove(p)
# Any aims command that loads the workspace (here `aims check`) leaves the parse cache of the
# working tree, which the first trends run uses for files unchanged since.
subprocess.run([bin, "check", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
first, cold, again = [], [], []
for _ in range(runs):
    drop("trends.json"); first.append(run())
for _ in range(runs):
    drop("trends.json"); drop("parse-*.bin"); cold.append(run())
subprocess.run([bin, "check", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
run()
for _ in range(runs * 2):
    again.append(run())
ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms (median of {len(xs)})"
print(f"first run (no trends cache, parse cache warm): {ms(first)}")
print(f"first run (no cache at all):                   {ms(cold)}")
print(f"nothing new (trends cache hit):                {ms(again)}")
PY
