//! Guided forms: one engine for every record type, driven by the rules specs.
//!
//! A form edits a copy of the record's fields. Every change re-runs the same validation
//! `aims check` runs, so the errors beside each field, the summary and the verdict on save
//! are the ones the checker will give the saved file.

mod conflict;
mod draw;
mod restore;

pub use conflict::{Clash, ClashKey};
pub use restore::{RestoreDraft, apply_draft, offer_drafts};

pub use super::component::Subject;
use super::component::{Component, Ctx, DraftOp, Effect, Outcome, SaveRequest};
use super::editor::{Edit, TextInput};
use super::keys::{self, Action, Scope};
use crate::any_component;
use crate::domain::dates::Date;
use crate::domain::dates::parse_relative;
use crate::domain::{Finding, Map, Record, RecordType, Value, catalog, text::one_line};
use crate::rules::spec::{CatalogScope, Choices, FieldKind, FieldSpec, Scale};
use crate::rules::validate_record;
use crate::workspace::{SaveError, Workspace};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One step from the record's top-level map down to a nested map.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Field(&'static str),
    Index(usize),
}

/// What the form shows: the fields of a map, or the items of a list field.
#[derive(Debug, Clone)]
pub enum Level {
    Fields {
        specs: Vec<&'static FieldSpec>,
        /// From the top-level map to the map these fields live in.
        path: Vec<Step>,
        cursor: usize,
    },
    List {
        field: &'static FieldSpec,
        sub: &'static [FieldSpec],
        /// The map that holds the list field.
        path: Vec<Step>,
        cursor: usize,
    },
}

/// A choice list: enum values, people, records, catalog items, scores.
#[derive(Clone)]
pub struct Picker {
    /// (value written to the file, what the user sees)
    pub options: Vec<(String, String)>,
    pub query: TextInput,
    /// After `/`: typed letters filter (before it, j/k move like everywhere else).
    pub filtering: bool,
    pub shown: Vec<usize>,
    pub cursor: usize,
    pub multi: bool,
    pub chosen: Vec<String>,
    /// A picker of records of one type: `n` creates one (a form on top); once it is saved
    /// the picker lists it, chosen.
    pub creates: Option<RecordType>,
}

impl Picker {
    fn new(options: Vec<(String, String)>, multi: bool, chosen: Vec<String>) -> Picker {
        let mut p = Picker {
            shown: (0..options.len()).collect(),
            options,
            query: TextInput::line(""),
            filtering: false,
            cursor: 0,
            multi,
            chosen,
            creates: None,
        };
        if !multi && let Some(first) = p.chosen.first() {
            p.cursor = p.options.iter().position(|(v, _)| v == first).unwrap_or(0);
        }
        p
    }

    /// A picker of records: of one type, `n` creates one.
    fn creating(mut self, types: &[RecordType]) -> Picker {
        if let [kind] = types {
            self.creates = Some(*kind);
        }
        self
    }

    /// After a save elsewhere: the records listed again, and one created from here (an id
    /// not listed before) chosen.
    fn relist(&mut self, ws: &Workspace) {
        let Some(kind) = self.creates else {
            return;
        };
        let options = record_options(ws, &[kind]);
        let new: Vec<String> = (options.iter())
            .filter(|(id, _)| !self.options.iter().any(|(o, _)| o == id))
            .map(|(id, _)| id.clone())
            .collect();
        self.options = options;
        self.query = TextInput::line("");
        self.filtering = false;
        self.shown = (0..self.options.len()).collect();
        if let [id] = new.as_slice() {
            if self.multi {
                self.chosen.push(id.clone());
            }
            self.cursor = self.options.iter().position(|(o, _)| o == id).unwrap_or(0);
        }
        self.cursor = self.cursor.min(self.shown.len().saturating_sub(1));
    }

    /// The row of the entry a digit names, where the entries are numbered (score scales,
    /// whose values are 1..n): `4` is "4 · Likely". None for a plain key not a number here.
    fn numbered(&self, key: &KeyEvent) -> Option<usize> {
        let KeyCode::Char(c) = key.code else {
            return None;
        };
        if !c.is_ascii_digit() || !key.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
            return None;
        }
        let numbered =
            (self.options.iter().enumerate()).all(|(i, (v, _))| *v == (i + 1).to_string());
        if !numbered {
            return None;
        }
        let want = c.to_string();
        self.shown.iter().position(|&i| self.options[i].0 == want)
    }

    /// Matches on the value first (`implemented`), then on the description, so a value
    /// typed in full is never outranked by another option's description.
    fn refilter(&mut self) {
        let values: Vec<String> = self.options.iter().map(|(v, _)| v.clone()).collect();
        let texts: Vec<String> = self
            .options
            .iter()
            .map(|(v, d)| format!("{v} {d}"))
            .collect();
        let query = self.query.text();
        let mut shown = super::finder::search(&values, &query, usize::MAX);
        for i in super::finder::search(&texts, &query, usize::MAX) {
            if !shown.contains(&i) {
                shown.push(i);
            }
        }
        self.shown = shown;
        self.cursor = 0;
    }
}

pub enum Editor {
    /// One line of text (text and date fields).
    Line {
        input: TextInput,
        date: bool,
    },
    /// Several lines (long text; a list of texts, one per line).
    Area {
        input: TextInput,
        list: bool,
    },
    Pick(Picker),
}

/// A question the form asks before it goes on.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Leaving with unsaved changes: save, discard, or stay.
    Leave,
    /// Save refused: what to fix.
    Errors(Vec<String>),
    /// Warnings remain: save anyway?
    Warnings(Vec<String>),
    /// The file changed on disk since the form opened: the merge, field by field.
    Conflict(Box<Clash>),
}

/// What the app must do after a key in the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormOutcome {
    Stay,
    /// Close the form, nothing saved.
    Close,
    /// Save (checks passed, warnings confirmed).
    Save,
    /// After a conflict: save my version as a new record.
    SaveAsNew,
}

pub struct Form {
    pub subject: Subject,
    /// The id being edited; `None` for a new record.
    pub original: Option<String>,
    /// The fields of the record on disk when the form opened (empty for a new record).
    pub base: Map,
    /// The values the form opened with (a new record's defaults): what "changed" means.
    pub initial: Map,
    pub values: Map,
    /// An audit item waiting for the nonconformity this form raises: (audit, item).
    pub link_nc: Option<(String, usize)>,
    pub levels: Vec<Level>,
    pub editor: Option<Editor>,
    pub dialog: Option<Dialog>,
    pub findings: Vec<Finding>,
    /// A one-line message inside the form (an invalid date, a refused character).
    pub message: Option<String>,
    /// Fields the user has been in, and whether a save was tried: until then a missing
    /// value is shown as "required", not as an error in red.
    pub touched: std::collections::HashSet<String>,
    pub tried_save: bool,
    /// The record changed (or went) on disk while the form is open: said on top.
    pub banner: Option<String>,
    /// After a conflict was merged: the content hash of the version on disk the form's
    /// values were merged with; the save goes over exactly that version or not at all.
    pub over: Option<u64>,
    /// The record's file and the content hash of the version `base` is (what a draft
    /// remembers); `None` for a new record.
    pub origin: Option<(std::path::PathBuf, u64)>,
    /// The values last written to this form's draft (see `Component::flush`).
    pub drafted: Map,
    /// The day the form opened on: how a relative date typed in a field reads.
    pub today: Date,
    /// What the save dialog lists as still to do after saving: errors only another record
    /// cures (`rules::registry::blocks_save`).
    pub after_save: Vec<String>,
    /// The record the save dialog offers to create next for this one, and whether the
    /// user took the offer (the app opens its form once this one is saved).
    pub next: Option<RecordType>,
    pub create_next: bool,
    /// `n` in a picker of records: the app opens a new record's form on top of this one.
    pub wants_new: Option<RecordType>,
}

