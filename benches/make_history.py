#!/usr/bin/env python3
"""Gives a generated workspace a history: COMMITS commits over a year, each changing a few
records the way a team does (reviews recorded, NCs raised and closed, incidents reported).

    python3 benches/make_history.py DIR [--commits 1000] [--start 2026-11-02] [--seed 42]

DIR must be a git repository holding a workspace (`cargo bench --bench e2e -- --generate
DIR --records 10000` writes one). Dates and names are fixed, so two runs with the same
seed make the same history. Used by benches/trends.sh; not a test.
"""
import argparse, datetime, os, random, re, subprocess, sys

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--commits", type=int, default=1000)
    ap.add_argument("--start", default="2026-11-02")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    root = a.dir
    start = datetime.datetime.fromisoformat(a.start + "T08:00:00+00:00")
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
               GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.invalid")

    def git(*args):
        subprocess.run(["git", "-C", root, *args], check=True, env=env)

    risks = sorted(os.listdir(os.path.join(root, "risks")))
    open_ncs = [n for n in sorted(os.listdir(os.path.join(root, "nonconformities")))
                if "status: closed" not in read(root, "nonconformities", n)]
    with open(os.path.join(root, ".gitignore"), "a") as f:
        f.write(".aims/\n")
    next_nc, next_inc = 90000, 90000
    # 1000 commits over 365 days: about three a day, at increasing times.
    for i in range(a.commits):
        when = start + datetime.timedelta(minutes=i * 365 * 24 * 60 // a.commits)
        day = when.date().isoformat()
        touched, what = [], []
        for name in rnd.sample(risks, 3):
            path = os.path.join("risks", name)
            text = read(root, "risks", name)
            text = set_field(text, "last_reviewed", day)
            write(root, path, text)
            touched.append(path)
        what.append("3 risk reviews")
        r = rnd.random()
        if r < 0.3:
            name = f"NC-{next_nc}.yaml"
            next_nc += 1
            due = (when + datetime.timedelta(days=rnd.choice([30, 60, 90]))).date().isoformat()
            write(root, os.path.join("nonconformities", name),
                  f"id: {name[:-5]}\nsource: audit\nseverity: {rnd.choice(['minor', 'major'])}\n"
                  f"description: Finding {i}.\nowner: amoreau\nraised_on: {day}\ndue: {due}\nstatus: open\n")
            open_ncs.append(name)
            touched.append(os.path.join("nonconformities", name))
            what.append("NC raised")
        elif r < 0.55 and open_ncs:
            name = open_ncs.pop(rnd.randrange(len(open_ncs)))
            text = read(root, "nonconformities", name)
            text = set_field(set_field(text, "status", "closed"), "closed_on", day)
            write(root, os.path.join("nonconformities", name), text)
            touched.append(os.path.join("nonconformities", name))
            what.append("NC closed")
        elif r < 0.7:
            name = f"INC-{next_inc}.yaml"
            next_inc += 1
            write(root, os.path.join("incidents", name),
                  f"id: {name[:-5]}\nsystem: SYS-00001\noccurred_on: {day}\ntype: drift\n"
                  f"severity: {rnd.choice(['low', 'medium', 'high'])}\ndescription: Incident {i}.\n"
                  f"owner: pnair\nstatus: open\n")
            touched.append(os.path.join("incidents", name))
            what.append("incident")
        stamp = when.isoformat()
        git("add", ".gitignore", *touched)
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
        git("commit", "-q", "-m", f"{day}: " + ", ".join(what))
        if i % 100 == 99:
            print(f"{i + 1} commits", file=sys.stderr)

def read(root, *parts):
    with open(os.path.join(root, *parts), encoding="utf-8") as f:
        return f.read()

def write(root, rel, text):
    with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
        f.write(text)

def set_field(text, key, value):
    """Sets a top-level scalar field: replaces its line, or appends one."""
    pattern = re.compile(rf"^{key}:.*$", re.M)
    if pattern.search(text):
        return pattern.sub(f"{key}: {value}", text, count=1)
    return text.rstrip("\n") + f"\n{key}: {value}\n"

if __name__ == "__main__":
    main()
