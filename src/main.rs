use aims_workbench::cli::{self, Cli, Command, Env};
use clap::Parser;
use std::path::PathBuf;

/// Loading a workspace makes millions of small values (every scalar of every record);
/// mimalloc serves them with less locking and copying than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its option enum's 16th entry, in v2 and v3 alike).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Gives memory freed while loading back to the system after 20 ms instead of 1 s (mimalloc
/// v3's default): a load frees and reallocates as it parses, and the pages kept meanwhile
/// raised the peak of a warm `aims check` of 100,000 records from 360 to 390 MB (0 ms
/// saved 2 MB more for 0.1–0.3 s more of system time). Only when the option
/// reads as one of mimalloc's defaults (10 ms in v2, 1,000 in v3) and the user did not set
/// `MIMALLOC_PURGE_DELAY`: an enum that moved is left alone.
fn purge_freed_memory_soon() {
    // SAFETY: plain calls into the linked mimalloc with an option number it bounds-checks.
    unsafe {
        let default = matches!(mi_option_get(MI_OPTION_PURGE_DELAY), 10 | 1000);
        if default && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            mi_option_set(MI_OPTION_PURGE_DELAY, 20);
        }
    }
}

fn main() {
    purge_freed_memory_soon();
    let args = Cli::parse();
    // The only places that read the clock and the user: everything below gets them passed in.
    let env = Env {
        today: args
            .global
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        login: std::env::var("USER").ok().filter(|u| !u.is_empty()),
        // The terminal's real width (COLUMNS is not exported to programs by most shells,
        // and is stale after a resize); 80 when it cannot be read.
        width: std::io::IsTerminal::is_terminal(&std::io::stdout()).then(|| {
            ratatui::crossterm::terminal::size()
                .ok()
                .map(|(w, _)| usize::from(w))
                .filter(|w| *w > 0)
                .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
                .unwrap_or(80)
        }),
    };
    let as_person = args.global.as_person.as_deref();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    let code = match &args.command {
        Some(Command::Check(a)) => cli::check::run(a, &env, &mut out, &mut err),
        Some(Command::Due(a)) => cli::due::run(a, as_person, &env, &mut out, &mut err),
        Some(Command::Init(a)) => cli::init::run(a, as_person, &env, &mut out, &mut err),
        Some(Command::Report(a)) => cli::report::run(a, &env, &mut out, &mut err),
        Some(Command::Export(a)) => cli::export::run(a, as_person, &env, &mut out, &mut err),
        Some(Command::History(a)) => cli::history::run_history(a, &mut out, &mut err),
        Some(Command::Trends(a)) => cli::history::run_trends(a, &mut out, &mut err),
        Some(Command::Import(a)) => cli::import::run(a, &env, &mut out, &mut err),
        Some(Command::Audit(a)) => {
            drop((out, err));
            let dir = a.dir.clone().unwrap_or_else(|| PathBuf::from("."));
            std::process::exit(workbench(&dir, &args, &env, Some(&a.id)));
        }
        None => {
            let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                drop((out, err));
                std::process::exit(workbench(&dir, &args, &env, None));
            }
            cli::summary::run(&dir, &env, &mut out, &mut err)
        }
    };
    drop((out, err));
    std::process::exit(code);
}

