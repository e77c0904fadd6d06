//! scripts/sample-history.sh: a year of history for the sample workspace, so trends, record
//! history and the management review pack show something on the first run.

use aims_workbench::domain::Severity;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::workspace::Workspace;
use aims_workbench::workspace::review_pack::{Change, Since, assemble};
use aims_workbench::workspace::trends::trends;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir` but `.git` and aims' own `.aims/`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name == ".git" || name == ".aims" || name.starts_with(".aims-tmp.") {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn the_script_builds_a_year_of_history_ending_in_the_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("demo");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("scripts/sample-history.sh");
    let out = Command::new("sh")
        .arg(&script)
        .arg(&dest)
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The last commit holds the sample exactly as it is: nothing left out, nothing
    // changed, nothing uncommitted.
    let status = Command::new("git")
        .arg("-C")
        .arg(&dest)
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    assert!(status.stdout.is_empty(), "{status:?}");
    let sample_dir = root.join("sample-workspace");
    let mut sample_files = files(&sample_dir);
    sample_files.retain(|p| p != Path::new(".gitignore"));
    let mut demo_files = files(&dest);
    demo_files.retain(|p| p != Path::new(".gitignore"));
    assert_eq!(demo_files, sample_files);
    for f in &sample_files {
        assert_eq!(
            std::fs::read(dest.join(f)).unwrap(),
            std::fs::read(sample_dir.join(f)).unwrap(),
            "{} differs from the sample",
            f.display()
        );
    }
    let today = parse_date("2026-11-22").unwrap();
    let demo = Workspace::open(&dest).unwrap();
    let errors: Vec<_> = demo
        .check(today)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    // A point per day with commits, from the move into the workspace to November 2026;
    // the series move as the AIMS is built and worked.
    let t = trends(&dest);
    assert_eq!(t.points.len(), 22, "{:?}", t.notes);
    assert_eq!(t.points[0].date.to_string(), "2025-09-29");
    let last = t.points.last().unwrap();
    assert_eq!(last.date.to_string(), "2026-11-20");
    assert!(last.soa_assessed > t.points[0].soa_assessed && t.points[0].soa_assessed > 0);
    assert!(t.points[0].risks_above_appetite > last.risks_above_appetite);
    assert!(last.ncs_open > t.points[0].ncs_open);
    let closed: usize = t.months.iter().map(|m| m.ncs_closed).sum();
    let raised: usize = t.months.iter().map(|m| m.ncs_raised).sum();
    assert_eq!((raised, closed), (5, 1), "{:?}", t.months);

    // The management review pack sees what a reviewer would: risks rescored, accepted
    // and closed, context changed (not everything "added").
    let pack = assemble(&demo, &Since::Previous, today).unwrap();
    let meaning = |id: &str| {
        pack.risks
            .items
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.meaning.join("; "))
            .unwrap_or_default()
    };
    assert_eq!(meaning("RISK-001"), "rescored 12 → 8");
    assert_eq!(meaning("RISK-020"), "accepted");
    assert_eq!(meaning("RISK-018"), "closed");
    assert!(meaning("RISK-023").starts_with("added"));
    let ctx = |id: &str| {
        pack.context
            .items
            .iter()
            .find(|i| i.id == id)
            .map(|i| &i.change)
    };
    assert_eq!(
        ctx("CTX-001"),
        Some(&Change::Changed(vec!["effect".into()]))
    );
    assert!(
        pack.parties
            .items
            .iter()
            .all(|i| matches!(i.change, Change::Changed(_))),
        "{:?}",
        pack.parties.items
    );

    // Run again into the same place: refused, nothing touched.
    let again = Command::new("sh").arg(&script).arg(&dest).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}
