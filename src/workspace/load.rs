//! Loading a workspace directory into memory, with an index by id and reverse links.
//!
//! Every file is read defensively: size cap, UTF-8, YAML budgets, symlinks that leave the
//! workspace, ids that are not file names. A bad file becomes a finding and is left out;
//! the rest of the workspace still opens.

use super::{cache, fsio};
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::{Finding, Map, Record, RecordType, Settings, Value, catalog, ids};
use crate::rules::{self, Ctx, WorkspaceView};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Records are small; anything bigger is a mistake or an attack.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Debug)]
pub enum OpenError {
    /// The directory has no `aims.yaml`.
    NotAWorkspace(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::NotAWorkspace(p) => write!(
                f,
                "{} is not an AIMS workspace (no {SETTINGS_FILE}): create one with `aims init DIR`, or try `aims check sample-workspace`",
                p.display()
            ),
            OpenError::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for OpenError {}

pub struct Workspace {
    pub root: PathBuf,
    pub settings: Settings,
    pub records: Vec<Record>,
    pub(super) index: FastMap<String, usize>,
    /// target id → the records (indices) that refer to it, ascending.
    pub(super) backlinks: FastMap<String, Vec<usize>>,
    /// Findings of loading: files that could not be read, settings problems, duplicates.
    pub load_findings: Vec<Finding>,
    /// Files that could not be read: they are never written.
    pub unreadable: HashSet<PathBuf>,
    /// How the last load got its records: parsed, or taken from the parse cache.
    pub load_stats: LoadStats,
    /// aims.yaml's fields as read and the hash of its bytes: what the Settings form edits,
    /// and what its save checks the file against. `None` when it could not be read.
    pub settings_file: Option<(Map, u64)>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoadStats {
    pub parsed: usize,
    pub from_cache: usize,
}

/// A hash map keyed by ids or paths: foldhash, seeded per process (as std's is), several
/// times faster than SipHash on short keys.
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The hash of a file's bytes, to notice that it changed since it was read. Fixed seed:
/// the parse cache stores it across runs (its fingerprint includes a probe of this).
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x61696d73_63616368).hash_one(bytes)
}

/// Parser options: YAML 1.2 scalars, no duplicate keys, and budgets far above any real record but far below
/// what an alias bomb or a deeply nested file needs.
pub fn parse_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
                        // Records need no aliases; a few are allowed, and the retained anchor text is
            // capped, so one 1 MiB file cannot expand to hundreds of MiB in memory.
            max_aliases: 20,
            max_anchors: 64,
            max_recorded_anchor_bytes: 1024 * 1024,
            max_nodes: 50_000,
            max_merge_keys: 64,
            max_documents: 1,
            max_total_scalar_bytes: 4 * 1024 * 1024,
        },
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::Error,
        // YAML 1.2 core: `no` and `on` are text, as yaml-edit writes them; `0012` stays text.
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        with_snippet: false,
    }
}

/// Parses YAML text into a value, or a finding with line and column. The common subset
/// records are written in takes the fast reader; anything else, and every error, the full
/// parser (the fast reader gives the same values, see its module).
pub fn parse_yaml(text: &str, rel: &Path) -> Result<Value, Finding> {
    match super::fast_yaml::parse(text) {
        Some(value) => Ok(value),
        None => parse_yaml_full(text, rel),
    }
}

/// [`parse_yaml`] with the full parser only (serde-saphyr): the reference the fast reader
/// is tested against.
pub fn parse_yaml_full(text: &str, rel: &Path) -> Result<Value, Finding> {
    serde_saphyr::from_str_with_options::<Value>(text, parse_options()).map_err(|e| {
        let loc = e.location();
        let line = loc.map(|l| l.line() as u32).filter(|l| *l > 0);
        let column = loc.map(|l| l.column() as u32).filter(|c| *c > 0);
        let msg = parse_message(&e);
        Finding::error(
            rel,
            format!("{msg}: fix the YAML; until then this file is left out and never overwritten"),
        )
        .at(line)
        .col(column)
    })
}

