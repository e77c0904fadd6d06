//! The workspace on disk: load, index, save (surgical and atomic), lock, init.

mod blocks;
pub mod cache;
pub mod emit;
pub mod evidence;
pub mod fast_yaml;
pub mod fsio;
pub mod incremental;
pub mod init;
pub mod load;
pub mod lock;
mod par;
pub mod replace;
pub mod save;

pub use incremental::ChangeSet;
pub use load::{OpenError, Workspace};
pub use save::SaveError;
