//! The workspace's git repository, read through the `git` binary.
//!
//! Why the binary and not gix or git2: on the project's 2-core CI a cold build of gix
//! (with the features needed for log, diff and rename tracking) or of git2 (libgit2 in C)
//! adds minutes, while every user of a git-versioned workspace already has `git`; it also
//! honours the user's own configuration (safe.directory, alternates, partial clones) exactly
//! as they see it. We only ever *read* through stable plumbing output (`-z`, `--format`),
//! never parse `.git` ourselves.
//!
//! Every call has a deadline and its stderr is kept for the message; a repository that is
//! missing, shallow or has no commit is a [`Lack`] that the features report, not a failure.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// How long one git command may take before it is killed.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// What the history features cannot have, said to the user instead of failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lack {
    /// `git` could not be started.
    NoGit(String),
    /// The workspace is not inside a git repository.
    NotARepository,
    /// A repository without a commit yet.
    NoCommits,
    /// git ran and failed (or timed out): the command and its stderr.
    Failed(String),
}

impl std::fmt::Display for Lack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lack::NoGit(e) => write!(
                f,
                "no history: git could not be run ({e}); install git to see record history and trends"
            ),
            Lack::NotARepository => write!(
                f,
                "no history: the workspace is not in a git repository; run `git init` and commit it to keep its history"
            ),
            Lack::NoCommits => write!(
                f,
                "no history yet: the repository has no commit; commit the workspace to start its history"
            ),
            Lack::Failed(e) => write!(f, "history not read: {e}"),
        }
    }
}

/// A workspace's repository: the directory commands run in, and what kind of clone it is.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The workspace directory; git commands run here, so `--relative` paths are the
    /// workspace's own (`risks/RISK-001.yaml`) even when it is a subfolder of the repo.
    pub dir: PathBuf,
    /// A shallow clone: history stops at its graft point.
    pub shallow: bool,
}

