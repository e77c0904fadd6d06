//! Record history and trends from git, on repositories built here with fixed dates and
//! names (no user or system git configuration), so nothing depends on the clock or user.

mod common;
use common::git::{SETTINGS, commit_all, git, write};

use aims_workbench::cli::history::{
    HistoryArgs, TrendsArgs, TrendsFormat, run_history, run_trends,
};
use aims_workbench::cli::{Format, exit};
use aims_workbench::workspace::Workspace;
use aims_workbench::workspace::history::{Touch, record_history, since_last_review};
use aims_workbench::workspace::trends::{point_of, trends};
use std::path::Path;

fn risk(id: &str, owner: &str, residual: (u32, u32), extra: &str) -> String {
    format!(
        "id: {id}\ntitle: Model drift\nlikelihood: 4\nimpact: 4\nresidual_likelihood: {}\nresidual_impact: {}\nowner: {owner}\nstatus: treating\n{extra}",
        residual.0, residual.1
    )
}

/// A workspace in a new repository, `.aims/` ignored as `aims init` does.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "aims.yaml", SETTINGS);
    write(dir.path(), ".gitignore", ".aims/\n");
    git(
        dir.path(),
        "2026-01-01T09:00:00Z",
        &["init", "-q", "-b", "main"],
    );
    dir
}

fn open(root: &Path) -> Workspace {
    Workspace::open(root).expect("workspace opens")
}

#[test]
fn field_level_history_follows_a_rename_and_shows_uncommitted_edits() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), ""),
    );
    commit_all(root, "2026-01-10T10:00:00Z", "Add drift risk");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "bob", (2, 3), ""),
    );
    commit_all(
        root,
        "2026-02-10T10:00:00Z",
        "Hand RISK-001 to Bob, rescore",
    );
    git(
        root,
        "2026-03-10T10:00:00Z",
        &["mv", "risks/RISK-001.yaml", "risks/RISK-007.yaml"],
    );
    write(
        root,
        "risks/RISK-007.yaml",
        &risk("RISK-007", "bob", (2, 3), ""),
    );
    commit_all(root, "2026-03-10T10:00:00Z", "Renumber the drift risk");
    // Not committed: the status moves on.
    let text = risk("RISK-007", "bob", (2, 3), "").replace("treating", "monitoring");
    write(root, "risks/RISK-007.yaml", &text);

    let ws = open(root);
    let h = record_history(root, ws.get("RISK-007").unwrap());
    assert!(h.notes.is_empty(), "{:?}", h.notes);
    let touches: Vec<&Touch> = h.entries.iter().map(|e| &e.touch).collect();
    assert_eq!(
        touches,
        [
            &Touch::Uncommitted,
            &Touch::Renamed {
                from: "risks/RISK-001.yaml".into()
            },
            &Touch::Modified,
            &Touch::Added
        ]
    );
    let summary = |i: usize| -> Vec<String> {
        h.entries[i]
            .changes
            .iter()
            .map(|c| format!("{}: {}", c.field, c.summary()))
            .collect()
    };
    assert_eq!(summary(0), ["status: treating → monitoring"]);
    assert_eq!(summary(1), ["id: RISK-001 → RISK-007"]);
    assert_eq!(
        summary(2),
        ["residual_likelihood: 3 → 2", "owner: ann → bob"]
    );
    assert_eq!(h.entries[2].message, "Hand RISK-001 to Bob, rescore");
    assert_eq!(h.entries[2].author, "Ann Author");
    assert!(h.entries[2].date.starts_with("2026-02-10"));
    assert_eq!(h.entries[3].changes.len(), 8);
    assert_eq!(h.entries[3].path, "risks/RISK-001.yaml");
    assert!(h.entries.iter().skip(1).all(|e| e.commit.is_some()));
}

#[test]
fn what_changed_since_the_last_review() {
    let dir = repo();
    let root = dir.path();
    let reviewed =
        "last_reviewed: 2026-02-01\nreviews:\n  - {date: 2026-02-01, by: ann, note: ok}\n";
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), ""),
    );
    commit_all(root, "2026-01-10T10:00:00Z", "Add");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), reviewed),
    );
    commit_all(root, "2026-02-01T10:00:00Z", "Review");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "bob", (3, 3), reviewed),
    );
    commit_all(root, "2026-02-05T10:00:00Z", "Owner");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "bob", (1, 3), reviewed),
    );

    let ws = open(root);
    let since = since_last_review(root, ws.get("RISK-001").unwrap());
    assert_eq!(since.reviewed_on.as_deref(), Some("2026-02-01"));
    let fields: Vec<String> = since.changes.iter().map(|c| c.summary()).collect();
    assert_eq!(fields, ["3 → 1", "ann → bob"]);
    let review_commit = git(root, "2026-02-05T10:00:00Z", &["rev-parse", "HEAD~1"]);
    assert_eq!(since.baseline.as_deref(), Some(review_commit.trim()));
}