/// The parser's message, first line only and made safe to print.
fn parse_message(e: &serde_saphyr::Error) -> String {
    let text = e.to_string();
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid YAML");
    let first = crate::domain::text::one_line(first.trim());
    let lower = first.to_lowercase();
    if lower.contains("document") {
        return format!(
            "the file holds more than one YAML document (a `---` line starts another): keep one record per file and remove the second `---` ({first})"
        );
    }
    if lower.contains("budget")
        || lower.contains("alias")
        || lower.contains("depth")
        || lower.contains("nesting")
    {
        format!(
            "refused: the YAML exceeds the parser's safety limits (aliases, nesting or size): {first}"
        )
    } else {
        format!("invalid YAML: {first}")
    }
}

/// Why a record folder cannot be listed, and what to do.
fn folder_reason(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        format!(
            "permission denied ({e}): give this user read and execute access to the folder (chmod u+rx, or g+rx for the group)"
        )
    } else {
        fsio::io_reason(e)
    }
}

/// Reads one file under the workspace, refusing what should not be read.
pub(crate) fn read_guarded(
    root_canon: &Path,
    path: &Path,
    rel: &Path,
) -> Result<(String, u64), Finding> {
    read_stamped(root_canon, path, rel).map(|(text, hash, _)| (text, hash))
}

/// [`read_guarded`], with the stat of the file read when it is a regular file reached
/// without a symlink (what the parse cache may key on).
fn read_stamped(
    root_canon: &Path,
    path: &Path,
    rel: &Path,
) -> Result<(String, u64, Option<cache::Stamp>), Finding> {
    // Nearly every file is a plain file: opened without following a link, it costs one
    // path walk and no `lstat`; a link (`ELOOP`) is checked before it is followed.
    let opened = match fsio::open_regular_stat(path, false) {
        Err(fsio::ReadError::Io(e))
            if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) =>
        {
            check_link(root_canon, path, rel)?;
            fsio::open_regular_stat(path, true).map(|(file, meta)| (file, meta, true))
        }
        other => other.map(|(file, meta)| (file, meta, false)),
    };
    let read = opened.and_then(|(file, meta, linked)| {
        let stamp = (!linked).then(|| cache::Stamp::of(&meta));
        fsio::read_sized(file, meta.len(), MAX_FILE_BYTES).map(|bytes| (bytes, stamp))
    });
    let (bytes, stamp) = read.map_err(|e| read_finding(rel, e))?;
    let hash = content_hash(&bytes);
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, hash, stamp)),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let col = good.iter().rev().take_while(|b| **b != b'\n').count() as u32 + 1;
            Err(
                Finding::error(rel, "not UTF-8 text: re-save the file as UTF-8")
                    .at(Some(line))
                    .col(Some(col)),
            )
        }
    }
}

/// A file at `path` that is a symlink: refused unless it leads to an existing file inside
/// the workspace.
fn check_link(root_canon: &Path, path: &Path, rel: &Path) -> Result<(), Finding> {
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| Finding::error(rel, format!("cannot be read: {}", fsio::io_reason(&e))))?;
    if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| {
            let why = if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
                "is a symlink loop (the link leads back to itself): remove it or point it at the record file"
            } else {
                "is a symlink whose target does not exist: remove it or fix the link"
            };
            Finding::error(rel, why)
        })?;
        if !target.starts_with(root_canon) {
            return Err(Finding::error(
                rel,
                "symlink leads outside the workspace: refused; copy the file into the workspace instead",
            ));
        }
    }
    Ok(())
}

/// What a failed read of a record file means to its owner.
fn read_finding(rel: &Path, e: fsio::ReadError) -> Finding {
    match e {
        fsio::ReadError::TooLarge(size, cap) => Finding::error(
            rel,
            format!(
                "file is {}; a record may be at most {}: move large content to evidence/ and link it",
                fsio::human_size(size),
                fsio::human_size(cap)
            ),
        ),
        fsio::ReadError::NotRegular(_) => Finding::error(rel, format!("{e}")),
        fsio::ReadError::Io(ref io) => {
            Finding::error(rel, format!("cannot be read: {}", fsio::io_reason(io)))
        }
    }
}

