//! `aims due`: the morning list.

use super::{Env, Identity, exit};
use crate::domain::text::one_line;
use crate::rules::due::{DueItem, DueState, obligations};
use crate::workspace::Workspace;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct DueArgs {
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Only items owned by this person (person id or login); `me` is whoever runs it.
    #[arg(long, value_name = "PERSON|me")]
    pub owner: Option<String>,
    /// Count as due soon what falls due within this many days (default: aims.yaml's due_soon_days).
    #[arg(long, value_name = "DAYS")]
    pub within: Option<u32>,
    /// Output: text for people, json for tools, ics for a calendar (every dated
    /// obligation, overdue or not, as an all-day event; same as `aims export calendar`).
    #[arg(long, value_enum, default_value_t)]
    pub format: DueFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DueFormat {
    #[default]
    Text,
    Json,
    Ics,
}

pub fn run(
    args: &DueArgs,
    as_person: Option<&str>,
    env: &Env,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut ws = match Workspace::open(&dir) {
        Ok(ws) => ws,
        Err(e) => {
            let _ = writeln!(err, "aims: {}", one_line(&e.to_string()));
            return exit::USAGE;
        }
    };
    if let Some(days) = args.within {
        ws.settings.due_soon_days = days;
    }
    if args.format == DueFormat::Ics {
        return write_ics(&ws, args.owner.as_deref(), as_person, env, None, out, err);
    }
    let owner = match resolve_owner(&ws, args.owner.as_deref(), as_person, env, err) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let items: Vec<DueItem> = obligations(&ws.records, &ws.settings, env.today)
        .into_iter()
        .filter(|i| i.state != DueState::Later)
        .filter(|i| owner.is_none() || i.owner == owner)
        .collect();
    let overdue = items
        .iter()
        .filter(|i| i.state == DueState::Overdue)
        .count();
    match args.format {
        DueFormat::Json => {
            if let Ok(s) = serde_json::to_string_pretty(&items) {
                let _ = writeln!(out, "{}", crate::domain::text::escape_json_extras(&s));
            }
        }
        DueFormat::Text | DueFormat::Ics => write_text(out, &items, &ws, env, overdue),
    }
    if overdue > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

fn write_text(out: &mut dyn Write, items: &[DueItem], ws: &Workspace, env: &Env, overdue: usize) {
    let soon = items.len() - overdue;
    let _ = writeln!(
        out,
        "{} — {}: {overdue} overdue, {soon} due within {} days",
        one_line(&ws.settings.organization),
        env.today,
        ws.settings.due_soon_days
    );
    let when = |i: &DueItem| match i.days {
        d if d < 0 => format!("{}d late", -d),
        0 => "today".to_string(),
        d => format!("in {d}d"),
    };
    let owner = |i: &DueItem| one_line(i.owner.as_deref().unwrap_or("(no owner)"));
    // Columns as wide as their widest entry, so a line fits an 80-column terminal.
    let width = |f: &dyn Fn(&DueItem) -> String| {
        items
            .iter()
            .map(|i| f(i).chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w_when, w_kind) = (width(&when), width(&|i| i.kind.label().to_string()));
    let (w_rec, w_owner) = (width(&|i| one_line(&i.record)), width(&owner));
    let used = 2 + 10 + 2 + w_when + 2 + w_kind + 2 + w_rec + 2 + w_owner + 2;
    let title_room = env.width.map(|w| w.saturating_sub(used).max(12));
    for (state, heading) in [
        (DueState::Overdue, "Overdue"),
        (DueState::DueSoon, "Due soon"),
    ] {
        let group: Vec<_> = items.iter().filter(|i| i.state == state).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading} ({})", group.len());
        for i in group {
            let title = one_line(&i.title);
            let title = match title_room {
                Some(room) => truncate(&title, room),
                None => title,
            };
            let _ = writeln!(
                out,
                "  {}  {:>w_when$}  {:<w_kind$}  {:<w_rec$}  {:<w_owner$}  {title}",
                i.due,
                when(i),
                i.kind.label(),
                one_line(&i.record),
                owner(i),
            );
        }
    }
    if items.is_empty() {
        let _ = writeln!(out, "\nNothing overdue or due soon.");
    }
}

/// Cuts text to `max` characters with an ellipsis, so a line stays readable in mail and
/// narrow terminals.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// `--owner PERSON|me` as a person id; a name that does not resolve is a usage error.
fn resolve_owner(
    ws: &Workspace,
    owner: Option<&str>,
    as_person: Option<&str>,
    env: &Env,
    err: &mut dyn Write,
) -> Result<Option<String>, i32> {
    let owner = match owner {
        None => None,
        Some("me") => {
            let who = Identity::resolve(&ws.settings, as_person, env.login.as_deref());
            match who.person {
                Some(p) => Some(p),
                None => {
                    let _ = writeln!(
                        err,
                        "aims: `--owner me`: `{}` is not a person of this workspace: add a `login:` to your entry in aims.yaml people, or pass --as PERSON",
                        one_line(who.asked.as_deref().unwrap_or("(no $USER)"))
                    );
                    return Err(exit::USAGE);
                }
            }
        }
        Some(p) => match Identity::resolve(&ws.settings, Some(p), None).person {
            Some(p) => Some(p),
            None => {
                let _ = writeln!(
                    err,
                    "aims: --owner: no person `{}` in aims.yaml",
                    one_line(p)
                );
                return Err(exit::USAGE);
            }
        },
    };
    Ok(owner)
}

/// `aims export calendar` and `aims due --format ics`: every obligation (not only those
/// due soon, since a calendar looks ahead) as an ICS file.
pub fn run_ics(
    dir: Option<&std::path::Path>,
    owner: Option<&str>,
    as_person: Option<&str>,
    env: &Env,
    out_path: Option<&std::path::Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let ws = match super::report::open(dir, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    write_ics(&ws, owner, as_person, env, out_path, out, err)
}

fn write_ics(
    ws: &Workspace,
    owner: Option<&str>,
    as_person: Option<&str>,
    env: &Env,
    out_path: Option<&std::path::Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let owner = match resolve_owner(ws, owner, as_person, env, err) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let items: Vec<DueItem> = obligations(&ws.records, &ws.settings, env.today)
        .into_iter()
        .filter(|i| owner.is_none() || i.owner == owner)
        .collect();
    let name = match &owner {
        Some(p) => format!("AIMS — {} — {p}", ws.settings.organization),
        None => format!("AIMS — {}", ws.settings.organization),
    };
    let text = crate::interop::ics::calendar(&items, &ws.settings, env.today, &name);
    super::report::emit(&text, out_path, out, err)
}
