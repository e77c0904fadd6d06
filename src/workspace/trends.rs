//! Trends over the workspace's git history: one [`Point`] per day (the last first-parent
//! commit of that day, at most [`MAX_POINTS`] days back), each computed with the same rules
//! as the live workspace (due dates, SoA progress, risk bands), as of that day's date.
//!
//! Incremental: the workspace at the oldest point to compute is read once from its tree;
//! each later point re-reads only the files changed since the previous one
//! (`git diff-tree`). Points are cached per user under `.aims/cache/` keyed by commit id, so
//! a second run computes only commits it has not seen; a cache that does not parse, or is
//! from another version, is ignored and rewritten.
//!
//! Viewers (`aims trends`, the TUI's Trends pane and Home sparklines) render [`Trends`];
//! computing runs git, so a viewer calls [`trends`] off its drawing thread.

use super::git::{self, Lack, Repo};
use crate::domain::dates::{Date, parse_date};
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::{Map, Record, RecordType, Settings, Value, catalog, ids};
use crate::rules::due::{DueKind, DueState, obligations, obligations_of};
use crate::rules::specs::{date_of, residual_score};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Days of history at most: about thirteen months of daily points, enough for a year's
/// management review, and a bound on the first run's cost in a long-lived repository.
pub const MAX_POINTS: usize = 400;
/// Bump when a point's meaning or shape changes: older caches are then ignored.
const CACHE_SCHEMA: u32 = 2;
/// The NC age buckets, in days (upper bounds; the last bucket is everything older).
pub const NC_AGE_BUCKETS: [&str; 4] = ["0-30", "31-90", "91-180", ">180"];

/// The workspace as of one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub date: Date,
    pub commit: String,
    pub overdue: usize,
    pub due_soon: usize,
    /// SoA entries whose applicability is decided (status other than not-assessed); these
    /// three count as `rules::soa::SoaProgress` does (schema 2: applicable is status-led).
    pub soa_assessed: usize,
    pub soa_applicable: usize,
    pub soa_in_place: usize,
    /// Risks not closed.
    pub risks_open: usize,
    pub risks_above_appetite: usize,
    /// Open risks by the band of their residual score (the risk method's band names).
    pub risks_by_band: BTreeMap<String, usize>,
    pub ncs_open: usize,
    /// Open NCs by days since `raised_on`, in [`NC_AGE_BUCKETS`] (undated NCs left out).
    pub nc_ageing: [usize; 4],
    /// Impact assessments (latest approved per system) not due / overdue for refresh.
    pub ia_current: usize,
    pub ia_stale: usize,
}

/// Counts of one calendar month (`2026-03`), from the records' own dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Month {
    pub month: String,
    pub ncs_raised: usize,
    pub ncs_closed: usize,
    /// Incidents that occurred this month, by severity (`unrated` when none is given).
    pub incidents: BTreeMap<String, usize>,
}

/// What one run did: to show that a second run reuses the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Work {
    /// First-parent commits looked at.
    pub commits: usize,
    pub points_cached: usize,
    pub points_computed: usize,
    /// Record (and settings) files read from git.
    pub files_read: usize,
    /// Of those, the ones parsed; the others matched the parse cache of the working tree
    /// byte for byte (the usual case for the newest commits) and were taken from it.
    pub files_parsed: usize,
}

/// The series, oldest point first, and what they lack.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Trends {
    pub points: Vec<Point>,
    /// Month by month, from the newest point's records (raised, closed, occurred dates).
    pub months: Vec<Month>,
    pub notes: Vec<String>,
    #[serde(skip)]
    pub work: Work,
}

/// The trends of the workspace at `root`. Never fails: without a repository (or with a
/// shallow one) `notes` says what is missing.
pub fn trends(root: &Path) -> Trends {
    let mut out = Trends::default();
    let repo = match Repo::open(root) {
        Ok(r) => r,
        Err(lack) => {
            out.notes.push(lack.to_string());
            return out;
        }
    };
    if repo.shallow {
        out.notes.push(
            "shallow clone: trends start at its oldest fetched commit; run `git fetch --unshallow` for the full series".into(),
        );
    }
    if let Err(lack) = compute(&repo, root, &mut out) {
        out.notes.push(lack.to_string());
    }
    out
}