impl Form {
    /// A form on an existing record.
    pub fn edit(record: &Record, ws: &Workspace, today: Date) -> Form {
        let base = record.fields.clone();
        let mut form = Form::open(
            Subject::Record(record.kind),
            Some(record.id.clone()),
            base.clone(),
            base,
            ws,
            today,
        );
        form.origin = Some((record.path.clone(), record.content_hash));
        form
    }

    /// A form over `values`, validated, the cursor on the first field after the id (on an
    /// edit the id is fixed; on a new record it is proposed).
    fn open(
        subject: Subject,
        original: Option<String>,
        base: Map,
        values: Map,
        ws: &Workspace,
        today: Date,
    ) -> Form {
        // The settings have no id: their form starts on the first field.
        let cursor = match subject {
            Subject::Record(_) => 1,
            Subject::Settings => 0,
        };
        let mut f = Form {
            subject,
            original,
            base,
            initial: values.clone(),
            values,
            link_nc: None,
            levels: vec![Level::Fields {
                specs: subject.fields(),
                path: vec![],
                cursor,
            }],
            editor: None,
            dialog: None,
            findings: Vec::new(),
            message: None,
            touched: Default::default(),
            tried_save: false,
            banner: None,
            over: None,
            origin: None,
            drafted: Map::new(),
            today,
            after_save: Vec::new(),
            next: None,
            create_next: false,
            wants_new: None,
        };
        f.drafted = f.values.clone();
        f.validate(ws, today);
        f
    }

    /// A form for a new record: the next free id, and the obvious defaults filled in.
    pub fn create(kind: RecordType, ws: &Workspace, user: Option<&str>, today: Date) -> Form {
        let id =
            crate::domain::ids::next_id(kind.prefix(), ws.records.iter().map(|r| r.id.as_str()));
        let mut values = crate::rules::defaults::new_record(kind, &id, user, today);
        crate::rules::defaults::from_workspace(kind, &mut values, &ws.settings, &ws.records);
        if kind == RecordType::Audit {
            crate::rules::audit::plan(&mut values, ws, user);
        }
        Form::open(Subject::Record(kind), None, Map::new(), values, ws, today)
    }

    /// A form for a new record, as `create`, from the app's context.
    pub fn create_in(kind: RecordType, cx: &Ctx) -> Form {
        Form::create(kind, cx.ws, cx.user, cx.today)
    }

    /// The form on the workspace's settings (aims.yaml), its cursor on field `at` when
    /// given; or why it cannot open.
    pub fn settings(cx: &Ctx, at: Option<&str>) -> Result<Form, String> {
        let (ws, today) = (cx.ws, cx.today);
        let Some((map, hash)) = &ws.settings_file else {
            return Err(
                "aims.yaml could not be read, so it is not edited here: fix it by hand first (see Problems)"
                    .into(),
            );
        };
        let mut form = Form::open(
            Subject::Settings,
            Some(crate::domain::settings::SETTINGS_FILE.into()),
            map.clone(),
            map.clone(),
            ws,
            today,
        );
        // The version the edit starts from: what a settings draft is checked against.
        form.origin = Some((crate::domain::settings::SETTINGS_FILE.into(), *hash));
        if let Level::Fields { specs, cursor, .. } = &mut form.levels[0]
            && let Some(i) = specs.iter().position(|f| Some(f.name) == at)
        {
            *cursor = i;
        }
        Ok(form)
    }

    pub fn id(&self) -> String {
        self.values.text("id").unwrap_or_default()
    }

    /// Whether the user changed anything since the form opened.
    pub fn dirty(&self) -> bool {
        self.values != self.initial
    }

    /// What saving this form asks of the app.
    pub fn request(&self) -> SaveRequest {
        SaveRequest {
            subject: self.subject,
            original: self.original.clone(),
            values: self.values.clone(),
            base: self.base.clone(),
            link_nc: self.link_nc.clone(),
            over: self.over,
            then: self.next.filter(|_| self.create_next),
        }
    }

