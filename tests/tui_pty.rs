//! End-to-end tests of the full-screen workbench: the real `aims` binary runs in a
//! pseudo terminal (expectrl), and everything it writes is fed to a terminal emulator
//! (vt100) so the tests can read the screen the way a person would.
#![cfg(unix)]

use expectrl::process::unix::WaitStatus;
use expectrl::{Session, session::OsSession};
use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-workspace");
const TODAY: &str = "2026-11-22";
const COLS: u16 = 100;
const ROWS: u16 = 30;
const SIZE: (NonZeroU16, NonZeroU16) = (
    NonZeroU16::new(ROWS).unwrap(),
    NonZeroU16::new(COLS).unwrap(),
);
/// Every wait has a deadline; none of them is a fixed sleep.
const STEP: Duration = Duration::from_secs(10);

const ENTER_ALT_SCREEN: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT_SCREEN: &[u8] = b"\x1b[?1049l";
const ENABLE_PASTE: &[u8] = b"\x1b[?2004h";
const DISABLE_PASTE: &[u8] = b"\x1b[?2004l";

/// A copy of the sample workspace, plus an empty home so no user config is read.
struct Sandbox {
    _tmp: TempDir,
    workspace: std::path::PathBuf,
    home: std::path::PathBuf,
}

fn sandbox() -> Sandbox {
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path().join("ws");
    let home = tmp.path().join("home");
    copy_dir(Path::new(SAMPLE), &workspace);
    std::fs::create_dir_all(home.join(".config")).unwrap();
    Sandbox {
        _tmp: tmp,
        workspace,
        home,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        // Not aims' own state (`.aims/`: lock, parse cache) or a save's temp file: the
        // sample's cache is written by other tests running at the same time.
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

/// The running workbench: the pty session, the emulated screen and every byte received.
struct Tui {
    session: OsSession,
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
    exit: Option<WaitStatus>,
    /// Key presses sent so far (an escape sequence such as ↓ is one), and how many of
    /// them were sent alone (commands and moves, not typed text).
    keys: usize,
    commands: usize,
}

impl Tui {
    fn start(sandbox: &Sandbox) -> Tui {
        Tui::start_as(sandbox, "amoreau")
    }

    fn start_as(sandbox: &Sandbox, user: &str) -> Tui {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aims"));
        cmd.arg(&sandbox.workspace)
            .args(["--as", user])
            .env("AIMS_TODAY", TODAY)
            .env("TERM", "xterm-256color")
            .env("HOME", &sandbox.home)
            .env("XDG_CONFIG_HOME", sandbox.home.join(".config"));
        for var in [
            "USER",
            "LOGNAME",
            "COLORTERM",
            "NO_COLOR",
            "COLUMNS",
            "LINES",
        ] {
            cmd.env_remove(var);
        }
        let mut session = Session::spawn(cmd).expect("spawn aims in a pty");
        // The pty starts at 80x24; the app picks up the new size on its next frame at the
        // latest (ratatui resizes on every draw), and the screen is only read after that.
        session
            .get_process_mut()
            .set_window_size(COLS, ROWS)
            .unwrap();
        Tui {
            session,
            parser: vt100::Parser::new(SIZE.0, SIZE.1, 0),
            raw: Vec::new(),
            eof: false,
            exit: None,
            keys: 0,
            commands: 0,
        }
    }

    /// Reads whatever the program has written so far, without blocking.
    fn pump(&mut self) {
        let mut buf = [0u8; 16 * 1024];
        while !self.eof {
            match self.session.try_read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.parser.process(&buf[..n]);
                    self.raw.extend_from_slice(&buf[..n]);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                // Linux: reading the master once the child has closed its side.
                Err(e) if e.raw_os_error() == Some(5) => self.eof = true,
                Err(e) => panic!("reading the pty: {e}\n{}", self.screen()),
            }
        }
    }

    fn screen(&self) -> String {
        format!(
            "--- screen ({}) ---\n{}\n-------------------",
            if self.parser.screen().alternate_screen() {
                "alternate"
            } else {
                "primary"
            },
            self.parser.screen().contents()
        )
    }

    /// Waits until `text` is on the screen; panics with the screen after `timeout`.
    fn wait_for(&mut self, text: &str, timeout: Duration) -> Duration {
        let start = Instant::now();
        loop {
            self.pump();
            if self.parser.screen().contents().contains(text) {
                return start.elapsed();
            }
            if self.eof {
                panic!("aims exited while waiting for {text:?}\n{}", self.screen());
            }
            if start.elapsed() > timeout {
                panic!(
                    "{text:?} not on the screen after {timeout:?}\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn send(&mut self, keys: &str) {
        let n = key_presses(keys);
        self.keys += n;
        self.commands += usize::from(n == 1);
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// Waits for the process to end and collects its last output; returns its status.
    fn wait_exit(&mut self, timeout: Duration) -> WaitStatus {
        let start = Instant::now();
        let mut idle_after_exit = 0;
        loop {
            self.pump();
            if self.exit.is_none() {
                match self.session.get_process().status() {
                    Ok(WaitStatus::StillAlive) => {}
                    Ok(status) => self.exit = Some(status),
                    Err(e) => panic!("waitpid: {e}\n{}", self.screen()),
                }
            }
            if let Some(status) = self.exit {
                // Normally the pty reports EOF once the output is drained; the idle count
                // only guards against platforms that never do.
                idle_after_exit += 1;
                if self.eof || idle_after_exit > 50 {
                    return status;
                }
            }
            if start.elapsed() > timeout {
                panic!("aims still running after {timeout:?}\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn quit(&mut self) {
        self.send("q");
        let status = self.wait_exit(STEP);
        assert!(
            matches!(status, WaitStatus::Exited(_, 0)),
            "aims ended with {status:?}\n{}",
            self.screen()
        );
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// `bytes` without its CSI escape sequences (`ESC [ params final`).
fn without_csi(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                i += 1;
            }
            i += 1;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn walks_panes_marks_a_calendar_item_reviewed_and_restores_the_terminal() {
    let sandbox = sandbox();
    let record = sandbox.workspace.join("risks/RISK-021.yaml");
    let original = std::fs::read_to_string(&record).unwrap();
    let note = "walked through with the owner";

    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    assert!(tui.parser.screen().alternate_screen(), "{}", tui.screen());
    assert!(tui.parser.screen().bracketed_paste(), "{}", tui.screen());

    // The tab bar always names every pane: wait for each pane's own title.
    tui.send("2");
    tui.wait_for("Inventory (", STEP);
    tui.send("3");
    tui.wait_for("Heat map", STEP);
    tui.send("5");
    tui.wait_for("Agenda", STEP);

    // The cursor starts on the first agenda item, the oldest overdue one.
    tui.send("r");
    tui.wait_for("Mark RISK-021 reviewed", STEP);
    tui.send(note);
    tui.wait_for(note, STEP);
    tui.send("\r");
    tui.wait_for("RISK-021 saved", STEP);
    tui.quit();

    // The terminal is given back: primary screen, no bracketed paste, cursor shown, and
    // nothing drawn after the sequences that restore it.
    let screen = tui.parser.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen");
    assert!(!screen.bracketed_paste(), "bracketed paste still on");
    assert!(!screen.hide_cursor(), "cursor still hidden");
    let raw = &tui.raw;
    let entered = rfind(raw, ENTER_ALT_SCREEN).expect("never entered the alternate screen");
    assert!(
        rfind(raw, ENABLE_PASTE).is_some(),
        "never enabled bracketed paste"
    );
    let left = rfind(raw, LEAVE_ALT_SCREEN).expect("never left the alternate screen");
    let unpasted = rfind(raw, DISABLE_PASTE).expect("never disabled bracketed paste");
    assert!(
        left > entered && unpasted > entered,
        "restore sequences come before the last frame"
    );
    let tail = &raw[left.min(unpasted)..];
    let drawn_after = without_csi(tail);
    assert!(
        drawn_after.iter().all(u8::is_ascii_whitespace),
        "output after leaving the alternate screen: {:?}",
        String::from_utf8_lossy(tail)
    );

    // The record: reviewed today by amoreau, with the note, through an atomic save.
    let saved = std::fs::read_to_string(&record).unwrap();
    assert!(
        saved.contains(&format!("\nlast_reviewed: {TODAY}\n")),
        "{saved}"
    );
    assert!(!saved.contains("last_reviewed: 2026-03-20"), "{saved}");
    let reviews = &saved[saved.find("\nreviews:").expect("a reviews: list") + 1..];
    let entry = reviews
        .rsplit_once("- ")
        .map(|(_, last)| last)
        .expect("a review entry");
    assert!(entry.contains(TODAY), "last review entry: {entry}\n{saved}");
    assert!(
        entry.contains("by: amoreau"),
        "last review entry: {entry}\n{saved}"
    );
    assert!(entry.contains(note), "last review entry: {entry}\n{saved}");
    let leftovers: Vec<_> = std::fs::read_dir(record.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("RISK-") || !name.ends_with(".yaml"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temp files left behind: {leftovers:?}"
    );

    // Everything else is kept as it was written: each original line except the replaced
    // `last_reviewed:` line is still in the file.
    let saved_lines: std::collections::HashSet<&str> = saved.lines().collect();
    let lost: Vec<&str> = original
        .lines()
        .filter(|l| !l.starts_with("last_reviewed:"))
        .filter(|l| !saved_lines.contains(l))
        .collect();
    assert!(
        lost.is_empty(),
        "original lines lost by the save: {lost:#?}\n--- saved file ---\n{saved}"
    );
}

#[test]
fn shows_another_process_edit_within_a_second_or_two() {
    let sandbox = sandbox();
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("2");
    tui.wait_for("Inventory (", STEP);
    tui.wait_for("SYS-001", STEP);
    assert!(
        !tui.parser
            .screen()
            .contents()
            .contains("Propensity model v2"),
        "{}",
        tui.screen()
    );

    // A colleague's edit, written the way git does it: a temp file, then a rename.
    let systems = sandbox.workspace.join("systems");
    let path = systems.join("SYS-008.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let renamed: String = text
        .lines()
        .map(|line| {
            if line.starts_with("name:") {
                "name: Propensity model v2 (renamed by a colleague)".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    assert_ne!(text, renamed, "SYS-008 has no name: line");
    let temp = systems.join(".SYS-008.yaml.tmp");
    std::fs::write(&temp, renamed).unwrap();
    std::fs::rename(&temp, &path).unwrap();

    let took = tui.wait_for("Propensity model v2", Duration::from_secs(5));
    eprintln!("the edit showed after {took:?}");
    let screen = tui.parser.screen().contents();
    assert!(screen.contains("SYS-001"), "{}", tui.screen());
    assert!(!screen.contains("Marketing propensity"), "{}", tui.screen());
    tui.quit();
}

/// The form's own key help, on the bottom line while no field is being edited.
const FORM_KEYS: &str = "↑↓ field  Enter edit";
const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";

/// Reading and driving the guided forms. The selected row (a form field, or the
/// highlighted entry of a picker) is the one drawn with a background colour; every
/// decision is taken on a settled screen, never on a half-drawn frame.
impl Tui {
    /// Waits until `ok` holds for the screen; panics with the screen after `timeout`.
    fn wait_until(&mut self, what: &str, timeout: Duration, ok: impl Fn(&Tui) -> bool) {
        let start = Instant::now();
        loop {
            self.pump();
            if ok(self) {
                return;
            }
            if self.eof {
                panic!("aims exited while waiting for {what}\n{}", self.screen());
            }
            if start.elapsed() > timeout {
                panic!("no {what} after {timeout:?}\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Reads until nothing has arrived for a little while, so the last frame is whole.
    /// (The workbench redraws a few times a second; each frame is one short burst.)
    fn settle(&mut self) {
        let start = Instant::now();
        let mut quiet_since = Instant::now();
        let mut seen = self.raw.len();
        loop {
            self.pump();
            if self.raw.len() != seen {
                seen = self.raw.len();
                quiet_since = Instant::now();
            } else if quiet_since.elapsed() >= Duration::from_millis(40) {
                return;
            }
            if self.eof || start.elapsed() > STEP {
                panic!("the screen never settled\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Every screen row below the tab bar, as (row, text between the box borders).
    fn rows(&self) -> Vec<(u16, String)> {
        let screen = self.parser.screen();
        screen
            .rows(0, COLS)
            .enumerate()
            .skip(1)
            .map(|(row, text)| {
                let inner = text.trim().trim_matches('│').trim();
                (row as u16, inner.to_string())
            })
            .collect()
    }

    /// The rows drawn selected: a background colour (or reverse video) where the row's
    /// text starts, just inside the form's border or inside a picker's border.
    fn selected_rows(&self) -> Vec<(u16, String)> {
        let screen = self.parser.screen();
        self.rows()
            .into_iter()
            .filter(|&(row, _)| {
                (1..=2).any(|col| {
                    screen.cell(row, col).is_some_and(|cell| {
                        cell.inverse() || cell.bgcolor() != vt100::Color::Default
                    })
                })
            })
            .collect()
    }

    /// The form row of the field `label`, if it is on the screen: (row, value shown).
    fn field(&self, label: &str) -> Option<(u16, String)> {
        self.rows().into_iter().find_map(|(row, text)| {
            let rest = text
                .trim_start_matches('*')
                .trim_start()
                .strip_prefix(label)?;
            (rest.is_empty() || rest.starts_with("  ")).then(|| (row, rest.trim().to_string()))
        })
    }

    /// Moves the form's cursor to `label` one ↑/↓ at a time, looking at the screen after
    /// every key rather than counting rows (the rows shift as fields become required
    /// or get a problem line under them).
    fn go_to_field(&mut self, label: &str) {
        let start = Instant::now();
        loop {
            self.settle();
            let screen_ok = self.screen_text().contains(FORM_KEYS);
            let selected = self.selected_rows();
            if screen_ok && selected.len() == 1 {
                let (at, _) = selected[0];
                let Some((target, _)) = self.field(label) else {
                    panic!("no field {label:?} on the form\n{}", self.screen());
                };
                if at == target {
                    return;
                }
                self.send(if target > at { DOWN } else { UP });
                // The next decision waits for the selection to leave the current row.
                self.wait_until(
                    &format!("move from row {at} towards {label:?}"),
                    STEP,
                    |t| {
                        let now = t.selected_rows();
                        now.len() == 1 && now[0].0 != at
                    },
                );
            }
            if start.elapsed() > STEP {
                panic!("could not select {label:?}\n{}", self.screen());
            }
        }
    }

    fn screen_text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits for the form (not an editor) to show `label` with a value containing `shown`.
    fn wait_for_value(&mut self, label: &str, shown: &str) {
        self.wait_until(&format!("{label:?} showing {shown:?}"), STEP, |t| {
            t.screen_text().contains(FORM_KEYS)
                && t.field(label)
                    .is_some_and(|(_, value)| value.contains(shown))
        });
    }

    /// A one-line text or date field: Enter, type, Enter.
    fn fill_line(&mut self, label: &str, typed: &str, shown: &str) {
        self.go_to_field(label);
        self.send("\r");
        self.wait_for("Enter keep and next", STEP);
        self.send(typed);
        self.wait_for(&format!("> {typed}"), STEP);
        self.send("\r");
        self.wait_for_value(label, shown);
    }

    /// A long-text field: Enter opens an editor box, Esc keeps what was typed.
    fn fill_long_text(&mut self, label: &str, text: &str) {
        self.go_to_field(label);
        self.send("\r");
        self.wait_for("Enter: new line", STEP);
        self.send(text);
        self.wait_for(text, STEP);
        // A lone ESC: nothing else is sent until the form is back.
        self.send(ESC);
        self.wait_for_value(label, text);
    }

    /// A picker (`multi`: a list with tick boxes): type a filter, wait until the wanted
    /// entry is the highlighted one, then take it (ticking it first in a multi-choice).
    fn pick(&mut self, label: &str, filter: &str, entry: &str, shown: &str, multi: bool) {
        self.go_to_field(label);
        self.send("\r");
        self.wait_for(if multi { "Space tick" } else { "/ filter" }, STEP);
        // Pickers move with j/k and filter after `/`.
        self.send("/");
        self.send(filter);
        let title = format!("{label}: filter “{filter}”");
        self.wait_until(&format!("{entry:?} highlighted in the picker"), STEP, |t| {
            t.screen_text().contains(&title)
                && t.selected_rows().iter().any(|(_, text)| {
                    let text = text.trim_start_matches("[ ]").trim_start();
                    text.split_whitespace().any(|word| word == entry)
                })
        });
        if multi {
            // Enter ends the filter in a list of several; Space ticks.
            self.send("\r");
            self.wait_for("Space tick", STEP);
            self.settle();
            // A default may have ticked it already (a new system takes the organisation's
            // only role): Space would untick it.
            let ticked = format!("[x] {entry}");
            if !self
                .selected_rows()
                .iter()
                .any(|(_, t)| t.contains(&ticked))
            {
                self.send(" ");
            }
            self.wait_for(&ticked, STEP);
        }
        self.send("\r");
        self.wait_for_value(label, shown);
    }
}

#[test]
fn creates_a_risk_through_the_form() {
    let sandbox = sandbox();
    let record = sandbox.workspace.join("risks/RISK-026.yaml");
    assert!(!record.exists(), "the sample already has RISK-026");
    let title = "Collections model deprioritises customers in hardship";
    let description = "Call ranking learns to skip hardship cases.";
    let plan = "Add a hardship flag override; monthly outcome review by segment.";

    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("3");
    tui.wait_for("Heat map", STEP);
    tui.send("n");
    tui.wait_for("New AI risk RISK-026", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    let selected = tui.selected_rows();
    assert!(
        selected.len() == 1 && tui.field("Title").map(|(row, _)| row) == Some(selected[0].0),
        "the cursor does not start on Title: {selected:?}\n{}",
        tui.screen()
    );

    tui.fill_line("Title", title, title);
    tui.fill_long_text("Description", description);
    tui.pick("Affected systems", "SYS-007", "SYS-007", "SYS-007", true);
    tui.pick("Category", "bias", "bias-fairness", "bias-fairness", false);
    tui.pick("Likelihood", "Poss", "Possible", "Possible", false);
    tui.pick("Impact", "Moder", "Moderate", "Moderate", false);
    tui.pick("Treatment", "mitig", "mitigate", "mitigate", false);
    tui.pick("Annex A controls", "A.5.4", "A.5.4", "A.5.4", true);
    tui.pick("Status", "treat", "treating", "treating", false);

    // Treatment plan and due are required once the treatment is mitigate: no save yet.
    tui.send(CTRL_S);
    tui.wait_for("Cannot save yet", STEP);
    tui.wait_for("missing “Treatment plan”", STEP);
    assert!(
        tui.screen_text().contains("missing “Treatment due”"),
        "{}",
        tui.screen()
    );
    assert!(!record.exists(), "saved despite the missing fields");
    tui.send(" ");
    tui.wait_until("the form back without the box", STEP, |t| {
        let text = t.screen_text();
        !text.contains("Cannot save yet") && text.contains(FORM_KEYS)
    });

    tui.fill_long_text("Treatment plan", plan);
    tui.fill_line("Treatment due", "+2m", "2027-01-22");
    tui.send(CTRL_S);
    tui.wait_for("RISK-026 saved", STEP);
    tui.quit();

    let saved = std::fs::read_to_string(&record).unwrap();
    for line in [
        "id: RISK-026",
        &format!("title: {title}"),
        "category: bias-fairness",
        "likelihood: 3",
        "impact: 3",
        "treatment: mitigate",
        "treatment_plan:",
        "treatment_due: 2027-01-22",
        "owner: amoreau",
        "status: treating",
    ] {
        assert!(saved.contains(line), "no {line:?} in\n{saved}");
    }
    assert!(
        saved.contains("SYS-007") && saved.contains("A.5.4"),
        "{saved}"
    );

    let check = aims_check(&sandbox);
    assert!(
        check.status.success(),
        "aims check failed: {}\n{}{}\n--- RISK-026.yaml ---\n{saved}",
        check.status,
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// `aims check` on the sandbox's workspace, as of TODAY.
fn aims_check(sandbox: &Sandbox) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aims"))
        .arg("check")
        .arg(&sandbox.workspace)
        .args(["--today", TODAY])
        .env("HOME", &sandbox.home)
        .env("XDG_CONFIG_HOME", sandbox.home.join(".config"))
        .output()
        .unwrap()
}

const TAB: &str = "\t";
const WALKED_AUDIT: &str = "AUD-2026-01";

/// Reading and driving the live audit walk: a header line under the tab bar
/// (" AUD-2026-01 12/30 ████░░  item 13  0:00:00  title"), the "Requirement" box on the
/// left (requirement id and title first, then "Result: …", the linked NC and the notes).
impl Tui {
    fn walk_header(&self) -> String {
        self.parser
            .screen()
            .rows(0, COLS)
            .nth(1)
            .unwrap_or_default()
    }

    /// The text inside the "Requirement" box, one entry a row (empty outside the walk).
    fn requirement_box(&self) -> Vec<String> {
        let rows: Vec<String> = self.parser.screen().rows(0, COLS).collect();
        let Some(top) = rows.iter().position(|r| r.starts_with("┌ Requirement")) else {
            return Vec::new();
        };
        rows[top + 1..]
            .iter()
            .take_while(|r| !r.starts_with('└'))
            .map(|r| {
                let inner = r.strip_prefix('│').unwrap_or(r);
                inner.split('│').next().unwrap_or("").trim().to_string()
            })
            .collect()
    }

    /// From the Audits pane with AUD-2025-01 selected: ↓ to the 2026 audit, Enter.
    fn open_walk(&mut self) {
        self.wait_for("Audits (", STEP);
        self.wait_for(&format!("{WALKED_AUDIT} Internal audit"), STEP);
        self.settle();
        self.send(DOWN);
        // The detail box follows the cursor.
        self.wait_for(&format!("{WALKED_AUDIT}  Internal audit"), STEP);
        self.settle();
        self.send("\r");
    }

    /// Waits for the walk to stand on `item` (which starts with `requirement`) showing
    /// `result`, with `done` items of 30 having a result and no editor open; then lets
    /// the frame settle so the next key goes to a finished screen.
    fn wait_walk(&mut self, done: usize, item: usize, requirement: &str, result: &str) {
        let what = format!("{done}/30 at item {item} ({requirement}) showing {result:?}");
        self.wait_until(&what, STEP, |t| {
            let header = t.walk_header();
            let text = t.requirement_box();
            header.contains(&format!("{WALKED_AUDIT} {done}/30 "))
                && header.contains(&format!("  item {item} "))
                && text
                    .first()
                    .is_some_and(|head| head.starts_with(&format!("{requirement} ")))
                && text
                    .iter()
                    .any(|l| l.starts_with(&format!("Result: {result} ")))
                && !t.screen_text().contains("Notes (Esc keeps)")
        });
        self.settle();
    }
}

/// A value of the parsed YAML as text (a requirement ref may be a string or a number).
fn yaml_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn walks_five_audit_items_raises_a_nc_and_resumes_after_a_restart() {
    let sandbox = sandbox();
    let audit_path = sandbox
        .workspace
        .join(format!("audits/{WALKED_AUDIT}.yaml"));
    let nc_path = sandbox.workspace.join("nonconformities/NC-006.yaml");
    assert!(!nc_path.exists(), "the sample already has NC-006");
    let note = "No training records for two reviewers.";

    let mut tui = Tui::start_as(&sandbox, "jkowalski");
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("8");
    tui.open_walk();
    // Items 1–12 have results: the walk opens on the first open item.
    tui.wait_walk(12, 13, "7.2 Competence", "not yet");

    tui.send("c");
    tui.wait_walk(13, 13, "7.2 Competence", "conforming");
    tui.send(TAB);
    tui.wait_walk(13, 14, "7.3", "not yet");
    tui.send("c");
    tui.wait_walk(14, 14, "7.3", "conforming");
    tui.send(TAB);
    tui.wait_walk(14, 15, "7.5.3", "not yet");
    tui.send("m");
    tui.wait_walk(15, 15, "7.5.3", "minor-nc");

    // Notes: Enter opens the editor; a lone ESC keeps the text, and nothing else is sent
    // until the walk shows the notes again.
    tui.send("\r");
    tui.wait_for("Notes (Esc keeps)", STEP);
    tui.settle();
    tui.send(note);
    tui.wait_for(note, STEP);
    tui.send(ESC);
    tui.wait_until("the note in the Requirement box", STEP, |t| {
        !t.screen_text().contains("Notes (Esc keeps)")
            && t.requirement_box().iter().any(|l| l == note)
    });
    tui.wait_walk(15, 15, "7.5.3", "minor-nc");

    // N raises a nonconformity from the minor NC: a prefilled form, saved as it is.
    tui.send("N");
    tui.wait_for("New nonconformity NC-006", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    tui.settle();
    for (label, shown) in [
        ("Source", "audit"),
        ("Source reference", WALKED_AUDIT),
        ("Audit item", "7.5.3"),
        ("Requirement", "7.5.3"),
        ("Severity", "minor"),
        ("Description", note),
    ] {
        let value = tui.field(label).map(|(_, value)| value);
        assert!(
            value.as_deref().is_some_and(|v| v.contains(shown)),
            "{label:?} is {value:?}, not prefilled with {shown:?}\n{}",
            tui.screen()
        );
    }
    tui.send(CTRL_S);
    let raised = "NC-006 raised and linked to item 15";
    tui.wait_until("the NC saved, or a warnings box", STEP, |t| {
        let text = t.screen_text();
        text.contains(raised) || text.contains("Save with warnings?")
    });
    if tui.screen_text().contains("Save with warnings?") {
        tui.settle();
        tui.send("y");
        tui.wait_for(raised, STEP);
    }
    tui.wait_until("NC-006 linked in the Requirement box", STEP, |t| {
        t.requirement_box()
            .iter()
            .any(|l| l.starts_with("Nonconformity: NC-006"))
    });
    tui.wait_walk(15, 15, "7.5.3", "minor-nc");

    tui.send(TAB);
    tui.wait_walk(15, 16, "8.1", "not yet");
    tui.send("o");
    tui.wait_walk(16, 16, "8.1", "observation");
    tui.send(TAB);
    tui.wait_walk(16, 17, "9.1", "not yet");
    tui.send("i");
    tui.wait_walk(17, 17, "9.1", "ofi");

    // q leaves the walk for the Audits list, q again quits.
    tui.send("q");
    tui.wait_until("the Audits list back", STEP, |t| {
        t.screen_text().contains("Audits (") && t.requirement_box().is_empty()
    });
    tui.settle();
    tui.quit();

    // Every result was saved at once.
    let saved = std::fs::read_to_string(&audit_path).unwrap();
    let audit: serde_json::Value = serde_saphyr::from_str(&saved)
        .unwrap_or_else(|e| panic!("{WALKED_AUDIT}.yaml does not parse: {e}\n{saved}"));
    let checklist = audit["checklist"]
        .as_array()
        .unwrap_or_else(|| panic!("no checklist in\n{saved}"));
    assert_eq!(checklist.len(), 30, "{saved}");
    for (index, item) in checklist.iter().enumerate().take(12) {
        assert!(
            !yaml_text(&item["result"]).is_empty(),
            "item {} lost its result\n{saved}",
            index + 1
        );
    }
    for (number, reference, result) in [
        (13, "7.2", "conforming"),
        (14, "7.3", "conforming"),
        (15, "7.5.3", "minor-nc"),
        (16, "8.1", "observation"),
        (17, "9.1", "ofi"),
        (18, "9.2.2", ""),
    ] {
        let item = &checklist[number - 1];
        assert_eq!(yaml_text(&item["ref"]), reference, "item {number}\n{saved}");
        assert_eq!(
            yaml_text(&item["result"]),
            result,
            "item {number} ({reference})\n{saved}"
        );
    }
    let item_15 = &checklist[14];
    assert_eq!(yaml_text(&item_15["notes"]).trim_end(), note, "{saved}");
    assert_eq!(yaml_text(&item_15["nc"]), "NC-006", "{saved}");

    let nc_text = std::fs::read_to_string(&nc_path).expect("NC-006.yaml written");
    let nc: serde_json::Value = serde_saphyr::from_str(&nc_text)
        .unwrap_or_else(|e| panic!("NC-006.yaml does not parse: {e}\n{nc_text}"));
    for (key, expected) in [
        ("id", "NC-006"),
        ("source", "audit"),
        ("source_ref", WALKED_AUDIT),
        ("severity", "minor"),
    ] {
        assert_eq!(yaml_text(&nc[key]), expected, "{key}\n{nc_text}");
    }

    let check = aims_check(&sandbox);
    assert!(
        check.status.success(),
        "aims check failed: {}\n{}{}",
        check.status,
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // A new session resumes the walk at the first item still without a result.
    let mut tui = Tui::start_as(&sandbox, "jkowalski");
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("8");
    tui.open_walk();
    tui.wait_walk(17, 18, "9.2.2", "not yet");
    tui.send("q");
    tui.wait_until("the Audits list back", STEP, |t| {
        t.screen_text().contains("Audits (") && t.requirement_box().is_empty()
    });
    tui.settle();
    tui.quit();
}

/// A note typed in the walk is on disk within about a second without Enter or Esc, so a
/// SIGKILL right after (a dropped SSH connection) loses nothing: the next session shows it.
#[test]
fn a_walk_note_typed_and_then_killed_is_on_disk_after_a_restart() {
    let sandbox = sandbox();
    let audit_path = sandbox
        .workspace
        .join(format!("audits/{WALKED_AUDIT}.yaml"));
    let note = "Typed and never left with Esc";
    let mut tui = Tui::start_as(&sandbox, "jkowalski");
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("8");
    tui.open_walk();
    tui.wait_walk(12, 13, "7.2 Competence", "not yet");
    tui.send("\r");
    tui.wait_for("Notes (Esc keeps)", STEP);
    tui.settle();
    tui.send(note);
    tui.wait_for(note, STEP);
    let typed = Instant::now();
    while !std::fs::read_to_string(&audit_path).unwrap().contains(note) {
        assert!(
            typed.elapsed() < Duration::from_secs(3),
            "the note is not on disk {:?} after it was typed\n{}",
            typed.elapsed(),
            tui.screen()
        );
        tui.pump();
        std::thread::sleep(Duration::from_millis(20));
    }
    // Killed as a dropped connection kills it: no chance to save anything more.
    let pid = tui.session.get_process().pid();
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tui.wait_exit(STEP);
    assert!(
        matches!(status, WaitStatus::Signaled(_, _, _)),
        "{status:?}"
    );

    let mut tui = Tui::start_as(&sandbox, "jkowalski");
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("8");
    tui.open_walk();
    tui.wait_walk(12, 13, "7.2 Competence", "not yet");
    assert!(
        tui.requirement_box().iter().any(|l| l == note),
        "{}",
        tui.screen()
    );
    tui.send("q");
    tui.wait_until("the Audits list back", STEP, |t| {
        t.screen_text().contains("Audits (") && t.requirement_box().is_empty()
    });
    tui.settle();
    tui.quit();
}

/// A FIFO where the user config should be: the workbench still starts at once (opening it
/// would block forever), says why the config was not read, and quits on `q`.
#[test]
fn a_fifo_as_the_user_config_does_not_block_the_start() {
    let sandbox = sandbox();
    let dir = sandbox.home.join(".config/aims");
    std::fs::create_dir_all(&dir).unwrap();
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        dir.join("config.yaml"),
        rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
    )
    .unwrap();
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Northwind Lending", STEP);
    tui.wait_for("user config not read", STEP);
    tui.quit();
}

// ---- records by id, the editor, the record popup (the layer stack) -----------------------

impl Tui {
    /// Starts at another terminal size (the screen model follows).
    fn start_sized(sandbox: &Sandbox, cols: u16, rows: u16) -> Tui {
        let mut tui = Tui::start(sandbox);
        tui.session
            .get_process_mut()
            .set_window_size(cols, rows)
            .unwrap();
        tui.parser = vt100::Parser::new(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
            0,
        );
        tui
    }

    /// The highlighted row of the list on screen (the one drawn with a background).
    fn highlighted(&self) -> String {
        self.selected_rows()
            .first()
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    }

    /// Waits until the list shows `shown` and the highlight is on `id`.
    fn wait_on(&mut self, shown: &str, id: &str) {
        self.wait_until(&format!("{shown:?} shown, {id} highlighted"), STEP, |t| {
            t.screen_text().contains(shown) && t.highlighted().starts_with(id)
        });
    }
}

/// Writes `systems/<new>.yaml` from `<from>.yaml`, with the id changed: a colleague's new
/// record (or, with the old file removed, a rename).
fn copy_system(ws: &Path, from: &str, new: &str) {
    let text = std::fs::read_to_string(ws.join(format!("systems/{from}.yaml"))).unwrap();
    let text = text.replacen(&format!("id: {from}"), &format!("id: {new}"), 1);
    let temp = ws.join(format!("systems/.{new}.tmp"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, ws.join(format!("systems/{new}.yaml"))).unwrap();
}

#[test]
fn selection_and_filter_follow_the_record_through_outside_changes() {
    let sandbox = sandbox();
    let ws = sandbox.workspace.clone();
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);

    // Inventory: filtered to lchen's systems, on SYS-007.
    tui.send("2");
    tui.wait_for("Inventory (9)", STEP);
    tui.send("/lchen");
    tui.wait_for("Inventory (6) · filter “lchen”", STEP);
    tui.send("\r");
    tui.send("jjj");
    tui.wait_on("Inventory (6)", "SYS-007");

    // Created above it, deleted above it, renamed: the highlight stays on SYS-007.
    copy_system(&ws, "SYS-005", "SYS-000");
    tui.wait_on("Inventory (7) · filter “lchen”", "SYS-007");
    std::fs::remove_file(ws.join("systems/SYS-002.yaml")).unwrap();
    tui.wait_on("Inventory (6) · filter “lchen”", "SYS-007");
    copy_system(&ws, "SYS-001", "SYS-010");
    std::fs::remove_file(ws.join("systems/SYS-001.yaml")).unwrap();
    tui.wait_until("SYS-010 listed, SYS-001 gone", STEP, |t| {
        let s = t.screen_text();
        s.contains("SYS-010") && !s.contains("SYS-001  ")
    });
    tui.wait_on("filter “lchen”", "SYS-007");

    // The selected record itself goes: the nearest row, and the status bar says so.
    std::fs::remove_file(ws.join("systems/SYS-007.yaml")).unwrap();
    tui.wait_for("SYS-007 is gone", STEP);
    assert!(
        tui.screen_text().contains("filter “lchen”"),
        "{}",
        tui.screen()
    );
    assert!(tui.highlighted().starts_with("SYS-0"), "{}", tui.screen());

    // SoA: filtered to the data controls (A.7), on A.7.4.
    tui.send("4");
    tui.wait_for("SoA (", STEP);
    tui.send("/A.7.\r");
    tui.wait_for("SoA (5) · filter “A.7.”", STEP);
    tui.send("jj");
    tui.wait_on("SoA (5)", "A.7.4");
    let a72 = ws.join("soa/A.7.2.yaml");
    let kept = std::fs::read_to_string(&a72).unwrap();
    std::fs::remove_file(&a72).unwrap();
    tui.wait_on("SoA (4) · filter “A.7.”", "A.7.4");
    std::fs::write(&a72, &kept).unwrap();
    tui.wait_on("SoA (5) · filter “A.7.”", "A.7.4");
    // A.7.3 moved aside and back under its name (a rename there and back).
    let a73 = ws.join("soa/A.7.3.yaml");
    let aside = ws.join("soa/A.7.3.yaml.moved");
    std::fs::rename(&a73, &aside).unwrap();
    tui.wait_on("SoA (4) · filter “A.7.”", "A.7.4");
    std::fs::rename(&aside, &a73).unwrap();
    tui.wait_on("SoA (5) · filter “A.7.”", "A.7.4");
    tui.quit();
}

/// A form edited and then killed (SIGKILL) is offered for restore at the next start, and
/// restoring shows the value typed.
#[test]
fn a_killed_form_is_offered_for_restore_and_restores() {
    let sandbox = sandbox();
    let drafts = sandbox.workspace.join(".aims/drafts");
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("2");
    tui.wait_for("Inventory (9)", STEP);
    tui.send("e");
    tui.wait_for(FORM_KEYS, STEP);
    tui.go_to_field("Name");
    tui.send("\r");
    tui.wait_for("Enter keep and next", STEP);
    tui.send("\x15Typed before the crash");
    tui.send("\r");
    tui.wait_for_value("Name", "Typed before the crash");
    let typed = Instant::now();
    let has_draft = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|users| {
            users.flatten().any(|u| {
                std::fs::read_dir(u.path()).is_ok_and(|d| {
                    d.flatten().any(|f| {
                        let name = f.file_name().to_string_lossy().into_owned();
                        // Not a save in progress (its temp file).
                        name.ends_with(".form.json") && !name.starts_with(".aims-tmp")
                    })
                })
            })
        })
    };
    while !has_draft(&drafts) {
        assert!(
            typed.elapsed() < Duration::from_secs(3),
            "no draft {:?} after the change\n{}",
            typed.elapsed(),
            tui.screen()
        );
        tui.pump();
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = tui.session.get_process().pid();
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    tui.wait_exit(STEP);
    assert!(has_draft(&drafts), "the draft outlives the kill");

    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Restore your unsaved edit of SYS-001 from", STEP);
    tui.settle();
    tui.send("y");
    tui.wait_for(FORM_KEYS, STEP);
    tui.wait_for_value("Name", "Typed before the crash");
    tui.send(ESC);
    tui.wait_for("Unsaved changes", STEP);
    tui.send("d");
    tui.wait_until("the form closed", STEP, |t| {
        !t.screen_text().contains("Edit AI system")
    });
    assert!(!has_draft(&drafts), "discarded: no draft left");
    tui.quit();
}

#[test]
fn a_form_field_opens_with_the_cursor_at_the_end_and_ctrl_u_w_edit() {
    let sandbox = sandbox();
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("2");
    tui.wait_for("Inventory (9)", STEP);
    tui.send("e");
    tui.wait_for(FORM_KEYS, STEP);
    tui.go_to_field("Name");
    tui.send("\r");
    tui.wait_for("Enter keep and next", STEP);
    // Typing goes after the existing text.
    tui.send(" v2 beta");
    tui.wait_until("the typing at the end", STEP, |t| {
        t.field("Name")
            .is_some_and(|(_, v)| v.contains("credit-scoring model v2 beta"))
    });
    // Ctrl-W: the word before the cursor.
    tui.send("\x17");
    tui.wait_until("Ctrl-W took the last word", STEP, |t| {
        t.field("Name")
            .is_some_and(|(_, v)| v.contains("credit-scoring model v2") && !v.contains("beta"))
    });
    // Ctrl-A, a letter at the start; Ctrl-E; Ctrl-U: the whole line.
    tui.send("\x01>");
    tui.wait_until("typing at the start after Ctrl-A", STEP, |t| {
        t.field("Name").is_some_and(|(_, v)| v.contains(">NLS-3"))
    });
    tui.send("\x05\x15");
    tui.wait_until("Ctrl-U emptied the field", STEP, |t| {
        t.field("Name")
            .is_some_and(|(_, v)| !v.contains("NLS") && !v.contains("model"))
    });
    tui.send("Renamed");
    tui.send("\r");
    tui.wait_for_value("Name", "Renamed");
    tui.send(ESC);
    tui.wait_for("Unsaved changes", STEP);
    tui.send("d");
    tui.wait_for("Inventory (9)", STEP);
    tui.quit();
}

#[test]
fn the_record_popup_shows_its_title_and_scrolls_to_its_last_link_at_80x24() {
    let sandbox = sandbox();
    let mut tui = Tui::start_sized(&sandbox, 80, 24);
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("2");
    tui.wait_for("Inventory (9)", STEP);
    tui.send("jj\r");
    // Opened: the first line (id and title) at the top.
    tui.wait_until("SYS-003's title at the top of the popup", STEP, |t| {
        let rows: Vec<String> = t.parser.screen().rows(0, 80).collect();
        rows.get(2)
            .is_some_and(|r| r.contains("SYS-003  Nora customer-support assistant"))
    });
    // G: the last link, selected and in view.
    tui.send("G");
    tui.wait_until("the last link A.9.4 in view", STEP, |t| {
        t.screen_text().contains("A.9.4") && t.screen_text().contains("Intended use")
    });
    // Enter follows the link that is shown and selected.
    tui.send("\r");
    tui.wait_for("A.9.4  Intended use of the AI system", STEP);
    // Esc goes back one popup at a time.
    tui.send(ESC);
    tui.wait_until("back on SYS-003's popup", STEP, |t| {
        !t.screen_text().contains("A.9.4  Intended use")
    });
    tui.send(ESC);
    tui.wait_for("Detail", STEP);
    tui.quit();
}

/// Writes the user's key bindings where the workbench looks for them.
fn user_keys(sandbox: &Sandbox, text: &str) -> std::path::PathBuf {
    let dir = sandbox.home.join(".config/aims");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keys.txt");
    std::fs::write(&path, text).unwrap();
    path
}

impl Tui {
    /// The id in the selected row of a list (its first word).
    fn selected_id(&self) -> Option<String> {
        self.selected_rows()
            .into_iter()
            .find_map(|(_, text)| text.split_whitespace().next().map(str::to_string))
    }
}

/// A user keymap moving down with `n` and up with `e` in lists: those keys move the cursor
/// (and `n` no longer opens a new record there), `j` no longer moves, and help shows them.
#[test]
fn a_user_keymap_remaps_j_and_k() {
    let sandbox = sandbox();
    user_keys(
        &sandbox,
        "# Colemak-ish\n[list]\nDown n | Down\nUp e | Up\n",
    );
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    tui.send("2");
    tui.wait_for("Inventory (", STEP);
    tui.wait_until("a selected row", STEP, |t| t.selected_id().is_some());
    let first = tui.selected_id().unwrap();
    tui.send("n");
    tui.wait_until("the cursor one row down", STEP, |t| {
        t.selected_id().is_some_and(|id| id != first)
    });
    let second = tui.selected_id().unwrap();
    assert!(
        !tui.screen_text().contains("New AI system"),
        "{}",
        tui.screen()
    );
    tui.send("j");
    tui.settle();
    assert_eq!(
        tui.selected_id().as_deref(),
        Some(second.as_str()),
        "j still moves"
    );
    tui.send("e");
    tui.wait_until("the cursor back up", STEP, |t| {
        t.selected_id().as_deref() == Some(first.as_str())
    });
    tui.send("?");
    tui.wait_for("↓/n", STEP);
    tui.wait_for("↑/e", STEP);
    tui.send(ESC);
    tui.settle();
    tui.quit();
}

/// A keymap file with a bad line: the workbench starts, names the file and line, and the
/// default binding stands in for the bad one.
#[test]
fn a_broken_user_keymap_is_reported_and_the_defaults_stand() {
    let sandbox = sandbox();
    user_keys(&sandbox, "[list]\n\nj | Jump\n");
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    tui.wait_for("keys.txt:3: unknown action `Jump`", STEP);
    tui.send("2");
    tui.wait_for("Inventory (", STEP);
    tui.wait_until("a selected row", STEP, |t| t.selected_id().is_some());
    let first = tui.selected_id().unwrap();
    tui.send("j");
    tui.wait_until("the cursor one row down", STEP, |t| {
        t.selected_id().is_some_and(|id| id != first)
    });
    tui.quit();
}

/// How many key presses `keys` is: a character each, an escape sequence (↓) one.
fn key_presses(keys: &str) -> usize {
    let bytes = keys.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                i += 1;
            }
            i += 1;
        } else {
            i += keys[i..].chars().next().map_or(1, char::len_utf8);
        }
        n += 1;
    }
    n
}

/// Driving a new workspace's first run: items of list fields, and saving past warnings.
impl Tui {
    /// In a list field's items (a form level of its own): `a` adds one and opens it.
    fn add_item(&mut self, crumb: &str) {
        self.settle();
        self.send("a");
        self.wait_for(crumb, STEP);
        self.wait_for(FORM_KEYS, STEP);
    }

    /// One Esc, waiting for the screen to show `then` before anything else is sent.
    fn esc_to(&mut self, then: &str) {
        self.settle();
        self.send(ESC);
        self.wait_for(then, STEP);
        self.settle();
    }

    /// Ctrl-S, then `y` if the form asks about warnings; waits for `saved`.
    fn save(&mut self, saved: &str) {
        self.settle();
        self.send(CTRL_S);
        self.wait_until(&format!("{saved:?} or the warnings"), STEP, |t| {
            let text = t.screen_text();
            text.contains(saved) || text.contains("Save with warnings?")
        });
        if self.screen_text().contains("Save with warnings?") {
            self.send("y");
            self.wait_for(saved, STEP);
        }
        self.settle();
    }
}

#[test]
fn from_aims_init_to_a_first_system_with_its_risk_ia_and_soa_through_the_workbench_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path().join("ws");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join(".config")).unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_aims"))
        .arg("init")
        .arg(&workspace)
        .args(["--org", "Acme Lending", "--as", "amoreau"])
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    // No terminal: nothing was asked, and it says what was left at its default.
    assert!(
        String::from_utf8_lossy(&init.stdout).contains("no --scope given"),
        "{}",
        String::from_utf8_lossy(&init.stdout)
    );
    let settings_path = workspace.join("aims.yaml");
    let initial = std::fs::read_to_string(&settings_path).unwrap();
    let sandbox = Sandbox {
        _tmp: tmp,
        workspace,
        home,
    };
    let scope = "Every AI system Acme Lending builds or buys, at its Dublin office.";

    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Set up the AIMS", STEP);
    tui.wait_for("missing: scope, roles, 1 more person", STEP);

    // 1. Settings: Enter on the first step opens them, on what is missing first.
    tui.send("\r");
    tui.wait_for("Settings (aims.yaml)", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    tui.fill_long_text("Scope statement", scope);
    tui.pick("Roles held", "producer", "producer", "producer", true);
    tui.go_to_field("People");
    tui.send("\r");
    tui.wait_for("Settings (aims.yaml) › People", STEP);
    for (n, id, name, role) in [
        (2, "dokafor", "David Okafor", "Chief Risk Officer"),
        (3, "lchen", "Li Chen", "Head of Data Science"),
    ] {
        tui.add_item(&format!("People › item {n}"));
        tui.fill_line("Id", id, id);
        tui.fill_line("Name", name, name);
        tui.fill_line("Role", role, role);
        tui.esc_to(&format!("{n}. {id} · {name}"));
    }
    tui.esc_to(FORM_KEYS);
    tui.wait_for_value("People", "3 items");
    tui.pick("Top management", "dokafor", "dokafor", "dokafor", true);
    tui.save("aims.yaml saved");
    tui.wait_for("3 people, scope and roles set", STEP);

    // 2. A dataset, in the Registers (0 Problems, then back one pane).
    tui.send("0");
    tui.wait_for("Problems", STEP);
    tui.send("\x1b[Z");
    tui.wait_for("Nothing here yet. This register holds", STEP);
    tui.send("n");
    tui.wait_for("new dataset", STEP);
    tui.send("jjjj");
    tui.settle();
    tui.send("\r");
    tui.wait_for("New dataset DS-001", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    tui.fill_line("Name", "Loan applications 2019-2025", "Loan applications");
    tui.fill_long_text(
        "Source and provenance",
        "Our own loan book, exported monthly.",
    );
    tui.fill_long_text("Collection method", "Captured at application.");
    tui.fill_line("Lawful basis or licence", "contract", "contract");
    tui.pick("Personal data", "no", "no", "no", false);
    tui.fill_long_text("Quality checks", "Completeness and range checks.");
    tui.fill_long_text("Known biases", "Few applicants under 21.");
    tui.fill_line("Retention", "7 years", "7 years");
    tui.save("DS-001 saved");

    // 3. The system, from Home's next step.
    tui.send("1");
    tui.wait_for("Set up the AIMS", STEP);
    tui.wait_for("no AI system yet", STEP);
    tui.settle();
    tui.send("\r");
    tui.wait_for("New AI system SYS-001", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    tui.fill_line("Name", "Credit scorer", "Credit scorer");
    tui.fill_long_text(
        "Purpose (intended use)",
        "Scores consumer loan applications.",
    );
    tui.pick("Roles held", "producer", "producer", "producer", true);
    tui.pick(
        "Lifecycle stage",
        "develop",
        "development",
        "development",
        false,
    );
    tui.fill_line("Deployment environment", "Nimbus Cloud", "Nimbus Cloud");
    tui.fill_long_text("Data inputs", "loan applications");
    tui.pick("Personal data", "no", "no", "no", false);
    tui.pick(
        "Model provenance",
        "in-house",
        "in-house",
        "in-house",
        false,
    );
    tui.pick("Risk tier", "limited", "limited", "limited", false);
    tui.fill_long_text("Human oversight", "Underwriters review every decline.");
    tui.pick("Datasets", "DS-001", "DS-001", "DS-001", true);
    tui.save("SYS-001 saved");

    // 4. A risk, from Home.
    tui.send("1");
    tui.wait_for("no risk yet", STEP);
    tui.settle();
    tui.send("\r");
    tui.wait_for("New AI risk RISK-001", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    tui.fill_line(
        "Title",
        "Scorer declines thin-file applicants",
        "Scorer declines",
    );
    tui.fill_long_text("Description", "Young applicants have little history.");
    tui.pick("Affected systems", "SYS-001", "SYS-001", "SYS-001", true);
    tui.pick("Category", "bias", "bias-fairness", "bias-fairness", false);
    tui.pick("Likelihood", "Poss", "Possible", "Possible", false);
    tui.pick("Impact", "Moder", "Moderate", "Moderate", false);
    tui.pick("Treatment", "mitig", "mitigate", "mitigate", false);
    tui.pick("Annex A controls", "A.5.4", "A.5.4", "A.5.4", true);
    tui.fill_long_text("Treatment plan", "Monthly outcome review by age band.");
    tui.fill_line("Treatment due", "+2m", "2027-01-22");
    tui.save("RISK-001 saved");

    // 5. An impact assessment, from Home.
    tui.send("1");
    tui.wait_for("no impact assessment yet", STEP);
    tui.settle();
    tui.send("\r");
    tui.wait_for("New impact assessment IA-001", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    tui.pick("System", "SYS-001", "SYS-001", "SYS-001", false);
    tui.fill_line("Version", "1.0", "1.0");
    tui.fill_line("Performed on", "t", "2026-11-22");
    tui.fill_long_text("Foreseeable misuse", "Used to price, not only to decide.");
    tui.go_to_field("Affected parties");
    tui.send("\r");
    tui.wait_for("› Affected parties", STEP);
    tui.add_item("Affected parties › item 1");
    tui.fill_line("Party", "Loan applicants", "Loan applicants");
    tui.pick("Kind", "individuals", "individuals", "individuals", false);
    tui.fill_line("Impact", "A wrongful decline", "A wrongful decline");
    tui.pick("Severity", "medium", "medium", "medium", false);
    tui.pick("Likelihood", "low", "low", "low", false);
    tui.esc_to("1. ");
    tui.esc_to(FORM_KEYS);
    tui.fill_long_text("Mitigations", "Human review of every decline.");
    tui.fill_long_text("Conclusion", "Acceptable with the mitigations.");
    tui.save("IA-001 saved");

    // 6. One SoA entry, from Home: the first control not assessed opens.
    tui.send("1");
    tui.wait_for("0 of 38 controls assessed", STEP);
    tui.settle();
    tui.send("\r");
    tui.wait_for("Edit SoA entry", STEP);
    tui.wait_for(FORM_KEYS, STEP);
    tui.pick("Status", "planned", "planned", "planned", false);
    // A planned control applies: the form sets Applicable as the status is picked.
    tui.wait_for_value("Applicable", "yes");
    tui.fill_long_text("Justification", "We develop AI systems.");
    tui.pick("Owner", "amoreau", "amoreau", "amoreau", false);
    tui.fill_long_text("Implementation", "The AI policy, approved by the board.");
    tui.save("saved");

    // The basics exist, but the SoA is at 1 of 38 and documents and the audit programme
    // are to do: Home keeps the setup steps until `x` hides them.
    tui.send("1");
    tui.wait_for("1 of 38 controls assessed", STEP);
    tui.settle();
    assert!(
        tui.screen_text().contains("no audit planned yet"),
        "{}",
        tui.screen()
    );
    tui.send("x");
    tui.wait_for("setup steps hidden", STEP);
    tui.settle();
    assert!(
        !tui.screen_text().contains("Set up the AIMS"),
        "{}",
        tui.screen()
    );
    let (keys, commands) = (tui.keys, tui.commands);
    tui.quit();
    eprintln!(
        "first run from aims init: {keys} key presses, {commands} of them commands and moves"
    );

    // `aims check`: no error for anything created here.
    let check = aims_check(&sandbox);
    let out = String::from_utf8_lossy(&check.stdout).to_string();
    assert!(check.status.success(), "aims check failed:\n{out}");
    eprintln!("{out}");
    for id in ["DS-001", "SYS-001", "RISK-001", "IA-001"] {
        assert!(sandbox.workspace.join(paths(id)).exists(), "{id} not saved");
    }

    // aims.yaml: every line of the initial file (its comments above all) is still there,
    // in order; the changes are lines added or the few values set.
    let after = std::fs::read_to_string(&settings_path).unwrap();
    let mut rest = after.lines();
    for line in initial.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(
            rest.any(|l| l == line),
            "comment {line:?} lost or moved:\n{after}"
        );
    }
    for wanted in [
        &format!("scope: {scope}"),
        "  - id: dokafor",
        "  - producer",
        "    name: Li Chen",
        "top_management:",
    ] {
        assert!(after.contains(wanted), "no {wanted:?} in\n{after}");
    }
    eprintln!("{after}");
    let changed: Vec<&str> = initial
        .lines()
        .filter(|l| !after.lines().any(|a| a == *l))
        .collect();
    assert!(
        changed.len() <= 2,
        "lines of the initial aims.yaml changed: {changed:?}\n{after}"
    );
}

fn paths(id: &str) -> String {
    let dir = match id.split('-').next() {
        Some("DS") => "datasets",
        Some("SYS") => "systems",
        Some("RISK") => "risks",
        _ => "impact-assessments",
    };
    format!("{dir}/{id}.yaml")
}

#[test]
fn ctrl_r_reloads_on_a_worker_says_so_and_keys_still_work() {
    let sandbox = sandbox();
    let mut tui = Tui::start(&sandbox);
    tui.wait_for("Today 2026-11-22", STEP);
    // Ctrl-R: the reload runs beside the event loop, which says when it is done.
    tui.send("\x12");
    tui.wait_for("reloaded from disk", STEP);
    tui.send("2");
    tui.wait_for("Inventory (9)", STEP);
    tui.quit();
}