/// The cached points and months, keyed by commit id.
#[derive(Serialize, Deserialize, Default)]
struct CacheFile {
    schema: u32,
    version: String,
    points: Vec<Point>,
    /// The months of the newest point, and its commit.
    months_of: Option<String>,
    months: Vec<Month>,
}

fn cache_path(root: &Path) -> PathBuf {
    super::cache::user_dir(root).join("trends.json")
}

/// The cache, or an empty one when it is missing, damaged or from another version.
fn read_cache(root: &Path) -> CacheFile {
    let read = super::fsio::read_capped(&cache_path(root), 64 << 20).ok();
    read.and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
        .filter(|c| c.schema == CACHE_SCHEMA && c.version == env!("CARGO_PKG_VERSION"))
        .unwrap_or_default()
}

fn write_cache(root: &Path, cache: &CacheFile) {
    use std::os::unix::fs::PermissionsExt;
    let dir = super::cache::user_dir(root);
    if super::lock::state_dir(root).is_err()
        || std::fs::create_dir_all(&dir).is_err()
        || std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).is_err()
    {
        return;
    }
    // A cache is only an optimisation: failing to write it costs the next run time, no more.
    if let Ok(bytes) = serde_json::to_vec(cache) {
        let _ = super::replace::write_whole(&cache_path(root), &bytes);
    }
}

/// The point commits: the last first-parent commit of each day, oldest first, capped.
fn days(repo: &Repo) -> Result<(Vec<(String, Date)>, usize), Lack> {
    let out = repo.text(&["log", "--first-parent", "--format=%H %cI", "HEAD"])?;
    let mut seen = std::collections::HashSet::new();
    let mut picked = Vec::new();
    let mut commits = 0;
    for line in out.lines() {
        commits += 1;
        let Some((commit, when)) = line.split_once(' ') else {
            continue;
        };
        let Some(date) = when.get(..10).and_then(parse_date) else {
            continue;
        };
        // Newest first: the first commit seen for a day is its last.
        if seen.insert(date) && picked.len() < MAX_POINTS {
            picked.push((commit.to_string(), date));
        }
    }
    picked.reverse();
    Ok((picked, commits))
}

fn compute(repo: &Repo, root: &Path, out: &mut Trends) -> Result<(), Lack> {
    let (days, commits) = days(repo)?;
    out.work.commits = commits;
    let cache = read_cache(root);
    let cached: HashMap<&str, &Point> = cache
        .points
        .iter()
        .map(|p| (p.commit.as_str(), p))
        .collect();
    let head = days.last().map(|(c, _)| c.clone());
    let first_missing = days
        .iter()
        .position(|(c, _)| !cached.contains_key(c.as_str()));
    let months_fresh = cache.months_of.is_some() && cache.months_of == head;
    let Some(start) = first_missing.or((!months_fresh).then_some(days.len().saturating_sub(1)))
    else {
        // Nothing new: every point and the months come from the cache.
        out.points = days
            .iter()
            .filter_map(|(c, _)| cached.get(c.as_str()).map(|p| (*p).clone()))
            .collect();
        out.work.points_cached = out.points.len();
        out.months = cache.months;
        return Ok(());
    };
    let mut points: Vec<Point> = days[..start]
        .iter()
        .filter_map(|(c, _)| cached.get(c.as_str()).map(|p| (*p).clone()))
        .collect();
    out.work.points_cached = points.len();
    let mut blobs = repo.blobs()?;
    let mut model = Model::at(repo, root, &mut blobs, &days[start].0, &mut out.work)?;
    let mut changes = changes_after(repo, &days[start].0)?;
    for (i, (commit, date)) in days.iter().enumerate().skip(start) {
        if i > start {
            let changed = changes.take_until(commit);
            model.apply(&mut blobs, changed, &mut out.work)?;
        }
        match cached.get(commit.as_str()) {
            Some(p) => {
                points.push((*p).clone());
                out.work.points_cached += 1;
            }
            None => {
                points.push(model.point(commit, *date));
                out.work.points_computed += 1;
            }
        }
    }
    out.months = model.months();
    let fresh = CacheFile {
        schema: CACHE_SCHEMA,
        version: env!("CARGO_PKG_VERSION").to_string(),
        points: points.clone(),
        months_of: head,
        months: out.months.clone(),
    };
    write_cache(root, &fresh);
    out.points = points;
    Ok(())
}

