use aims_workbench::cli::{self, Cli, Command, Env};
use clap::Parser;
use std::path::PathBuf;

fn main() {
    let args = Cli::parse();
    // The only places that read the clock and the user: everything below gets them passed in.
    let env = Env {
        today: args
            .global
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        login: std::env::var("USER").ok().filter(|u| !u.is_empty()),
        width: std::io::IsTerminal::is_terminal(&std::io::stdout()).then(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(80)
        }),
    };
    let as_person = args.global.as_person.as_deref();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    let code = match &args.command {
        Some(Command::Check(a)) => cli::check::run(a, &env, &mut out, &mut err),
        Some(Command::Due(a)) => cli::due::run(a, as_person, &env, &mut out, &mut err),
        Some(Command::Init(a)) => cli::init::run(a, as_person, &env, &mut out, &mut err),
        None => {
            let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
            cli::summary::run(&dir, &env, &mut out, &mut err)
        }
    };
    drop((out, err));
    std::process::exit(code);
}
