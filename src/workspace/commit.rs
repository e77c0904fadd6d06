//! Committing the workspace's record changes, the git way: what changed since `HEAD` (for
//! the status bar's count and the commit dialog), a message written from the field-level
//! changes ("Review of 2026-11-22: RISK-004 rescored 12→8 and accepted; SYS-003 owner →
//! lchen"), and the commit itself — of the listed record files (and `aims.yaml`) only, as
//! the acting person.
//!
//! Never pushes, pulls or rewrites history, never stages unrelated files (`git commit
//! --only -- <paths>` leaves whatever else the user staged alone), and refuses during a
//! merge, rebase, cherry-pick or revert. No terminal code: the workbench's dialog renders
//! [`Pending`] and hands back a [`CommitRequest`]; all of it runs git, so off the UI thread.

use super::git::{Lack, Repo};
use super::history::{FieldChange, Touch, diff_fields, parse_version};
use crate::domain::dates::Date;
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::{Map, RecordType, Settings};
use crate::rules::specs::residual_score;
use std::path::Path;

/// The fields a review itself changes: a change to them is "reviewed".
const REVIEW_FIELDS: [&str; 3] = ["last_reviewed", "next_review", "reviews"];
/// Logs the workbench appends to (a reassignment's note): said only when nothing else
/// changed, as the change they log is said already.
const LOG_FIELDS: [&str; 1] = ["history"];
/// A generated subject longer than this lists the records in the body instead.
const SUBJECT_MAX: usize = 100;
/// A subject listing the records is kept under git's customary length.
const SUBJECT_SHORT: usize = 72;
/// Field changes named per record in the message; more are counted.
const PARTS_MAX: usize = 3;

/// The working tree against `HEAD`, as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingState {
    /// The commit `HEAD` names (trends are read again when it moves).
    pub head: String,
    /// Record files with uncommitted changes (new and deleted ones included).
    pub records: usize,
    /// `aims.yaml` has uncommitted changes.
    pub settings: bool,
    /// A merge or rebase in progress: nothing is committed from the workbench meanwhile.
    pub blocked: Option<String>,
}

/// One changed record file: how, and field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordChange {
    /// Relative to the workspace (`risks/RISK-004.yaml`).
    pub path: String,
    /// The record's id (its `id` field, else the file name).
    pub id: String,
    /// [`Touch::Added`], [`Touch::Modified`] or [`Touch::Deleted`].
    pub touch: Touch,
    /// From `HEAD`'s version to the working file (a new record: every field).
    pub changes: Vec<FieldChange>,
    /// What the message says of it: `rescored 12→8`, `owner → lchen`, `added`.
    pub summary: Vec<String>,
    /// A version that did not parse: its field changes are left out.
    pub problem: Option<String>,
}

/// Everything the commit dialog shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub records: Vec<RecordChange>,
    /// `aims.yaml` changed: committed with the records.
    pub settings: bool,
    /// Why nothing can be committed now (a merge in progress, nothing changed).
    pub refusal: Option<String>,
    /// The generated message.
    pub message: String,
    /// Who the commit is by: `Name <e-mail>`; `None`: git's own configuration decides.
    pub author: Option<(String, String)>,
    /// Then, who git's configuration names (`None`: nobody; the commit would fail).
    pub git_identity: Option<String>,
    /// Each path to commit and its working content's hash (`None`: deleted), so a file
    /// edited after the dialog opened is not committed unseen.
    pub paths: Vec<(String, Option<u64>)>,
}

/// What the dialog asks to commit.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitRequest {
    pub message: String,
    pub paths: Vec<(String, Option<u64>)>,
    pub author: Option<(String, String)>,
}