    /// The findings that refuse a save (errors another record cures are not among them).
    pub fn errors(&self) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| crate::rules::registry::blocks_save(f))
            .collect()
    }

    /// Re-runs the record's rules on the form's values (and, for a new record, the id).
    pub fn validate(&mut self, ws: &Workspace, today: Date) {
        let kind = match self.subject {
            Subject::Record(kind) => kind,
            Subject::Settings => {
                self.findings =
                    crate::rules::settings::validate(&self.base, &self.values, &ws.records);
                return;
            }
        };
        let id = self.id();
        let record = Record {
            kind,
            id: id.clone(),
            fields: self.values.clone(),
            path: std::path::PathBuf::from(kind.dir()).join(format!("{id}.yaml")),
            content_hash: 0,
        };
        let mut findings = validate_record(&record, &crate::rules::Ctx { view: ws, today });
        if self.original.is_none() && (ws.get(&id).is_some() || ws.root.join(&record.path).exists())
        {
            findings.push(
                Finding::error(
                    &record.path,
                    format!("id `{}` is taken: choose another", one_line(&id)),
                )
                .field("id")
                .code("record-id"),
            );
        }
        self.findings = findings;
    }

    // ---- navigation -----------------------------------------------------------------------

    pub fn level(&self) -> &Level {
        &self.levels[self.levels.len() - 1]
    }

    fn level_mut(&mut self) -> &mut Level {
        let n = self.levels.len() - 1;
        &mut self.levels[n]
    }

    /// The map a path leads to.
    pub fn map_at(&self, path: &[Step]) -> Option<&Map> {
        let mut map = &self.values;
        let mut i = 0;
        while i < path.len() {
            match (&path[i], path.get(i + 1)) {
                (Step::Field(name), Some(Step::Index(n))) => {
                    map = map.get(name)?.as_list()?.get(*n)?.as_map()?;
                    i += 2;
                }
                (Step::Field(name), _) => {
                    map = map.get(name)?.as_map()?;
                    i += 1;
                }
                _ => return None,
            }
        }
        Some(map)
    }

    fn map_at_mut(&mut self, path: &[Step]) -> Option<&mut Map> {
        map_at_path_mut(&mut self.values, path)
    }

    /// How findings name a field at this path: `checklist[3].result`, `due_diligence.ip_terms`.
    pub fn field_name(path: &[Step], field: &str) -> String {
        let mut out = String::new();
        for step in path {
            match step {
                Step::Field(f) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(f);
                }
                Step::Index(i) => out.push_str(&format!("[{}]", i + 1)),
            }
        }
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(field);
        out
    }

    /// The findings about a field (and anything inside it).
    pub fn findings_for(&self, path: &[Step], field: &str) -> Vec<&Finding> {
        let name = Form::field_name(path, field);
        self.findings
            .iter()
            .filter(|f| {
                f.field.as_deref().is_some_and(|x| {
                    x == name
                        || x.starts_with(&format!("{name}["))
                        || x.starts_with(&format!("{name}."))
                })
            })
            .collect()
    }

    /// The current row's field (on a Fields level).
    pub fn current_field(&self) -> Option<(&'static FieldSpec, Vec<Step>)> {
        match self.level() {
            Level::Fields {
                specs,
                path,
                cursor,
            } => specs.get(*cursor).map(|f| (*f, path.clone())),
            Level::List { .. } => None,
        }
    }

    fn rows(&self) -> usize {
        match self.level() {
            Level::Fields { specs, .. } => specs.len(),
            Level::List { field, path, .. } => {
                self.map_at(path).map_or(0, |m| m.list(field.name).len())
            }
        }
    }

    fn move_cursor(&mut self, delta: isize) {
        let n = self.rows();
        let cursor = match self.level_mut() {
            Level::Fields { cursor, .. } | Level::List { cursor, .. } => cursor,
        };
        *cursor = if n == 0 {
            0
        } else {
            (*cursor as isize + delta).rem_euclid(n as isize) as usize
        };
    }

    // ---- keys -----------------------------------------------------------------------------

    /// Handles a key; the app acts on the outcome (saving needs the workspace mutably).
    pub fn on_key(&mut self, key: KeyEvent, ws: &Workspace, today: Date) -> FormOutcome {
        if let Some(Dialog::Conflict(clash)) = &mut self.dialog {
            let unpicked = clash.unpicked_besides_cursor();
            let answer = clash.on_key(keys::action_in(&key, Scope::Conflict));
            return self.after_clash(answer, unpicked, ws, today);
        }
        if let Some(dialog) = self.dialog.clone() {
            return self.on_dialog_key(dialog, key);
        }
        if self.editor.is_some() {
            if keys::action_in(&key, Scope::Form) == Some(Action::Save) {
                self.commit_editor(today);
                self.validate(ws, today);
                return self.try_save();
            }
            self.on_editor_key(key, ws, today);
            return FormOutcome::Stay;
        }
        self.message = None;
        let in_list = matches!(self.level(), Level::List { .. });
        let scope = if in_list {
            Scope::FormList
        } else {
            Scope::Form
        };
        let Some(action) = keys::action_in(&key, scope) else {
            return FormOutcome::Stay;
        };
        match action {
            Action::Save => return self.try_save(),
            Action::Up => self.move_cursor(-1),
            Action::Down => self.move_cursor(1),
            Action::Back => {
                if self.levels.len() > 1 {
                    self.levels.pop();
                } else if self.dirty() {
                    self.dialog = Some(Dialog::Leave);
                } else {
                    return FormOutcome::Close;
                }
            }
            Action::Open => self.open_row(ws),
            Action::ClearField => self.clear_row(),
            Action::Toggle => self.toggle_bool(),
            Action::AddItem => self.add_item(),
            Action::RemoveItem => self.remove_item(),
            Action::MoveItemUp => self.move_item(-1),
            Action::MoveItemDown => self.move_item(1),
            _ => return FormOutcome::Stay,
        }
        self.validate(ws, today);
        FormOutcome::Stay
    }

    fn try_save(&mut self) -> FormOutcome {
        self.tried_save = true;
        let errors: Vec<String> = self.errors().iter().map(|f| one_line(&f.message)).collect();
        if !errors.is_empty() {
            self.dialog = Some(Dialog::Errors(errors));
            return FormOutcome::Stay;
        }
        let warnings: Vec<String> = self
            .findings
            .iter()
            .filter(|f| !f.is_error())
            .map(|f| one_line(&f.message))
            .collect();
        let after: Vec<&Finding> = (self.findings.iter())
            .filter(|f| crate::rules::registry::to_do_after_save(f))
            .collect();
        self.after_save = after.iter().map(|f| one_line(&f.message)).collect();
        self.next = match self.subject {
            Subject::Record(RecordType::System) => after.iter().find_map(|f| next_for(f.code)),
            _ => None,
        };
        self.create_next = false;
        if !warnings.is_empty() || !self.after_save.is_empty() {
            self.dialog = Some(Dialog::Warnings(warnings));
            return FormOutcome::Stay;
        }
        FormOutcome::Save
    }

    fn on_dialog_key(&mut self, dialog: Dialog, key: KeyEvent) -> FormOutcome {
        let action = keys::action_in(&key, Scope::Dialog);
        let outcome = match (dialog, action) {
            // Any key leaves the list of errors.
            (Dialog::Errors(_), _) => FormOutcome::Stay,
            (_, None) => return FormOutcome::Stay,
            (Dialog::Leave, Some(Action::Save)) => {
                self.dialog = None;
                return self.try_save();
            }
            (Dialog::Leave, Some(Action::Discard)) => FormOutcome::Close,
            (Dialog::Warnings(_), Some(Action::Yes)) => FormOutcome::Save,
            (Dialog::Warnings(_), Some(Action::CreateNext)) if self.next.is_some() => {
                self.create_next = true;
                FormOutcome::Save
            }
            (_, Some(Action::Back)) => FormOutcome::Stay,
            // A key of the scope that this dialog does not ask for.
            _ => return FormOutcome::Stay,
        };
        self.dialog = None;
        outcome
    }

    /// What a key in the conflict dialog leads to.
    fn after_clash(
        &mut self,
        answer: ClashKey,
        unpicked: Vec<String>,
        ws: &Workspace,
        today: Date,
    ) -> FormOutcome {
        match answer {
            ClashKey::Stay => return FormOutcome::Stay,
            ClashKey::Cancel => {}
            ClashKey::SaveAsNew => {
                self.dialog = None;
                return FormOutcome::SaveAsNew;
            }
            ClashKey::Save { theirs, fields } => {
                self.adopt(theirs, fields, ws, today);
                return self.try_save();
            }
            ClashKey::Edit {
                theirs,
                fields,
                field,
            } => {
                self.adopt(theirs, fields, ws, today);
                self.levels.truncate(1);
                if let Level::Fields { specs, cursor, .. } = &mut self.levels[0]
                    && let Some(i) = specs.iter().position(|f| f.name == field)
                {
                    *cursor = i;
                }
                self.open_row(ws);
                if !unpicked.is_empty() {
                    self.message = Some(format!(
                        "merged with theirs; mine kept for {} too · Ctrl-S saves",
                        unpicked.join(", ")
                    ));
                }
            }
        }
        self.dialog = None;
        FormOutcome::Stay
    }

    /// The form now stands on `theirs` (the version on disk) with the merged values.
    fn adopt(
        &mut self,
        theirs: crate::workspace::rebase::OnDisk,
        fields: Map,
        ws: &Workspace,
        today: Date,
    ) {
        self.dialog = None;
        self.base = theirs.fields;
        self.over = Some(theirs.hash);
        if let Some((_, hash)) = &mut self.origin {
            *hash = theirs.hash;
        }
        self.values = fields;
        self.banner = None;
        self.validate(ws, today);
    }

    /// Enter on a row: open the editor of its kind, or step into a list or group.
    fn open_row(&mut self, ws: &Workspace) {
        match self.level().clone() {
            Level::List {
                path,
                cursor,
                field,
                sub,
            } => {
                if cursor < self.map_at(&path).map_or(0, |m| m.list(field.name).len()) {
                    let mut item_path = path.clone();
                    item_path.push(Step::Field(field.name));
                    item_path.push(Step::Index(cursor));
                    self.levels.push(Level::Fields {
                        specs: sub.iter().collect(),
                        path: item_path,
                        cursor: 0,
                    });
                }
            }
            Level::Fields {
                specs,
                path,
                cursor,
            } => {
                let Some(f) = specs.get(cursor).copied() else {
                    return;
                };
                if f.name == "id"
                    && self.original.is_some()
                    && path.is_empty()
                    && self.subject != Subject::Settings
                {
                    self.message =
                        Some("the id is the file name: it cannot change once saved".into());
                    return;
                }
                let current = self.map_at(&path).and_then(|m| m.get(f.name)).cloned();
                let text = current
                    .as_ref()
                    .and_then(Value::as_text)
                    .unwrap_or_default();
                // A list read the way the checker reads it: one scalar is a one-item list.
                let list_texts: Vec<String> = match &current {
                    Some(Value::List(items)) => items.iter().filter_map(Value::as_text).collect(),
                    Some(v) => v.as_text().into_iter().collect(),
                    None => Vec::new(),
                };
                // A value of the wrong shape is reported, never replaced by stepping in.
                let wrong_shape = match (f.kind, &current) {
                    (FieldKind::Group(_), Some(v)) => !matches!(v, Value::Map(_) | Value::Null),
                    (FieldKind::Table(_) | FieldKind::Links, Some(v)) => {
                        !matches!(v, Value::List(_) | Value::Null)
                    }
                    _ => false,
                };
                if wrong_shape {
                    self.message = Some(format!(
                        "{} holds {} in the file: fix it there (the checker says how)",
                        f.label,
                        current.as_ref().map_or("nothing", Value::shape)
                    ));
                    return;
                }
                let single = |text: String| {
                    if text.is_empty() {
                        Vec::new()
                    } else {
                        vec![text]
                    }
                };
                self.editor = match f.kind {
                    FieldKind::Text => Some(Editor::Line {
                        input: TextInput::line(&text),
                        date: false,
                    }),
                    FieldKind::Date => Some(Editor::Line {
                        input: TextInput::line(&text),
                        date: true,
                    }),
                    FieldKind::Number => Some(Editor::Line {
                        input: TextInput::line(&text),
                        date: false,
                    }),
                    FieldKind::LongText => Some(Editor::Area {
                        input: TextInput::area(&text),
                        list: false,
                    }),
                    FieldKind::TextList => Some(Editor::Area {
                        input: TextInput::area(&list_texts.join("\n")),
                        list: true,
                    }),
                    // Enter asks (Space flips without asking): a yes/no is never changed by
                    // accident while moving through the form.
                    FieldKind::Bool => {
                        let now = match current {
                            Some(Value::Bool(true)) => vec!["yes".to_string()],
                            Some(Value::Bool(false)) => vec!["no".to_string()],
                            _ => Vec::new(),
                        };
                        let options = vec![
                            ("yes".to_string(), f.help.to_string()),
                            ("no".to_string(), String::new()),
                        ];
                        Some(Editor::Pick(Picker::new(options, false, now)))
                    }
                    FieldKind::Enum(choices) => Some(Editor::Pick(Picker::new(
                        choice_options(choices),
                        false,
                        single(text),
                    ))),
                    FieldKind::EnumList(choices) => Some(Editor::Pick(Picker::new(
                        choice_options(choices),
                        true,
                        list_texts,
                    ))),
                    FieldKind::Score(scale) => Some(Editor::Pick(Picker::new(
                        score_options(ws, scale),
                        false,
                        single(text),
                    ))),
                    FieldKind::Person => Some(Editor::Pick(Picker::new(
                        self.person_options(ws),
                        false,
                        single(text),
                    ))),
                    FieldKind::PersonList => Some(Editor::Pick(Picker::new(
                        self.person_options(ws),
                        true,
                        list_texts,
                    ))),
                    FieldKind::Ref(types) => Some(Editor::Pick(
                        Picker::new(record_options(ws, types), false, single(text)).creating(types),
                    )),
                    FieldKind::RefList(types) => Some(Editor::Pick(
                        Picker::new(record_options(ws, types), true, list_texts).creating(types),
                    )),
                    FieldKind::Catalog(scope) => Some(Editor::Pick(Picker::new(
                        catalog_options(scope),
                        false,
                        single(text),
                    ))),
                    FieldKind::CatalogList(scope) => Some(Editor::Pick(Picker::new(
                        catalog_options(scope),
                        true,
                        list_texts,
                    ))),
                    FieldKind::Links => {
                        self.enter_list(f, &crate::rules::specs::LINK_FIELDS, path);
                        None
                    }
                    FieldKind::Table(sub) => {
                        self.enter_list(f, sub, path);
                        None
                    }
                    FieldKind::Group(sub) => {
                        if let Some(m) = self.map_at_mut(&path)
                            && !matches!(m.get(f.name), Some(Value::Map(_)))
                        {
                            m.set(f.name, Value::Map(Map::new()));
                        }
                        let mut group_path = path.clone();
                        group_path.push(Step::Field(f.name));
                        self.levels.push(Level::Fields {
                            specs: sub.iter().collect(),
                            path: group_path,
                            cursor: 0,
                        });
                        None
                    }
                };
            }
        }
    }

    fn enter_list(&mut self, f: &'static FieldSpec, sub: &'static [FieldSpec], path: Vec<Step>) {
        if let Some(m) = self.map_at_mut(&path)
            && !matches!(m.get(f.name), Some(Value::List(_)))
        {
            m.set(f.name, Value::List(Vec::new()));
        }
        self.levels.push(Level::List {
            field: f,
            sub,
            path,
            cursor: 0,
        });
    }

    fn set_current(&mut self, value: Option<Value>) {
        let Some((f, path)) = self.current_field() else {
            return;
        };
        self.touched.insert(Form::field_name(&path, f.name));
        if let Some(m) = self.map_at_mut(&path) {
            match value {
                Some(v) if !v.is_empty() => m.set(f.name, v),
                _ => {
                    m.remove(f.name);
                }
            }
        }
    }

    fn clear_row(&mut self) {
        match self.current_field() {
            Some((f, path)) if f.name == "id" && path.is_empty() => {
                self.message = Some("a record needs its id".into());
            }
            Some(_) => self.set_current(None),
            None => {}
        }
    }

    fn toggle_bool(&mut self) {
        let Some((f, path)) = self.current_field() else {
            return;
        };
        if !matches!(f.kind, FieldKind::Bool) {
            return;
        }
        let now = self.map_at(&path).and_then(|m| m.bool(f.name));
        self.set_current(Some(Value::Bool(!now.unwrap_or(false))));
    }

    fn list_mut(&mut self) -> Option<(&mut Vec<Value>, &mut usize)> {
        let n = self.levels.len() - 1;
        let Level::List { field, path, .. } = self.levels[n].clone() else {
            return None;
        };
        // Split the borrow: the list lives in `values`, the cursor in `levels`.
        let levels = &mut self.levels;
        let map = map_at_path_mut(&mut self.values, &path)?;
        let list = match map.get_mut(field.name)? {
            Value::List(items) => items,
            _ => return None,
        };
        match &mut levels[n] {
            Level::List { cursor, .. } => Some((list, cursor)),
            Level::Fields { .. } => None,
        }
    }

    fn add_item(&mut self) {
        let Some((list, cursor)) = self.list_mut() else {
            return;
        };
        list.push(Value::Map(Map::new()));
        *cursor = list.len() - 1;
        // Straight into the new item's fields.
        if let Level::List {
            field, sub, path, ..
        } = self.level().clone()
        {
            let mut item_path = path;
            item_path.push(Step::Field(field.name));
            item_path.push(Step::Index(self.rows() - 1));
            self.levels.push(Level::Fields {
                specs: sub.iter().collect(),
                path: item_path,
                cursor: 0,
            });
        }
    }

    fn remove_item(&mut self) {
        let Some((list, cursor)) = self.list_mut() else {
            return;
        };
        if *cursor < list.len() {
            list.remove(*cursor);
            *cursor = (*cursor).min(list.len().saturating_sub(1));
        }
    }

    fn move_item(&mut self, delta: isize) {
        let Some((list, cursor)) = self.list_mut() else {
            return;
        };
        let to = *cursor as isize + delta;
        if *cursor < list.len() && to >= 0 && (to as usize) < list.len() {
            list.swap(*cursor, to as usize);
            *cursor = to as usize;
        }
    }

    // ---- editors --------------------------------------------------------------------------

    fn on_editor_key(&mut self, key: KeyEvent, ws: &Workspace, today: Date) {
        let Some(editor) = self.editor.as_mut() else {
            return;
        };
        match editor {
            Editor::Line { input, date } => match keys::action_in(&key, Scope::Prompt) {
                // Enter and Esc both keep what was typed, as in long-text fields: leaving a
                // field never throws text away. Enter goes on to the next field.
                Some(action @ (Action::Open | Action::Back)) => {
                    let text = input.text();
                    if *date && !text.trim().is_empty() && parse_relative(&text, today).is_none() {
                        self.message =
                            Some("write a date as YYYY-MM-DD, or t, +7d, +2w, +3m, +1y".into());
                        return;
                    }
                    self.commit_editor(today);
                    self.validate(ws, today);
                    if action == Action::Open {
                        self.advance();
                    }
                }
                _ => {
                    input.on_key(&key);
                }
            },
            Editor::Area { input, .. } => {
                // Esc keeps the text and stays on the field (Enter is a new line here).
                if keys::action_in(&key, Scope::Prompt) == Some(Action::Back) {
                    self.commit_editor(today);
                    self.validate(ws, today);
                } else {
                    input.on_key(&key);
                }
            }
            Editor::Pick(p) => {
                if p.filtering {
                    // Typed letters filter; arrows still move; Enter takes, Esc clears.
                    match keys::action_in(&key, Scope::Prompt) {
                        Some(Action::Back) => {
                            p.filtering = false;
                            p.query = TextInput::line("");
                            p.refilter();
                        }
                        // In a list of several, Enter ends the filter: Space ticks next.
                        Some(Action::Open) if p.multi => p.filtering = false,
                        Some(Action::Open) => self.pick(ws, today),
                        _ => match keys::action_in(&key, Scope::TextInput) {
                            Some(Action::Up) => p.cursor = p.cursor.saturating_sub(1),
                            Some(Action::Down) => {
                                p.cursor = (p.cursor + 1).min(p.shown.len().saturating_sub(1))
                            }
                            _ => {
                                if p.query.on_key(&key) == Edit::Changed {
                                    p.refilter();
                                }
                            }
                        },
                    }
                    return;
                }
                let Some(Editor::Pick(p)) = self.editor.as_mut() else {
                    return;
                };
                match keys::action_in(&key, Scope::Picker) {
                    Some(Action::Up) => p.cursor = p.cursor.saturating_sub(1),
                    Some(Action::Down) => {
                        p.cursor = (p.cursor + 1).min(p.shown.len().saturating_sub(1))
                    }
                    Some(Action::Filter) => p.filtering = true,
                    Some(Action::Back) => {
                        if p.query.is_empty() {
                            self.editor = None;
                        } else {
                            p.query = TextInput::line("");
                            p.refilter();
                        }
                    }
                    Some(Action::Tick) if p.multi => {
                        if let Some(&i) = p.shown.get(p.cursor) {
                            let v = p.options[i].0.clone();
                            match p.chosen.iter().position(|c| *c == v) {
                                Some(at) => {
                                    p.chosen.remove(at);
                                }
                                None => p.chosen.push(v),
                            }
                        }
                    }
                    Some(Action::Open) => self.pick(ws, today),
                    Some(Action::New) if p.creates.is_some() => self.wants_new = p.creates,
                    // A digit takes the entry of that number in a numbered list ("4 Likely").
                    None => {
                        if let Some(at) = p.numbered(&key) {
                            p.cursor = at;
                            if !p.multi {
                                self.pick(ws, today);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Enter in a picker: take the highlighted choice (or the ticked ones).
    fn pick(&mut self, ws: &Workspace, today: Date) {
        let Some(Editor::Pick(p)) = self.editor.as_mut() else {
            return;
        };
        if p.shown.is_empty() && (!p.multi || p.chosen.is_empty()) {
            self.message =
                Some("nothing matches: change the filter, or Esc to keep the value".into());
            return;
        }
        if !p.multi {
            p.chosen = p
                .shown
                .get(p.cursor)
                .map(|&i| p.options[i].0.clone())
                .into_iter()
                .collect();
        } else if p.chosen.is_empty()
            && let Some(&i) = p.shown.get(p.cursor)
        {
            // Enter on a list with nothing ticked takes the highlighted one.
            p.chosen.push(p.options[i].0.clone());
        }
        self.commit_editor(today);
        self.suggest_from_system(ws);
        self.imply_from_status();
        self.validate(ws, today);
        self.advance();
    }

    /// Pasted text lands in the open editor as one edit. Single-line fields refuse control
    /// characters; long text keeps newlines and drops the rest.
    pub fn on_paste(&mut self, text: &str, ws: &Workspace, today: Date) {
        match self.editor.as_mut() {
            Some(Editor::Line { input, .. }) => {
                if let Err(e) = input.paste(text) {
                    self.message = Some(e);
                }
            }
            Some(Editor::Area { input, .. }) => {
                let _ = input.paste(text);
            }
            Some(Editor::Pick(p)) => {
                p.filtering = true;
                let _ = p.query.paste(&one_line(text));
                p.refilter();
            }
            None => {}
        }
        self.validate(ws, today);
    }

    /// Writes the open editor's value into the field and closes it.
    fn commit_editor(&mut self, today: Date) {
        let Some(editor) = self.editor.take() else {
            return;
        };
        if let Some(value) = self.editor_value(&editor, today) {
            self.set_current(value);
        }
    }

    /// What the open `editor` holds for the current field, when it differs from the field's
    /// value: `Some(None)` clears the field. `None`: left as it was.
    fn editor_value(&self, editor: &Editor, today: Date) -> Option<Option<Value>> {
        // A field opened and left as it was is not changed: no `'2'` for `2`, no lost
        // trailing newline of a block scalar, no "you changed" for nothing.
        let current = self
            .current_field()
            .and_then(|(f, path)| self.map_at(&path)?.get(f.name).cloned());
        let current_text = current
            .as_ref()
            .and_then(Value::as_text)
            .unwrap_or_default();
        let current_list: Vec<String> = match &current {
            Some(Value::List(items)) => items.iter().filter_map(Value::as_text).collect(),
            Some(v) => v.as_text().into_iter().collect(),
            None => Vec::new(),
        };
        let unchanged = match editor {
            Editor::Line { input, .. } => input.text().trim() == current_text.trim(),
            Editor::Area { input, list: false } => {
                input.text().trim_end() == current_text.trim_end()
            }
            Editor::Area { input, list: true } => {
                let lines: Vec<String> = input
                    .lines()
                    .iter()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect();
                lines == current_list
            }
            Editor::Pick(_) => false,
        };
        if unchanged {
            return None;
        }
        let value = match editor {
            Editor::Line { input, date: true } => {
                parse_relative(&input.text(), today).map(|d| Value::str(d.to_string()))
            }
            Editor::Line { input, .. }
                if self
                    .current_field()
                    .is_some_and(|(f, _)| matches!(f.kind, FieldKind::Number)) =>
            {
                // A number is written as a number (`max: 9`, not `max: '9'`); what does not
                // read as one stays text, and the checker says so beside the field.
                let text = input.text();
                Some(match text.trim().parse::<i64>() {
                    Ok(n) => Value::Int(n),
                    Err(_) => Value::str(text.trim()),
                })
            }
            Editor::Line { input, .. } => Some(Value::str(input.text().trim())),
            Editor::Area { input, list: false } => {
                let text = input.text();
                let text: String = text
                    .chars()
                    .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
                    .collect();
                // The final line break of a block (`description: >` ends its text with
                // one) is not shown for editing; it is kept, so the value read back is
                // the text typed and the block keeps its header.
                let ending = if current_text.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                Some(Value::str(format!("{}{ending}", text.trim_end())))
            }
            Editor::Area { input, list: true } => Some(Value::List(
                input
                    .lines()
                    .iter()
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty())
                    .map(Value::str)
                    .collect(),
            )),
            Editor::Pick(p) => {
                let (f, _) = self.current_field()?;
                match f.kind {
                    FieldKind::Bool => p.chosen.first().map(|v| Value::Bool(v == "yes")),
                    FieldKind::Score(_) => p
                        .chosen
                        .first()
                        .and_then(|v| v.parse::<i64>().ok())
                        .map(Value::Int),
                    _ if p.multi => Some(Value::List(
                        p.chosen.iter().map(|c| Value::str(c.as_str())).collect(),
                    )),
                    _ => p.chosen.first().map(|c| Value::str(c.as_str())),
                }
            }
        };
        Some(value)
    }

    /// The form's values with what is being typed in the open field: what a draft keeps, so
    /// a dropped connection loses no more than the last second of typing. A date still
    /// being typed keeps the field's value until it reads as a date.
    pub fn typed_values(&self) -> Map {
        let mut values = self.values.clone();
        let Some(editor) = &self.editor else {
            return values;
        };
        if matches!(editor, Editor::Line { date: true, .. }) {
            return values;
        }
        let (Some(value), Some((f, path))) =
            (self.editor_value(editor, self.today), self.current_field())
        else {
            return values;
        };
        if let Some(m) = map_at_path_mut(&mut values, &path) {
            match value {
                Some(v) if !v.is_empty() => m.set(f.name, v),
                _ => {
                    m.remove(f.name);
                }
            }
        }
        values
    }

    /// The fields whose values differ from when the form opened.
    pub fn changed_fields(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .values
            .keys()
            .chain(self.base.keys())
            .map(str::to_string)
            .collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter(|k| self.values.get(k) != self.base.get(k))
            .collect()
    }
}

fn choice_options(choices: Choices) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|(v, m)| (v.to_string(), m.to_string()))
        .collect()
}

fn score_options(ws: &Workspace, scale: Scale) -> Vec<(String, String)> {
    let labels = match scale {
        Scale::Likelihood => &ws.settings.risk.likelihood,
        Scale::Impact => &ws.settings.risk.impact,
    };
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| ((i + 1).to_string(), l.clone()))
        .collect()
}

impl Form {
    /// The people a person field may name: the workspace's, or on the Settings form the
    /// people being edited (a person just added can be made top management or a deputy).
    fn person_options(&self, ws: &Workspace) -> Vec<(String, String)> {
        let editing;
        let people = match self.subject {
            Subject::Settings => {
                editing = crate::domain::Settings::from_map(&self.values).0.people;
                &editing
            }
            Subject::Record(_) => &ws.settings.people,
        };
        people
            .iter()
            .map(|p| (p.id.clone(), format!("{} — {}", p.name, p.role)))
            .collect()
    }
}

fn record_options(ws: &Workspace, types: &[RecordType]) -> Vec<(String, String)> {
    ws.records
        .iter()
        .filter(|r| types.contains(&r.kind))
        .map(|r| (r.id.clone(), r.title()))
        .collect()
}

fn catalog_options(scope: CatalogScope) -> Vec<(String, String)> {
    let items: Vec<_> = match scope {
        CatalogScope::Control => catalog::CONTROLS.iter().collect(),
        CatalogScope::ClauseOrControl => catalog::all().collect(),
    };
    items
        .into_iter()
        .map(|c| (c.id.to_string(), c.title.to_string()))
        .collect()
}

/// The value of a field as one line for its row.
pub fn display(ws: &Workspace, f: &FieldSpec, v: Option<&Value>, map: &Map) -> String {
    let Some(v) = v else { return String::new() };
    let text = |s: &str| one_line(s);
    match (f.kind, v) {
        (FieldKind::Bool, Value::Bool(b)) => if *b { "yes" } else { "no" }.into(),
        (FieldKind::Person, _) => {
            let id = v.as_text().unwrap_or_default();
            match ws.settings.person(&id) {
                Some(p) => format!("{id} · {}", text(&p.name)),
                None => text(&id),
            }
        }
        (FieldKind::Ref(_), _) => {
            let id = v.as_text().unwrap_or_default();
            match ws.get(&id) {
                Some(r) => format!("{id} · {}", text(&r.title())),
                None => text(&id),
            }
        }
        (FieldKind::Catalog(_), _) => {
            let id = v.as_text().unwrap_or_default();
            match catalog::find(&id) {
                Some(c) => format!("{id} · {}", c.title),
                None => text(&id),
            }
        }
        (FieldKind::Score(scale), _) => {
            let n = v.as_int().unwrap_or(0);
            let labels = match scale {
                Scale::Likelihood => &ws.settings.risk.likelihood,
                Scale::Impact => &ws.settings.risk.impact,
            };
            let label = usize::try_from(n.saturating_sub(1))
                .ok()
                .and_then(|i| labels.get(i))
                .cloned()
                .unwrap_or_default();
            // The impact row shows the live score and band of its pair.
            let pair = match f.name {
                "impact" => Some(("likelihood", "impact")),
                "residual_impact" => Some(("residual_likelihood", "residual_impact")),
                _ => None,
            };
            let score = pair
                .and_then(|(l, i)| map.int(l)?.checked_mul(map.int(i)?))
                .filter(|s| *s > 0 && *s <= 10_000);
            match score {
                Some(s) => format!(
                    "{n} · {} → score {s} ({})",
                    text(&label),
                    text(ws.settings.risk.band(s as u32))
                ),
                None => format!("{n} · {}", text(&label)),
            }
        }
        (FieldKind::Table(_) | FieldKind::Links, Value::List(items)) => {
            format!(
                "{} item{} ›",
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            )
        }
        (FieldKind::Group(_), Value::Map(m)) => format!("{} of its fields filled ›", m.len()),
        (_, Value::List(items)) => text(
            &items
                .iter()
                .filter_map(Value::as_text)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (_, v) => {
            let t = v.as_text().unwrap_or_default();
            let first = t.lines().next().unwrap_or_default().to_string();
            if t.lines().count() > 1 {
                format!("{}…", text(&first))
            } else {
                text(&first)
            }
        }
    }
}

impl Form {
    /// Whether a missing-field finding should show as an error yet (see `touched`).
    pub fn shows_missing(&self, path: &[Step], field: &str) -> bool {
        self.tried_save
            || self.original.is_some()
            || self.touched.contains(&Form::field_name(path, field))
    }
}

impl Form {
    /// After a field is filled, on to the next one: a form is filled top to bottom.
    fn advance(&mut self) {
        if let Level::Fields { specs, cursor, .. } = self.level_mut()
            && *cursor + 1 < specs.len()
        {
            *cursor += 1;
        }
    }
}

impl Form {
    /// An impact assessment starts from what the system's record says it is for.
    fn suggest_from_system(&mut self, ws: &Workspace) {
        if self.subject != Subject::Record(RecordType::ImpactAssessment)
            || !self.values.is_blank("intended_use")
        {
            return;
        }
        let purpose = self
            .values
            .text("system")
            .and_then(|id| ws.get(&id))
            .and_then(|s| s.fields.text("purpose"));
        if let Some(purpose) = purpose {
            self.values.set("intended_use", Value::str(purpose));
        }
    }
}

impl Form {
    /// An SoA status says what it can about applicability (implemented ⇒ applies, excluded
    /// ⇒ does not): set as the user picks it, and said in the form's message line.
    fn imply_from_status(&mut self) {
        if self.subject != Subject::Record(RecordType::Soa) || self.levels.len() > 1 {
            return;
        }
        if crate::rules::soa::apply_implied(&mut self.values) {
            let status = self.values.text("status").unwrap_or_default();
            let yes = self.values.bool("applicable") == Some(true);
            self.touched.insert("applicable".into());
            self.message = Some(format!(
                "Applicable set to {}, as the status {status} implies",
                if yes { "yes" } else { "no" },
            ));
        }
    }
}

/// The map a path leads to, mutably: `[Field("checklist"), Index(2)]` is the third item.
fn map_at_path_mut<'a>(values: &'a mut Map, path: &[Step]) -> Option<&'a mut Map> {
    let mut map = values;
    let mut i = 0;
    while i < path.len() {
        match (&path[i], path.get(i + 1)) {
            (Step::Field(name), Some(Step::Index(n))) => {
                map = match map.get_mut(name)? {
                    Value::List(items) => match items.get_mut(*n)? {
                        Value::Map(m) => m,
                        _ => return None,
                    },
                    _ => return None,
                };
                i += 2;
            }
            (Step::Field(name), _) => {
                map = match map.get_mut(name)? {
                    Value::Map(m) => m,
                    _ => return None,
                };
                i += 1;
            }
            _ => return None,
        }
    }
    Some(map)
}

impl Component for Form {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        // `?` opens the help where it is not text.
        if self.editor.is_none()
            && self.dialog.is_none()
            && keys::action_for(key, &[]) == Some(Action::Help)
        {
            return Outcome::Ignored;
        }
        match Form::on_key(self, *key, cx.ws, cx.today) {
            FormOutcome::Stay => match self.wants_new.take() {
                Some(kind) => Outcome::Consumed(vec![Effect::NewRecord(kind)]),
                None => Outcome::done(),
            },
            // Left (discarded, or nothing changed): its draft goes too.
            FormOutcome::Close => {
                Outcome::Close(vec![Effect::Draft(DraftOp::Drop(self.draft_key()))])
            }
            FormOutcome::Save => Outcome::Consumed(vec![Effect::SaveForm(self.request())]),
            FormOutcome::SaveAsNew => {
                let Subject::Record(kind) = self.subject else {
                    return Outcome::done();
                };
                let id = crate::domain::ids::next_id(
                    kind.prefix(),
                    cx.ws.records.iter().map(|r| r.id.as_str()),
                );
                self.values.set("id", Value::str(id));
                self.original = None;
                self.validate(cx.ws, cx.today);
                Outcome::Consumed(vec![Effect::SaveForm(self.request())])
            }
        }
    }
    fn on_paste(&mut self, text: &str, cx: &Ctx) -> Outcome {
        Form::on_paste(self, text, cx.ws, cx.today);
        Outcome::done()
    }
    fn draw(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, cx: &Ctx) {
        draw::draw(frame, cx, self, area);
    }
    fn hints(&self) -> Vec<(String, String)> {
        match &self.dialog {
            Some(Dialog::Conflict(clash)) => {
                let mut hints = super::component::scope_hints(Scope::Conflict);
                if !clash.as_new {
                    let as_new = keys::keymap()
                        .in_scope(Scope::Conflict)
                        .find(|b| b.action == Action::SaveAsNew)
                        .and_then(|b| b.hint.clone());
                    hints.retain(|(_, label)| Some(label) != as_new.as_ref());
                }
                return hints;
            }
            // Only the answers this question takes.
            Some(d @ (Dialog::Leave | Dialog::Warnings(_))) => {
                let asks: &[Action] = match d {
                    Dialog::Leave => &[Action::Save, Action::Discard, Action::Back],
                    _ if self.next.is_some() => &[Action::Yes, Action::CreateNext, Action::Back],
                    _ => &[Action::Yes, Action::Back],
                };
                let keymap = keys::keymap();
                return keymap
                    .in_scope(Scope::Dialog)
                    .filter(|b| asks.contains(&b.action))
                    .filter_map(|b| Some((b.hint_key.clone(), b.hint.clone()?)))
                    .collect();
            }
            _ => {}
        }
        if self.editor.is_none() && self.dialog.is_none() {
            let scope = match self.level() {
                Level::List { .. } => Scope::FormList,
                Level::Fields { .. } => Scope::Form,
            };
            return super::component::scope_hints(scope);
        }
        draw::hint(self)
            .split(" · ")
            .map(|piece| (String::new(), piece.to_string()))
            .collect()
    }
    fn scopes(&self) -> Vec<Scope> {
        match &self.dialog {
            Some(Dialog::Conflict(_)) => return vec![Scope::Conflict],
            Some(_) => return vec![Scope::Dialog],
            None => {}
        }
        match (&self.editor, self.level()) {
            (Some(Editor::Pick(_)), _) => vec![Scope::Picker, Scope::TextInput],
            (Some(_), _) => vec![Scope::TextInput, Scope::Prompt],
            (None, Level::List { .. }) => vec![Scope::FormList],
            (None, _) => vec![Scope::Form],
        }
    }
    fn takes_text(&self) -> bool {
        self.editor.is_some()
    }
    /// Changed since the draft was last written.
    fn pending(&self) -> bool {
        self.typed_values() != self.drafted
    }
    /// Writes the form's draft (or removes it when the form is back to where it opened).
    fn flush(&mut self, _cx: &Ctx) -> Vec<Effect> {
        self.drafted = self.typed_values();
        if self.drafted == self.initial {
            return vec![Effect::Draft(DraftOp::Drop(self.draft_key()))];
        }
        vec![Effect::Draft(DraftOp::Keep(Box::new(self.draft())))]
    }
    /// The record changed on disk under the form: say so at once (the save will merge).
    fn on_change(&mut self, cx: &Ctx) -> Option<String> {
        if let Some(Editor::Pick(p)) = &mut self.editor {
            p.relist(cx.ws);
        }
        if self.subject == Subject::Settings {
            let file = crate::domain::settings::SETTINGS_FILE;
            self.banner = match &cx.ws.settings_file {
                Some((map, _)) if *map == self.base => None,
                _ => Some(format!(
                    "{file} changed on disk: saving is refused; Esc, then open Settings again"
                )),
            };
            return None;
        }
        let id = self.original.as_deref()?;
        self.banner = match cx.ws.get(id) {
            None => Some(format!(
                "{} was deleted on disk: Ctrl-S offers to save yours as a new record",
                one_line(id)
            )),
            Some(r) if r.fields != self.base => Some(format!(
                "{} changed on disk ({}): your save will merge",
                one_line(id),
                changed_keys(&r.fields, &self.base).join(", ")
            )),
            Some(_) => None,
        };
        None
    }
    any_component!();
}

