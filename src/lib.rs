//! AIMS Workbench: an ISO/IEC 42001 AI management system over a plain-text workspace.
//!
//! The core (`domain`, `rules`, `workspace`) has no terminal code and reads neither the
//! clock nor `$USER`: "today" and "who" are passed in, so every result is reproducible.

// A `Finding` (with its rule code and severity reason) is the error of loading one file. It
// is built only on that rare failure path, so boxing it would cost every caller a `Box` to
// save a few bytes of stack where nothing is hot.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod domain;
pub mod interop;
pub mod rules;
pub mod tui;
pub mod workspace;