/// Whether `rel` (relative to the workspace) is a record file or the settings.
fn is_workspace_file(rel: &str) -> bool {
    if rel == SETTINGS_FILE {
        return true;
    }
    let Some((dir, name)) = rel.split_once('/') else {
        return false;
    };
    RecordType::ALL.iter().any(|k| k.dir() == dir)
        && !name.contains('/')
        && !name.starts_with('.')
        && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// The record files and settings that differ from `HEAD`: `(path, status)`, sorted; the
/// status is git's (`A` staged new, `M`, `D`) or `N` for a new file git does not know yet.
fn changed_paths(repo: &Repo) -> Result<Vec<(String, char)>, Lack> {
    let mut specs: Vec<String> = RecordType::ALL.iter().map(|k| k.dir().into()).collect();
    specs.push(SETTINGS_FILE.into());
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let diff = [
        &[
            "diff",
            "HEAD",
            "--name-status",
            "-z",
            "--no-renames",
            "--relative",
            "--",
        ][..],
        &specs,
    ]
    .concat();
    let out = repo.run(&diff)?;
    let mut paths = Vec::new();
    let mut fields = super::git::fields(&out);
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        paths.push((path.to_string(), status.chars().next().unwrap_or('M')));
    }
    let others = [
        &["ls-files", "-z", "--others", "--exclude-standard", "--"][..],
        &specs,
    ]
    .concat();
    let out = repo.run(&others)?;
    paths.extend(super::git::fields(&out).map(|p| (p.to_string(), 'N')));
    paths.retain(|(p, _)| is_workspace_file(p));
    paths.sort();
    paths.dedup_by(|a, b| a.0 == b.0);
    Ok(paths)
}

/// A merge, rebase, cherry-pick or revert in progress, said as what to do.
fn in_progress(repo: &Repo) -> Result<Option<String>, Lack> {
    const STATES: [(&str, &str); 5] = [
        ("MERGE_HEAD", "a merge"),
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ];
    let mut args = vec!["rev-parse"];
    for (name, _) in STATES {
        args.extend(["--git-path", name]);
    }
    let out = repo.text(&args)?;
    for (line, (_, what)) in out.lines().zip(STATES) {
        if repo.dir.join(line).exists() {
            return Ok(Some(format!(
                "{what} is in progress: finish or abort it with git first; aims commits nothing meanwhile"
            )));
        }
    }
    Ok(None)
}

/// The working tree against `HEAD`, for the status bar (`Err`: outside git, say).
pub fn working_state(root: &Path) -> Result<WorkingState, Lack> {
    let repo = Repo::open(root)?;
    let head = repo.text(&["rev-parse", "HEAD"])?.trim().to_string();
    let paths = changed_paths(&repo)?;
    let settings = paths.iter().any(|(p, _)| p == SETTINGS_FILE);
    Ok(WorkingState {
        head,
        records: paths.len() - usize::from(settings),
        settings,
        blocked: in_progress(&repo)?,
    })
}

/// Everything the commit dialog shows: the changed records with their field changes, and
/// the message for them. `person`: the acting person's id in `settings`.
pub fn pending(root: &Path, settings: &Settings, person: Option<&str>, today: Date) -> Pending {
    let mut out = Pending {
        records: Vec::new(),
        settings: false,
        refusal: None,
        message: String::new(),
        author: None,
        git_identity: None,
        paths: Vec::new(),
    };
    let repo = match Repo::open(root) {
        Ok(r) => r,
        Err(lack) => {
            out.refusal = Some(lack.to_string());
            return out;
        }
    };
    match read_changes(&repo, root, &mut out) {
        Ok(()) => {}
        Err(lack) => out.refusal = Some(lack.to_string()),
    }
    out.author = author(settings, person);
    if out.author.is_none() {
        out.git_identity = git_identity(&repo);
    }
    if out.refusal.is_none() && out.paths.is_empty() {
        out.refusal = Some("nothing to commit: no record has changed since the last commit".into());
    }
    if let Ok(Some(blocked)) = in_progress(&repo) {
        out.refusal = Some(blocked);
    }
    out.message = message(today, &out.records, out.settings);
    out
}

