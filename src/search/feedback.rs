//! Pseudo-relevance feedback for long questions. A question of many words
//! ("what similarity laws must be obeyed when constructing aeroelastic
//! models") names its topic with only some of the words its relevant pages
//! use. The best pages of a first search are taken as relevant, the words
//! they share that are rare in the archive are added to the query with a
//! small weight, and the search runs again (the RM3 idea, with IDF to keep
//! common words out). Short queries are left alone: there the user's exact
//! words matter more than the drift expansion can bring.

use std::collections::{HashMap, HashSet};

use tantivy::query::{BooleanQuery, BoostQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};

use super::query::{Expr, Occur, WordMatch};
use crate::index::analysis::{Analysis, StemCache, PLAIN};
use crate::index::{Fields, StoredDocument};

/// Questions of at least this many plain words get feedback.
pub const MIN_WORDS: usize = 4;

/// How many of the first results are taken as relevant.
pub const FEEDBACK_DOCS: usize = 10;

/// How many words are added to the query.
const EXPANSION_TERMS: usize = 20;

/// Weight of the strongest added word, relative to a query word.
const FEEDBACK_WEIGHT: Score = 0.7;

/// Words shorter than this are not added (numbers, initials).
const MIN_TERM_CHARS: usize = 3;

/// Whether `expr` is a long question of plain words.
pub fn applies(expr: &Expr) -> bool {
    match expr {
        Expr::Clauses(clauses) => {
            let plain_words = clauses
                .iter()
                .filter(|(o, e)| {
                    *o == Occur::Should
                        && matches!(
                            e,
                            Expr::Word {
                                field: None,
                                matching: WordMatch::Stemmed,
                                ..
                            }
                        )
                })
                .count();
            plain_words >= MIN_WORDS && plain_words == clauses.len()
        }
        _ => false,
    }
}

/// `base` widened with the words that the `top` results share.
pub fn expand(
    searcher: &Searcher,
    fields: &Fields,
    expr: &Expr,
    base: Box<dyn Query>,
    top: &[(Score, DocAddress)],
) -> Box<dyn Query> {
    let total_score: Score = top.iter().map(|(s, _)| s).sum();
    if top.is_empty() || total_score <= 0.0 {
        return base;
    }
    let mut weights: HashMap<(Term, String), f64> = HashMap::new();
    let mut stems: HashMap<&'static str, StemCache> = HashMap::new();
    for (score, addr) in top {
        let Ok(doc) = searcher.doc::<TantivyDocument>(*addr) else {
            continue;
        };
        let doc = StoredDocument::read(&doc, fields);
        let analysis = Analysis::for_lang(doc.lang.as_deref());
        let body_field = fields.for_lang(doc.lang.as_deref()).body;
        let title = doc.title.unwrap_or_default();
        let terms: Vec<String> = PLAIN
            .terms(&format!("{title}\n{}", doc.body))
            .iter()
            .map(|word| {
                stems
                    .entry(analysis.code)
                    .or_insert_with(|| StemCache::new(analysis))
                    .stem(word)
                    .to_string()
            })
            .collect();
        if terms.is_empty() {
            continue;
        }
        let doc_weight = f64::from(*score / total_score) / terms.len() as f64;
        for term in terms {
            *weights
                .entry((Term::from_field_text(body_field, &term), term))
                .or_default() += doc_weight;
        }
    }
    let asked = asked_terms(expr);
    let docs = searcher.num_docs() as f64;
    let mut scored: Vec<(Term, f64)> = weights
        .into_iter()
        .filter(|((_, text), _)| text.chars().count() >= MIN_TERM_CHARS && !asked.contains(text))
        .map(|((term, _), w)| {
            let df = searcher.doc_freq(&term).unwrap_or(0) as f64;
            let idf = ((docs + 1.0) / (df + 1.0)).ln();
            (term, w * idf)
        })
        .filter(|(_, w)| *w > 0.0)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(EXPANSION_TERMS);
    let Some(strongest) = scored.first().map(|(_, w)| *w) else {
        return base;
    };
    let added: Vec<(TOccur, Box<dyn Query>)> = scored
        .into_iter()
        .map(|(term, w)| {
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            let boost = FEEDBACK_WEIGHT * (w / strongest) as Score;
            (
                TOccur::Should,
                Box::new(BoostQuery::new(Box::new(query), boost)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(vec![
        (TOccur::Should, base),
        (TOccur::Should, Box::new(BooleanQuery::new(added))),
    ]))
}

/// The query's own words, in every analysis' form, so they are not added twice.
fn asked_terms(expr: &Expr) -> HashSet<String> {
    let mut out = HashSet::new();
    if let Expr::Clauses(clauses) = expr {
        for (_, e) in clauses {
            if let Expr::Word { text, .. } = e {
                out.extend(
                    crate::index::analysis::ANALYSES
                        .iter()
                        .flat_map(|a| a.terms(text)),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query;

    #[test]
    fn only_long_plain_questions_get_feedback() {
        assert!(applies(&query::literal(
            "what similarity laws must be obeyed when constructing models"
        )));
        assert!(!applies(&query::literal("energy corridor")));
        assert!(!applies(&query::parse("a b c d e f -g").unwrap()));
        assert!(!applies(&query::parse("title:a b c d e f g").unwrap()));
    }
}