#[test]
fn outside_a_repository_history_says_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "aims.yaml", SETTINGS);
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), ""),
    );
    let ws = open(root);
    let h = record_history(root, ws.get("RISK-001").unwrap());
    assert!(h.entries.is_empty());
    assert!(
        h.notes[0].contains("not in a git repository"),
        "{:?}",
        h.notes
    );
    let t = trends(root);
    assert!(t.points.is_empty());
    assert!(
        t.notes[0].contains("not in a git repository"),
        "{:?}",
        t.notes
    );
    let since = since_last_review(root, ws.get("RISK-001").unwrap());
    assert!(since.changes.is_empty());
    assert!(since.notes[0].contains("never reviewed"));
}

#[test]
fn a_shallow_clone_says_its_history_is_cut() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), ""),
    );
    commit_all(root, "2026-01-10T10:00:00Z", "Add");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "bob", (3, 3), ""),
    );
    commit_all(root, "2026-02-10T10:00:00Z", "Owner");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", root.display());
    let target = clone.path().join("ws");
    git(
        clone.path(),
        "2026-02-10T10:00:00Z",
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            target.to_str().unwrap(),
        ],
    );
    let ws = open(&target);
    let h = record_history(&target, ws.get("RISK-001").unwrap());
    assert!(
        h.notes.iter().any(|n| n.contains("shallow clone")),
        "{:?}",
        h.notes
    );
    assert_eq!(h.entries.len(), 1, "only the fetched commit");
    let t = trends(&target);
    assert!(t.notes.iter().any(|n| n.contains("shallow clone")));
    assert_eq!(t.points.len(), 1);
}

#[test]
fn a_repository_without_commits_says_so() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), ""),
    );
    let ws = open(root);
    let h = record_history(root, ws.get("RISK-001").unwrap());
    assert!(h.notes[0].contains("no commit"), "{:?}", h.notes);
}

/// Four commits on three days: the NC is raised, closed and followed by another; an
/// incident is reported; the risk is rescored; its review falls overdue.
fn scripted_history(root: &Path) {
    let nc1 = "id: NC-001\nsource: audit\nseverity: minor\ndescription: No log.\nowner: ann\nraised_on: 2026-01-05\ndue: 2026-02-01\nstatus: open\n";
    let reviewed = "last_reviewed: 2026-01-10\n";
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (4, 4), reviewed),
    );
    write(
        root,
        "risks/RISK-002.yaml",
        &risk("RISK-002", "bob", (2, 2), reviewed),
    );
    write(root, "nonconformities/NC-001.yaml", nc1);
    commit_all(root, "2026-01-10T10:00:00Z", "Start");
    write(
        root,
        "nonconformities/NC-001.yaml",
        &nc1.replace("status: open", "status: closed\nclosed_on: 2026-02-20"),
    );
    write(
        root,
        "nonconformities/NC-002.yaml",
        "id: NC-002\nsource: incident\nseverity: major\ndescription: Drift.\nowner: bob\nraised_on: 2026-02-25\ndue: 2026-06-01\nstatus: open\n",
    );
    commit_all(root, "2026-03-01T09:00:00Z", "Close NC-001, raise NC-002");
    write(
        root,
        "incidents/INC-001.yaml",
        "id: INC-001\noccurred_on: 2026-02-28\nseverity: high\ndescription: Drift alarm.\nowner: bob\nstatus: open\n",
    );
    commit_all(root, "2026-03-01T17:00:00Z", "Report INC-001");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (1, 2), reviewed),
    );
    commit_all(root, "2026-08-01T10:00:00Z", "Rescore RISK-001");
}

