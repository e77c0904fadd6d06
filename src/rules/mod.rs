//! The rules: one declarative spec per record type (its fields, their kinds, what is
//! required and when) and the checks that read them. Forms, tables, exports and `aims check`
//! all read these specs, so adding a field is one edit in `specs.rs`.

pub mod audit;
pub mod check;
pub mod defaults;
pub mod due;
pub mod metric;
pub mod refs;
pub mod registry;
pub mod settings;
pub mod setup;
pub mod soa;
pub mod spec;
pub mod specs;
pub mod triage;
pub mod whole;

pub use check::{Ctx, WorkspaceView, validate_record};
pub use spec::{Cond, FieldKind, FieldSpec, Req, Spec};
pub use specs::spec;
pub use whole::{check_workspace, whole_findings};
