#!/bin/sh
# Builds a year of git history for the sample workspace, so trends, record history and the
# management review pack have something to show on the first run:
#
#   scripts/sample-history.sh /tmp/aims-demo
#   cargo run -- /tmp/aims-demo --today 2026-11-22 --as amoreau
#
# It makes DEST (which must not exist yet) a git repository and commits the sample as it
# grew and changed from September 2025 to November 2026: the registers moved in from the
# shared drive, the 2025 internal audit and its nonconformity, the 2025 management review,
# then month by month risks rescored after controls went live (RISK-001 12 → 8), accepted
# (RISK-020) or closed (RISK-018), owners changed, NCs raised, worked and closed, context
# and interested parties updated, metric measurements appended, records marked reviewed,
# and the 2026 audit started. Each commit is by the person who would have made it, on a
# fixed date. The last commit is the sample exactly as the repository holds it; the
# repository's own sample-workspace/ is left untouched. Needs git, awk, sed and a POSIX
# shell; no network.
#
# How the past is made: every record's earlier state is derived from its final file.
# Log entries (`  - {date: ...}` of reviews, measurements, communication logs) dated after
# the commit are left out, and `last_reviewed` goes back with them; `before DATE FILE SED`
# below names the other changes (a rescoring, an acceptance, a status) by undoing them in
# the commits dated before DATE.
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
# The final records, without aims' own cache, lock and temporary files (not records).
mkdir "$work/final"
cp -R "$src/." "$work/final/"
rm -rf "$work/final/.aims" "$work/final"/.aims-tmp.*
[ -e "$work/final/.gitignore" ] || printf '.aims/\n' > "$work/final/.gitignore"
: > "$work/present" # the files the workspace holds so far
: > "$work/rules"   # DATE <tab> FILE <tab> sed script undoing a change made on DATE

# No user or system configuration: the history is the same on every machine.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git -C "$dest" init -q -b main

tab=$(printf '\t')

# before DATE FILE SED: until DATE the file read as SED makes it from its final text.
before() {
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$work/rules"
}
# sed that removes a top-level key and its folded (indented) text.
drop() {
    for k in "$@"; do
        printf '/^%s:/,/^[a-z#]/{/^%s:/d;/^  /d;};' "$k" "$k"
    done
}
# add PATH...: files (or every file of a directory) the workspace holds from now on.
add() {
    for p in "$@"; do
        if [ -d "$work/final/$p" ]; then
            (cd "$work/final" && find "$p" -type f) >> "$work/present"
        else
            [ -e "$work/final/$p" ] && echo "$p" >> "$work/present"
        fi
    done
    sort -u -o "$work/present" "$work/present"
}

