//! Quiet over SSH: what the real `aims` binary writes to a pseudo terminal at 80×24 for
//! the first frame, a pane switch, `j` in a list, and ten seconds of nothing — which must
//! be nothing (no clock, no spinner, no redraw on a timer outside the audit walk).
//!
//! Also the figures' script: `cargo test --test pty_bytes -- --nocapture` prints the four
//! counts (README, "Quiet over SSH").
#![cfg(unix)]

use expectrl::Session;
use expectrl::session::OsSession;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-workspace");
/// How long a burst must be over before its bytes are counted (a frame is one burst).
const QUIET: Duration = Duration::from_millis(300);
/// Every wait has a deadline.
const DEADLINE: Duration = Duration::from_secs(20);
const IDLE: Duration = Duration::from_secs(10);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        // Not aims' own state (lock, parse cache): other tests write the sample's.
        if entry.file_name().to_string_lossy().starts_with(".aims") {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

struct Pty {
    session: OsSession,
    screen: vt100::Parser,
    bytes: usize,
}

impl Pty {
    fn start(workspace: &Path, home: &Path) -> Pty {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aims"));
        cmd.arg(workspace)
            .args(["--as", "amoreau", "--today", "2026-11-22"])
            .env("TERM", "xterm-256color")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"));
        for var in ["COLORTERM", "NO_COLOR", "COLUMNS", "LINES"] {
            cmd.env_remove(var);
        }
        // The pty is 80×24 from the start: the first frame is drawn at that size.
        let session = Session::spawn(cmd).expect("spawn aims in a pty");
        Pty {
            session,
            screen: vt100::Parser::new(
                std::num::NonZeroU16::new(24).unwrap(),
                std::num::NonZeroU16::new(80).unwrap(),
                0,
            ),
            bytes: 0,
        }
    }

    /// Reads what has arrived, without blocking; returns how many bytes.
    fn pump(&mut self) -> usize {
        let mut buf = [0u8; 16 * 1024];
        let mut got = 0;
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    self.screen.process(&buf[..n]);
                    got += n;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.raw_os_error() == Some(5) => break,
                Err(e) => panic!("reading the pty: {e}"),
            }
        }
        self.bytes += got;
        got
    }

    /// Bytes written from now until `text` is on screen and nothing more came for QUIET.
    fn burst_until(&mut self, text: &str) -> usize {
        let before = self.bytes;
        let start = Instant::now();
        let mut quiet_since = Instant::now();
        loop {
            if self.pump() > 0 {
                quiet_since = Instant::now();
            } else if quiet_since.elapsed() >= QUIET
                && self.screen.screen().contents().contains(text)
            {
                return self.bytes - before;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "{text:?} never settled on screen:\n{}",
                self.screen.screen().contents()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// Everything written over `span` with no key pressed, and in how many bursts (writes
    /// more than 100 ms after the previous one).
    fn idle(&mut self, span: Duration) -> (usize, usize) {
        let before = self.bytes;
        let start = Instant::now();
        let mut bursts = 0;
        let mut last: Option<Instant> = None;
        while start.elapsed() < span {
            if self.pump() > 0 {
                if last.is_none_or(|l| l.elapsed() > Duration::from_millis(100)) {
                    bursts += 1;
                }
                last = Some(Instant::now());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.pump();
        (self.bytes - before, bursts)
    }
}

#[test]
fn an_idle_workbench_writes_nothing_and_keys_write_little() {
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path().join("ws");
    let home = tmp.path().join("home");
    copy_dir(Path::new(SAMPLE), &workspace);
    std::fs::create_dir_all(home.join(".config")).unwrap();
    let mut pty = Pty::start(&workspace, &home);

    let first = pty.burst_until("Problems");
    pty.send("2");
    let switch = pty.burst_until("Inventory (");
    pty.send("j");
    let down = pty.burst_until("Inventory (");
    let (idle, _) = pty.idle(IDLE);
    // The walk shows its elapsed time: one small redraw a second at most, nothing else.
    pty.send("8j\r");
    pty.burst_until("AUD-2026-01");
    let walk_span = Duration::from_secs(3);
    let (walk, ticks) = pty.idle(walk_span);
    println!(
        "bytes at 80x24: first frame {first}, pane switch {switch}, j in a list {down}, {} s idle {idle}; walk open {} s: {walk} in {ticks} redraws",
        IDLE.as_secs(),
        walk_span.as_secs()
    );
    assert_eq!(idle, 0, "the idle workbench wrote {idle} bytes");
    assert!(
        ticks <= walk_span.as_secs() as usize + 1 && walk < 200 * (ticks + 1),
        "the walk's clock wrote {walk} bytes in {ticks} redraws over {walk_span:?}"
    );
    // A key redraws what changed, not the screen: far less than a full frame.
    assert!(
        first > 1000,
        "the first frame is a whole screen: {first} bytes"
    );
    assert!(down > 0 && down < first / 4, "j wrote {down} bytes");
    assert!(
        switch > 0 && switch < first,
        "a pane switch wrote {switch} bytes"
    );
    pty.send("q");
}
