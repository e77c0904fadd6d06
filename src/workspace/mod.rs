//! The workspace on disk: load, index, save (surgical and atomic), lock, init.

mod blocks;
pub mod cache;
pub mod commit;
pub mod draft;
pub mod emit;
pub mod evidence;
pub mod fast_yaml;
pub mod fsio;
pub mod git;
pub mod history;
pub mod incremental;
pub mod init;
pub mod load;
pub mod lock;
mod par;
pub mod rebase;
pub mod replace;
pub mod review_pack;
pub mod save;
pub mod settings_save;
pub mod trends;

pub use incremental::ChangeSet;
pub use load::{OpenError, Workspace};
pub use save::SaveError;