/// Opens the full-screen workbench. Reads the environment that shapes it (NO_COLOR,
/// COLORTERM, the user config) here, so the TUI itself only gets values.
fn workbench(dir: &std::path::Path, args: &Cli, env: &Env, audit: Option<&str>) -> i32 {
    use aims_workbench::tui::{self, theme};
    let open_error = |e: &dyn std::fmt::Display| {
        eprintln!(
            "aims: {}",
            aims_workbench::domain::text::one_line(&e.to_string())
        );
        cli::exit::USAGE
    };
    // Not a workspace at all: say so before taking over the terminal.
    if !dir
        .join(aims_workbench::domain::settings::SETTINGS_FILE)
        .is_file()
    {
        return open_error(&aims_workbench::workspace::OpenError::NotAWorkspace(
            dir.to_path_buf(),
        ));
    }
    let mode = theme::color_mode(std::env::var("COLORTERM").ok().as_deref());
    let (from_config, config_problem) = match args.theme {
        Some(_) => (None, None),
        None => match user_config_theme() {
            Ok(t) => (t, None),
            Err(problem) => (None, Some(problem)),
        },
    };
    let configured = args.theme.clone().or(from_config);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (theme, warning) = match configured {
        Some(spec) => theme::Theme::resolve(&spec, mode),
        None if no_color => (theme::Theme::monochrome(), None),
        None => theme::Theme::resolve("dark", mode),
    };
    let warning = warning.or(config_problem);
    let warning = match (warning, user_keymap()) {
        (w, None) => w,
        (None, k) => k,
        (Some(w), Some(k)) => Some(format!("{w} · {k}")),
    };
    // Printed too, so it is still there in the scrollback after quitting.
    if let Some(w) = &warning {
        eprintln!("aims: {}", aims_workbench::domain::text::one_line(w));
    }
    let mut options = tui::Options {
        today: env.today,
        user: None,
        read_only: args.read_only,
        theme,
        notice: warning,
    };
    let identify = |settings: &aims_workbench::domain::Settings| {
        cli::Identity::resolve(
            settings,
            args.global.as_person.as_deref(),
            env.login.as_deref(),
        )
        .person
    };
    let Some(audit) = audit else {
        // The first frame draws at once; the workspace loads behind it.
        return match tui::run_loading(dir, options, identify) {
            Ok(Ok(())) => cli::exit::OK,
            Ok(Err(e)) => open_error(&e),
            Err(e) => {
                eprintln!("aims: terminal error: {e}");
                cli::exit::FINDINGS
            }
        };
    };
    // A walk is opened on a loaded audit, and an unknown id is an error before the
    // terminal is taken over.
    let ws = match aims_workbench::workspace::Workspace::open(dir) {
        Ok(ws) => ws,
        Err(e) => return open_error(&e),
    };
    options.user = identify(&ws.settings);
    let id = audit;
    {
        if ws
            .get(id)
            .is_none_or(|r| r.kind != aims_workbench::domain::RecordType::Audit)
        {
            eprintln!(
                "aims: no audit `{}` in {}",
                aims_workbench::domain::text::one_line(id),
                dir.display()
            );
            return cli::exit::USAGE;
        }
        if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            eprintln!(
                "aims: `aims audit` walks the audit in a terminal; for a report use `aims report audit {id}`"
            );
            return cli::exit::USAGE;
        }
    }
    let result = tui::run_audit(ws, options, audit);
    match result {
        Ok(()) => cli::exit::OK,
        Err(e) => {
            eprintln!("aims: terminal error: {e}");
            cli::exit::FINDINGS
        }
    }
}

/// Installs the key bindings: the defaults with `<config dir>/aims/keys.txt` on top. Each
/// bad line is printed (`path:line: what — what to do`) and left out; the first is
/// returned for the status bar.
fn user_keymap() -> Option<String> {
    use aims_workbench::tui::keys;
    let defaults = keys::Keymap::defaults();
    let (keymap, problems) = match directories::ProjectDirs::from("", "", "aims") {
        Some(dirs) => defaults.with_user_file(&dirs.config_dir().join("keys.txt")),
        None => (defaults, Vec::new()),
    };
    keys::install(keymap);
    for p in problems.iter().skip(1) {
        eprintln!("aims: {}", aims_workbench::domain::text::one_line(p));
    }
    let first = problems.first()?;
    Some(match problems.len() {
        1 => first.clone(),
        n => format!(
            "{first} (and {} more: listed in the terminal after you quit)",
            n - 1
        ),
    })
}

/// `theme:` from `<config dir>/aims/config.yaml`, if the file exists. A config that is not
/// a small regular file (a FIFO would block the start forever) is reported, not read.
fn user_config_theme() -> Result<Option<String>, String> {
    let Some(dirs) = directories::ProjectDirs::from("", "", "aims") else {
        return Ok(None);
    };
    let path = dirs.config_dir().join("config.yaml");
    let text = aims_workbench::workspace::fsio::read_text_if_exists(&path, 64 * 1024)
        .map_err(|e| format!("user config not read: {e}"))?;
    let Some(text) = text else { return Ok(None) };
    let value: aims_workbench::domain::Value = serde_saphyr::from_str(&text)
        .map_err(|e| format!("user config {} is not valid YAML: {e}", path.display()))?;
    Ok(value.as_map().and_then(|m| m.text("theme")))
}
