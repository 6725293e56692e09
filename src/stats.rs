//! Index statistics for `dossier stats`: how many documents, sites, authors
//! and languages the index holds, the span of publication dates, the sites
//! with most documents, and facts about the index folder itself.
//!
//! Site and author are analyzed text fields, so whole names exist only in
//! the stored documents: one sequential pass over the document store (block
//! by block, one document at a time) gathers every count, and languages and
//! dates come along in the same pass at no extra cost.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::browse;
use crate::error::{Error, Result};
use crate::index::{self, StoredDocument};
use crate::search::Engine;

/// How many sites `top_sites` lists.
pub const TOP_SITES: usize = 10;

/// A name and how many documents carry it.
pub type Count = (String, usize);

/// What an index holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Documents in the index.
    pub documents: usize,
    /// Distinct site names.
    pub sites: usize,
    /// Distinct author names.
    pub authors: usize,
    /// Documents per language code, most first.
    pub languages: Vec<Count>,
    /// Earliest publication time.
    pub oldest: Option<DateTime<Utc>>,
    /// Latest publication time.
    pub newest: Option<DateTime<Utc>>,
    /// Documents without a publication time.
    pub undated: usize,
    /// The sites with most documents, most first (at most [`TOP_SITES`]).
    pub top_sites: Vec<Count>,
    /// Bytes of the files in the index folder.
    pub index_bytes: u64,
    /// When the index was last written (RFC 3339), if it says.
    pub indexed_at: Option<String>,
    /// The version of dossier reading the index.
    pub version: &'static str,
    /// The index format version ([`index::FORMAT_VERSION`]).
    pub format: u32,
}

/// Tallies gathered over the stored documents.
#[derive(Default)]
struct Tally {
    documents: usize,
    sites: HashMap<String, usize>,
    authors: HashMap<String, usize>,
    languages: HashMap<String, usize>,
    oldest: Option<DateTime<Utc>>,
    newest: Option<DateTime<Utc>>,
    undated: usize,
}

impl Tally {
    fn add(&mut self, doc: &StoredDocument) {
        self.documents += 1;
        doc.site.iter().for_each(|site| bump(&mut self.sites, site));
        doc.lang
            .iter()
            .for_each(|lang| bump(&mut self.languages, lang));
        doc.authors
            .iter()
            .for_each(|name| bump(&mut self.authors, name));
        match doc.published {
            Some(date) => {
                self.oldest = Some(self.oldest.map_or(date, |d| d.min(date)));
                self.newest = Some(self.newest.map_or(date, |d| d.max(date)));
            }
            None => self.undated += 1,
        }
    }
}

fn bump(counts: &mut HashMap<String, usize>, name: &str) {
    match counts.get_mut(name) {
        Some(n) => *n += 1,
        None => {
            counts.insert(name.to_string(), 1);
        }
    }
}

/// Gathers the statistics of the index `engine` reads.
pub fn collect(engine: &Engine) -> Result<Stats> {
    let mut tally = Tally::default();
    browse::each_document(engine, &mut |doc| {
        tally.add(doc);
        Ok(())
    })?;
    let mut top_sites = ranked(&tally.sites);
    top_sites.truncate(TOP_SITES);
    Ok(Stats {
        documents: tally.documents,
        sites: tally.sites.len(),
        authors: tally.authors.len(),
        languages: ranked(&tally.languages),
        oldest: tally.oldest,
        newest: tally.newest,
        undated: tally.undated,
        top_sites,
        index_bytes: folder_bytes(engine.dir())?,
        indexed_at: index::indexed_at(engine.dir()),
        version: env!("CARGO_PKG_VERSION"),
        format: index::FORMAT_VERSION,
    })
}

/// Names by document count, most first; ties in name order.
fn ranked(counts: &HashMap<String, usize>) -> Vec<Count> {
    let mut ranked: Vec<Count> = counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
}

/// Total size of the files directly in `dir` (an index folder is flat).
fn folder_bytes(dir: &Path) -> Result<u64> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(entries
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranked_puts_most_first_and_breaks_ties_by_name() {
        let counts = HashMap::from([
            ("Caspian Monitor".to_string(), 2),
            ("Steppe Review".to_string(), 5),
            ("Black Sea Brief".to_string(), 2),
        ]);
        assert_eq!(
            ranked(&counts),
            [
                ("Steppe Review".to_string(), 5),
                ("Black Sea Brief".to_string(), 2),
                ("Caspian Monitor".to_string(), 2),
            ]
        );
    }
}
