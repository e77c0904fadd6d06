//! The two dialogs of the walk that change an audit's state: `R` (reopen, with a reason)
//! and `C` (complete: what it records, then the conclusion and sign-off). Each owns its
//! text and answers a key with an outcome; the walk saves on `Confirm` through the core's
//! rules (`rules::audit`), so the rules stay out of the terminal code.

use crate::domain::Map;
use crate::domain::dates::{Date, parse_date};
use crate::domain::settings::Settings;
use crate::domain::text::one_line;
use crate::rules::audit::{Completion, SignOff};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKey {
    Stay,
    Cancel,
    Confirm,
}

/// One-line typing shared by both dialogs; `None` when the key is not text editing.
fn edit(text: &mut String, key: &KeyEvent) -> Option<DialogKey> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => Some(DialogKey::Cancel),
        KeyCode::Enter => Some(DialogKey::Confirm),
        KeyCode::Backspace => {
            text.pop();
            Some(DialogKey::Stay)
        }
        KeyCode::Char(c) if !ctrl && !c.is_control() => {
            text.push(c);
            Some(DialogKey::Stay)
        }
        _ => None,
    }
}

/// `R` on a completed audit: why it is reopened.
#[derive(Debug, Default)]
pub struct ReopenPrompt {
    pub reason: String,
}

impl ReopenPrompt {
    pub fn on_key(&mut self, key: &KeyEvent) -> DialogKey {
        edit(&mut self.reason, key).unwrap_or(DialogKey::Stay)
    }
}

/// `C`: what completing will record, and the conclusion and sign-off it asks for.
/// `field`: 0 conclusion, 1 signed off by, 2 signed off on.
#[derive(Debug)]
pub struct CompleteDialog {
    pub summary: Completion,
    pub conclusion: String,
    pub by: String,
    pub on: String,
    pub field: usize,
    /// Why the last confirm did not complete; cleared by typing.
    pub error: Option<String>,
}

impl CompleteDialog {
    pub const FIELDS: [&'static str; 3] = ["Conclusion", "Signed off by", "Signed off on"];

    /// Starts from the audit: its draft conclusion (kept by a reopen), its lead auditor,
    /// today.
    pub fn new(summary: Completion, fields: &Map, today: Date) -> CompleteDialog {
        CompleteDialog {
            summary,
            conclusion: fields.text("conclusion").unwrap_or_default(),
            by: fields.text("lead_auditor").unwrap_or_default(),
            on: today.to_string(),
            field: 0,
            error: None,
        }
    }

    pub fn value(&self, field: usize) -> &str {
        match field {
            0 => &self.conclusion,
            1 => &self.by,
            _ => &self.on,
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent) -> DialogKey {
        match key.code {
            KeyCode::Tab | KeyCode::Down => self.field = (self.field + 1) % 3,
            KeyCode::BackTab | KeyCode::Up => self.field = (self.field + 2) % 3,
            _ => {
                let text = match self.field {
                    0 => &mut self.conclusion,
                    1 => &mut self.by,
                    _ => &mut self.on,
                };
                let outcome = edit(text, key).unwrap_or(DialogKey::Stay);
                // Typing starts a new attempt: the last error goes.
                if outcome == DialogKey::Stay {
                    self.error = None;
                }
                return outcome;
            }
        }
        DialogKey::Stay
    }

    /// The sign-off as typed, or why it cannot be one (the core checks the rest).
    pub fn sign_off(&self, settings: &Settings) -> Result<SignOff, String> {
        let Some(on) = parse_date(self.on.trim()) else {
            return Err(format!(
                "{} is not a date: write YYYY-MM-DD",
                one_line(&self.on)
            ));
        };
        if settings.person(self.by.trim()).is_none() {
            return Err(format!(
                "{} is not a person in aims.yaml: name the lead auditor",
                one_line(&self.by)
            ));
        }
        Ok(SignOff {
            conclusion: self.conclusion.clone(),
            by: self.by.trim().to_string(),
            on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Value;

    fn press(d: &mut CompleteDialog, code: KeyCode) -> DialogKey {
        d.on_key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn the_complete_dialog_moves_between_fields_and_reads_the_sign_off() {
        let mut audit = Map::new();
        audit.set("lead_auditor", Value::str("nobody"));
        let today = parse_date("2026-11-22").unwrap();
        let mut d = CompleteDialog::new(Completion::default(), &audit, today);
        assert_eq!((d.by.as_str(), d.on.as_str()), ("nobody", "2026-11-22"));
        press(&mut d, KeyCode::Char('O'));
        press(&mut d, KeyCode::Char('k'));
        assert_eq!(d.conclusion, "Ok");
        press(&mut d, KeyCode::BackTab);
        assert_eq!(
            d.field, 2,
            "Shift-Tab from the first field wraps to the last"
        );
        press(&mut d, KeyCode::Tab);
        press(&mut d, KeyCode::Tab);
        assert_eq!(press(&mut d, KeyCode::Enter), DialogKey::Confirm);
        let err = d.sign_off(&Settings::default()).unwrap_err();
        assert!(err.contains("nobody is not a person"), "{err}");
        d.error = Some(err);
        press(&mut d, KeyCode::Backspace);
        assert!(d.error.is_none(), "typing clears the last error");
        assert_eq!(press(&mut d, KeyCode::Esc), DialogKey::Cancel);
    }
}