/// One record file: read, parse and check that it is a mapping whose name is an id.
pub(crate) fn load_record(
    root_canon: &Path,
    root: &Path,
    kind: RecordType,
    name: &str,
) -> Result<Record, Finding> {
    load_record_cached(root_canon, root, kind, name, None).map(|(r, _, _)| r)
}

/// What the cache offers for one file: its entry and when the cache was written.
type Offer = Option<(cache::Entry, i64)>;

/// [`load_record`], taking the cached parse when the file is provably unchanged; returns
/// the stat to cache the record under (None: not cacheable, e.g. reached through a link)
/// and whether it came from the cache.
fn load_record_cached(
    root_canon: &Path,
    root: &Path,
    kind: RecordType,
    name: &str,
    offer: Offer,
) -> Result<(Record, Option<cache::Stamp>, bool), Finding> {
    let rel = PathBuf::from(kind.dir()).join(name);
    let id = name
        .strip_suffix(".yaml")
        .or(name.strip_suffix(".yml"))
        .unwrap_or(name);
    let valid = if kind == RecordType::Soa {
        catalog::control(id).is_some()
    } else {
        ids::is_record_id(id)
    };
    if !valid {
        let hint = if kind == RecordType::Soa {
            "SoA files are named by Annex A control id, e.g. soa/A.6.2.4.yaml".to_string()
        } else {
            format!("rename it to an id such as {}-001.yaml", kind.prefix())
        };
        return Err(Finding::error(
            &rel,
            format!(
                "file name `{}` is not a valid record id: {hint}",
                crate::domain::text::show_id(name)
            ),
        ));
    }
    let path = root.join(&rel);
    if let Some((entry, loaded_at)) = offer
        && let Ok(meta) = std::fs::symlink_metadata(&path)
        && meta.is_file()
    {
        let stamp = cache::Stamp::of(&meta);
        if let Some(entry) = cache::take_if_current(entry, loaded_at, &path, &meta) {
            let record = Record {
                kind,
                id: id.to_string(),
                fields: entry.fields,
                path: rel,
                content_hash: entry.hash,
            };
            return Ok((record, Some(stamp), true));
        }
    }
    let (text, hash, stamp) = read_stamped(root_canon, &path, &rel)?;
    match parse_yaml(&text, &rel)? {
        Value::Map(fields) => Ok((
            Record {
                kind,
                id: id.to_string(),
                fields,
                path: rel,
                content_hash: hash,
            },
            stamp,
            false,
        )),
        Value::Null => Err(Finding::error(
            &rel,
            "file is empty: add the record's fields, starting with `id:`",
        )),
        other => Err(Finding::error(
            &rel,
            format!(
                "a record file holds a mapping of fields (`id: …`), not {}",
                other.shape()
            ),
        )),
    }
}

impl Workspace {
    /// Opens a workspace, using and refreshing the parse cache. Only a missing `aims.yaml`
    /// or an unreadable root is fatal.
    pub fn open(root: &Path) -> Result<Workspace, OpenError> {
        Workspace::open_full(root, true, &AtomicUsize::new(0))
    }

    /// Opens a workspace; `use_cache: false` parses every file and leaves the cache alone.
    pub fn open_with(root: &Path, use_cache: bool) -> Result<Workspace, OpenError> {
        Workspace::open_full(root, use_cache, &AtomicUsize::new(0))
    }

    /// [`Workspace::open`], counting the record files read in `progress` as it goes, for a
    /// loading gauge on another thread.
    pub fn open_with_progress(root: &Path, progress: &AtomicUsize) -> Result<Workspace, OpenError> {
        Workspace::open_full(root, true, progress)
    }

