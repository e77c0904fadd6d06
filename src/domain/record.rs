//! One record: its type, id, fields and where it came from.

use super::kind::RecordType;
use super::value::Map;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Record {
    pub kind: RecordType,
    pub id: String,
    /// The top-level mapping exactly as read (unknown fields included, in file order).
    pub fields: Map,
    /// Path relative to the workspace root, e.g. `risks/RISK-001.yaml`.
    pub path: PathBuf,
    /// Hash of the bytes the record was read from: a save refuses when the file changed.
    pub content_hash: u64,
}

impl Record {
    /// The best one-line name of the record: its title, name or (for SoA) the control title.
    pub fn title(&self) -> String {
        for key in ["title", "name"] {
            if let Some(t) = self.fields.text(key) {
                return t;
            }
        }
        if self.kind == RecordType::Soa
            && let Some(c) = super::catalog::control(&self.id)
        {
            return c.title.to_string();
        }
        // Nonconformities and incidents are known by what happened.
        if let Some(text) = self.fields.text("description") {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let end = flat.find(". ").map_or(flat.len(), |i| i + 1);
            let sentence: String = flat[..end].chars().take(100).collect();
            return sentence;
        }
        if let Some(system) = self.fields.text("system") {
            return format!("{} for {system}", self.kind.label());
        }
        self.id.clone()
    }

    pub fn owner(&self) -> Option<String> {
        self.fields.text("owner")
    }
}
