//! A git repository built in a test: fixed author, dates and no user or system git
//! configuration, so nothing depends on the clock, the user or the machine.

use std::path::Path;
use std::process::Command;

/// The settings of the repositories the history tests build.
pub const SETTINGS: &str = "version: 1
organization: Test Org
scope: Testing history.
established: 2026-01-01
people:
  - {id: ann, name: Ann, role: lead}
  - {id: bob, name: Bob, role: engineer}
risk_method:
  likelihood: [a, b, c, d, e]
  impact: [a, b, c, d, e]
  bands:
    - {name: low, max: 4}
    - {name: medium, max: 9}
    - {name: high, max: 16}
    - {name: critical, max: 25}
  appetite: medium
cadences:
  risk: 6m
";

/// Runs git in `root` as Ann Author at `date`; its output, or a panic naming what failed.
pub fn git(root: &Path, date: &str, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ann Author")
        .env("GIT_AUTHOR_EMAIL", "ann@example.invalid")
        .env("GIT_COMMITTER_NAME", "Ann Author")
        .env("GIT_COMMITTER_EMAIL", "ann@example.invalid")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `text` to `rel` under `root`, making its folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Commits everything in `root` at `date`.
pub fn commit_all(root: &Path, date: &str, message: &str) {
    git(root, date, &["add", "-A"]);
    git(root, date, &["commit", "-q", "-m", message]);
}