impl Repo {
    /// The repository the workspace at `dir` is in, with at least one commit.
    pub fn open(dir: &Path) -> Result<Repo, Lack> {
        let repo = Repo {
            dir: dir.to_path_buf(),
            shallow: false,
        };
        let out = match repo.run_raw(&["rev-parse", "--is-inside-work-tree"]) {
            Ok(out) => out,
            Err(RunError::Spawn(e)) => return Err(Lack::NoGit(e)),
            Err(RunError::Failed(e)) if e.contains("not a git repository") => {
                return Err(Lack::NotARepository);
            }
            Err(RunError::Failed(e)) => return Err(Lack::Failed(e)),
        };
        if out.trim_ascii() != b"true" {
            return Err(Lack::NotARepository);
        }
        if repo
            .run(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
            .is_err()
        {
            return Err(Lack::NoCommits);
        }
        let shallow = repo.text(&["rev-parse", "--is-shallow-repository"])?;
        Ok(Repo {
            shallow: shallow.trim() == "true",
            ..repo
        })
    }

    /// Runs git and returns its stdout; a failure is a [`Lack::Failed`] with stderr.
    pub fn run(&self, args: &[&str]) -> Result<Vec<u8>, Lack> {
        self.run_raw(args).map_err(|e| match e {
            RunError::Spawn(e) => Lack::NoGit(e),
            RunError::Failed(e) => Lack::Failed(e),
        })
    }

    /// [`Repo::run`] with extra environment (a commit's author).
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Result<Vec<u8>, Lack> {
        self.run_raw_env(args, env).map_err(|e| match e {
            RunError::Spawn(e) => Lack::NoGit(e),
            RunError::Failed(e) => Lack::Failed(e),
        })
    }

    /// [`Repo::run`] as UTF-8 text (lossy: git output is read, never written back).
    pub fn text(&self, args: &[&str]) -> Result<String, Lack> {
        self.run(args)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.arg("-C")
            .arg(&self.dir)
            // Reading must not take the index lock (a running `git commit` would fail) nor
            // quote non-ASCII paths, and must never stop to ask for anything.
            .args(["--no-optional-locks", "-c", "core.quotepath=off"])
            .args(["-c", "log.showSignature=false", "-c", "diff.renames=true"])
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("LC_ALL", "C")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .stdin(Stdio::null());
        c
    }

    fn run_raw(&self, args: &[&str]) -> Result<Vec<u8>, RunError> {
        self.run_raw_env(args, &[])
    }

    fn run_raw_env(&self, args: &[&str], env: &[(&str, &str)]) -> Result<Vec<u8>, RunError> {
        let what = format!("git {}", args.join(" "));
        let mut child = self
            .command(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| RunError::Spawn(e.to_string()))?;
        // Both pipes drained on their own threads, so a large output cannot block git
        // while we wait for it to exit.
        let drain = |mut r: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = r.read_to_end(&mut buf);
                buf
            })
        };
        let out = drain(Box::new(child.stdout.take().expect("piped stdout")));
        let err = drain(Box::new(child.stderr.take().expect("piped stderr")));
        let status = wait_with_deadline(&mut child, TIMEOUT);
        let (out, err) = (
            out.join().unwrap_or_default(),
            err.join().unwrap_or_default(),
        );
        let stderr = crate::domain::text::one_line(String::from_utf8_lossy(&err).trim());
        match status {
            Some(s) if s.success() => Ok(out),
            Some(_) => Err(RunError::Failed(format!("`{what}` failed: {stderr}"))),
            None => Err(RunError::Failed(format!(
                "`{what}` did not finish within {} s and was stopped{}",
                TIMEOUT.as_secs(),
                if stderr.is_empty() {
                    String::new()
                } else {
                    format!(": {stderr}")
                }
            ))),
        }
    }

    /// A long-running `git cat-file --batch`, to read many blobs through one process.
    pub fn blobs(&self) -> Result<Blobs, Lack> {
        let mut child = self
            .command(&["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Lack::NoGit(e.to_string()))?;
        let input = child.stdin.take().expect("piped stdin");
        let output = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
        let watchdog = Watchdog::start(child.id());
        Ok(Blobs {
            child,
            input: Some(input),
            output,
            watchdog: Some(watchdog),
        })
    }
}

enum RunError {
    Spawn(String),
    Failed(String),
}

/// Waits for the child until the deadline; kills it after. `None`: it was killed.
fn wait_with_deadline(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if start.elapsed() < limit => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Blob contents by object name or `<rev>:<path>`, through one `git cat-file --batch`.
pub struct Blobs {
    child: Child,
    input: Option<ChildStdin>,
    output: std::io::BufReader<ChildStdout>,
    watchdog: Option<Watchdog>,
}

/// Kills the `cat-file` process when a request stays unanswered past [`TIMEOUT`], so a
/// stuck git ends the read with an error instead of hanging it.
struct Watchdog {
    /// `true`: a request is out (the clock runs); `false`: answered.
    armed: std::sync::mpsc::Sender<bool>,
    thread: std::thread::JoinHandle<()>,
}

impl Watchdog {
    fn start(pid: u32) -> Watchdog {
        use std::sync::mpsc::RecvTimeoutError;
        let (armed, rx) = std::sync::mpsc::channel::<bool>();
        let thread = std::thread::spawn(move || {
            let mut waiting = false;
            loop {
                let next = if waiting {
                    rx.recv_timeout(TIMEOUT)
                } else {
                    rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
                };
                match next {
                    Ok(a) => waiting = a,
                    Err(RecvTimeoutError::Timeout) => {
                        // The child is not reaped before this thread is joined, so the pid
                        // is still ours.
                        if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                            let _ =
                                rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                        }
                        waiting = false;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        Watchdog { armed, thread }
    }

    fn arm(&self, on: bool) {
        let _ = self.armed.send(on);
    }
}

impl Blobs {
    /// The object's bytes, or `None` when it does not exist. Bounded by the record cap, so
    /// a huge blob is skipped rather than read into memory.
    pub fn get(&mut self, object: &str) -> Result<Option<Vec<u8>>, Lack> {
        let broken = |e: std::io::Error| Lack::Failed(format!("`git cat-file --batch`: {e}"));
        if object.contains('\n') {
            return Ok(None);
        }
        self.arm(true);
        let sent = match self.input.as_mut() {
            Some(input) => writeln!(input, "{object}")
                .and_then(|()| input.flush())
                .map_err(broken),
            None => Err(Lack::Failed("closed".into())),
        };
        let answer = sent.and_then(|()| self.read_answer());
        self.arm(false);
        answer
    }

    fn arm(&self, on: bool) {
        if let Some(w) = &self.watchdog {
            w.arm(on);
        }
    }

    /// Reads one answer of cat-file: the blob, or `None` when missing or not a blob.
    fn read_answer(&mut self) -> Result<Option<Vec<u8>>, Lack> {
        use std::io::BufRead;
        let broken = |e: std::io::Error| Lack::Failed(format!("`git cat-file --batch`: {e}"));
        let mut header = String::new();
        if self.output.read_line(&mut header).map_err(broken)? == 0 {
            return Err(Lack::Failed(
                "`git cat-file --batch` stopped answering".into(),
            ));
        }
        // `<oid> <type> <size>` or `<object> missing` / `ambiguous`.
        let parts: Vec<&str> = header.trim_end().split(' ').collect();
        let [_, kind, size] = parts[..] else {
            return Ok(None);
        };
        let size: u64 = size
            .parse()
            .map_err(|_| Lack::Failed(format!("unexpected cat-file header `{header}`")))?;
        let mut body = vec![0; size as usize];
        self.output.read_exact(&mut body).map_err(broken)?;
        let mut newline = [0u8; 1];
        self.output.read_exact(&mut newline).map_err(broken)?;
        if kind != "blob" || size > super::load::MAX_FILE_BYTES {
            return Ok(None);
        }
        Ok(Some(body))
    }
}

impl Blobs {
    /// Many blobs at once: the requests are written on another thread while the answers
    /// are read, so a thousand files cost one round trip's latency, not a thousand.
    pub fn get_many(&mut self, objects: &[&str]) -> Result<Vec<Option<Vec<u8>>>, Lack> {
        let broken = |e: std::io::Error| Lack::Failed(format!("`git cat-file --batch`: {e}"));
        let mut input = self
            .input
            .take()
            .ok_or_else(|| Lack::Failed("closed".into()))?;
        let requests: String = objects
            .iter()
            .map(|o| {
                if o.contains('\n') {
                    "-\n".to_string()
                } else {
                    format!("{o}\n")
                }
            })
            .collect();
        self.arm(true);
        let (input, answers) = std::thread::scope(|s| {
            let writer = s.spawn(move || {
                let written = input
                    .write_all(requests.as_bytes())
                    .and_then(|()| input.flush());
                (input, written)
            });
            let answers: Result<Vec<_>, Lack> =
                objects.iter().map(|_| self.read_answer()).collect();
            let (input, written) = writer.join().expect("writer thread");
            (input, written.map_err(broken).and(answers))
        });
        self.arm(false);
        self.input = Some(input);
        answers
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        // The watchdog stops first: once the child is reaped its pid may be reused.
        if let Some(w) = self.watchdog.take() {
            drop(w.armed);
            let _ = w.thread.join();
        }
        // Closing its input ends cat-file; the deadline covers a git that will not stop.
        drop(self.input.take());
        let _ = wait_with_deadline(&mut self.child, Duration::from_secs(5));
    }
}

/// Splits NUL-separated git output into fields.
pub fn fields(out: &[u8]) -> impl Iterator<Item = &str> {
    out.split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| std::str::from_utf8(s).unwrap_or(""))
}
