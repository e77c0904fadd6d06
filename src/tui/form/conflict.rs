//! The form's conflict dialog: the record changed on disk since the form opened.
//!
//! Why: a save must never overwrite someone else's change silently. The form's edit is
//! merged three ways (the fields it opened with, the version on disk now, the values
//! typed, see `domain::merge`): fields only one side changed merge without asking and the
//! dialog says which; for each field both changed it shows theirs and mine, and the user
//! picks per field (theirs, mine, or edit mine in the field's editor). The result is saved
//! over the version it was merged with (`Workspace::save_over`), so a third person's save
//! that lands meanwhile brings the dialog back instead of being overwritten.

use super::super::component::Ctx;
use super::super::keys::Action;
use super::super::widgets::{block, plural, truncate, width};
use crate::domain::Map;
use crate::domain::merge::{Choice, Merged, Side};
use crate::domain::text::one_line;
use crate::workspace::history::show_value;
use crate::workspace::rebase::{OnDisk, Rebase};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The state of the dialog: the merge, and the pick made so far for each conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    /// The version on disk the merge was made against; `None`: there is none any more
    /// (deleted, renamed, or it no longer parses), said in `gone`.
    pub theirs: Option<OnDisk>,
    pub merge: Merged,
    /// One pick per conflict (same order as `merge.conflicts`); `None` until made.
    pub choices: Vec<Option<Choice>>,
    /// The conflict the keys act on.
    pub cursor: usize,
    pub gone: Option<String>,
    /// A line about the last key (what still needs a pick).
    pub note: Option<String>,
    /// Whether mine may be saved as a new record (not for aims.yaml: there is one).
    pub as_new: bool,
}

/// What a key in the dialog asks of the form.
#[derive(Debug, Clone, PartialEq)]
pub enum ClashKey {
    Stay,
    /// Back to the form, nothing saved.
    Cancel,
    /// Every conflict picked: save these fields over the version with this hash.
    Save {
        theirs: OnDisk,
        fields: Map,
    },
    /// Edit mine of conflict `field` (a top-level field) in the form, on top of the merge
    /// (`fields`, made from `theirs`).
    Edit {
        theirs: OnDisk,
        fields: Map,
        field: String,
    },
    SaveAsNew,
}

impl Clash {
    /// The dialog for a rebase of record `id`.
    pub fn of(id: &str, rebase: Rebase) -> Clash {
        let (theirs, merge, gone) = match rebase {
            Rebase::Merged { theirs, merge } => (Some(theirs), merge, None),
            Rebase::Gone => (
                None,
                Merged::default(),
                Some(format!(
                    "{id} was deleted or renamed on disk since you opened it."
                )),
            ),
            Rebase::Unreadable(path) => (
                None,
                Merged::default(),
                Some(format!(
                    "{} no longer parses: it is not written until fixed by hand.",
                    one_line(&path.display().to_string())
                )),
            ),
        };
        Clash {
            choices: vec![None; merge.conflicts.len()],
            theirs,
            merge,
            cursor: 0,
            gone,
            note: None,
            as_new: true,
        }
    }

    /// The top-level fields that changed on disk (merged from theirs, or in conflict).
    pub fn changed_on_disk(&self) -> Vec<String> {
        let merged = self
            .merge
            .auto
            .iter()
            .filter(|(_, side)| *side != Side::Mine);
        let mut out: Vec<String> = merged
            .map(|(p, _)| p)
            .chain(self.merge.conflicts.iter().map(|c| &c.path))
            .filter_map(|p| p.top().map(str::to_string))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Handles a key of the conflict scope.
    pub fn on_key(&mut self, action: Option<Action>) -> ClashKey {
        self.note = None;
        let n = self.choices.len();
        match action {
            Some(Action::Back) => return ClashKey::Cancel,
            Some(Action::SaveAsNew) if self.as_new => return ClashKey::SaveAsNew,
            Some(Action::SaveAsNew) => {
                self.note = Some("there is one settings file: pick, then s saves into it".into());
            }
            Some(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::Down) => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Some(pick @ (Action::Theirs | Action::Mine)) if n > 0 => {
                self.choices[self.cursor] = Some(if pick == Action::Theirs {
                    Choice::Theirs
                } else {
                    Choice::Mine
                });
                // On to the next field still without a pick.
                if let Some(next) = (0..n).find(|&i| self.choices[i].is_none()) {
                    self.cursor = next;
                }
            }
            Some(Action::Edit) if n > 0 => return self.edit(),
            Some(Action::Save) => return self.save(),
            _ => {}
        }
        ClashKey::Stay
    }

    fn save(&mut self) -> ClashKey {
        let Some(theirs) = self.theirs.clone() else {
            self.note = Some("nothing on disk to merge with: n saves yours as a new record".into());
            return ClashKey::Stay;
        };
        let picked: Option<Vec<Choice>> = self.choices.iter().cloned().collect();
        let Some(picked) = picked else {
            let open = self.choices.iter().position(Option::is_none).unwrap_or(0);
            self.cursor = open;
            self.note = Some(format!(
                "pick theirs (t) or mine (m) for {} first",
                self.merge.conflicts[open].path
            ));
            return ClashKey::Stay;
        };
        match self.merge.resolve(&picked) {
            Ok(fields) => ClashKey::Save { theirs, fields },
            Err(e) => {
                self.note = Some(e.to_string());
                ClashKey::Stay
            }
        }
    }

    /// Edit: mine at this field (and at every field not picked yet, so nothing typed is
    /// dropped; the form says so), then the form takes over.
    fn edit(&mut self) -> ClashKey {
        let Some(theirs) = self.theirs.clone() else {
            return ClashKey::Stay;
        };
        let picked: Vec<Choice> = self
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                Some(c) if i != self.cursor => c.clone(),
                _ => Choice::Mine,
            })
            .collect();
        let field = self.merge.conflicts[self.cursor]
            .path
            .top()
            .unwrap_or_default()
            .to_string();
        match self.merge.resolve(&picked) {
            Ok(fields) => ClashKey::Edit {
                theirs,
                fields,
                field,
            },
            Err(e) => {
                self.note = Some(e.to_string());
                ClashKey::Stay
            }
        }
    }

    /// The fields not picked yet, other than the cursor's (what `edit` keeps as mine).
    pub fn unpicked_besides_cursor(&self) -> Vec<String> {
        self.choices
            .iter()
            .enumerate()
            .filter(|(i, c)| c.is_none() && *i != self.cursor)
            .map(|(i, _)| self.merge.conflicts[i].path.to_string())
            .collect()
    }
}

