//! Whole documents read back out of an index: one document by its id or
//! path (`show`), and every document, or every match of a query, one at a
//! time (`export`, `stats`). Documents are handed on as they are read, so
//! no more than one document's text is held at once.

use tantivy::collector::DocSetCollector;
use tantivy::query::BooleanQuery;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::StoredDocument;
use crate::search::Engine;

/// Finds the document whose id or stored path is `key`. A path is tried as
/// given, then in its canonical form (absolute, links resolved), which is
/// how it is stored when the archive was indexed by an absolute path.
pub fn find(engine: &Engine, key: &str) -> Result<StoredDocument> {
    let f = engine.fields();
    let mut terms = vec![
        Term::from_field_text(f.id, key),
        Term::from_field_text(f.path, key),
    ];
    if let Ok(canonical) = std::fs::canonicalize(key) {
        terms.push(Term::from_field_text(f.path, &canonical.to_string_lossy()));
    }
    let searcher = engine.searcher();
    let found = searcher
        .search(&BooleanQuery::new_multiterms_query(terms), &DocSetCollector)
        .map_err(|e| Error::index(engine.dir(), e))?;
    let first = found.into_iter().min();
    let addr = first.ok_or_else(|| Error::NoDocument(key.to_string()))?;
    read(engine, &searcher, addr)
}

/// Calls `each` with every document of the index, segment by segment in
/// storage order; returns how many there were.
pub fn each_document(
    engine: &Engine,
    each: &mut dyn FnMut(&StoredDocument) -> Result<()>,
) -> Result<usize> {
    let searcher = engine.searcher();
    let failed = |e: tantivy::TantivyError| Error::index(engine.dir(), e);
    let mut count = 0;
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1).map_err(|e| failed(e.into()))?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            each(&StoredDocument::read(
                &doc.map_err(failed)?,
                engine.fields(),
            ))?;
            count += 1;
        }
    }
    Ok(count)
}

/// Calls `each` with every document matching `query` (read as `search`
/// reads it, literally or not), in index order; returns how many matched.
pub fn each_match(
    engine: &Engine,
    query: &str,
    literal: bool,
    each: &mut dyn FnMut(&StoredDocument) -> Result<()>,
) -> Result<usize> {
    let searcher = engine.searcher();
    let matches = engine.matches(&searcher, query, literal)?;
    for addr in &matches {
        each(&read(engine, &searcher, *addr)?)?;
    }
    Ok(matches.len())
}

fn read(engine: &Engine, searcher: &Searcher, addr: DocAddress) -> Result<StoredDocument> {
    let doc: TantivyDocument = searcher
        .doc(addr)
        .map_err(|e| Error::index(engine.dir(), e))?;
    Ok(StoredDocument::read(&doc, engine.fields()))
}
