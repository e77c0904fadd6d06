//! scripts/sample-history.sh: a year of history for the sample workspace, so trends show
//! something on the first run.

use aims_workbench::workspace::trends::trends;
use std::path::Path;
use std::process::Command;

#[test]
fn the_script_builds_a_year_of_history_ending_in_the_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("demo");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/sample-history.sh");
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
    // The last commit holds the sample as it is: nothing left out, nothing uncommitted.
    let status = Command::new("git")
        .arg("-C")
        .arg(&dest)
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    assert!(status.stdout.is_empty(), "{status:?}");
    let sample = aims_workbench::workspace::Workspace::open(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-workspace"),
    )
    .unwrap();
    let demo = aims_workbench::workspace::Workspace::open(&dest).unwrap();
    assert_eq!(demo.records.len(), sample.records.len());
    // A point per month, and the series grow as the AIMS is built.
    let t = trends(&dest);
    assert_eq!(t.points.len(), 12, "{:?}", t.notes);
    assert_eq!(t.points[0].date.to_string(), "2025-12-01");
    assert_eq!(t.points[0].soa_assessed, 0);
    let last = t.points.last().unwrap();
    assert_eq!(last.date.to_string(), "2026-11-16");
    assert!(last.soa_assessed > t.points[3].soa_assessed && t.points[3].soa_assessed > 0);
    assert!(last.risks_open > 0 && last.ncs_open > 0);
    // Run again into the same place: refused, nothing touched.
    let again = Command::new("sh").arg(&script).arg(&dest).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}
