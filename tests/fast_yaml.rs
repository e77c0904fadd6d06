//! The fast YAML reader against the full parser: wherever the fast reader answers, its
//! value must be the full parser's, line numbers and number types included; where it is
//! unsure it must refuse (and the full parser decides). Checked on the sample workspace,
//! a generated workspace, hand-written tricky cases, and damaged variants of every sample
//! file. AIMS_FAST_YAML_DIRS (colon-separated workspaces) adds more, e.g. large
//! generated ones.

#[path = "../benches/common/mod.rs"]
mod generator;

use aims_workbench::domain::Value;
use aims_workbench::workspace::fast_yaml;
use aims_workbench::workspace::load::parse_yaml_full;
use std::path::{Path, PathBuf};

/// Equal as values, in type (1 is not 1.0), and in the line of every key.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.entries()
                    .iter()
                    .zip(y.entries())
                    .all(|(a, b)| a.key == b.key && a.line == b.line && same(&a.value, &b.value))
        }
        _ => false,
    }
}

/// Whether the fast reader answered; panics when its answer differs from the full parser's.
fn agree(text: &str, what: &str) -> bool {
    let Some(fast) = fast_yaml::parse(text) else {
        return false;
    };
    match parse_yaml_full(text, Path::new("x")) {
        Ok(full) => assert!(
            same(&fast, &full),
            "{what}: the readers differ\n--- text\n{text}\n--- fast\n{fast:#?}\n--- full\n{full:#?}"
        ),
        Err(f) => panic!(
            "{what}: the fast reader accepted what the full parser refuses ({})\n{text}",
            f.message
        ),
    }
    true
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.file_name().is_some_and(|n| n == ".aims") {
            continue;
        }
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

/// Checks every file under `dir`; returns (files, those the fast reader left to serde-saphyr).
fn check_dir(dir: &Path) -> (usize, Vec<PathBuf>) {
    let mut files = Vec::new();
    yaml_files(dir, &mut files);
    let mut slow = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        if !agree(&text, &f.display().to_string()) {
            slow.push(f.clone());
        }
    }
    (files.len(), slow)
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-workspace")
}

#[test]
fn the_sample_workspace_reads_the_same_and_mostly_fast() {
    let (files, slow) = check_dir(&sample());
    assert!(files > 90, "{files}");
    // The sample is hand-written in the common style: nearly all of it takes the fast path.
    assert!(
        slow.len() * 10 <= files,
        "{} of {files} left to serde-saphyr: {slow:#?}",
        slow.len()
    );
}

#[test]
fn a_generated_workspace_reads_the_same_and_all_fast() {
    let dir = tempfile::tempdir().unwrap();
    generator::generate(dir.path(), 600);
    let (files, slow) = check_dir(dir.path());
    assert!(files > 500, "{files}");
    assert_eq!(
        slow,
        Vec::<PathBuf>::new(),
        "every generated file takes the fast path"
    );
}

#[test]
fn more_workspaces_from_the_environment() {
    for dir in std::env::var("AIMS_FAST_YAML_DIRS")
        .unwrap_or_default()
        .split(':')
        .filter(|d| !d.is_empty())
    {
        let (files, slow) = check_dir(Path::new(dir));
        eprintln!(
            "{dir}: {} of {files} files read fast, all the same",
            files - slow.len()
        );
    }
}

/// Inputs the fast reader must read as the full parser does.
const READ: &[&str] = &[
    "id: RISK-001\n",
    "id: RISK-001",
    "# comment first\n\nid: x # trailing\ntitle: a#b\n",
    "a: 1\nb: -2\nc: 0\nd: 1.5\ne: -0.25\nf: 10.0\ng: 9223372036854775807\n",
    "cadence: 3m\nevery: 1y\nreview: 12m\nsoon: 30d\nwait: 2w\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: true\ng: True\nh: TRUE\ni: false\nj: False\nk: FALSE\n",
    "a: 2026-02-02\nb: 6.1.1\nc: 2 weeks\nd: A.5.2\ne: 4.1\nf: 4.10\n",
    "a: \"quoted: with # hash\"\nb: 'single ''quoted'' # x'\nc: \"esc \\\" \\\\ \\n \\t \\u00e9 \\/\"\nd: ''\ne: \"\"\n",
    "a: \"123\"\nb: 'true'\nc: \"null\"\nd: '~'\n",
    "a: value with trailing spaces   \nb: x  # c\n",
    "a: https://example.org/x?y=1#frag\nb: a:b\nc: [a, b]\nd: []\ne: {}\n",
    "a: {label: Register extract, target: \"https://x.example/1\"}\nb: [SYS-001, 'q', \"d\", 3, 1.5, true, null]\n",
    "a: [ a , b ]\nb: { k: v , l: 1 }\nc: [[a, b], [c]]\nd: [{x: 1}, {w: two words}]\n",
    "list:\n  - a\n  - b\n  -\n  - 3\nnext: x\n",
    "list:\n- a\n- b\nnext: x\n",
    "list:\n  - ref: 4.1\n    result: ok\n    evidence:\n      - {label: L, target: \"t\"}\n  - ref: 4.2\n    evidence:\n    - x\n    - z\n",
    "m:\n  o:\n    r: deep\n  p: 1\nq: 2\n",
    "a: >\n  folded one\n  and two\n\n  para two\nb: 1\n",
    "a: >-\n  folded\n  strip\nb: |\n  literal\n    more indented\n  back\n\n  after blank\nc: |-\n  strip\n",
    "a: > # a comment\n    four spaces\n    text\n  # a comment less indented\nb: x\n",
    "a: |\n  line\n\n\nb: x\n",
    "a: >\n  one\n\n\n  two\n",
    "list:\n  - |\n    in a list\n  - >-\n    folded\n    in a list\n",
    "unicode: Évaluation d’impact — 日本語 🙂\nkey_with-dash_1: v\n",
    "a:    spaced\nb:\n\n  # comment between\n  c: 1\n",
    "a: '# not a comment'\nb: \"x\" # comment\n",
    "a: [a, 'b, c', \"d]\"]\n",
    "a: text with 'quotes' and \"doubles\" inside\n",
    "a: -\nb: x\n",
];