fn shown(v: Option<&crate::domain::Value>) -> String {
    match v {
        Some(v) => show_value(v),
        None => "(not set)".into(),
    }
}

pub fn draw(frame: &mut Frame, cx: &Ctx, id: &str, clash: &Clash, area: Rect) {
    let t = cx.theme;
    let w = 76.min(area.width);
    let room = w.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if let Some(gone) = &clash.gone {
        lines.push(Line::from(Span::styled(one_line(gone), t.warning)));
        lines.push(Line::from("There is nothing to merge your edit with."));
    } else {
        lines.push(Line::from(Span::styled(
            truncate(
                &format!(
                    "{} was saved by someone else since you opened it.",
                    one_line(id)
                ),
                room,
            ),
            t.warning,
        )));
        let auto: Vec<String> = clash
            .merge
            .auto
            .iter()
            .map(|(p, side)| {
                let who = match side {
                    Side::Theirs => "theirs",
                    Side::Mine => "yours",
                    Side::Both => "both kept",
                };
                format!("{p} ({who})")
            })
            .collect();
        if !auto.is_empty() {
            let text = format!("Merged without asking: {}", auto.join(", "));
            // Wrapped at commas, at most three lines: each field merged is named.
            let mut line = String::new();
            let mut wrapped = Vec::new();
            for piece in text.split_inclusive(", ") {
                if width(&line) + width(piece) > room && !line.is_empty() {
                    wrapped.push(std::mem::take(&mut line));
                    line.push_str("  ");
                }
                line.push_str(piece);
            }
            wrapped.push(line);
            let more = wrapped.len() > 3;
            wrapped.truncate(3);
            if more && let Some(last) = wrapped.last_mut() {
                last.push('…');
            }
            lines.extend(wrapped.iter().map(|l| Line::from(truncate(l, room))));
        }
        if clash.merge.conflicts.is_empty() {
            lines.push(Line::from(
                "No field was changed by both: s saves the merge.",
            ));
        } else {
            lines.push(Line::from(format!(
                "Both changed {} — pick one value for each:",
                plural(clash.merge.conflicts.len(), "field")
            )));
        }
        // As many conflicts as fit, the cursor's always among them.
        let per = 3;
        let fit = (area.height.saturating_sub(lines.len() as u16 + 5) as usize / per).max(1);
        let first = clash.cursor.saturating_sub(fit - 1);
        for (i, c) in clash
            .merge
            .conflicts
            .iter()
            .enumerate()
            .skip(first)
            .take(fit)
        {
            let here = i == clash.cursor;
            let pick = match &clash.choices[i] {
                None => "not picked yet",
                Some(Choice::Theirs) => "theirs kept",
                Some(Choice::Mine) => "mine kept",
                Some(Choice::Edited(_)) => "edited",
            };
            let head = format!("{} {}: {pick}", if here { "▸" } else { " " }, c.path);
            lines.push(Line::from(Span::styled(
                truncate(&head, room),
                if here { t.selection } else { t.header },
            )));
            let mark = |choice: Choice| {
                if clash.choices[i].as_ref() == Some(&choice) {
                    "✓"
                } else {
                    " "
                }
            };
            lines.push(Line::from(truncate(
                &format!(
                    "  {} theirs  {}",
                    mark(Choice::Theirs),
                    shown(c.theirs.as_ref())
                ),
                room,
            )));
            lines.push(Line::from(truncate(
                &format!(
                    "  {} mine    {}",
                    mark(Choice::Mine),
                    shown(c.mine.as_ref())
                ),
                room,
            )));
        }
    }
    if let Some(note) = &clash.note {
        lines.push(Line::from(Span::styled(truncate(note, room), t.warning)));
    }
    lines.push(Line::from(""));
    let keys: &[(&str, &str)] = if clash.gone.is_some() {
        &[("n", " save as new · "), ("Esc", " back to the form")]
    } else if clash.merge.conflicts.is_empty() {
        &[
            ("s", " save · "),
            ("n", " as new · "),
            ("Esc", " back, nothing saved"),
        ]
    } else {
        &[
            ("t", " theirs · "),
            ("m", " mine · "),
            ("e", " edit · "),
            ("j/k", " field · "),
            ("s", " save · "),
            ("n", " as new · "),
            ("Esc", " back"),
        ]
    };
    lines.push(Line::from(
        keys.iter()
            .filter(|(k, _)| clash.as_new || *k != "n")
            .flat_map(|(k, l)| [Span::styled(*k, t.key), Span::raw(*l)])
            .collect::<Vec<_>>(),
    ));
    let h = (lines.len() as u16 + 2).min(area.height);
    let [v] = Layout::vertical([Constraint::Length(h)])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w)])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(block(cx.theme, "Changed on disk")),
        r,
    );
}
