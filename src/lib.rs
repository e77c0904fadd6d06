//! AIMS Workbench: an ISO/IEC 42001 AI management system over a plain-text workspace.
//!
//! The core (`domain`, `rules`, `workspace`) has no terminal code and reads neither the
//! clock nor `$USER`: "today" and "who" are passed in, so every result is reproducible.

pub mod cli;
pub mod domain;
pub mod rules;
pub mod tui;
pub mod workspace;
