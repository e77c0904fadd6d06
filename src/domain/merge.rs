//! Three-way merge of a record's fields: what the edit started from (base), what is on
//! disk now (theirs) and what was typed (mine).
//!
//! Why: two people editing one record must never have one of them overwritten silently.
//! Fields only one side changed are merged without asking; a field both changed to
//! different values becomes a [`Conflict`] that shows all three values, and the person
//! saving picks per conflict ([`Choice`]). Until a choice is made the merged fields hold
//! *theirs* at every conflict, so a caller that forgot to resolve writes nothing of mine
//! over theirs.
//!
//! Granularity, chosen so that ordinary concurrent work merges and nothing is guessed:
//! - mappings are merged key by key, at any depth (an audit's nested fields);
//! - a list both sides changed is merged item by item over the items the base had, when
//!   neither side shortened it: two people setting the results of different checklist
//!   items merge; items that are mappings are merged key by key in turn;
//! - items both sides appended after the base's items are all kept, theirs first, mine
//!   after, an item both appended kept once: entries both added to a `history` or
//!   `reviews` log never conflict, and the log stays append-only;
//! - anything else both changed differently (a scalar, a list one side shortened, a list
//!   item that is not a mapping) is one conflict at that place.
//!
//! Items are matched by position, as the files have no item ids: a list one side
//! shortened is therefore never merged item by item.

use super::value::{Map, Value};
use std::fmt;

/// One step into a value: a mapping key or a list position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Where a field is inside a record: `owner`, `checklist[3].notes`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FieldPath(pub Vec<Step>);

impl FieldPath {
    /// The top-level field the path is in (what a form row shows).
    pub fn top(&self) -> Option<&str> {
        match self.0.first() {
            Some(Step::Key(k)) => Some(k),
            _ => None,
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => write!(f, "{k}")?,
                Step::Key(k) => write!(f, ".{k}")?,
                // Shown counting from 1, as people count items.
                Step::Index(n) => write!(f, "[{}]", n + 1)?,
            }
        }
        Ok(())
    }
}

/// A place both sides changed to different values. `None`: the field is absent there
/// (never set, or removed).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub path: FieldPath,
    pub base: Option<Value>,
    pub theirs: Option<Value>,
    pub mine: Option<Value>,
}

/// Which side's change a place took without asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Theirs,
    Mine,
    /// Both sides' additions kept (items appended to one list by both).
    Both,
}

/// The result of a merge: the fields (theirs at each conflict), the conflicts in field
/// order, and the places merged without asking (for a dialog that lists every change).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Merged {
    pub fields: Map,
    pub conflicts: Vec<Conflict>,
    pub auto: Vec<(FieldPath, Side)>,
}

/// The pick for one conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Theirs,
    Mine,
    /// A value typed in the dialog.
    Edited(Value),
}

/// `resolve` was given a wrong number of choices.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveError {
    pub conflicts: usize,
    pub choices: usize,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} conflicting field(s) but {} choice(s): pick one value for each",
            self.conflicts, self.choices
        )
    }
}

impl std::error::Error for ResolveError {}

impl Merged {
    /// No place needs a choice: `fields` can be saved as they are.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }

    /// The fields with one choice applied per conflict (same order as `conflicts`).
    pub fn resolve(&self, choices: &[Choice]) -> Result<Map, ResolveError> {
        resolve(&self.fields, &self.conflicts, choices)
    }
}

/// Merges `mine` and `theirs`, both edited from `base`.
pub fn merge(base: &Map, theirs: &Map, mine: &Map) -> Merged {
    let mut out = Merged::default();
    let mut path = Vec::new();
    out.fields = merge_maps(&mut path, base, theirs, mine, &mut out);
    out
}

/// Applies `choices` (one per conflict, in order) to `fields` as `merge` left them.
pub fn resolve(
    fields: &Map,
    conflicts: &[Conflict],
    choices: &[Choice],
) -> Result<Map, ResolveError> {
    if conflicts.len() != choices.len() {
        return Err(ResolveError {
            conflicts: conflicts.len(),
            choices: choices.len(),
        });
    }
    let mut out = fields.clone();
    for (c, choice) in conflicts.iter().zip(choices) {
        let value = match choice {
            Choice::Theirs => c.theirs.clone(),
            Choice::Mine => c.mine.clone(),
            Choice::Edited(v) => Some(v.clone()),
        };
        set_at(&mut out, &c.path.0, value);
    }
    Ok(out)
}

