//! `aims init`: create a minimal workspace.

use super::{Env, exit};
use crate::domain::text::one_line;
use crate::workspace::init::{InitError, init};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The directory to create (must be absent or empty).
    pub dir: PathBuf,
    /// The organization's name, written to aims.yaml.
    #[arg(long, default_value = "Your organization")]
    pub organization: String,
}

pub fn run(
    args: &InitArgs,
    as_person: Option<&str>,
    env: &Env,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let person = as_person.or(env.login.as_deref());
    match init(&args.dir, &args.organization, person) {
        Ok(()) => {
            let d = one_line(&args.dir.display().to_string());
            let _ = writeln!(
                out,
                "Created an AIMS workspace in {d}: aims.yaml and the 38 Annex A controls in soa/, not yet assessed.\n\
                 Next: edit aims.yaml (organization, scope, people), then run `aims check {d}`."
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