/// The record that cures a to-do-after-save finding of a system, created next if asked.
fn next_for(code: &str) -> Option<RecordType> {
    match code {
        "ia-per-system" => Some(RecordType::ImpactAssessment),
        "model-card" => Some(RecordType::Document),
        _ => None,
    }
}

impl Form {
    /// The form of the record a saved system still needs (`next_for`), prefilled to name it.
    pub fn follow_up(kind: RecordType, system: &str, cx: &Ctx) -> Form {
        let (ws, today) = (cx.ws, cx.today);
        let mut form = Form::create_in(kind, cx);
        if kind == RecordType::ImpactAssessment {
            form.values.set("system", Value::str(system));
        } else {
            form.values.set("kind", Value::str("model-card"));
            form.values
                .set("systems", Value::List(vec![Value::str(system)]));
        }
        form.validate(ws, today);
        form.initial = form.values.clone();
        form
    }
}

/// Why a form's save did not land: what the form shows, and a status line.
#[derive(Default)]
pub struct Refusal {
    pub dialog: Option<Dialog>,
    pub message: Option<String>,
    pub status: Option<String>,
    /// The workspace read the record's file again: the app's views must follow.
    pub refreshed: bool,
}

/// Saves what a form asks through the workspace's surgical save (the app calls this at
/// the edge). `Ok`: the id saved. A version on disk newer than the form's base is never
/// overwritten: it comes back as the conflict dialog, merged with the form's edit. An
/// owner changed here is logged in `history` by `user`, as `o` logs it.
pub fn save(
    ws: &mut Workspace,
    req: &SaveRequest,
    today: Date,
    user: Option<&str>,
) -> Result<String, Refusal> {
    let kind = match req.subject {
        Subject::Record(kind) => kind,
        Subject::Settings => return save_settings(ws, req),
    };
    // The watcher may already have loaded someone else's save (or a delete): the form's
    // base is then not what the workspace holds, and saving would quietly undo it.
    if let Some(id) = &req.original
        && ws.get(id).is_none_or(|current| current.fields != req.base)
    {
        let rebase = ws.rebase(id, &req.base, &req.values);
        return Err(Refusal {
            dialog: Some(Dialog::Conflict(Box::new(Clash::of(id, rebase)))),
            ..Refusal::default()
        });
    }
    let id = req.values.text("id").unwrap_or_default();
    let mut values = req.values.clone();
    crate::rules::triage::log_owner_change(
        kind,
        &req.base,
        &mut values,
        today,
        user.unwrap_or("unknown"),
    );
    let result = match (&req.original, req.over) {
        (Some(original), Some(theirs)) => ws.save_over(original, theirs, values, today),
        (Some(original), None) => ws.save_record(original, values, today),
        (None, _) => ws.create_record(kind, values, today),
    };
    match result {
        Ok(()) => Ok(id),
        Err(SaveError::Conflict { kept, .. }) => {
            let status = kept.map(|kept| {
                format!(
                    "a third version landed during the save; it is kept in {}",
                    one_line(&kept.display().to_string())
                )
            });
            let Some(original) = &req.original else {
                return Err(Refusal {
                    message: Some(format!(
                        "{} was created on disk meanwhile: choose another id",
                        one_line(&id)
                    )),
                    status,
                    ..Refusal::default()
                });
            };
            let (rebase, _) = ws.refresh_and_rebase(original, &req.base, &req.values);
            Err(Refusal {
                dialog: Some(Dialog::Conflict(Box::new(Clash::of(original, rebase)))),
                status,
                refreshed: true,
                ..Refusal::default()
            })
        }
        Err(SaveError::Invalid(findings)) => Err(Refusal {
            dialog: Some(Dialog::Errors(
                findings.iter().map(|f| one_line(&f.message)).collect(),
            )),
            ..Refusal::default()
        }),
        Err(e) => Err(Refusal {
            message: Some(one_line(&e.to_string())),
            ..Refusal::default()
        }),
    }
}