fn merge_maps(path: &mut Vec<Step>, base: &Map, theirs: &Map, mine: &Map, out: &mut Merged) -> Map {
    // The file's order (theirs) first, then keys only mine added, in my order. A key both
    // removed is in neither, and stays removed.
    let keys: Vec<&str> = theirs
        .keys()
        .chain(mine.keys().filter(|k| !theirs.contains(k)))
        .collect();
    let mut result = Map::with_capacity(keys.len());
    for key in keys {
        path.push(Step::Key(key.to_string()));
        if let Some(v) = merge_value(path, base.get(key), theirs.get(key), mine.get(key), out) {
            result.set(key, v);
        }
        path.pop();
    }
    result
}

fn merge_value(
    path: &mut Vec<Step>,
    base: Option<&Value>,
    theirs: Option<&Value>,
    mine: Option<&Value>,
    out: &mut Merged,
) -> Option<Value> {
    if theirs == mine {
        return theirs.cloned();
    }
    if theirs == base {
        out.auto.push((FieldPath(path.clone()), Side::Mine));
        return mine.cloned();
    }
    if mine == base {
        out.auto.push((FieldPath(path.clone()), Side::Theirs));
        return theirs.cloned();
    }
    // Both changed it, differently: look inside when both are containers.
    match (base, theirs, mine) {
        (Some(Value::Map(b)), Some(Value::Map(t)), Some(Value::Map(m))) => {
            return Some(Value::Map(merge_maps(path, b, t, m, out)));
        }
        (None, Some(Value::Map(t)), Some(Value::Map(m))) => {
            return Some(Value::Map(merge_maps(path, &Map::new(), t, m, out)));
        }
        (Some(Value::List(b)), Some(Value::List(t)), Some(Value::List(m))) => {
            if let Some(items) = merge_lists(path, b, t, m, out) {
                return Some(Value::List(items));
            }
        }
        // A log both sides started: both sides' entries are appended to nothing.
        (None, Some(Value::List(t)), Some(Value::List(m))) => {
            if let Some(items) = merge_lists(path, &[], t, m, out) {
                return Some(Value::List(items));
            }
        }
        _ => {}
    }
    out.conflicts.push(Conflict {
        path: FieldPath(path.clone()),
        base: base.cloned(),
        theirs: theirs.cloned(),
        mine: mine.cloned(),
    });
    theirs.cloned()
}

/// Item by item over the base's items, then both sides' appended items; `None` when the
/// list must be one conflict (a side shortened it, or changed the same scalar item).
fn merge_lists(
    path: &mut Vec<Step>,
    base: &[Value],
    theirs: &[Value],
    mine: &[Value],
    out: &mut Merged,
) -> Option<Vec<Value>> {
    if theirs.len() < base.len() || mine.len() < base.len() {
        return None;
    }
    // Into a scratch result: a list that turns out to be one conflict must leave no
    // half-recorded item conflicts behind.
    let mut scratch = Merged::default();
    let mut items = Vec::with_capacity(theirs.len().max(mine.len()));
    for (i, b) in base.iter().enumerate() {
        let (t, m) = (&theirs[i], &mine[i]);
        path.push(Step::Index(i));
        let item = if t == m || t == b || m == b {
            merge_value(path, Some(b), Some(t), Some(m), &mut scratch)
        } else if let (Value::Map(bm), Value::Map(tm), Value::Map(mm)) = (b, t, m) {
            Some(Value::Map(merge_maps(path, bm, tm, mm, &mut scratch)))
        } else {
            None
        };
        path.pop();
        items.push(item?);
    }
    let (their_new, my_new) = (&theirs[base.len()..], &mine[base.len()..]);
    items.extend(their_new.iter().cloned());
    items.extend(my_new.iter().filter(|v| !their_new.contains(v)).cloned());
    if !their_new.is_empty() && !my_new.is_empty() && their_new != my_new {
        scratch.auto.push((FieldPath(path.clone()), Side::Both));
    } else if !my_new.is_empty() && their_new.is_empty() {
        scratch.auto.push((FieldPath(path.clone()), Side::Mine));
    } else if !their_new.is_empty() && my_new.is_empty() {
        scratch.auto.push((FieldPath(path.clone()), Side::Theirs));
    }
    out.conflicts.extend(scratch.conflicts);
    out.auto.extend(scratch.auto);
    Some(items)
}

