//! `aims init`: create a minimal workspace.

use super::{Env, exit};
use crate::domain::text::one_line;
use crate::workspace::init::{InitError, NewWorkspace, init};
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// The organisation's name when none is given and none can be asked for.
const DEFAULT_ORG: &str = "Your organization";

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The directory to create (must be absent or empty).
    pub dir: PathBuf,
    /// The organisation's name, written to aims.yaml (asked on a terminal when absent).
    #[arg(long, visible_alias = "organization")]
    pub org: Option<String>,
    /// The AIMS scope statement, clause 4.3 (asked on a terminal when absent).
    #[arg(long)]
    pub scope: Option<String>,
    /// Your full name, as the first person (asked on a terminal when absent; else the login).
    #[arg(long)]
    pub name: Option<String>,
}

/// What `aims init` writes: from the flags, else asked on a terminal, else the defaults.
struct Answers {
    org: String,
    scope: Option<String>,
    person: Option<String>,
    /// The first person's full name (asked on a terminal).
    name: Option<String>,
    /// What was left at its default because nothing could be asked: said after init.
    defaulted: Vec<&'static str>,
}

/// Asks for what the flags did not give, one plain line each, when `input` is a terminal
/// (`ask` is false otherwise: a script or a pipe never waits for an answer).
fn answers(
    args: &InitArgs,
    as_person: Option<&str>,
    login: Option<&str>,
    ask: bool,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Answers {
    let mut question = |q: &str, default: Option<&str>| -> Option<String> {
        let shown = default.map(|d| format!(" [{d}]")).unwrap_or_default();
        let _ = write!(out, "{q}{shown}: ");
        let _ = out.flush();
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(n) if n > 0 && !line.trim().is_empty() => Some(line.trim().to_string()),
            _ => default.map(str::to_string),
        }
    };
    let mut defaulted = Vec::new();
    let org = match (&args.org, ask) {
        (Some(o), _) => o.clone(),
        (None, true) => {
            question("Organisation name", Some(DEFAULT_ORG)).unwrap_or_else(|| DEFAULT_ORG.into())
        }
        (None, false) => {
            defaulted.push("--org");
            DEFAULT_ORG.into()
        }
    };
    let scope = match (&args.scope, ask) {
        (Some(s), _) => Some(s.clone()),
        (None, true) => question(
            "Scope statement: what the AI management system covers (one line)",
            None,
        ),
        (None, false) => {
            defaulted.push("--scope");
            None
        }
    };
    let person = match (as_person, ask) {
        (Some(p), _) => Some(p.to_string()),
        (None, true) => question("Your login, the first person", login),
        // $USER, when there is one, is the first person.
        (None, false) => {
            defaulted.push("--as");
            login.map(str::to_string)
        }
    };
    // `--as jdoe` names the login, not the person: the name is asked all the same.
    let name = match (&args.name, &person, ask) {
        (Some(n), _, _) => Some(n.clone()),
        (None, Some(p), true) => question("Your full name", Some(p)),
        _ => None,
    };
    Answers {
        org,
        scope,
        person,
        name,
        defaulted,
    }
}

pub fn run(
    args: &InitArgs,
    as_person: Option<&str>,
    env: &Env,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    // Asked only for what is missing, and only on a terminal.
    let missing =
        args.org.is_none() || args.scope.is_none() || as_person.is_none() || args.name.is_none();
    let ask = missing && std::io::stdin().is_terminal();
    let a = answers(
        args,
        as_person,
        env.login.as_deref(),
        ask,
        &mut std::io::stdin().lock(),
        out,
    );
    let new = NewWorkspace {
        organization: &a.org,
        scope: a.scope.as_deref(),
        person: a.person.as_deref(),
        name: a.name.as_deref(),
    };
    match init(&args.dir, new) {
        Ok(()) => {
            let d = one_line(&args.dir.display().to_string());
            let _ = writeln!(
                out,
                "Created an AIMS workspace in {d}: aims.yaml and the 38 Annex A controls in soa/, not yet assessed."
            );
            if !a.defaulted.is_empty() {
                let _ = writeln!(
                    out,
                    "Not a terminal, so nothing was asked: no {} given, the defaults are written (change them in Settings).",
                    a.defaulted.join(", ")
                );
            }
            let _ = writeln!(
                out,
                "Next: `aims {d}` opens the workbench, where Home lists the setup steps (`,` opens Settings: organisation, scope, people); `aims check {d}` checks it."
            );
            exit::OK
        }
        Err(e @ InitError::NotEmpty) => {
            let _ = writeln!(
                err,
                "aims: {}: {e}",
                one_line(&args.dir.display().to_string())
            );
            exit::FINDINGS
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "aims: cannot create {}: {}",
                one_line(&args.dir.display().to_string()),
                one_line(&e.to_string())
            );
            exit::FINDINGS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(org: Option<&str>, scope: Option<&str>) -> InitArgs {
        InitArgs {
            dir: "x".into(),
            org: org.map(str::to_string),
            scope: scope.map(str::to_string),
            name: None,
        }
    }

    #[test]
    fn on_a_terminal_the_name_is_asked_even_when_every_other_flag_is_given() {
        let mut input: &[u8] = b"Jane Doe\n";
        let mut out = Vec::new();
        let a = answers(
            &args(Some("Acme"), Some("All AI")),
            Some("jdoe"),
            None,
            true,
            &mut input,
            &mut out,
        );
        assert_eq!(a.person.as_deref(), Some("jdoe"));
        assert_eq!(a.name.as_deref(), Some("Jane Doe"));
        assert_eq!(String::from_utf8(out).unwrap(), "Your full name [jdoe]: ");
    }

    #[test]
    fn on_a_terminal_what_is_missing_is_asked_and_a_blank_answer_takes_the_default() {
        let mut input: &[u8] = b"Acme AI Ltd\nAll AI systems of Acme\n\nJane Doe\n";
        let mut out = Vec::new();
        let a = answers(
            &args(None, None),
            None,
            Some("jdoe"),
            true,
            &mut input,
            &mut out,
        );
        assert_eq!(a.org, "Acme AI Ltd");
        assert_eq!(a.scope.as_deref(), Some("All AI systems of Acme"));
        assert_eq!(a.person.as_deref(), Some("jdoe"));
        assert_eq!(a.name.as_deref(), Some("Jane Doe"));
        assert!(a.defaulted.is_empty());
        let asked = String::from_utf8(out).unwrap();
        assert!(
            asked.contains("Organisation name [Your organization]: "),
            "{asked}"
        );
        assert!(
            asked.contains("Your login, the first person [jdoe]: "),
            "{asked}"
        );
    }

    #[test]
    fn without_a_terminal_nothing_is_read_and_the_defaults_are_named() {
        // Input that would answer, were it read: it must not be.
        let mut input: &[u8] = b"Wrong\n";
        let mut out = Vec::new();
        let a = answers(
            &args(None, Some("All AI")),
            None,
            None,
            false,
            &mut input,
            &mut out,
        );
        assert_eq!(a.org, DEFAULT_ORG);
        assert_eq!(a.scope.as_deref(), Some("All AI"));
        assert_eq!(a.person, None);
        assert_eq!(a.defaulted, ["--org", "--as"]);
        assert!(out.is_empty());
    }
}
