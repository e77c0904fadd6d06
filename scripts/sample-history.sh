#!/bin/sh
# Builds a year of git history for the sample workspace, so trends, record history and the
# management review pack have something to show on the first run:
#
#   scripts/sample-history.sh /tmp/aims-demo
#   cargo run -- /tmp/aims-demo --today 2026-11-22 --as amoreau
#
# It copies sample-workspace/ to DEST (which must not exist yet), makes it a git
# repository and commits the records month by month, December 2025 to November 2026, in
# the order an organisation builds its AIMS (context and scope first, then systems, risks
# and the SoA, then audits, nonconformities, incidents and the management review), each
# commit by the person who would have made it, with fixed dates. The repository's own
# sample-workspace/ is left untouched. Needs git and a POSIX shell; no network.
set -eu

src=$(cd "$(dirname "$0")/../sample-workspace" && pwd)
dest=${1:?usage: scripts/sample-history.sh DEST (a directory that does not exist yet)}
if [ -e "$dest" ]; then
    echo "sample-history: $dest already exists: give a new directory" >&2
    exit 2
fi
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
# aims' own cache, lock and temporary files are not records (and are ignored by git).
rm -rf "$work/.aims" "$work"/.aims-tmp.*

# No user or system configuration: the history is the same on every machine.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git -C "$dest" init -q -b main
# The cache aims keeps under .aims/ is never committed (the sample's .gitignore says so).
[ -e "$work/.gitignore" ] || printf '.aims/\n' > "$work/.gitignore"

# step DATE PERSON-ID "Person Name" "message" PATH... : moves PATHs (relative to the
# sample) into the repository and commits them as that person on that date.
step() {
    date=$1 who=$2 name=$3 message=$4
    shift 4
    for p in "$@"; do
        [ -e "$work/$p" ] || continue
        if [ -d "$work/$p" ]; then
            mkdir -p "$dest/$p"
            cp -R "$work/$p/." "$dest/$p/"
        else
            mkdir -p "$dest/$(dirname "$p")"
            cp "$work/$p" "$dest/$p"
        fi
        rm -rf "${work:?}/$p"
    done
    git -C "$dest" add -A
    # Nothing new (a directory the sample no longer has): no empty commit.
    if git -C "$dest" rev-parse -q --verify HEAD >/dev/null &&
        git -C "$dest" diff --cached --quiet; then
        return 0
    fi
    GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL="$who@example.invalid" \
    GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL="$who@example.invalid" \
    GIT_AUTHOR_DATE="${date}T10:00:00Z" GIT_COMMITTER_DATE="${date}T10:00:00Z" \
        git -C "$dest" commit -q -m "$message"
}

# The files of a directory of the sample, sorted; `half first|rest` splits them.
files() {
    (cd "$work" && ls "$1"/*.yaml 2>/dev/null | sort) || true
}
half() {
    list=$(files "$2")
    n=$(printf '%s\n' "$list" | grep -c . || true)
    k=$(( (n + 1) / 2 ))
    if [ "$1" = first ]; then
        printf '%s\n' "$list" | head -n "$k"
    else
        printf '%s\n' "$list" | tail -n +"$((k + 1))"
    fi
}

step 2025-12-01 amoreau "Anne Moreau" "Set up the AIMS: scope, context, interested parties, policy documents" \
    .gitignore aims.yaml context-issues interested-parties documents
step 2026-01-12 lchen "Li Chen" "Inventory of AI systems and their datasets" \
    systems datasets
# shellcheck disable=SC2046
step 2026-02-09 dokafor "David Okafor" "First risk assessment at the AI risk committee" \
    $(half first risks)
# shellcheck disable=SC2046
step 2026-03-09 amoreau "Anne Moreau" "Statement of Applicability, first pass; remaining risks" \
    $(half first soa) risks
step 2026-04-13 pnair "Priya Nair" "Supplier due diligence and impact assessments" \
    suppliers impact-assessments
step 2026-05-11 amoreau "Anne Moreau" "SoA completed; AIMS objectives and their metrics" \
    soa objectives metrics
step 2026-06-08 rsantos "Rita Santos" "Competence records and the communication plan" \
    competence communications
step 2026-07-13 jkowalski "Jan Kowalski" "Internal audit programme" \
    audits
# shellcheck disable=SC2046
step 2026-08-10 jkowalski "Jan Kowalski" "Nonconformities raised at the internal audit" \
    $(half first nonconformities)
step 2026-09-14 rsantos "Rita Santos" "Incident log" \
    incidents
step 2026-10-12 amoreau "Anne Moreau" "Remaining nonconformities; evidence filed" \
    nonconformities evidence
step 2026-11-16 dokafor "David Okafor" "Management review minutes" \
    management-reviews
# Anything the plan above does not name yet (a directory added to the sample later).
rest=$(cd "$work" && ls -A)
if [ -n "$rest" ]; then
    # shellcheck disable=SC2086
    step 2026-11-20 amoreau "Anne Moreau" "Remaining records" $rest
fi
echo "sample-history: $(git -C "$dest" rev-list --count HEAD) commits in $dest"
