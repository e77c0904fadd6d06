//! `aims init`: a minimal workspace that passes `aims check`.

use super::emit;
use super::save::write_atomic;
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::{Map, RecordType, Value, catalog, ids};
use std::path::Path;

#[derive(Debug)]
pub enum InitError {
    NotEmpty,
    Io(std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty => write!(
                f,
                "the directory is not empty: aims init only creates a workspace in a new or empty directory"
            ),
            InitError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What a new workspace's aims.yaml says.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewWorkspace<'a> {
    pub organization: &'a str,
    /// The AIMS scope statement, when known.
    pub scope: Option<&'a str>,
    /// The login of whoever runs it, listed as the first person so `--as`/`$USER` resolves
    /// at once (its id is the login as a slug).
    pub person: Option<&'a str>,
    /// That person's full name (else the id).
    pub name: Option<&'a str>,
}

/// Creates the workspace in `dir` (which must be absent or empty).
pub fn init(dir: &Path, new: NewWorkspace) -> Result<(), InitError> {
    let NewWorkspace {
        organization,
        scope,
        person,
        name,
    } = new;
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(InitError::Io)?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty);
        }
    }
    std::fs::create_dir_all(dir).map_err(InitError::Io)?;
    let mut settings = format!(
        "# AIMS workspace settings. Every setting below except `organization` has a default.\n\
         version: 1\n\
         organization: {}\n\
         # The AIMS scope statement (clause 4.3): which organization units, AI systems and\n\
         # roles the AI management system covers.\n\
         scope:{}\n\
         roles_held: []\n",
        emit::scalar_text(&Value::str(organization), 2),
        scope
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!(" {}", emit::scalar_text(&Value::str(s), 2)))
            .unwrap_or_default()
    );
    match person.map(slug).filter(|p| ids::is_person_id(p)) {
        Some(id) => {
            settings.push_str("people:\n");
            settings.push_str(&format!(
                "  - id: {id}\n    name: {}\n    role: AI governance lead\n    login: {}\n",
                emit::scalar_text(
                    &Value::str(name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&id)),
                    4
                ),
                emit::scalar_text(&Value::str(person.unwrap_or(&id)), 4)
            ));
        }
        None => settings.push_str("people: []\n"),
    }
    settings.push_str(
        "# Likelihood x impact, default 5x5; bands by score; appetite = the highest residual\n\
         # band accepted without formal acceptance.\n\
         risk_method:\n\
         \x20 likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]\n\
         \x20 impact: [Negligible, Minor, Moderate, Major, Severe]\n\
         \x20 bands:\n\
         \x20   - {name: low, max: 4}\n\
         \x20   - {name: medium, max: 9}\n\
         \x20   - {name: high, max: 16}\n\
         \x20   - {name: critical, max: 25}\n\
         \x20 appetite: medium\n\
         # Review cadence per record type: 90d, 6m, 1y.\n\
         cadences:\n\
         \x20 system: 1y\n\
         \x20 risk: 6m\n\
         \x20 impact_assessment: 1y\n\
         \x20 soa: 1y\n\
         \x20 supplier: 1y\n\
         \x20 document: 1y\n\
         \x20 objective: 3m\n\
         \x20 management_review: 1y\n\
         \x20 audit: 1y\n\
         due_soon_days: 14\n",
    );
    write_atomic(&dir.join(SETTINGS_FILE), settings.as_bytes()).map_err(InitError::Io)?;
    write_gitignore(dir).map_err(InitError::Io)?;
    for kind in RecordType::ALL {
        std::fs::create_dir_all(dir.join(kind.dir())).map_err(InitError::Io)?;
    }
    std::fs::create_dir_all(dir.join("evidence")).map_err(InitError::Io)?;
    for control in &catalog::CONTROLS {
        let mut m = Map::new();
        m.set("id", Value::str(control.id));
        m.set("status", Value::str("not-assessed"));
        let text = format!(
            "# {} — {}\n{}",
            control.id,
            control.title,
            emit::to_yaml(&m)
        );
        let path = dir
            .join(RecordType::Soa.dir())
            .join(format!("{}.yaml", control.id));
        write_atomic(&path, text.as_bytes()).map_err(InitError::Io)?;
    }
    Ok(())
}

/// A login as a person id: lowercase, other characters dropped.
fn slug(login: &str) -> String {
    login
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
        .collect()
}

/// The workspace's `.gitignore`: aims' state folder and the temp files of saves.
pub fn write_gitignore(dir: &Path) -> std::io::Result<()> {
    write_atomic(
        &dir.join(".gitignore"),
        super::replace::GITIGNORE.as_bytes(),
    )
}
