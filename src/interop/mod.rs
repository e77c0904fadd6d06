//! Interoperability: registers as sheets (CSV, XLSX, Markdown, HTML), imports from
//! spreadsheets, the calendar feed, the crosswalks to other frameworks and the inline SVG
//! charts of the HTML documents.
//!
//! Core code: no terminal, no clock, no `$USER`. The command line in `cli::export` and
//! `cli::import` only parses arguments and writes what these functions return.

pub mod cells;
pub mod crosswalk;
pub mod ics;
pub mod import;
pub mod read;
pub mod register;
pub mod svg;
pub mod write;