#[test]
fn tricky_inputs_read_the_same() {
    let mut refused = Vec::new();
    for (n, text) in READ.iter().enumerate() {
        if !agree(text, &format!("case {n}")) {
            refused.push(n);
        }
    }
    // `a: -` is a plain `-`, which the reader leaves to the full parser.
    assert_eq!(refused, vec![READ.len() - 1], "refused unexpectedly");
}

/// Inputs outside the subset: the fast reader must refuse them (valid or not).
const REFUSE: &[&str] = &[
    "",
    "# only a comment\n",
    "- a\n- b\n",
    "just a scalar\n",
    "a: &x 1\nb: *x\n",
    "a: !tag 1\n",
    "? complex\n: key\n",
    "\"quoted key\": 1\n",
    "a: 1\na: 2\n",
    "a:\tx\n",
    "a: x\r\n",
    "\u{feff}a: x\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: multi\n  line plain\n",
    "a: \"multi\n  line\"\n",
    "a: [a,\n  b]\n",
    "a: |+\n  keep\n",
    "a: |2\n    x\n",
    "a: |\n\n  leading blank\n",
    "a: >\n  x\n    more indented folded\n",
    "a: 0x1F\nb: 1e3\nc: 007\nd: yes\ne: .inf\n",
    "a: 1_000\n",
    "a: -0\n",
    "yes: 1\n",
    "a: b: c\n",
    "a: x\n  b: y\n",
    "a:\n  b: 1\n c: 2\n",
    "1: one\n",
    "a: {b}\n",
    "a: [b,]\n",
    "a: [b: c]\n",
    "a: \"\\x41\"\n",
    "a: 10:30\n",
    "a: 99999999999999999999\n",
    "a: @x\n",
    "a: x\n b: y\n",
    "a: \u{85}x\n",
    "a:\n  - - nested\n",
    "a: |\n",
    "a: 'unclosed\n",
];

#[test]
fn constructs_outside_the_subset_are_refused() {
    for (n, text) in REFUSE.iter().enumerate() {
        assert!(
            fast_yaml::parse(text).is_none(),
            "case {n} should be left to the full parser:\n{text}"
        );
    }
}

/// A small deterministic generator of damage: each sample file with one line dropped,
/// indented, dedented, or with a YAML indicator inserted. Wherever the fast reader still
/// answers, the full parser must agree with it.
#[test]
fn damaged_sample_files_are_read_the_same_or_refused() {
    let mut files = Vec::new();
    yaml_files(&sample(), &mut files);
    files.sort();
    let inserts = [
        ": ", " #", "'", "\"", "&a ", "*a", "- ", "[", "{", "}", ",", "|", ">", "!", "? ", "\\",
        "  ", "x: y", "\t", "~", "-", "...",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let mut tried = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        for _ in 0..40 {
            let k = next(lines.len());
            let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            match next(5) {
                0 => {
                    l.remove(k);
                }
                1 => l[k] = format!(" {}", l[k]),
                2 => l[k] = l[k].trim_start().to_string(),
                3 => l.insert(k, l[k].clone()),
                _ => {
                    let at = next(l[k].len() + 1);
                    if l[k].is_char_boundary(at) {
                        l[k].insert_str(at, inserts[next(inserts.len())]);
                    }
                }
            }
            agree(&l.join("\n"), &format!("{} (damaged)", f.display()));
            tried += 1;
        }
    }
    assert!(tried > 1000);
}