# The final file as it stood on DATE: later log entries left out (a log left empty loses
# its key), `last_reviewed` set to the last review kept.
upto() {
    awk -v d="$1" '
        NR == FNR {
            if ($0 ~ /^[a-z_]+:/) sec = $0
            if (sec ~ /^reviews:/ && $0 ~ /^  - \{date: /) {
                x = substr($0, 12, 10)
                if (x <= d && x > last) last = x
            }
            next
        }
        /^[a-z_]+:/ { pending = "" }
        /^(reviews|measurements|log):[ ]*$/ { pending = $0; next }
        /^  - \{date: / {
            if (substr($0, 12, 10) > d) next
            if (pending != "") { print pending; pending = "" }
        }
        /^last_reviewed: / && substr($0, 16, 10) > d {
            if (last != "") print "last_reviewed: " last
            next
        }
        { print }
    ' "$2" "$2"
}

# commit DATE PERSON-ID "Person Name" "message": writes every present file as it stood
# on DATE and commits what changed, as that person on that date.
commit() {
    date=$1 who=$2 name=$3 message=$4
    cut=${asof:-$date}
    while IFS= read -r p; do
        if [ ! -e "$dest/$p" ]; then
            mkdir -p "$dest/$(dirname "$p")"
            cp "$work/final/$p" "$dest/$p"
        fi
        # Only files with a log or a review date change over time.
        if grep -q '^  - {date: \|^last_reviewed: ' "$work/final/$p"; then
            upto "$cut" "$work/final/$p" > "$dest/$p"
        elif grep -q "$tab$p$tab" "$work/rules"; then
            cp "$work/final/$p" "$dest/$p"
        fi
    done < "$work/present"
    # The changes not yet made on DATE, undone latest first.
    awk -F "$tab" -v d="$cut" '$1 > d' "$work/rules" | sort -r |
        while IFS="$tab" read -r when p script; do
            if [ -e "$dest/$p" ]; then
                sed -e "$script" "$dest/$p" > "$work/tmp" && cat "$work/tmp" > "$dest/$p"
            fi
        done
    git -C "$dest" add -A
    if git -C "$dest" rev-parse -q --verify HEAD >/dev/null &&
        git -C "$dest" diff --cached --quiet; then
        return 0
    fi
    GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL="$who@example.invalid" \
    GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL="$who@example.invalid" \
    GIT_AUTHOR_DATE="${date}T10:00:00Z" GIT_COMMITTER_DATE="${date}T10:00:00Z" \
        git -C "$dest" commit -q -m "$message"
}

# --- What changed, and when (undone in the commits before the date) -------------------

# Risks: rescored after controls went live or incidents, accepted, closed, owners changed.
before 2026-02-10 risks/RISK-001.yaml 's/^residual_likelihood: 2$/residual_likelihood: 3/;s/^status: monitoring$/status: treating/'
before 2026-10-02 risks/RISK-002.yaml 's/^residual_likelihood: 3$/residual_likelihood: 2/'
before 2025-12-03 risks/RISK-002.yaml 's/^residual_impact: 4$/residual_impact: 5/'
before 2026-08-18 risks/RISK-004.yaml 's/^likelihood: 4$/likelihood: 3/'
before 2026-09-08 risks/RISK-004.yaml 's/^residual_likelihood: 3$/residual_likelihood: 4/'
before 2026-03-20 risks/RISK-005.yaml 's/^residual_likelihood: 2$/residual_likelihood: 3/;s/^status: monitoring$/status: treating/'
before 2026-05-28 risks/RISK-006.yaml 's/^residual_likelihood: 2$/residual_likelihood: 3/;s/^status: monitoring$/status: treating/'
before 2026-08-20 risks/RISK-008.yaml 's/^owner: amoreau$/owner: lchen/'
before 2026-04-15 risks/RISK-009.yaml 's/^accepted_on: 2026-04-15$/accepted_on: 2025-06-10/;s/^accepted_until: 2027-04-15$/accepted_until: 2026-06-10/'
before 2026-06-24 risks/RISK-011.yaml 's/^owner: dokafor$/owner: amoreau/'
before 2026-06-03 risks/RISK-014.yaml 's/^residual_impact: 3$/residual_impact: 4/'
before 2026-09-15 risks/RISK-018.yaml 's/^status: closed$/status: monitoring/'
before 2026-03-18 risks/RISK-020.yaml "s/^treatment: accept\$/treatment: mitigate/;s/^status: monitoring\$/status: treating/;/^accepted_by:/d;/^accepted_on:/d;/^accepted_until:/d;$(drop acceptance_rationale)"
before 2026-03-20 risks/RISK-021.yaml 's/^residual_likelihood: 3$/residual_likelihood: 4/'

# Nonconformities: raised, worked on, verified, closed.
before 2026-03-12 nonconformities/NC-001.yaml 's/^status: closed$/status: verifying/;/^verified_by:/d;/^verified_on:/d;/^closed_on:/d;/^# Verified by sampling/d;/^# which risk matrix/d'
before 2026-01-28 nonconformities/NC-001.yaml 's/^status: verifying$/status: in-progress/'
before 2025-12-15 nonconformities/NC-001.yaml "s/^status: in-progress\$/status: open/;$(drop root_cause corrective_action)"
before 2026-10-15 nonconformities/NC-002.yaml 's/^status: verifying$/status: in-progress/'
before 2026-04-15 nonconformities/NC-002.yaml "s/^status: in-progress\$/status: open/;$(drop root_cause corrective_action)"
before 2026-02-18 nonconformities/NC-003.yaml 's/^status: in-progress$/status: open/'
before 2026-11-10 nonconformities/NC-004.yaml "$(drop correction)"

# Context and interested parties: what the reviews of 2026 changed.
before 2026-09-15 context-issues/CTX-001.yaml 's/^  AI Act gap plan; the impact assessment procedure (DOC-003) was extended$/  AI Act gap plan./;/^  with a fundamental-rights section in 2026\.$/d'
before 2026-06-18 context-issues/CTX-002.yaml 's/^  monitoring) and the revised Consumer Protection Code asks firms to explain$/  monitoring) and the draft Consumer Protection Code would ask firms to explain/'
before 2026-05-20 context-issues/CTX-003.yaml 's/^  for AI tools, the AI literacy module (OBJ-003) and NC-003.$/  for AI tools and the AI literacy module (OBJ-003)./'
before 2026-01-20 context-issues/CTX-004.yaml 's/^  an absence can delay a corrective action\. A third data scientist for the$/  an absence can delay a corrective action./;/^  credit model team is funded for 2027; pipeline runbooks are kept with the$/d;/^  model cards\.$/d'
before 2026-06-18 interested-parties/IP-002.yaml '/Consumer Protection Code: plain-language/d'
before 2026-07-02 interested-parties/IP-003.yaml 's/^  basis, sensitive attributes and retention for every dataset.$/  basis and retention for the credit and fraud datasets./'
before 2026-04-22 interested-parties/IP-006.yaml 's/^  Supplier due diligence and contract review for each AI supplier (SUP-001 to$/  Supplier due diligence and contract review for the AI suppliers (SUP-001,/;s/^  SUP-005), the acceptable-use rules/  SUP-002, SUP-004, SUP-005), the acceptable-use rules/'

# The 2025 audit: planned, under way, completed.
before 2025-10-24 audits/AUD-2025-01.yaml "s/^status: completed\$/status: in-progress/;/^completed_on:/d;/^signed_off_by:/d;/^signed_off_on:/d;$(drop conclusion)"
# The 2025 management review: prepared, then held with its decisions and actions; the
# actions done one by one during the year.
before 2025-11-27 management-reviews/MR-2025.yaml 's/^status: held$/status: planned/;/^decisions:/,$d'
before 2026-01-10 management-reviews/MR-2025.yaml 's/due: 2025-12-31, status: done/due: 2025-12-31, status: open/'
before 2026-01-28 management-reviews/MR-2025.yaml 's/due: 2026-01-31, status: done/due: 2026-01-31, status: open/'
before 2026-06-24 management-reviews/MR-2025.yaml 's/due: 2026-06-30, status: done/due: 2026-06-30, status: open/'
# The 2026 audit: planned, then started.
before 2026-11-03 audits/AUD-2026-01.yaml 's/^status: in-progress$/status: planned/;/^started_on:/d'

# --- The commits --------------------------------------------------------------------

# shellcheck disable=SC2046
add .gitignore aims.yaml documents evidence context-issues/CTX-001.yaml \
    context-issues/CTX-002.yaml interested-parties suppliers/SUP-001.yaml \
    suppliers/SUP-002.yaml suppliers/SUP-004.yaml suppliers/SUP-005.yaml \
    $(cd "$work/final" && ls systems/*.yaml | grep -v SYS-005) \
    $(cd "$work/final" && ls risks/*.yaml | grep -v 'RISK-02[345]') \
    impact-assessments/IA-002.yaml $(cd "$work/final" && ls soa/*.yaml | head -n 20)
commit 2025-09-29 amoreau "Anne Moreau" "AIMS registers moved from the shared drive into this workspace"
add audits/AUD-2025-01.yaml
commit 2025-10-13 jkowalski "Jan Kowalski" "AUD-2025-01 started: readiness audit of the AIMS"
add nonconformities/NC-001.yaml
commit 2025-10-24 jkowalski "Jan Kowalski" "AUD-2025-01 completed; NC-001 raised on document control"
add management-reviews
commit 2025-11-03 amoreau "Anne Moreau" "MR-2025 planned; inputs prepared"
add nonconformities/NC-003.yaml context-issues/CTX-003.yaml context-issues/CTX-004.yaml
commit 2025-11-27 dokafor "David Okafor" "MR-2025 held: decisions and actions; NC-003 raised; two new context issues"
add systems/SYS-005.yaml objectives metrics communications
commit 2025-12-11 amoreau "Anne Moreau" "KPI set adopted after MR-2025: objectives, metrics, communication plan; coding assistant inventoried (SYS-005)"
commit 2025-12-15 amoreau "Anne Moreau" "NC-001: root cause and corrective action"
add impact-assessments/IA-006.yaml datasets/DS-001.yaml datasets/DS-002.yaml
commit 2026-01-20 lchen "Li Chen" "January: IA-006, first datasets, CTX-004 updated, measurements"
add $(cd "$work/final" && ls soa/*.yaml | tail -n +21) impact-assessments/IA-001.yaml impact-assessments/IA-005.yaml
commit 2026-02-10 lchen "Li Chen" "NLS-3 v3 released: IA-001 v3, RISK-001 rescored 12 -> 8; SoA completed"
add suppliers/SUP-003.yaml risks/RISK-023.yaml
commit 2026-02-18 pnair "Priya Nair" "Stackwise due diligence (SUP-003); NC-003 in progress; shadow AI risk added"
add incidents/INC-002.yaml nonconformities/NC-002.yaml
commit 2026-03-12 lchen "Li Chen" "INC-002 and NC-002 raised; NC-001 verified and closed"
commit 2026-03-20 dokafor "David Okafor" "AI risk committee: RISK-020 accepted, RISK-005 and RISK-021 rescored"
commit 2026-04-22 amoreau "Anne Moreau" "April: RISK-009 acceptance renewed, NC-002 corrective action, IP-006 updated"
add impact-assessments/IA-004.yaml risks/RISK-024.yaml
commit 2026-05-28 rsantos "Rita Santos" "May: IA-004 approved, RISK-006 rescored, false-decline risk added"
add competence datasets impact-assessments/IA-007.yaml
commit 2026-06-24 dokafor "David Okafor" "June: competence records, training-data inventory, RISK-011 to dokafor, context reviewed"
commit 2026-07-30 pnair "Priya Nair" "July: reviews and measurements"
add incidents/INC-001.yaml
commit 2026-08-20 pnair "Priya Nair" "INC-001 prompt injection; RISK-004 rescored; RISK-008 to amoreau"
add incidents/INC-003.yaml impact-assessments risks/RISK-025.yaml
commit 2026-09-30 amoreau "Anne Moreau" "September: RISK-018 closed, CTX-001 updated, IA-003 v2, INC-003"
commit 2026-10-20 rsantos "Rita Santos" "October: RISK-002 rescored after INC-003, NC-002 verifying"
add audits nonconformities/NC-004.yaml
commit 2026-11-05 jkowalski "Jan Kowalski" "AUD-2026-01 started; NC-004 raised on the HireLens v5 release"
add nonconformities
commit 2026-11-10 jkowalski "Jan Kowalski" "Stage 1 finding recorded (NC-005); NC-004 correction under way"
add incidents
commit 2026-11-20 pnair "Priya Nair" "INC-004 logged; measurements of November"
# Anything the plan above does not name (a record added to the sample later), and the
# sample exactly as it is.
(cd "$work/final" && find . -type f | sed 's|^\./||') >> "$work/present"
sort -u -o "$work/present" "$work/present"
asof=9999-12-31
commit 2026-11-21 amoreau "Anne Moreau" "Remaining records"
echo "sample-history: $(git -C "$dest" rev-list --count HEAD) commits in $dest"
