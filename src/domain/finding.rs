//! A problem found in the workspace: what `aims check` prints and the Problems pane lists.

use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Relative to the workspace root.
    pub file: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong and what to do about it.
    pub message: String,
    /// The stable kebab-case code of the rule that raised it (`aims check --explain CODE`).
    /// Fronts and exports match on this, never on the message text.
    pub code: &'static str,
    /// Why the severity differs from the rule's default (a `rules:` entry of aims.yaml).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_reason: Option<String>,
}

/// The code of findings about files that could not be loaded as records at all.
pub const LOAD_CODE: &str = "unreadable-file";

impl Finding {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            record: None,
            field: None,
            // Messages quote record text: make it safe for terminals, logs and JSON alike.
            message: crate::domain::text::one_line(&message.into()),
            code: LOAD_CODE,
            severity_reason: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(file, message)
        }
    }

    pub fn at(mut self, line: Option<u32>) -> Finding {
        self.line = line;
        self
    }

    pub fn col(mut self, column: Option<u32>) -> Finding {
        self.column = column;
        self
    }

    pub fn record(mut self, id: &str) -> Finding {
        self.record = Some(id.to_string());
        self
    }

    pub fn field(mut self, field: &str) -> Finding {
        self.field = Some(field.to_string());
        self
    }

    pub fn code(mut self, code: &'static str) -> Finding {
        self.code = code;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