/// Saves the Settings form to aims.yaml. A file changed on disk since the form opened is
/// never overwritten: the form says so, and Settings opened again shows the new version.
fn save_settings(ws: &mut Workspace, req: &SaveRequest) -> Result<String, Refusal> {
    let file = crate::domain::settings::SETTINGS_FILE;
    match ws.save_settings(&req.base, &req.values) {
        Ok(()) => Ok(file.to_string()),
        Err(SaveError::Conflict { .. }) => Err(Refusal {
            message: Some(format!(
                "{file} changed on disk since Settings opened; nothing saved: Esc, then open Settings again"
            )),
            ..Refusal::default()
        }),
        Err(SaveError::Invalid(findings)) => Err(Refusal {
            dialog: Some(Dialog::Errors(
                findings.iter().map(|f| one_line(&f.message)).collect(),
            )),
            ..Refusal::default()
        }),
        Err(e) => Err(Refusal {
            message: Some(one_line(&e.to_string())),
            ..Refusal::default()
        }),
    }
}

/// The fields whose values differ between two versions of a record.
fn changed_keys(a: &Map, b: &Map) -> Vec<String> {
    let mut keys: Vec<String> = a.keys().chain(b.keys()).map(str::to_string).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter(|k| a.get(k) != b.get(k)).collect()
}