/// Changed files: the path and its new blob, or `None` when the file was deleted.
type Changed = Vec<(String, Option<String>)>;

/// The files each first-parent commit after a start changed, oldest commit first.
struct Changes {
    commits: std::collections::VecDeque<(String, Changed)>,
}

/// Reads with one `git log` what every first-parent commit after `start` changed (merges
/// against their first parent), keeping only aims.yaml and record files.
fn changes_after(repo: &Repo, start: &str) -> Result<Changes, Lack> {
    let range = format!("{start}..HEAD");
    let out = repo.run(&[
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--relative",
        "--format=%x1e%H",
        &range,
    ])?;
    let mut commits = std::collections::VecDeque::new();
    for chunk in out.split(|b| *b == 0x1e).filter(|c| !c.is_empty()) {
        let mut items = git::fields(chunk);
        let Some(commit) = items.next() else { continue };
        let mut files = Vec::new();
        // `:<mode> <mode> <old> <new> <status>` then the path.
        while let Some(raw) = items.next() {
            let Some(path) = items.next() else { break };
            let cols: Vec<&str> = raw.trim_start_matches(['\n', ':']).split(' ').collect();
            let [_, _, _, new_oid, status] = cols[..] else {
                continue;
            };
            if wanted(path) {
                let gone = status.starts_with('D');
                files.push((path.to_string(), (!gone).then(|| new_oid.to_string())));
            }
        }
        commits.push_front((commit.trim().to_string(), files));
    }
    Ok(Changes { commits })
}

impl Changes {
    /// What changed up to and including `commit`, each path's last state only.
    fn take_until(&mut self, commit: &str) -> Changed {
        let mut last: BTreeMap<String, Option<String>> = BTreeMap::new();
        while let Some((c, files)) = self.commits.pop_front() {
            last.extend(files);
            if c == commit {
                break;
            }
        }
        last.into_iter().collect()
    }
}

/// The workspace at one commit, kept up to date commit by commit.
struct Model {
    settings: Settings,
    records: Vec<Record>,
    /// Path (relative to the workspace) → index into `records`.
    at: HashMap<String, usize>,
    /// The due dates of every obligation, by the id of the record it belongs to.
    due: HashMap<String, Vec<(Date, DueKind)>>,
}

/// Records whose obligations depend on other records (the latest assessment per system, the
/// audit and review cycles): a change to one recomputes every obligation.
fn crossing(kind: RecordType) -> bool {
    matches!(
        kind,
        RecordType::ImpactAssessment
            | RecordType::Audit
            | RecordType::ManagementReview
            | RecordType::System
    )
}

/// The record type a workspace-relative path holds, if it is a record file.
fn record_kind(path: &str) -> Option<(RecordType, &str)> {
    let (dir, name) = path.split_once('/')?;
    if name.contains('/') || name.starts_with('.') {
        return None;
    }
    let id = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))?;
    let kind = RecordType::from_dir(dir)?;
    let valid = if kind == RecordType::Soa {
        catalog::control(id).is_some()
    } else {
        ids::is_record_id(id)
    };
    valid.then_some((kind, id))
}

fn wanted(path: &str) -> bool {
    path == SETTINGS_FILE || record_kind(path).is_some()
}

