//! The one text editor every input uses, one line or several: form fields, list filters,
//! the finder, help, prompts, walk notes and evidence. Its keys come from the key table's
//! text-input scope; the owner handles Enter (one line) and Esc before passing keys on.

use super::keys::{self, Action, Scope};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// What a key did to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// Not an editing key.
    Ignored,
}

#[derive(Clone)]
pub struct TextInput {
    area: TextArea<'static>,
    multi: bool,
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TextInput({:?})", self.text())
    }
}

impl TextInput {
    /// A one-line input holding `text`, the cursor at its end.
    pub fn line(text: &str) -> TextInput {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        TextInput::new(vec![clean], false)
    }

    /// A text area holding `text`, the cursor at its end (where people go on writing).
    pub fn area(text: &str) -> TextInput {
        TextInput::new(text.lines().map(str::to_string).collect(), true)
    }

    fn new(lines: Vec<String>, multi: bool) -> TextInput {
        let lines = if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        };
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(Style::default());
        if multi {
            area.set_wrap_mode(WrapMode::Word);
        }
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        TextInput { area, multi }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn lines(&self) -> &[String] {
        self.area.lines()
    }

    pub fn is_empty(&self) -> bool {
        self.area.lines().iter().all(String::is_empty)
    }

    /// The cursor: (row, column in characters).
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    pub fn set_style(&mut self, style: Style) {
        self.area.set_style(style);
    }

    /// Applies an editing key. Enter makes a new line in a text area only; Esc is the
    /// owner's.
    pub fn on_key(&mut self, key: &KeyEvent) -> Edit {
        let a = &mut self.area;
        let moved = |a: &mut TextArea, m: CursorMove| {
            a.move_cursor(m);
            Edit::Moved
        };
        let changed = |did: bool| if did { Edit::Changed } else { Edit::Moved };
        match keys::action_in(key, Scope::TextInput) {
            Some(Action::CharLeft) => moved(a, CursorMove::Back),
            Some(Action::CharRight) => moved(a, CursorMove::Forward),
            Some(Action::LineStart) => moved(a, CursorMove::Head),
            Some(Action::LineEnd) => moved(a, CursorMove::End),
            Some(Action::WordLeft) => moved(a, CursorMove::WordBack),
            Some(Action::WordRight) => moved(a, CursorMove::WordForward),
            Some(Action::Up) if self.multi => moved(a, CursorMove::Up),
            Some(Action::Down) if self.multi => moved(a, CursorMove::Down),
            Some(Action::KillToStart) => changed(a.delete_line_by_head()),
            Some(Action::KillWordBack) => changed(a.delete_word()),
            Some(Action::KillToEnd) => changed(a.delete_line_by_end()),
            Some(Action::DeleteBack) => changed(a.delete_char()),
            Some(Action::DeleteForward) => changed(a.delete_next_char()),
            Some(Action::NewLine) if self.multi => {
                a.insert_newline();
                Edit::Changed
            }
            Some(_) => Edit::Ignored,
            None => match key.code {
                KeyCode::Char(c)
                    if !c.is_control()
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    a.insert_char(c);
                    Edit::Changed
                }
                KeyCode::Tab if self.multi => {
                    a.insert_char('\t');
                    Edit::Changed
                }
                _ => Edit::Ignored,
            },
        }
    }

    /// Pasted text, inserted at the cursor as one edit. A one-line input refuses line
    /// breaks and control characters (`Err` says why); a text area keeps line breaks.
    pub fn paste(&mut self, text: &str) -> Result<(), String> {
        if !self.multi
            && text
                .trim_end_matches(['\n', '\r'])
                .chars()
                .any(char::is_control)
        {
            return Err(
                "pasted text with line breaks or control characters: not allowed here".into(),
            );
        }
        let clean: String = text
            .trim_end_matches(if self.multi {
                &[][..]
            } else {
                &['\n', '\r'][..]
            })
            .chars()
            .filter(|c| (self.multi && (*c == '\n' || *c == '\t')) || !c.is_control())
            .collect();
        self.area.insert_str(clean);
        Ok(())
    }

    /// Draws the text with its cursor; a one-line input scrolls sideways to keep the
    /// cursor in view, a text area wraps and scrolls down.
    pub fn draw(&self, frame: &mut Frame, area: Rect) {
        frame.render_widget(&self.area, area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }
    fn alt(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
    }

    #[test]
    fn the_cursor_starts_at_the_end_and_typing_appends() {
        let mut t = TextInput::line("Ranking by");
        assert_eq!(t.cursor(), (0, 10));
        t.on_key(&key(KeyCode::Char('!')));
        assert_eq!(t.text(), "Ranking by!");
        let mut a = TextInput::area("one\ntwo");
        assert_eq!(a.cursor(), (1, 3));
        a.on_key(&key(KeyCode::Char('s')));
        assert_eq!(a.text(), "one\ntwos");
    }

    #[test]
    fn line_keys_move_and_kill() {
        let mut t = TextInput::line("alpha beta gamma");
        assert_eq!(t.on_key(&ctrl('w')), Edit::Changed);
        assert_eq!(t.text(), "alpha beta ");
        t.on_key(&ctrl('a'));
        assert_eq!(t.cursor(), (0, 0));
        t.on_key(&key(KeyCode::Char('>')));
        assert_eq!(t.text(), ">alpha beta ");
        t.on_key(&key(KeyCode::End));
        t.on_key(&key(KeyCode::Left));
        t.on_key(&key(KeyCode::Left));
        t.on_key(&ctrl('k'));
        assert_eq!(t.text(), ">alpha bet");
        t.on_key(&alt('b'));
        assert_eq!(t.cursor(), (0, 7));
        t.on_key(&ctrl('u'));
        assert_eq!(t.text(), "bet");
        t.on_key(&ctrl('e'));
        t.on_key(&key(KeyCode::Backspace));
        assert_eq!(t.text(), "be");
        assert_eq!(
            t.on_key(&key(KeyCode::Enter)),
            Edit::Ignored,
            "one line: the owner's"
        );
        assert_eq!(t.on_key(&key(KeyCode::Esc)), Edit::Ignored);
    }

    #[test]
    fn paste_is_one_edit_and_one_line_refuses_breaks() {
        let mut t = TextInput::line("a");
        t.paste("bc").unwrap();
        assert_eq!(t.text(), "abc");
        assert!(t.paste("x\ny").is_err());
        assert_eq!(t.text(), "abc");
        t.paste("d\n").unwrap();
        assert_eq!(
            t.text(),
            "abcd",
            "a trailing line break from a copy is dropped"
        );
        let mut a = TextInput::area("");
        a.paste("x\ny").unwrap();
        assert_eq!(a.text(), "x\ny");
    }

    #[test]
    fn a_long_line_scrolls_to_keep_the_cursor_in_view() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let t = TextInput::line("the quick brown fox jumps over the lazy dog");
        let mut term = Terminal::new(TestBackend::new(12, 1)).unwrap();
        term.draw(|f| t.draw(f, f.area())).unwrap();
        let shown = term.backend().to_string();
        assert!(
            shown.contains("lazy dog"),
            "the end, where the cursor is: {shown}"
        );
        let mut t = t;
        t.on_key(&ctrl('a'));
        term.draw(|f| t.draw(f, f.area())).unwrap();
        assert!(term.backend().to_string().contains("the quick"));
    }
}