/// `n` on a pane: the form for a new record of its type, or the choice of type where the
/// pane lists several; or why not here.
pub fn new_layer(pane: super::pane::Pane, cx: &Ctx) -> Result<Box<dyn Component>, String> {
    match pane.record_types() {
        _ if pane == super::pane::Pane::Soa => Err(
            "SoA entries are edited, not created: there is one per Annex A control (e edits)"
                .into(),
        ),
        [] => Err("go to a list (2–9) to create a record of its type".into()),
        [k] => Ok(Box::new(Form::create(*k, cx.ws, cx.user, cx.today))),
        // Findings lists nonconformities and incidents: ask which.
        kinds => Ok(Box::new(super::overlays::ChooseKind {
            kinds: kinds.to_vec(),
            cursor: 0,
        })),
    }
}

impl Form {
    /// The edit form of record `id`, or why it cannot be edited now.
    pub fn edit_checked(id: &str, cx: &Ctx) -> Result<Form, String> {
        if cx.read_only {
            return Err("read-only: started with --read-only, so nothing is saved".into());
        }
        let Some(record) = cx.ws.get(id) else {
            return Err("nothing selected to edit".into());
        };
        if cx.index.stale.contains(&record.id) || cx.ws.unreadable.contains(&record.path) {
            return Err(format!(
                "{} no longer parses: fix the file first (see Problems)",
                record.id
            ));
        }
        Ok(Form::edit(record, cx.ws, cx.today))
    }
}