/// The value at `path`, if there is one: for showing an automatically merged place.
pub fn get_at<'a>(map: &'a Map, path: &FieldPath) -> Option<&'a Value> {
    let mut steps = path.0.iter();
    let Some(Step::Key(first)) = steps.next() else {
        return None;
    };
    let mut at = map.get(first)?;
    for step in steps {
        at = match (at, step) {
            (Value::Map(m), Step::Key(k)) => m.get(k)?,
            (Value::List(items), Step::Index(i)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(at)
}

/// Sets (or, with `None`, removes) the value at `path`. The containers on the way exist:
/// `merge` built them from theirs and mine.
fn set_at(map: &mut Map, path: &[Step], value: Option<Value>) {
    let Some((Step::Key(key), rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match value {
            Some(v) => map.set(key, v),
            None => {
                map.remove(key);
            }
        }
        return;
    }
    if let Some(inner) = map.get_mut(key) {
        set_in_value(inner, rest, value);
    }
}

fn set_in_value(target: &mut Value, path: &[Step], value: Option<Value>) {
    match (target, path.first()) {
        (Value::Map(m), Some(Step::Key(_))) => set_at(m, path, value),
        (Value::List(items), Some(Step::Index(i))) => {
            let rest = &path[1..];
            if rest.is_empty() {
                // Conflicts are never whole list items (see merge_lists); kept for safety.
                if let (Some(slot), Some(v)) = (items.get_mut(*i), value) {
                    *slot = v;
                }
            } else if let Some(item) = items.get_mut(*i) {
                set_in_value(item, rest, value);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn s(t: &str) -> Value {
        Value::str(t)
    }

    fn entry(date: &str, by: &str) -> Value {
        Value::Map(map(&[("date", s(date)), ("by", s(by))]))
    }

    #[test]
    fn a_field_only_one_side_changed_merges_without_asking() {
        let base = map(&[("owner", s("ann")), ("status", s("open"))]);
        let theirs = map(&[("owner", s("bob")), ("status", s("open"))]);
        let mine = map(&[("owner", s("ann")), ("status", s("closed"))]);
        let m = merge(&base, &theirs, &mine);
        assert!(m.is_clean());
        assert_eq!(
            m.fields,
            map(&[("owner", s("bob")), ("status", s("closed"))])
        );
        assert_eq!(m.auto.len(), 2);
    }

    #[test]
    fn both_changed_to_the_same_value_is_no_conflict() {
        let base = map(&[("owner", s("ann"))]);
        let both = map(&[("owner", s("bob"))]);
        let m = merge(&base, &both, &both);
        assert!(m.is_clean());
        assert_eq!(m.fields, both);
    }

    #[test]
    fn both_changed_differently_is_a_conflict_that_keeps_theirs_until_resolved() {
        let base = map(&[("owner", s("ann")), ("title", s("T"))]);
        let theirs = map(&[("owner", s("bob")), ("title", s("T"))]);
        let mine = map(&[("owner", s("cid")), ("title", s("T2"))]);
        let m = merge(&base, &theirs, &mine);
        assert_eq!(
            m.conflicts,
            vec![Conflict {
                path: FieldPath(vec![Step::Key("owner".into())]),
                base: Some(s("ann")),
                theirs: Some(s("bob")),
                mine: Some(s("cid")),
            }]
        );
        assert_eq!(m.fields.get("owner"), Some(&s("bob")));
        assert_eq!(m.fields.get("title"), Some(&s("T2")));
        assert_eq!(
            m.resolve(&[Choice::Mine]).unwrap().get("owner"),
            Some(&s("cid"))
        );
        assert_eq!(
            m.resolve(&[Choice::Theirs]).unwrap().get("owner"),
            Some(&s("bob"))
        );
        let edited = m.resolve(&[Choice::Edited(s("dee"))]).unwrap();
        assert_eq!(edited.get("owner"), Some(&s("dee")));
        assert!(m.resolve(&[]).is_err());
    }

    #[test]
    fn removal_against_a_change_is_a_conflict_and_mine_can_remove() {
        let base = map(&[("a", s("1")), ("b", s("x"))]);
        let theirs = map(&[("a", s("2")), ("b", s("x"))]);
        let mine = map(&[("b", s("x"))]);
        let m = merge(&base, &theirs, &mine);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].mine, None);
        let out = m.resolve(&[Choice::Mine]).unwrap();
        assert!(!out.contains("a"));
        // A removal nobody else touched just happens.
        let m = merge(&base, &base, &mine);
        assert!(m.is_clean() && !m.fields.contains("a"));
    }

    #[test]
    fn nested_mappings_merge_key_by_key() {
        let dd =
            |a: &str, b: &str| Value::Map(map(&[("ip_terms", s(a)), ("contract_terms", s(b))]));
        let base = map(&[("due_diligence", dd("x", "y"))]);
        let theirs = map(&[("due_diligence", dd("X", "y"))]);
        let mine = map(&[("due_diligence", dd("x", "Y"))]);
        let m = merge(&base, &theirs, &mine);
        assert!(m.is_clean());
        assert_eq!(m.fields.get("due_diligence"), Some(&dd("X", "Y")));
    }

    #[test]
    fn checklist_items_both_sides_edited_merge_per_item_and_conflict_per_key() {
        let item = |r: &str, n: &str| Value::Map(map(&[("ref", s(r)), ("notes", s(n))]));
        let base = map(&[(
            "checklist",
            Value::List(vec![item("4.1", ""), item("4.2", "")]),
        )]);
        let theirs = map(&[(
            "checklist",
            Value::List(vec![item("4.1", "theirs"), item("4.2", "")]),
        )]);
        let mine = map(&[(
            "checklist",
            Value::List(vec![item("4.1", ""), item("4.2", "mine")]),
        )]);
        let m = merge(&base, &theirs, &mine);
        assert!(m.is_clean());
        assert_eq!(
            m.fields.get("checklist"),
            Some(&Value::List(vec![
                item("4.1", "theirs"),
                item("4.2", "mine")
            ]))
        );
        // The same note typed differently: one conflict at that note.
        let mine = map(&[(
            "checklist",
            Value::List(vec![item("4.1", "mine"), item("4.2", "")]),
        )]);
        let m = merge(&base, &theirs, &mine);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].path.to_string(), "checklist[1].notes");
        assert_eq!(get_at(&m.fields, &m.conflicts[0].path), Some(&s("theirs")));
        let out = m.resolve(&[Choice::Mine]).unwrap();
        assert_eq!(get_at(&out, &m.conflicts[0].path), Some(&s("mine")));
        assert_eq!(
            out.get("checklist"),
            Some(&Value::List(vec![item("4.1", "mine"), item("4.2", "")]))
        );
    }

    #[test]
    fn history_appended_on_both_sides_keeps_every_entry() {
        let base = map(&[("history", Value::List(vec![entry("2026-01-01", "ann")]))]);
        let theirs = map(&[(
            "history",
            Value::List(vec![entry("2026-01-01", "ann"), entry("2026-11-20", "bob")]),
        )]);
        let mine = map(&[(
            "history",
            Value::List(vec![entry("2026-01-01", "ann"), entry("2026-11-21", "cid")]),
        )]);
        let m = merge(&base, &theirs, &mine);
        assert!(m.is_clean(), "{:?}", m.conflicts);
        assert_eq!(
            m.fields.get("history"),
            Some(&Value::List(vec![
                entry("2026-01-01", "ann"),
                entry("2026-11-20", "bob"),
                entry("2026-11-21", "cid"),
            ]))
        );
        assert_eq!(
            m.auto,
            vec![(FieldPath(vec![Step::Key("history".into())]), Side::Both)]
        );
        // The same entry appended by both is kept once.
        let m = merge(&base, &theirs, &theirs);
        assert_eq!(m.fields, theirs);
    }

    #[test]
    fn a_list_one_side_shortened_is_one_conflict() {
        let base = map(&[("roles", Value::List(vec![s("a"), s("b")]))]);
        let theirs = map(&[("roles", Value::List(vec![s("a")]))]);
        let mine = map(&[("roles", Value::List(vec![s("a"), s("b"), s("c")]))]);
        let m = merge(&base, &theirs, &mine);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].path.to_string(), "roles");
        assert_eq!(m.fields, theirs);
    }

    #[test]
    fn keys_keep_the_files_order_and_mine_new_keys_follow() {
        let base = map(&[("id", s("R")), ("b", s("1"))]);
        let theirs = map(&[("id", s("R")), ("b", s("1")), ("t", s("x"))]);
        let mine = map(&[("id", s("R")), ("m", s("y")), ("b", s("1"))]);
        let m = merge(&base, &theirs, &mine);
        let keys: Vec<&str> = m.fields.keys().collect();
        assert_eq!(keys, ["id", "b", "t", "m"]);
    }
}