/// Parses a settings blob; a broken one counts as the defaults (as the live load does).
fn settings_of(bytes: Option<&[u8]>) -> Settings {
    let text = bytes.and_then(|b| std::str::from_utf8(b).ok());
    match text.map(|t| super::load::parse_yaml(t, Path::new(SETTINGS_FILE))) {
        Some(Ok(Value::Map(m))) => Settings::from_map(&m).0,
        _ => Settings::default(),
    }
}

/// A record from a blob, or `None` when it does not parse (the live load leaves such a
/// file out too).
fn record_of(path: &str, bytes: &[u8]) -> Option<Record> {
    let (kind, id) = record_kind(path)?;
    let text = std::str::from_utf8(bytes).ok()?;
    match super::load::parse_yaml(text, Path::new(path)).ok()? {
        Value::Map(fields) => Some(Record {
            kind,
            id: id.to_string(),
            fields,
            path: PathBuf::from(path),
            content_hash: super::load::content_hash(bytes),
        }),
        _ => None,
    }
}

/// Parses many blobs on all cores.
fn parse_all(files: Vec<(String, Vec<u8>)>) -> Vec<Option<Record>> {
    super::par::map(
        &files,
        super::par::threads(),
        |(path, bytes)| record_of(path, bytes),
        |_| None,
    )
}

