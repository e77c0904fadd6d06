//! The workspace on disk: load, index, save (surgical and atomic), lock, init.

pub mod emit;
pub mod evidence;
pub mod incremental;
pub mod init;
pub mod load;
pub mod lock;
pub mod save;

pub use incremental::ChangeSet;
pub use load::{OpenError, Workspace};
pub use save::SaveError;
