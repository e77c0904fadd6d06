//! Record types, ids, dates, settings and the built-in catalog. No I/O, no terminal.

pub mod catalog;
pub mod crosswalk;
pub mod dates;
pub mod finding;
pub mod ids;
pub mod key;
pub mod kind;
pub mod merge;
pub mod record;
pub mod settings;
pub mod text;
pub mod value;

pub use finding::{Finding, Severity};
pub use kind::RecordType;
pub use record::Record;
pub use settings::Settings;
pub use value::{Map, Value};
