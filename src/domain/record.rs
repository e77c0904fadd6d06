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
            return cut_at_word(&flat[..end], TITLE_CHARS);
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

/// The longest title taken from a description, in characters (with its "…").
const TITLE_CHARS: usize = 100;

/// `text` as it is when it fits in `max` characters; else cut after the last whole word
/// that fits (a word longer than that is cut), its trailing punctuation dropped, and "…"
/// added, so a list never shows half a word as if it were the end.
fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let room: String = text.chars().take(max - 1).collect();
    let next = text.chars().nth(max - 1);
    let kept = if next.is_some_and(char::is_whitespace) {
        room.as_str()
    } else {
        room.rfind(' ').map_or(room.as_str(), |i| &room[..i])
    };
    let kept = kept.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    format!("{kept}…")
}

#[cfg(test)]
mod title_tests {
    use super::*;

    #[test]
    fn a_long_description_is_cut_at_a_word_with_an_ellipsis() {
        let long = "The Stackwise coding assistant had been in use by 70 engineers since mid-2025, \
                    bought on online terms without due diligence or a contract.";
        let cut = cut_at_word(long, TITLE_CHARS);
        assert_eq!(
            cut,
            "The Stackwise coding assistant had been in use by 70 engineers since mid-2025, \
             bought on online…"
        );
        assert!(cut.chars().count() <= TITLE_CHARS);
        // Short text is kept whole; a word longer than the room is cut inside it.
        assert_eq!(cut_at_word("Short.", 10), "Short.");
        assert_eq!(cut_at_word("abcdefghijkl", 6), "abcde…");
        // A cut right before a space keeps the whole word before it.
        assert_eq!(cut_at_word("abc def ghi", 8), "abc def…");
    }
}
