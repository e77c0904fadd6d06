#!/usr/bin/env bash
# `aims check DIR` against a PyYAML (libyaml) script doing a comparable basic check, side by
# side in one run: the median wall time of RUNS whole-process runs each, peak RSS, the ratio.
#
# Usage: benches/check-vs-pyyaml.sh DIR [RUNS]      (RUNS: 5)
#   A workspace to try: cargo bench --bench e2e -- --generate /tmp/ws10k --records 10000
#   AIMS_BIN picks the binary (default: target/release/aims, built if missing).
#   AIMS_CHECK_ARGS=--no-cache times the cold path (by default the parse cache is warm).
set -euo pipefail

dir=${1:?usage: benches/check-vs-pyyaml.sh DIR [RUNS]}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
aims=${AIMS_BIN:-$here/target/release/aims}
today=2026-11-22

if [[ ! -x $aims ]]; then
    echo "$aims is missing: building it with cargo build --release (takes minutes)" >&2
    (cd "$here" && cargo build --release --bin aims)
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "PyYAML is missing: installing it with pip install --user pyyaml" >&2
    python3 -m pip install --user --quiet pyyaml
fi
if ! python3 -c 'import yaml; yaml.CSafeLoader' 2>/dev/null; then
    echo "note: this PyYAML has no C loader (libyaml); the script falls back to the pure-Python loader" >&2
fi

# Wall seconds of one run of "$@" (output discarded; exit 1 allowed: findings are not errors here).
wall() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || [[ $? -eq 1 ]]
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}

# Peak RSS in MiB of one run of "$@", when GNU time is there.
peak() {
    if [[ -x /usr/bin/time ]]; then
        # `|| true`: a check with findings exits 1, which must not end the script (pipefail).
        { /usr/bin/time -f %M "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.0f", $1 / 1024}'
    else
        echo "?"
    fi
}

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# AIMS_CHECK_ARGS=--no-cache times the cold path (every file parsed); by default the
# parse cache in DIR/.aims/cache is valid after the warm-up run (the warm path).
read -r -a extra <<<"${AIMS_CHECK_ARGS:-}"
aims_cmd=("$aims" check "$dir" --today "$today" "${extra[@]}")
py_cmd=(python3 "$here/benches/pyyaml_check.py" "$dir")

records=$("${aims_cmd[@]}" 2>/dev/null | tail -1 || true)
echo "workspace: $dir ($records)"
echo "python:    $("${py_cmd[@]}" 2>/dev/null | tail -1 || true)"
echo "runs:      $runs each, alternating, after one warm-up run each (page cache warm)"

wall "${aims_cmd[@]}" >/dev/null
wall "${py_cmd[@]}" >/dev/null
a_times=() p_times=()
for ((i = 0; i < runs; i++)); do
    a_times+=("$(wall "${aims_cmd[@]}")")
    p_times+=("$(wall "${py_cmd[@]}")")
done
a=$(printf '%s\n' "${a_times[@]}" | median)
p=$(printf '%s\n' "${p_times[@]}" | median)
a_rss=$(peak "${aims_cmd[@]}")
p_rss=$(peak "${py_cmd[@]}")

printf '\n%-28s %10s %10s\n' "" "median" "peak RSS"
printf '%-28s %9.3fs %7s MiB\n' "aims check ${AIMS_CHECK_ARGS:-(cache valid)}" "$a" "$a_rss"
printf '%-28s %9.3fs %7s MiB\n' "PyYAML script" "$p" "$p_rss"
printf '%-28s %9.1fx\n' "aims check is faster by" "$(echo "$p / $a" | bc -l)"
echo "all runs (s): aims ${a_times[*]}"
echo "              python ${p_times[*]}"