    fn open_full(
        root: &Path,
        use_cache: bool,
        progress: &AtomicUsize,
    ) -> Result<Workspace, OpenError> {
        let settings_path = root.join(SETTINGS_FILE);
        // Only its absence makes a folder "not a workspace"; an aims.yaml that cannot be
        // read (a FIFO, no permission) is reported as a finding below.
        if std::fs::symlink_metadata(&settings_path).is_err() {
            return Err(OpenError::NotAWorkspace(root.to_path_buf()));
        }
        let root_canon =
            std::fs::canonicalize(root).map_err(|e| OpenError::Io(root.to_path_buf(), e))?;
        let mut findings = Vec::new();
        let mut unreadable = HashSet::new();

        let mut settings_file = None;
        let settings = match read_guarded(&root_canon, &settings_path, Path::new(SETTINGS_FILE))
            .and_then(|(text, hash)| Ok((parse_yaml(&text, Path::new(SETTINGS_FILE))?, hash)))
        {
            Ok((Value::Map(m), hash)) => {
                let (s, problems) = Settings::from_map(&m);
                findings.extend(problems);
                settings_file = Some((m, hash));
                s
            }
            Ok(_) => {
                findings.push(Finding::error(
                    SETTINGS_FILE,
                    "aims.yaml must be a mapping of settings (`organization: …`)",
                ));
                Settings::default()
            }
            Err(f) => {
                unreadable.insert(PathBuf::from(SETTINGS_FILE));
                findings.push(f);
                Settings::default()
            }
        };

        // List every candidate file first, then parse them on all cores.
        // File-system time, to compare with the mtimes of the files this load reads (the
        // parse cache's "racy" test), never a date the rules see.
        let loaded_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let mut cached = if use_cache {
            cache::Cache::load(root)
        } else {
            cache::Cache::default()
        };
        let mut jobs = Vec::new();
        for kind in RecordType::ALL {
            let dir = root.join(kind.dir());
            if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
                let problem = match std::fs::canonicalize(&dir) {
                    Ok(d) if d.starts_with(&root_canon) => None,
                    Ok(_) => Some(
                        "folder is a symlink that leads outside the workspace: refused".to_string(),
                    ),
                    Err(e) => Some(format!(
                        "the folder {}/ cannot be listed, so none of its {} records were read: it is a symlink that {}",
                        kind.dir(),
                        kind.label(),
                        if e.kind() == std::io::ErrorKind::NotFound {
                            "leads nowhere (its target does not exist): fix or remove the link"
                                .to_string()
                        } else {
                            fsio::io_reason(&e)
                        }
                    )),
                };
                if let Some(problem) = problem {
                    findings.push(Finding::error(kind.dir(), problem));
                    continue;
                }
            }
            // A missing folder is an empty register; anything else that stops us listing it
            // fails the check, so a gate never passes a register it did not read.
            let entries = match std::fs::metadata(&dir) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Ok(m) if !m.is_dir() => {
                    findings.push(Finding::error(
                        kind.dir(),
                        format!(
                            "`{}` is a file, not a folder: aims keeps {} records in the folder {}/ and read none; move the file away and restore the folder",
                            kind.dir(),
                            kind.label(),
                            kind.dir()
                        ),
                    ));
                    continue;
                }
                _ => match std::fs::read_dir(&dir) {
                    Ok(entries) => entries,
                    Err(e) => {
                        findings.push(Finding::error(
                            kind.dir(),
                            format!(
                                "the folder {}/ cannot be listed, so none of its {} records were read: {}",
                                kind.dir(),
                                kind.label(),
                                folder_reason(&e)
                            ),
                        ));
                        continue;
                    }
                },
            };
            let mut names: Vec<String> = Vec::new();
            for entry in entries {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        findings.push(Finding::error(
                            kind.dir(),
                            format!(
                                "the folder {}/ could not be listed to the end: {}",
                                kind.dir(),
                                folder_reason(&e)
                            ),
                        ));
                        break;
                    }
                };
                let name = entry.file_name();
                let Some(name) = name.to_str() else {
                    findings.push(Finding::error(
                        PathBuf::from(kind.dir()).join(name.to_string_lossy().as_ref()),
                        "file name is not UTF-8: rename it to the record id",
                    ));
                    continue;
                };
                if name.starts_with('.') || !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                    continue;
                }
                names.push(name.to_string());
            }
            names.sort();
            jobs.extend(names.into_iter().map(|n| {
                let offer = cached.entries.remove(&format!("{}/{n}", kind.dir()));
                (kind, n, std::sync::Mutex::new(offer))
            }));
        }

        let results = super::par::map(
            &jobs,
            super::par::threads(),
            |(kind, name, offer)| {
                let offer = offer.lock().ok().and_then(|mut o| o.take());
                let r = load_record_cached(&root_canon, root, *kind, name, offer);
                progress.fetch_add(1, Ordering::Relaxed);
                r
            },
            // A parser panic must not silently drop files from the workspace.
            |(kind, name, _)| {
                Err(Finding::error(
                    PathBuf::from(kind.dir()).join(name),
                    "could not be read (internal error while parsing): please report this file",
                ))
            },
        );
        // Shards to rewrite: where a record was parsed afresh or is gone since.
        let mut dirty = [false; cache::SHARDS];
        let mut used = [0usize; cache::SHARDS];
        let mut stats = LoadStats::default();
        let results: Vec<Result<(Record, Option<cache::Stamp>), Finding>> = results
            .into_iter()
            .map(|r| {
                r.map(|(record, stamp, from_cache)| {
                    let shard = cache::shard_of(&record.path);
                    if from_cache {
                        used[shard] += 1;
                        stats.from_cache += 1;
                    } else {
                        dirty[shard] = true;
                        stats.parsed += 1;
                    }
                    (record, stamp)
                })
            })
            .collect();
        for (n, d) in dirty.iter_mut().enumerate() {
            *d |= cached.counts[n] != used[n];
        }

        let mut records = Vec::with_capacity(results.len());
        // The stat each record was read with, beside it (for the parse cache).
        let mut stamps = Vec::with_capacity(results.len());
        let mut index = FastMap::with_capacity_and_hasher(results.len(), Default::default());
        for result in results {
            match result {
                Ok((record, stamp)) => {
                    if let Some(&first) = index.get(&record.id) {
                        let first: &Record = &records[first];
                        findings.push(
                            Finding::error(
                                &record.path,
                                format!(
                                    "id `{}` is already used by {}: ids are unique across the workspace; rename one",
                                    record.id,
                                    first.path.display()
                                ),
                            )
                            .record(&record.id),
                        );
                        unreadable.insert(record.path.clone());
                        continue;
                    }
                    index.insert(record.id.clone(), records.len());
                    records.push(record);
                    stamps.push(stamp);
                }
                Err(f) => {
                    unreadable.insert(f.file.clone());
                    findings.push(f);
                }
            }
        }

        let mut ws = Workspace {
            root: root.to_path_buf(),
            settings,
            records,
            index,
            backlinks: FastMap::default(),
            load_findings: findings,
            unreadable,
            load_stats: stats,
            settings_file,
        };
        // The index was built above (it found the duplicates).
        ws.build_backlinks();
        if use_cache {
            ws.store_cache(&stamps, &dirty, loaded_at);
        }
        Ok(ws)
    }

    /// Writes the shards of the parse cache that this load left out of date.
    fn store_cache(&self, stamps: &[Option<cache::Stamp>], dirty: &[bool], loaded_at: i64) {
        let dirty: Vec<usize> = (0..cache::SHARDS).filter(|n| dirty[*n]).collect();
        if dirty.is_empty() {
            return;
        }
        // A duplicate id is not among the records (the file indexed first is): not cached.
        let items: Vec<cache::Item> = self
            .records
            .iter()
            .zip(stamps)
            .filter_map(|(record, stamp)| {
                Some(cache::Item {
                    rel: &record.path,
                    stamp: (*stamp)?,
                    hash: record.content_hash,
                    fields: &record.fields,
                })
            })
            .collect();
        cache::store(&self.root, &items, &dirty, loaded_at);
    }

    /// Computes the reverse links from every record's reference fields.
    fn build_backlinks(&mut self) {
        // Each record's references on every core (a twelfth of a warm check at 100,000
        // records on one); the map is then filled in record order.
        let refs = super::par::map(
            &self.records,
            super::par::threads(),
            |r| Some(rules::refs::references(r)),
            |_| None,
        );
        let mut backlinks: FastMap<String, Vec<usize>> = FastMap::default();
        for (i, targets) in refs.into_iter().enumerate() {
            // A rule that panics stops the load, as it did when this ran on one thread.
            let targets = targets.expect("the references of a record could not be read");
            for (target, _) in targets {
                let list = backlinks.entry(target).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        self.backlinks = backlinks;
    }

    pub fn get(&self, id: &str) -> Option<&Record> {
        self.index.get(id).map(|&i| &self.records[i])
    }

    pub fn of_type(&self, kind: RecordType) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.kind == kind)
    }

    /// The records that refer to `id` (the risks of a system, the NCs of an audit, the risks
    /// citing a control).
    pub fn referrers(&self, id: &str) -> impl Iterator<Item = &Record> {
        self.backlinks
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.records[i])
    }

    /// Every finding: loading problems, each record's rules, and workspace-wide checks.
    pub fn check(&self, today: crate::domain::dates::Date) -> Vec<Finding> {
        let ctx = Ctx { view: self, today };
        let mut all = self.load_findings.clone();
        // The workspace-wide rules take one pass each over all records, on a thread of
        // their own while the per-record rules share every core: run after them, they
        // left a core idle for a fifth of a check.
        let (per_record, whole) = std::thread::scope(|s| {
            let whole = s.spawn(|| self.workspace_findings(today));
            let per_record = super::par::map(
                &self.records,
                super::par::threads(),
                |r| rules::validate_record(r, &ctx),
                |r| {
                    vec![Finding::error(
                        &r.path,
                        "could not be checked (internal error in a rule): please report this file",
                    )]
                },
            );
            // A panic there goes on as it did on this thread: a gate never passes.
            let whole = whole
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (per_record, whole)
        });
        all.extend(per_record.into_iter().flatten());
        all.extend(whole);
        sort_findings(&mut all);
        all
    }

    /// The workspace-wide checks (coverage of the SoA, the register and the audit cycle,
    /// the review and audit cycles, links between records): what no single record shows,
    /// so an incremental re-check recomputes them after every change.
    pub(crate) fn workspace_findings(&self, today: crate::domain::dates::Date) -> Vec<Finding> {
        rules::whole_findings(&self.records, &Ctx { view: self, today })
    }

    /// The path of a record file on disk.
    pub fn path_of(&self, record: &Record) -> PathBuf {
        self.root.join(&record.path)
    }

    /// Puts a record in (new or replacing the one with its id); index and reverse links
    /// are patched, not rebuilt.
    pub(crate) fn replace(&mut self, record: Record) {
        self.put(record);
    }

    /// Drops a record from memory (its file is gone).
    pub(crate) fn remove(&mut self, id: &str) {
        self.take(id);
    }

    /// Puts back the last good version of a record whose file no longer parses, so a viewer
    /// keeps seeing it (marked stale). Its path stays unreadable, so it is never written.
    pub fn keep_stale(&mut self, record: Record) {
        self.unreadable.insert(record.path.clone());
        self.replace(record);
    }

    /// Fields of a record as a new map, for editing.
    pub fn fields_of(&self, id: &str) -> Option<Map> {
        self.get(id).map(|r| r.fields.clone())
    }
}

/// Findings grouped by file, then line, errors first.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line.unwrap_or(0), a.severity, &a.message).cmp(&(
            &b.file,
            b.line.unwrap_or(0),
            b.severity,
            &b.message,
        ))
    });
}

impl WorkspaceView for Workspace {
    fn settings(&self) -> &Settings {
        &self.settings
    }
    fn record(&self, id: &str) -> Option<&Record> {
        self.get(id)
    }
    fn linked_from(&self, id: &str) -> Vec<&Record> {
        self.referrers(id).collect()
    }
    fn evidence_exists(&self, relative: &str) -> bool {
        self.root.join(relative).exists()
    }
}