impl Model {
    /// The workspace as committed at `commit`, read from its tree.
    fn at(
        repo: &Repo,
        root: &Path,
        blobs: &mut git::Blobs,
        commit: &str,
        work: &mut Work,
    ) -> Result<Model, Lack> {
        let listing = repo.run(&["ls-tree", "-r", "-z", "--no-abbrev", commit])?;
        let mut wanted_files = Vec::new();
        for entry in git::fields(&listing) {
            // `<mode> blob <oid>\t<path>`
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut cols = meta.split(' ');
            let (Some(_), Some("blob"), Some(oid)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            if wanted(path) {
                wanted_files.push((path.to_string(), oid.to_string()));
            }
        }
        let oids: Vec<&str> = wanted_files.iter().map(|(_, o)| o.as_str()).collect();
        let contents = blobs.get_many(&oids)?;
        work.files_read += contents.len();
        let mut settings = Settings::default();
        let mut files = Vec::new();
        for ((path, _), bytes) in wanted_files.into_iter().zip(contents) {
            if path == SETTINGS_FILE {
                settings = settings_of(bytes.as_deref());
            } else if let Some(bytes) = bytes {
                files.push((path, bytes));
            }
        }
        let mut model = Model {
            settings,
            records: Vec::new(),
            at: HashMap::new(),
            due: HashMap::new(),
        };
        // A file whose bytes the working tree's parse cache holds needs no parsing: at a
        // recent commit that is nearly every file, which makes a run after a few new commits
        // cost about what opening the workspace costs.
        let mut parse_cache = super::cache::Cache::load(root);
        let mut to_parse = Vec::new();
        for (path, bytes) in files {
            let hash = super::load::content_hash(&bytes);
            let known = parse_cache
                .entries
                .remove(&path)
                .filter(|(e, _)| e.hash == hash);
            match (known, record_kind(&path)) {
                (Some((entry, _)), Some((kind, id))) => model.put(Record {
                    kind,
                    id: id.to_string(),
                    fields: entry.fields,
                    path: PathBuf::from(&path),
                    content_hash: hash,
                }),
                _ => to_parse.push((path, bytes)),
            }
        }
        work.files_parsed += to_parse.len();
        for record in parse_all(to_parse).into_iter().flatten() {
            model.put(record);
        }
        model.all_due();
        Ok(model)
    }

    fn put(&mut self, record: Record) {
        let path = record.path.to_string_lossy().into_owned();
        match self.at.get(&path) {
            Some(&i) => self.records[i] = record,
            None => {
                self.at.insert(path, self.records.len());
                self.records.push(record);
            }
        }
    }

    fn drop_path(&mut self, path: &str) {
        let Some(i) = self.at.remove(path) else {
            return;
        };
        self.records.swap_remove(i);
        if let Some(moved) = self.records.get(i) {
            self.at.insert(moved.path.to_string_lossy().into_owned(), i);
        }
    }

    /// Every obligation's due date, computed over the whole model.
    fn all_due(&mut self) {
        // The day only sets each item's state, never its date: any day will do.
        let any_day = Date::default();
        self.due.clear();
        for item in obligations(&self.records, &self.settings, any_day) {
            self.due
                .entry(item.record)
                .or_default()
                .push((item.due, item.kind));
        }
    }

    /// Applies changed files (`None`: deleted), reading and parsing only those, and brings
    /// the due dates up to date.
    fn apply(
        &mut self,
        blobs: &mut git::Blobs,
        changed: Changed,
        work: &mut Work,
    ) -> Result<(), Lack> {
        if changed.is_empty() {
            return Ok(());
        }
        let oids: Vec<&str> = changed.iter().filter_map(|(_, o)| o.as_deref()).collect();
        let mut contents = blobs.get_many(&oids)?.into_iter();
        work.files_read += oids.len();
        // Settings, a deletion or a record others depend on: recompute every obligation.
        let mut whole = false;
        let mut ids = std::collections::HashSet::new();
        let mut files = Vec::new();
        for (path, oid) in changed {
            let bytes = if oid.is_some() {
                contents.next().flatten()
            } else {
                None
            };
            if path == SETTINGS_FILE {
                self.settings = settings_of(bytes.as_deref());
                whole = true;
                continue;
            }
            if let Some((kind, id)) = record_kind(&path) {
                whole |= crossing(kind);
                ids.insert(id.to_string());
            }
            match bytes {
                Some(b) => files.push((path, b)),
                None => {
                    whole = true;
                    self.drop_path(&path);
                }
            }
        }
        work.files_parsed += files.len();
        let paths_changed: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
        for (path, record) in paths_changed.iter().zip(parse_all(files)) {
            match record {
                Some(r) => self.put(r),
                // A version that does not parse is left out, as the live load does.
                None => {
                    whole = true;
                    self.drop_path(path);
                }
            }
        }
        if whole {
            self.all_due();
            return Ok(());
        }
        // Only risks, NCs, documents...: their own obligations, read with the systems they
        // name (a material change puts a risk or model card on the list), as the
        // workbench's due list patches itself.
        let own: Vec<&Record> = paths_changed
            .iter()
            .filter_map(|p| self.at.get(p.as_str()))
            .map(|&i| &self.records[i])
            .collect();
        let named: Vec<&Record> = own
            .iter()
            .flat_map(|r| r.fields.texts("systems"))
            .filter_map(|id| {
                self.at
                    .get(&format!("{}/{id}.yaml", RecordType::System.dir()))
            })
            .map(|&i| &self.records[i])
            .filter(|r| r.kind == RecordType::System)
            .collect();
        let subset: Vec<&Record> = own.into_iter().chain(named).collect();
        let mut fresh: HashMap<String, Vec<(Date, DueKind)>> = HashMap::new();
        for item in obligations_of(&subset, &self.settings, Date::default()) {
            if ids.contains(item.record.as_str()) {
                fresh
                    .entry(item.record)
                    .or_default()
                    .push((item.due, item.kind));
            }
        }
        for id in ids {
            match fresh.remove(&id) {
                Some(items) => self.due.insert(id, items),
                None => self.due.remove(&id),
            };
        }
        Ok(())
    }

    /// The point of this model as of `date`.
    fn point(&self, commit: &str, date: Date) -> Point {
        let due = self.due.values().flatten();
        point_from(&self.records, &self.settings, due, commit, date)
    }

    fn months(&self) -> Vec<Month> {
        months_of(&self.records)
    }
}

/// One point over some records, as of `date`: what `aims due`, the SoA and the risk
/// register would have shown that day.
pub fn point_of(records: &[Record], settings: &Settings, commit: &str, date: Date) -> Point {
    let due: Vec<(Date, DueKind)> = obligations(records, settings, date)
        .into_iter()
        .map(|i| (i.due, i.kind))
        .collect();
    point_from(records, settings, due.iter(), commit, date)
}

/// [`point_of`] with the obligations' due dates given: they do not depend on the day, so
/// the model keeps them from point to point and recomputes only a changed record's.
fn point_from<'a>(
    records: &[Record],
    settings: &Settings,
    due: impl Iterator<Item = &'a (Date, DueKind)>,
    commit: &str,
    date: Date,
) -> Point {
    let mut p = Point {
        date,
        commit: commit.to_string(),
        overdue: 0,
        due_soon: 0,
        soa_assessed: 0,
        soa_applicable: 0,
        soa_in_place: 0,
        risks_open: 0,
        risks_above_appetite: 0,
        risks_by_band: BTreeMap::new(),
        ncs_open: 0,
        nc_ageing: [0; 4],
        ia_current: 0,
        ia_stale: 0,
    };
    for &(due, kind) in due {
        // As `rules::due` states them: overdue before the day, due soon within the window.
        let days = (due - date).num_days();
        let state = if days < 0 {
            DueState::Overdue
        } else if days <= i64::from(settings.due_soon_days) {
            DueState::DueSoon
        } else {
            DueState::Later
        };
        match state {
            DueState::Overdue => p.overdue += 1,
            DueState::DueSoon => p.due_soon += 1,
            DueState::Later => {}
        }
        if kind == DueKind::ImpactAssessmentRefresh {
            if state == DueState::Overdue {
                p.ia_stale += 1;
            } else {
                p.ia_current += 1;
            }
        }
    }
    let soa = crate::rules::soa::SoaProgress::of(records.iter());
    (p.soa_assessed, p.soa_applicable, p.soa_in_place) =
        (soa.assessed, soa.applicable, soa.in_place);
    let closed = |r: &Record| r.fields.text_is("status", "closed");
    for r in records {
        match r.kind {
            RecordType::Risk if !closed(r) => {
                p.risks_open += 1;
                if let Some(score) = residual_score(&r.fields) {
                    let method = &settings.risk;
                    if method.above_appetite(score) {
                        p.risks_above_appetite += 1;
                    }
                    *p.risks_by_band
                        .entry(method.band(score).to_string())
                        .or_default() += 1;
                }
            }
            RecordType::Nonconformity if !closed(r) => {
                p.ncs_open += 1;
                if let Some(raised) = date_of(&r.fields, "raised_on") {
                    let age = (date - raised).num_days();
                    let bucket = match age {
                        ..=30 => 0,
                        31..=90 => 1,
                        91..=180 => 2,
                        _ => 3,
                    };
                    p.nc_ageing[bucket] += 1;
                }
            }
            _ => {}
        }
    }
    p
}

/// NCs raised and closed, and incidents by severity, per month of their own dates.
pub fn months_of(records: &[Record]) -> Vec<Month> {
    let mut months: BTreeMap<String, Month> = BTreeMap::new();
    fn month(months: &mut BTreeMap<String, Month>, d: Date) -> &mut Month {
        let key = d.format("%Y-%m").to_string();
        months.entry(key.clone()).or_insert_with(|| Month {
            month: key,
            ..Month::default()
        })
    }
    for r in records {
        let f: &Map = &r.fields;
        match r.kind {
            RecordType::Nonconformity => {
                if let Some(d) = date_of(f, "raised_on") {
                    month(&mut months, d).ncs_raised += 1;
                }
                if let Some(d) = date_of(f, "closed_on") {
                    month(&mut months, d).ncs_closed += 1;
                }
            }
            RecordType::Incident => {
                if let Some(d) = date_of(f, "occurred_on") {
                    let severity = f.text("severity").unwrap_or_else(|| "unrated".into());
                    *month(&mut months, d).incidents.entry(severity).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    months.into_values().collect()
}