fn read_changes(repo: &Repo, root: &Path, out: &mut Pending) -> Result<(), Lack> {
    let paths = changed_paths(repo)?;
    let mut blobs = repo.blobs()?;
    for (path, status) in paths {
        let bytes = super::fsio::read_capped(&root.join(&path), super::load::MAX_FILE_BYTES).ok();
        let hash = bytes.as_deref().map(super::load::content_hash);
        out.paths.push((path.clone(), hash));
        if path == SETTINGS_FILE {
            out.settings = true;
            continue;
        }
        let head = match status {
            'A' | 'N' => Ok(None),
            _ => match blobs.get(&format!("HEAD:./{path}"))? {
                Some(b) => parse_version(&b, &path).map(Some),
                None => Err("the committed version is too large or missing".into()),
            },
        };
        let work = match &bytes {
            Some(b) => parse_version(b, &path).map(Some),
            None => Ok(None),
        };
        let touch = match (status, &bytes) {
            ('A' | 'N', _) => Touch::Added,
            (_, None) => Touch::Deleted,
            _ => Touch::Modified,
        };
        let stem = Path::new(&path)
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let (old, new, problem) = match (head, work) {
            (Ok(o), Ok(n)) => (o, n, None),
            (Err(p), _) => (None, None, Some(format!("the committed version: {p}"))),
            (_, Err(p)) => (None, None, Some(format!("the file: {p}"))),
        };
        let id = [&new, &old]
            .iter()
            .find_map(|m| m.as_ref().and_then(|m| m.text("id")))
            .unwrap_or(stem);
        let changes = diff_fields(old.as_ref(), new.as_ref());
        let summary = summarise(&touch, old.as_ref(), new.as_ref(), &changes);
        out.records.push(RecordChange {
            path,
            id,
            touch,
            changes,
            summary,
            problem,
        });
    }
    out.records.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(())
}

/// `Name <e-mail>` of the acting person, both from `aims.yaml`; `None` when the person is
/// unknown or has no e-mail there: git's own `user.name` and `user.email` then decide
/// (never a mix of the two, which would name one person with another's address).
fn author(settings: &Settings, person: Option<&str>) -> Option<(String, String)> {
    let p = settings.person(person?)?;
    Some((p.name.clone(), p.email.clone()?))
}

/// Who git would name as the author (`Name <e-mail>`), for the dialog to show.
fn git_identity(repo: &Repo) -> Option<String> {
    let ident = repo.text(&["var", "GIT_AUTHOR_IDENT"]).ok()?;
    // `Name <e-mail> 1700000000 +0100`: the time is not who.
    let end = ident.rfind('>')?;
    Some(ident[..=end].trim().to_string())
}

/// What the message says of one record's change.
fn summarise(
    touch: &Touch,
    old: Option<&Map>,
    new: Option<&Map>,
    changes: &[FieldChange],
) -> Vec<String> {
    match touch {
        Touch::Added => return vec!["added".into()],
        Touch::Deleted => return vec!["deleted".into()],
        _ => {}
    }
    let mut parts = Vec::new();
    let score = |m: Option<&Map>| m.and_then(residual_score);
    let rescored = match (score(old), score(new)) {
        (Some(a), Some(b)) if a != b => {
            parts.push(format!("rescored {a}→{b}"));
            true
        }
        _ => false,
    };
    let mut status = None;
    let mut reviewed = false;
    let mut logged = Vec::new();
    for c in changes {
        let field = c.field.as_str();
        if LOG_FIELDS.contains(&field) {
            logged.push(field_part(c));
        } else if REVIEW_FIELDS.contains(&field) {
            reviewed = true;
        } else if rescored && (field.contains("likelihood") || field.contains("impact")) {
            // Said by "rescored".
        } else if field == "status" {
            status = c.new.as_ref().map(super::history::show_value);
        } else {
            parts.push(field_part(c));
        }
    }
    if let Some(s) = status {
        // `accepted`, `closed`, `verified` read as what happened; others as a change.
        parts.push(if s.ends_with("ed") {
            s
        } else {
            format!("status → {s}")
        });
    }
    if reviewed {
        parts.push("reviewed".into());
    }
    if parts.is_empty() {
        parts = logged;
    }
    if parts.is_empty() {
        // Comments or layout only.
        parts.push("edited".into());
    }
    parts
}

