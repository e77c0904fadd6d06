//! `n` in Reviews: offers to start a new management review prefilled with the inputs of
//! the review pack (the records to consider, linked under `inputs:`, and the period), so
//! the minutes are written against real data. The pack is assembled on a worker thread
//! (it reads git); the offer opens at once, fills in when it arrives, and `y` opens the
//! normal MR create form with the links in place (`d`: a blank form, `Esc`: nothing).

use super::component::{Component, Ctx, Effect, Outcome};
use super::form::Form;
use super::jobs::{Done, Job};
use super::keys::{self, Action, Scope};
use super::widgets::{block, centered, truncate};
use crate::any_component;
use crate::domain::dates::Date;
use crate::domain::{Map, RecordType, Value};
use crate::workspace::Workspace;
use crate::workspace::review_pack::{ReviewPack, Since, assemble};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The worker's answer: the pack, or why it could not be assembled.
struct PackLoaded(Result<ReviewPack, String>);

pub struct ReviewOffer {
    /// `None` while the pack is being assembled.
    pub pack: Option<Result<ReviewPack, String>>,
    job: Option<Job>,
}

impl ReviewOffer {
    /// The offer, with the job that assembles the pack of the workspace at `ws.root` as of
    /// `today` (the worker opens its own copy: the workspace stays with the UI thread).
    pub fn new(ws: &Workspace, today: Date) -> ReviewOffer {
        let root = ws.root.clone();
        let job = Job::new("aims-review-pack", move || {
            let pack = Workspace::open(&root)
                .map_err(|e| e.to_string())
                .and_then(|ws| assemble(&ws, &Since::Previous, today));
            PackLoaded(pack)
        });
        ReviewOffer {
            pack: None,
            job: Some(job),
        }
    }

    fn lines(&self, cx: &Ctx) -> Vec<Line<'static>> {
        let t = cx.theme;
        let pack = match &self.pack {
            None => {
                return vec![Line::styled(
                    "assembling the review inputs from the records and their history…",
                    t.muted,
                )];
            }
            Some(Err(e)) => return vec![Line::styled(format!("! {e}"), t.error)],
            Some(Ok(p)) => p,
        };
        let mut out = vec![
            Line::from(vec![
                Span::styled("Period  ", t.muted),
                Span::styled(
                    format!("{} to {}", pack.period.from, pack.period.to),
                    t.header,
                ),
            ]),
            Line::styled(format!("        {}", pack.period.basis), t.muted),
            Line::raw(""),
            Line::styled("Inputs it links (9.3.2):", t.base),
        ];
        let links = pack.input_links();
        if links.is_empty() {
            out.push(Line::styled("  nothing to link in this period", t.muted));
        }
        let spec = crate::rules::spec(RecordType::ManagementReview);
        let sub = match spec.field("inputs").map(|f| f.kind) {
            Some(crate::rules::spec::FieldKind::Group(sub)) => sub,
            _ => &[],
        };
        for (field, ids) in &links {
            let label = sub
                .iter()
                .find(|f| f.name == *field)
                .map_or(*field, |f| f.label);
            // The count first: a long list is cut at the box's edge.
            let count = if ids.len() > 3 {
                format!("{} — ", ids.len())
            } else {
                String::new()
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {label}: "), t.muted),
                Span::styled(format!("{count}{}", ids.join(", ")), t.base),
            ]));
        }
        let notes: Vec<&String> = pack.context.notes.iter().chain(&pack.trend_notes).collect();
        if let Some(note) = notes.first() {
            out.push(Line::raw(""));
            out.push(Line::styled(format!("! {note}"), t.warning));
        }
        out.push(Line::raw(""));
        out.push(Line::styled(
            "y: open the new review with these inputs · d: a blank form · Esc: cancel",
            t.key,
        ));
        out
    }
}

/// The fields of a new review prefilled from `pack`: the records to consider linked under
/// `inputs:`, the previous actions' status in words, and the period in the notes.
pub fn prefilled(pack: &ReviewPack, today: Date) -> Map {
    let mut inputs = Map::new();
    let done = pack
        .previous_actions
        .iter()
        .filter(|a| a.status == "done")
        .count();
    if let Some(prev) = &pack.period.previous {
        let overdue = pack.previous_actions.iter().filter(|a| a.overdue).count();
        inputs.set(
            "previous_actions",
            Value::str(format!(
                "{} actions from {prev}: {done} done, {} open ({overdue} overdue).",
                pack.previous_actions.len(),
                pack.previous_actions.len() - done
            )),
        );
    }
    for (field, ids) in pack.input_links() {
        inputs.set(
            field,
            Value::List(ids.into_iter().map(Value::str).collect()),
        );
    }
    let mut values = Map::new();
    values.set("held_on", Value::str(today.to_string()));
    values.set("inputs", Value::Map(inputs));
    values.set(
        "notes",
        Value::str(format!(
            "Inputs assembled by aims for the period {} to {} ({}); `aims report management-review` prints the pack.",
            pack.period.from, pack.period.to, pack.period.basis
        )),
    );
    values
}

impl Component for ReviewOffer {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        let Some(action) = keys::action_in(key, Scope::ReviewOffer) else {
            return Outcome::Ignored;
        };
        let form = || Form::create(RecordType::ManagementReview, cx.ws, cx.user, cx.today);
        match action {
            Action::Back => Outcome::close(),
            Action::Discard => Outcome::Close(vec![Effect::Push(Box::new(form()))]),
            Action::Yes => match &self.pack {
                Some(Ok(pack)) => {
                    let mut f = form();
                    for e in prefilled(pack, cx.today).entries() {
                        f.values.set(&e.key, e.value.clone());
                    }
                    f.validate(cx.ws, cx.today);
                    Outcome::Close(vec![
                        Effect::Push(Box::new(f)),
                        Effect::Status(
                            "new management review: the inputs are linked; write the minutes and Ctrl-S"
                                .into(),
                            false,
                        ),
                    ])
                }
                Some(Err(_)) => Outcome::status("no inputs to prefill: d opens a blank form", true),
                None => Outcome::status("still assembling the inputs…", false),
            },
            _ => Outcome::done(),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let lines = self.lines(cx);
        let r = centered(area, 90, (lines.len() as u16 + 2).min(area.height));
        frame.render_widget(Clear, r);
        let outer = block(cx.theme, "New management review");
        let inner = outer.inner(r);
        frame.render_widget(outer, r);
        let width = usize::from(inner.width);
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| {
                let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                if super::widgets::width(&text) <= width {
                    l
                } else {
                    Line::styled(truncate(&text, width), l.spans[0].style)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines).style(cx.theme.base), inner);
    }

    fn hints(&self) -> Vec<(String, String)> {
        super::component::scope_hints(Scope::ReviewOffer)
    }

    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::ReviewOffer]
    }

    fn take_jobs(&mut self) -> Vec<Job> {
        self.job.take().into_iter().collect()
    }

    fn on_done(&mut self, done: &mut Option<Done>) {
        if self.pack.is_some() {
            return;
        }
        if let Some(d) = done.take() {
            match d.downcast::<PackLoaded>() {
                Ok(p) => self.pack = Some(p.0),
                Err(other) => *done = Some(other),
            }
        }
    }

    any_component!();
}
