//! The vocabulary of the specs: field kinds, requirements and conditions.

use crate::domain::{Map, RecordType, Settings};

/// Allowed values of an enum field, each with a one-line meaning for pickers and help.
pub type Choices = &'static [(&'static str, &'static str)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Likelihood,
    Impact,
}

/// Which part of the built-in catalog a reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogScope {
    Control,
    ClauseOrControl,
}

#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    LongText,
    Enum(Choices),
    /// A list of values from the choices.
    EnumList(Choices),
    Bool,
    /// A whole number of 0 or more (a band's top score, a number of days).
    Number,
    Date,
    /// A score on the likelihood or impact scale of `aims.yaml` (1..=N).
    Score(Scale),
    Person,
    PersonList,
    /// A record id of one of these types.
    Ref(&'static [RecordType]),
    RefList(&'static [RecordType]),
    Catalog(CatalogScope),
    CatalogList(CatalogScope),
    TextList,
    /// Evidence: a list of `{label, target}` where target is a relative path or a URL.
    Links,
    /// A list of sub-records, each a mapping with these fields.
    Table(&'static [FieldSpec]),
    /// A nested mapping with these fields.
    Group(&'static [FieldSpec]),
}

#[derive(Debug, Clone, Copy)]
pub enum Req {
    Optional,
    Always,
    /// Required while the condition holds.
    When(Cond),
    /// Required unless the condition holds.
    Unless(Cond),
}

/// A condition on the record's own fields (and the workspace settings).
#[derive(Debug, Clone, Copy)]
pub enum Cond {
    Eq(&'static str, &'static str),
    In(&'static str, &'static [&'static str]),
    IsTrue(&'static str),
    /// A condition that needs code, with a description for messages.
    Custom(fn(&Map, &Settings) -> bool, &'static str),
}

impl Cond {
    pub fn holds(&self, fields: &Map, settings: &Settings) -> bool {
        match *self {
            Cond::Eq(f, v) => fields.text(f).as_deref() == Some(v),
            Cond::In(f, vs) => fields.text(f).is_some_and(|x| vs.contains(&x.as_str())),
            Cond::IsTrue(f) => fields.bool(f) == Some(true),
            Cond::Custom(test, _) => test(fields, settings),
        }
    }

    /// "treatment is accept", for messages.
    pub fn describe(&self) -> String {
        match *self {
            Cond::Eq(f, v) => format!("{f} is {v}"),
            Cond::In(f, vs) => format!("{f} is {}", vs.join(" or ")),
            Cond::IsTrue(f) => format!("{f} is yes"),
            Cond::Custom(_, d) => d.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub req: Req,
    /// What to write there, in a few words; shown in forms and in error messages.
    pub help: &'static str,
}

impl FieldSpec {
    pub fn required_now(&self, fields: &Map, settings: &Settings) -> bool {
        match self.req {
            Req::Optional => false,
            Req::Always => true,
            Req::When(c) => c.holds(fields, settings),
            Req::Unless(c) => !c.holds(fields, settings),
        }
    }
}

/// "One of these fields is required while the condition holds."
#[derive(Debug, Clone, Copy)]
pub struct OneOf {
    pub when: Cond,
    pub fields: &'static [&'static str],
}

/// A record type's spec: the single source of truth for its fields.
pub struct Spec {
    pub kind: RecordType,
    pub fields: &'static [FieldSpec],
    /// Carries `last_reviewed`, `next_review` and a `reviews` log, on the type's cadence.
    pub reviewed: bool,
    pub one_of: &'static [OneOf],
    /// Columns for tables and exports, after the id.
    pub columns: &'static [&'static str],
}

impl Spec {
    /// Every field in saving order: the type's own, then the review fields, then links and notes.
    pub fn all_fields(&self) -> impl Iterator<Item = &'static FieldSpec> + use<> {
        let review: &'static [FieldSpec] = if self.reviewed {
            &super::specs::REVIEW_FIELDS
        } else {
            &[]
        };
        // A type may redefine a shared field (SoA makes `links` required when implemented).
        let own = self.fields;
        let shared = review.iter().chain(super::specs::TAIL_FIELDS.iter());
        own.iter()
            .chain(shared.filter(move |f| !own.iter().any(|g| g.name == f.name)))
    }

    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.all_fields().find(|f| f.name == name)
    }

    /// True when a one-of rule currently asks for this field (`lawful_basis` or `dpia`
    /// once personal data is processed and neither is given).
    pub fn wanted_by_one_of(&self, field: &str, fields: &Map, settings: &Settings) -> bool {
        self.one_of.iter().any(|rule| {
            rule.fields.contains(&field)
                && rule.when.holds(fields, settings)
                && rule.fields.iter().all(|f| fields.is_blank(f))
        })
    }

    pub fn field_order(&self) -> Vec<&'static str> {
        self.all_fields().map(|f| f.name).collect()
    }
}