/// `owner → lchen`, `controls + A.6.2.4`, `description edited`, `due removed`.
fn field_part(c: &FieldChange) -> String {
    use crate::domain::Value;
    let short = |v: &Value| {
        let s = super::history::show_value(v);
        (s.chars().count() <= 24 && !matches!(v, Value::Map(_))).then_some(s)
    };
    match (&c.old, &c.new) {
        (_, None) => format!("{} removed", c.field),
        (Some(Value::List(a)), Some(Value::List(b)))
            if b.len() == a.len() + 1 && b[..a.len()] == a[..] =>
        {
            match short(&b[a.len()]) {
                Some(s) => format!("{} + {s}", c.field),
                None => format!("{} added to", c.field),
            }
        }
        (_, Some(n)) => match short(n) {
            Some(s) if !matches!(n, crate::domain::Value::List(_)) => {
                format!("{} → {s}", c.field)
            }
            _ => format!("{} edited", c.field),
        },
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The commit message for these changes: `Review of DATE: ID what; ID what` on one line,
/// or, when that is too long, a subject naming (or counting) the records and one line per
/// record in the body.
/// "Review of" when a record was marked reviewed; "Changes of" otherwise.
pub fn message(today: Date, records: &[RecordChange], settings: bool) -> String {
    let reviewed = records
        .iter()
        .any(|r| r.summary.iter().any(|s| s == "reviewed"));
    let head = if reviewed {
        format!("Review of {today}")
    } else {
        format!("Changes of {today}")
    };
    let mut lines: Vec<String> = records
        .iter()
        .map(|r| {
            let mut parts = r.summary.clone();
            // The subject says "Review": a record that was also changed need not repeat it.
            if parts.len() > 1 {
                parts.retain(|p| p != "reviewed");
            }
            if parts.len() > PARTS_MAX {
                let more = parts.len() - PARTS_MAX + 1;
                parts.truncate(PARTS_MAX - 1);
                parts.push(format!("{more} more changes"));
            }
            format!("{} {}", r.id, and_list(&parts))
        })
        .collect();
    if settings {
        lines.push(format!("{SETTINGS_FILE} changed"));
    }
    let one = format!("{head}: {}", lines.join("; "));
    if one.chars().count() <= SUBJECT_MAX {
        return one;
    }
    // The subject names the records while that stays short, else counts them.
    let mut ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    if settings {
        ids.push("the settings".into());
    }
    let mut subject = format!("{head}: {}", and_list(&ids));
    if subject.chars().count() > SUBJECT_SHORT {
        subject = format!(
            "{head}: {}",
            crate::domain::text::plural(ids.len(), "record")
        );
        if settings {
            subject.push_str(" and the settings");
        }
    }
    let body: Vec<String> = lines.iter().map(|l| format!("- {l}")).collect();
    format!("{subject}\n\n{}", body.join("\n"))
}

/// Why `git commit` failed, in git's words (without the command line, which holds the
/// whole message), with what to do when git does not know who is committing.
fn commit_failure(text: &str) -> String {
    let text = match text.split_once("` failed: ") {
        Some((_, why)) => format!("git commit failed: {why}"),
        None => text.to_string(),
    };
    if text.contains("user.email") || text.contains("identity") {
        format!(
            "not committed: git does not know who you are; add `email:` to your entry in aims.yaml's people, or run `git config user.email you@example.org` ({text})"
        )
    } else {
        format!("not committed: {text}")
    }
}

/// Commits the request's paths with its message, as its author. Refuses (with what to do)
/// outside git, during a merge or rebase, with an empty message or nothing to commit, and
/// when a file changed since the dialog read it. `Ok`: `1a2b3c4 subject`.
pub fn commit(root: &Path, req: &CommitRequest) -> Result<String, String> {
    let repo = Repo::open(root).map_err(|l| l.to_string())?;
    if let Some(blocked) = in_progress(&repo).map_err(|l| l.to_string())? {
        return Err(format!("not committed: {blocked}"));
    }
    let message = req.message.trim();
    if message.is_empty() {
        return Err("not committed: the message is empty; write what changed".into());
    }
    if req.paths.is_empty() {
        return Err("nothing to commit: no record has changed since the last commit".into());
    }
    let now = changed_paths(&repo).map_err(|l| l.to_string())?;
    for (path, hash) in &req.paths {
        let bytes = super::fsio::read_capped(&root.join(path), super::load::MAX_FILE_BYTES).ok();
        let current = bytes.as_deref().map(super::load::content_hash);
        if current != *hash || !now.iter().any(|(p, _)| p == path) {
            return Err(format!(
                "not committed: {path} changed since the commit dialog read it; open the dialog again to see what would be committed"
            ));
        }
    }
    // New files git does not know are added first (`commit --only` takes only files it
    // knows), and unstaged again if the commit fails; nothing else is staged, and what the
    // user staged elsewhere stays staged, uncommitted.
    let added: Vec<&str> = now
        .iter()
        .filter(|(p, s)| *s == 'N' && req.paths.iter().any(|(r, _)| r == p))
        .map(|(p, _)| p.as_str())
        .collect();
    if !added.is_empty() {
        repo.run(&[&["add", "--"][..], &added].concat())
            .map_err(|l| format!("not committed: {l}"))?;
    }
    let paths: Vec<&str> = req.paths.iter().map(|(p, _)| p.as_str()).collect();
    let args = [
        &["commit", "--quiet", "--only", "-m", message, "--"][..],
        &paths,
    ]
    .concat();
    let env: Vec<(&str, &str)> = match &req.author {
        Some((name, email)) => vec![
            ("GIT_AUTHOR_NAME", name.as_str()),
            ("GIT_AUTHOR_EMAIL", email.as_str()),
            ("GIT_COMMITTER_NAME", name.as_str()),
            ("GIT_COMMITTER_EMAIL", email.as_str()),
        ],
        None => Vec::new(),
    };
    if let Err(lack) = repo.run_with_env(&args, &env) {
        if !added.is_empty() {
            let _ = repo.run(&[&["rm", "--cached", "--quiet", "--"][..], &added].concat());
        }
        return Err(commit_failure(&lack.to_string()));
    }
    let done = repo
        .text(&["log", "-1", "--format=%h %s"])
        .map_err(|l| l.to_string())?;
    Ok(done.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Value;

    fn map(yaml: &str) -> Map {
        match super::super::load::parse_yaml(yaml, Path::new("t.yaml")).unwrap() {
            Value::Map(m) => m,
            other => panic!("{other:?}"),
        }
    }

    fn changed(id: &str, old: &str, new: &str) -> RecordChange {
        let (old, new) = (map(old), map(new));
        let changes = diff_fields(Some(&old), Some(&new));
        RecordChange {
            path: format!("x/{id}.yaml"),
            id: id.into(),
            touch: Touch::Modified,
            summary: summarise(&Touch::Modified, Some(&old), Some(&new), &changes),
            changes,
            problem: None,
        }
    }

    fn today() -> Date {
        crate::domain::dates::parse_date("2026-11-22").unwrap()
    }

    #[test]
    fn the_issue_example_reads_as_one_line() {
        let risk = changed(
            "RISK-004",
            "id: RISK-004\nresidual_likelihood: 4\nresidual_impact: 3\nstatus: treating\n",
            "id: RISK-004\nresidual_likelihood: 2\nresidual_impact: 4\nstatus: accepted\nlast_reviewed: 2026-11-22\n",
        );
        let system = changed("SYS-003", "owner: amoreau\n", "owner: lchen\n");
        assert_eq!(
            message(today(), &[risk, system], false),
            "Review of 2026-11-22: RISK-004 rescored 12→8 and accepted; SYS-003 owner → lchen"
        );
    }

    #[test]
    fn fields_are_said_briefly_and_many_are_counted() {
        let r = changed(
            "NC-002",
            "controls: [A.6.2.4]\ndescription: short\ndue: 2026-12-01\nstatus: open\n",
            "controls: [A.6.2.4, A.9.2]\ndescription: a much longer description of what went wrong\nstatus: in-progress\n",
        );
        assert_eq!(
            r.summary,
            [
                "controls + A.9.2",
                "description edited",
                "due removed",
                "status → in-progress"
            ]
        );
        assert_eq!(
            message(today(), &[r], true),
            "Changes of 2026-11-22: NC-002 and the settings\n\n- NC-002 controls + A.9.2, description edited and 2 more changes\n- aims.yaml changed"
        );
        // The reassignment's log entry is not news: the owner change is.
        let reassigned = changed(
            "SYS-003",
            "owner: ann\n",
            "owner: bob\nhistory:\n  - {date: 2026-11-22, by: ann, note: reassigned}\n",
        );
        assert_eq!(reassigned.summary, ["owner → bob"]);
        let only_reviewed = changed("SYS-001", "a: 1\n", "a: 1\nlast_reviewed: 2026-11-22\n");
        assert_eq!(
            message(today(), &[only_reviewed], false),
            "Review of 2026-11-22: SYS-001 reviewed"
        );
    }
}
