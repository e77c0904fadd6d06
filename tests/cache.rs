//! The parse cache skips work and never changes an answer: a changed file is parsed again
//! (even git's racy case of the same size and mtime), a damaged or foreign cache is
//! ignored and rebuilt, and `aims check` says the same with and without it.
#![cfg(unix)]

mod common;
use aims_workbench::workspace::Workspace;
use common::copy_sample;
use std::path::Path;
use std::process::Command;

fn check_json(dir: &Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(["check", dir.to_str().unwrap(), "--format", "json"])
        .args(extra)
        .env("AIMS_TODAY", "2026-11-22")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The shard files of this user's cache (`.aims/cache/u<uid>/`).
fn shards(dir: &Path) -> Vec<std::path::PathBuf> {
    let mine = dir
        .join(".aims/cache")
        .join(format!("u{}", rustix::process::geteuid().as_raw()));
    let mut v: Vec<_> = std::fs::read_dir(mine)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_second_load_takes_every_record_from_the_cache() {
    let dir = copy_sample();
    let cold = Workspace::open(dir.path()).unwrap();
    assert_eq!(cold.load_stats.from_cache, 0);
    assert!(!shards(dir.path()).is_empty(), "the cache was written");
    let warm = Workspace::open(dir.path()).unwrap();
    // Files written within a second of the cache are compared by content, so this holds
    // however fast the test runs.
    assert_eq!(warm.load_stats.parsed, 0, "{:?}", warm.load_stats);
    assert_eq!(warm.load_stats.from_cache, cold.records.len());
    let off = Workspace::open_with(dir.path(), false).unwrap();
    assert_eq!(off.load_stats.from_cache, 0);
}

#[test]
fn check_output_is_the_same_with_and_without_the_cache() {
    let dir = copy_sample();
    // A few problems, so there are findings to compare: a broken file, a missing field.
    std::fs::write(
        dir.path().join("incidents/INC-009.yaml"),
        "id: INC-009\ntitle: [x\n",
    )
    .unwrap();
    let risk = dir.path().join("risks/RISK-004.yaml");
    let text = std::fs::read_to_string(&risk).unwrap();
    std::fs::write(&risk, text.replace("accepted_by:", "x-accepted-by:")).unwrap();

    let none = check_json(dir.path(), &["--no-cache"]);
    assert!(shards(dir.path()).is_empty(), "--no-cache writes no cache");
    let cold = check_json(dir.path(), &[]);
    let warm = check_json(dir.path(), &[]);
    assert!(none.contains("INC-009"), "{none}");
    assert_eq!(none, cold);
    assert_eq!(none, warm);
}

#[test]
fn a_changed_file_with_the_same_size_and_mtime_is_parsed_again() {
    let dir = copy_sample();
    let path = dir.path().join("systems/SYS-001.yaml");
    let meta = std::fs::metadata(&path).unwrap();
    Workspace::open(dir.path()).unwrap();
    // Same length, same mtime: only the content (and the ctime, which no one can set)
    // tells the difference.
    let text = std::fs::read_to_string(&path).unwrap();
    let (a, b) = text.split_at(text.find("\nname: ").unwrap() + 7);
    let changed = format!("{a}Z{}", &b[1..]);
    assert_eq!(changed.len(), text.len());
    std::fs::write(&path, &changed).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    let name = ws.get("SYS-001").unwrap().fields.text("name").unwrap();
    let fresh = Workspace::open_with(dir.path(), false).unwrap();
    assert_eq!(
        name,
        fresh.get("SYS-001").unwrap().fields.text("name").unwrap()
    );
    assert!(name.starts_with('Z'), "{name}");
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_rebuilt() {
    let dir = copy_sample();
    let expected = check_json(dir.path(), &["--no-cache"]);
    Workspace::open(dir.path()).unwrap();
    let files = shards(dir.path());
    assert!(!files.is_empty());
    // Damage: flip bytes in the middle of every shard. Foreign: another program's file.
    for (i, f) in files.iter().enumerate() {
        let mut bytes = std::fs::read(f).unwrap();
        if i % 2 == 0 {
            let (mid, len) = (bytes.len() / 2, bytes.len());
            for b in &mut bytes[mid..(mid + 16).min(len)] {
                *b ^= 0xa5;
            }
        } else {
            bytes = b"AIMSPC01 0.0.0-other-version\0junk".to_vec();
        }
        std::fs::write(f, bytes).unwrap();
    }
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.load_stats.from_cache, 0, "nothing damaged is trusted");
    assert_eq!(check_json(dir.path(), &[]), expected);
    // Rebuilt: the next load takes everything from it.
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.load_stats.parsed, 0);
}

#[test]
fn a_deleted_or_new_record_is_seen() {
    let dir = copy_sample();
    let before = Workspace::open(dir.path()).unwrap().records.len();
    std::fs::remove_file(dir.path().join("risks/RISK-001.yaml")).unwrap();
    let text = std::fs::read_to_string(dir.path().join("risks/RISK-002.yaml")).unwrap();
    std::fs::write(
        dir.path().join("risks/RISK-900.yaml"),
        text.replace("RISK-002", "RISK-900"),
    )
    .unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.records.len(), before);
    assert!(ws.get("RISK-001").is_none() && ws.get("RISK-900").is_some());
    assert_eq!(ws.load_stats.parsed, 1);
}

#[test]
fn a_damaged_shard_is_refused_by_its_header_before_its_body_is_read() {
    let dir = copy_sample();
    Workspace::open(dir.path()).unwrap();
    // A shard claiming a huge body (or grown by garbage) is refused without reading it.
    for f in shards(dir.path()) {
        let file = std::fs::File::options().append(true).open(&f).unwrap();
        file.set_len(64 << 20).unwrap();
    }
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.load_stats.from_cache, 0);
}

#[test]
fn the_cache_is_private_to_its_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = copy_sample();
    Workspace::open(dir.path()).unwrap();
    let mine = shards(dir.path())[0].parent().unwrap().to_path_buf();
    let mode = std::fs::metadata(&mine).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{}", mine.display());
}