#[test]
fn trends_of_a_scripted_history() {
    let dir = repo();
    let root = dir.path();
    scripted_history(root);
    let t = trends(root);
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    assert_eq!(t.work.commits, 4);
    let row = |i: usize| {
        let p = &t.points[i];
        (
            p.date.to_string(),
            p.overdue,
            p.due_soon,
            p.risks_open,
            p.risks_above_appetite,
            p.ncs_open,
            p.nc_ageing,
        )
    };
    // One point per day: the two commits of 1 March make one point, the later one.
    assert_eq!(t.points.len(), 3);
    assert_eq!(row(0), ("2026-01-10".into(), 0, 0, 2, 1, 1, [1, 0, 0, 0]));
    assert_eq!(row(1), ("2026-03-01".into(), 0, 0, 2, 1, 1, [1, 0, 0, 0]));
    // 1 August: both risk reviews (10 July) and NC-002's action (1 June) are overdue.
    assert_eq!(row(2), ("2026-08-01".into(), 3, 0, 2, 0, 1, [0, 0, 1, 0]));
    let bands: Vec<(&str, usize)> = t.points[0]
        .risks_by_band
        .iter()
        .map(|(b, n)| (b.as_str(), *n))
        .collect();
    assert_eq!(bands, [("high", 1), ("low", 1)]);
    assert_eq!(t.points[2].risks_by_band.get("low"), Some(&2));
    let head = git(root, "2026-08-01T10:00:00Z", &["rev-parse", "HEAD"]);
    assert_eq!(t.points[2].commit, head.trim());
    // The incremental model ends where a full load of the same files does.
    let ws = open(root);
    let date = t.points[2].date;
    assert_eq!(
        t.points[2],
        point_of(&ws.records, &ws.settings, head.trim(), date)
    );
    let months: Vec<(&str, usize, usize, Option<&usize>)> = t
        .months
        .iter()
        .map(|m| {
            (
                m.month.as_str(),
                m.ncs_raised,
                m.ncs_closed,
                m.incidents.get("high"),
            )
        })
        .collect();
    assert_eq!(
        months,
        [("2026-01", 1, 0, None), ("2026-02", 1, 1, Some(&1))]
    );
}

#[test]
fn a_second_run_reuses_the_cache_and_a_damaged_cache_is_rebuilt() {
    let dir = repo();
    let root = dir.path();
    scripted_history(root);
    let first = trends(root);
    assert_eq!(first.work.points_computed, 3);
    assert!(first.work.files_read >= 4, "{:?}", first.work);

    let second = trends(root);
    assert_eq!(second.points, first.points);
    assert_eq!(second.months, first.months);
    assert_eq!(second.work.points_cached, 3);
    assert_eq!(second.work.points_computed, 0);
    assert_eq!(second.work.files_read, 0, "nothing new: no file is read");

    // One new commit, the next day: its tree is read once, and every file in it matches
    // the working tree's parse cache, so none is parsed again.
    write(
        root,
        "risks/RISK-002.yaml",
        &risk("RISK-002", "ann", (2, 2), "last_reviewed: 2026-08-02\n"),
    );
    commit_all(root, "2026-08-02T10:00:00Z", "Review RISK-002");
    open(root); // refresh the parse cache, as `aims trends` does
    let third = trends(root);
    assert_eq!(third.work.points_cached, 3);
    assert_eq!(third.work.points_computed, 1);
    assert_eq!(third.work.files_parsed, 0, "{:?}", third.work);
    assert_eq!(third.work.files_read, 6, "aims.yaml and five records");
    assert_eq!(third.points[..3], first.points[..]);
    assert_eq!(
        third.points[3].overdue, 2,
        "RISK-002 reviewed: one review fewer"
    );

    // Damage the cache: it is ignored, everything is computed again, and rewritten.
    let cache = std::fs::read_dir(root.join(".aims/cache"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("trends.json");
    std::fs::write(&cache, b"{\"schema\": 1, \"points\": [tru").unwrap();
    let rebuilt = trends(root);
    assert_eq!(rebuilt.points, third.points);
    assert_eq!(rebuilt.work.points_computed, 4);
    assert_eq!(trends(root).work.points_computed, 0, "cache written again");
}

#[test]
fn history_json_has_commits_and_field_changes() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), ""),
    );
    commit_all(root, "2026-01-10T10:00:00Z", "Add");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "bob", (3, 3), ""),
    );
    commit_all(root, "2026-02-10T10:00:00Z", "Owner to Bob");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = HistoryArgs {
        id: "RISK-001".into(),
        dir: Some(root.to_path_buf()),
        format: Format::Json,
    };
    assert_eq!(run_history(&args, &mut out, &mut err), exit::OK);
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["id"], "RISK-001");
    assert_eq!(json["notes"], serde_json::json!([]));
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["message"], "Owner to Bob");
    assert_eq!(entries[0]["touch"], "modified");
    assert_eq!(entries[0]["author"], "Ann Author");
    assert_eq!(entries[0]["date"], "2026-02-10T10:00:00Z");
    assert_eq!(
        entries[0]["changes"],
        serde_json::json!([{"field": "owner", "old": "ann", "new": "bob"}])
    );
    assert_eq!(entries[1]["touch"], "added");
    assert_eq!(
        entries[1]["changes"][2],
        serde_json::json!({"field": "likelihood", "old": null, "new": 4})
    );

    let mut text = Vec::new();
    let args = HistoryArgs {
        format: Format::Text,
        ..args
    };
    run_history(&args, &mut text, &mut err);
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("Owner to Bob"), "{text}");
    assert!(text.contains("    owner: ann → bob"), "{text}");
    assert!(text.contains("[created]"), "{text}");
}

