//! dossier: a search engine for archives of scraped analysis articles.
//!
//! The pipeline runs one way: [`ingest`] finds and decodes pages,
//! [`extract`] strips their chrome down to the article and its metadata,
//! [`index`] stores articles in a tantivy index, [`search`] answers queries
//! with ranked hits and snippets, and [`output`] renders them for people or
//! scripts. [`browse`] reads whole documents back out of the index (`show`,
//! `export`) and [`stats`] summarises it. [`app`] runs the commands on top
//! of these stages; the `dossier` binary only turns command-line arguments
//! into an [`app::Command`].

pub mod app;
pub mod browse;
pub mod error;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod output;
pub mod search;
pub mod stats;

pub use error::{Error, Result};
