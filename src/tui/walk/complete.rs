//! `C` in the walk: what completing the audit records, and the conclusion and sign-off it
//! asks for. The dialog owns its three inputs and answers a key with what the walk should
//! do; its keys come from the keymap ([prompt] for done/cancel/next field, [text-input]
//! for typing), and the walk saves through the core's rule (`rules::audit::complete`).

use super::super::editor::{Edit, TextInput};
use super::super::keys::{self, Action, Scope};
use crate::domain::Map;
use crate::domain::dates::{Date, parse_date};
use crate::domain::settings::Settings;
use crate::domain::text::one_line;
use crate::rules::audit::{Completion, SignOff};
use ratatui::crossterm::event::KeyEvent;

/// What a key did to the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKey {
    Stay,
    Cancel,
    Confirm,
}

pub struct CompleteDialog {
    pub summary: Completion,
    /// Conclusion, signed off by, signed off on.
    pub inputs: [TextInput; 3],
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
            inputs: [
                TextInput::line(&fields.text("conclusion").unwrap_or_default()),
                TextInput::line(&fields.text("lead_auditor").unwrap_or_default()),
                TextInput::line(&today.to_string()),
            ],
            field: 0,
            error: None,
        }
    }

    pub fn value(&self, field: usize) -> String {
        self.inputs[field].text()
    }

    pub fn on_key(&mut self, key: &KeyEvent) -> DialogKey {
        match keys::action_in(key, Scope::Prompt) {
            Some(Action::Open) => return DialogKey::Confirm,
            Some(Action::Back) => return DialogKey::Cancel,
            Some(Action::Down) => self.field = (self.field + 1) % 3,
            Some(Action::Up) => self.field = (self.field + 2) % 3,
            _ => {
                // Typing starts a new attempt: the last error goes.
                if self.inputs[self.field].on_key(key) == Edit::Changed {
                    self.error = None;
                }
            }
        }
        DialogKey::Stay
    }

    pub fn paste(&mut self, text: &str) -> Result<(), String> {
        self.inputs[self.field].paste(text)
    }

    /// The sign-off as typed, or why it cannot be one (the core checks the rest).
    pub fn sign_off(&self, settings: &Settings) -> Result<SignOff, String> {
        let (by, on) = (self.value(1), self.value(2));
        let Some(on) = parse_date(on.trim()) else {
            return Err(format!("{} is not a date: write YYYY-MM-DD", one_line(&on)));
        };
        if settings.person(by.trim()).is_none() {
            return Err(format!(
                "{} is not a person in aims.yaml: name the lead auditor",
                one_line(&by)
            ));
        }
        Ok(SignOff {
            conclusion: self.value(0),
            by: by.trim().to_string(),
            on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Value;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn press(d: &mut CompleteDialog, code: KeyCode) -> DialogKey {
        d.on_key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn the_complete_dialog_moves_between_fields_and_reads_the_sign_off() {
        let mut audit = Map::new();
        audit.set("lead_auditor", Value::str("nobody"));
        let today = parse_date("2026-11-22").unwrap();
        let mut d = CompleteDialog::new(Completion::default(), &audit, today);
        assert_eq!(
            (d.value(1), d.value(2)),
            ("nobody".into(), "2026-11-22".into())
        );
        press(&mut d, KeyCode::Char('O'));
        press(&mut d, KeyCode::Char('k'));
        assert_eq!(d.value(0), "Ok");
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