#[test]
fn trends_csv_and_json_shapes() {
    let dir = repo();
    let root = dir.path();
    scripted_history(root);
    let run = |format| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = TrendsArgs {
            dir: Some(root.to_path_buf()),
            format,
        };
        assert_eq!(run_trends(&args, &mut out, &mut err), exit::OK);
        String::from_utf8(out).unwrap()
    };
    let csv = run(TrendsFormat::Csv);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("date,commit,overdue,due_soon,"));
    assert!(lines[3].starts_with("2026-08-01,"));
    let json: serde_json::Value = serde_json::from_str(&run(TrendsFormat::Json)).unwrap();
    assert_eq!(json["points"].as_array().unwrap().len(), 3);
    assert_eq!(json["points"][2]["overdue"], 3);
    assert_eq!(json["points"][0]["risks_by_band"]["high"], 1);
    assert_eq!(json["months"][1]["incidents"]["high"], 1);
    let text = run(TrendsFormat::Text);
    assert!(
        text.contains("Trends: 3 points, 2026-01-10 → 2026-08-01"),
        "{text}"
    );
}

/// The workbench reads the series from a child `aims trends --format json` (so the memory
/// of reading them goes back to the system): that output reads back as the same series.
#[test]
fn the_json_of_aims_trends_reads_back_as_the_series_the_workbench_shows() {
    let dir = repo();
    let root = dir.path();
    scripted_history(root);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aims"))
        .arg("trends")
        .arg(root)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let read: aims_workbench::workspace::trends::Trends =
        serde_json::from_slice(&out.stdout).unwrap();
    let here = trends(root);
    assert_eq!(read.points, here.points);
    assert_eq!(read.months, here.months);
    assert_eq!(read.notes, here.notes);
    assert_eq!(read.points.len(), 3);
}

#[test]
fn an_unparsable_version_is_said_not_failed() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "risks/RISK-001.yaml",
        "id: RISK-001\ntitle: [broken\n",
    );
    commit_all(root, "2026-01-10T10:00:00Z", "Broken");
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (3, 3), ""),
    );
    commit_all(root, "2026-01-11T10:00:00Z", "Fixed");
    let ws = open(root);
    let h = record_history(root, ws.get("RISK-001").unwrap());
    assert_eq!(h.entries.len(), 2);
    assert!(
        h.entries[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("previous version")
    );
    assert!(h.entries[1].problem.is_some());
}

#[test]
fn trends_follow_the_first_parent_through_a_merge() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (4, 4), ""),
    );
    commit_all(root, "2026-01-10T10:00:00Z", "Start");
    git(
        root,
        "2026-01-11T10:00:00Z",
        &["checkout", "-q", "-b", "rescore"],
    );
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "ann", (1, 2), ""),
    );
    commit_all(root, "2026-01-11T10:00:00Z", "Rescore on a branch");
    git(root, "2026-01-12T10:00:00Z", &["checkout", "-q", "main"]);
    write(
        root,
        "risks/RISK-002.yaml",
        &risk("RISK-002", "bob", (5, 5), ""),
    );
    commit_all(root, "2026-01-12T10:00:00Z", "Another risk on main");
    git(
        root,
        "2026-01-13T10:00:00Z",
        &["merge", "-q", "--no-ff", "-m", "Merge rescore", "rescore"],
    );
    let t = trends(root);
    let seen: Vec<(String, usize, usize)> = t
        .points
        .iter()
        .map(|p| (p.date.to_string(), p.risks_open, p.risks_above_appetite))
        .collect();
    // The branch's own commit (11 January) is not a point; its change arrives with the merge.
    assert_eq!(
        seen,
        [
            ("2026-01-10".to_string(), 1, 1),
            ("2026-01-12".to_string(), 2, 2),
            ("2026-01-13".to_string(), 2, 1),
        ]
    );
    // The merge's history of RISK-001 shows the branch commit with its field changes.
    let ws = open(root);
    let h = record_history(root, ws.get("RISK-001").unwrap());
    assert!(
        h.entries
            .iter()
            .any(|e| e.message == "Rescore on a branch" && e.changes.len() == 2)
    );
}
