//! Term statistics for one query, each looked up once. A query word is
//! asked for in the title and body field of every language present and in
//! `exact`, and the ranking rules repeat words (the all-words bonus and
//! proximity pairs): without a cache, every repetition reads the
//! term dictionary of every segment again, both to weigh the term and,
//! when the term is absent, to find nothing. Knowing a term's document
//! frequency also lets the query builder leave out terms no document holds,
//! such as an English word in the Russian fields, which the ranking cannot
//! notice: an absent term adds nothing to any score.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Document frequencies and field lengths of one searcher, memoised.
pub struct TermStats<'s> {
    searcher: &'s Searcher,
    doc_freqs: RefCell<FxHashMap<Term, u64>>,
    field_tokens: RefCell<FxHashMap<Field, u64>>,
}

impl<'s> TermStats<'s> {
    /// An empty cache over `searcher`.
    pub fn new(searcher: &'s Searcher) -> Self {
        TermStats {
            searcher,
            doc_freqs: RefCell::default(),
            field_tokens: RefCell::default(),
        }
    }

    /// The searcher the statistics are of.
    pub fn searcher(&self) -> &'s Searcher {
        self.searcher
    }

    /// Whether any document holds `term`. A dictionary that cannot be read
    /// counts as holding it, so the search itself reports the error.
    pub fn holds(&self, term: &Term) -> bool {
        self.doc_freq(term).map_or(true, |n| n > 0)
    }
}

impl Bm25StatisticsProvider for TermStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(&n) = self.field_tokens.borrow().get(&field) {
            return Ok(n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.field_tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&n) = self.doc_freqs.borrow().get(term) {
            return Ok(n);
        }
        let n = self.searcher.doc_freq(term)?;
        self.doc_freqs.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index};

    #[test]
    fn cached_frequencies_match_the_index_and_absent_terms_are_not_held() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        writer.add_document(doc!(body => "grain corridor")).unwrap();
        writer.add_document(doc!(body => "grain tariffs")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let stats = TermStats::new(&searcher);
        let grain = Term::from_field_text(body, "grain");
        for _ in 0..2 {
            assert_eq!(stats.doc_freq(&grain).unwrap(), 2);
        }
        assert!(stats.holds(&Term::from_field_text(body, "corridor")));
        assert!(!stats.holds(&Term::from_field_text(body, "pipeline")));
        assert_eq!(
            stats.total_num_tokens(body).unwrap(),
            searcher.total_num_tokens(body).unwrap()
        );
    }
}
