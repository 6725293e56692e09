//! Pseudo-relevance feedback for long questions. A question of many words
//! ("what similarity laws must be obeyed when constructing aeroelastic
//! models") names its topic with only some of the words its relevant pages
//! use. The best pages of a first search are taken as relevant, the words
//! they share that are rare in the archive are added to the query with a
//! small weight, and the search runs again (the RM3 idea, with IDF to keep
//! common words out). Short queries are left alone: there the user's exact
//! words matter more than the drift expansion can bring.

use std::collections::{HashMap, HashSet};

use tantivy::query::Bm25StatisticsProvider;
use tantivy::query::{BooleanQuery, BoostQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Score, TantivyDocument, Term};

use super::query::{Expr, Occur, WordMatch};
use super::stats::TermStats;
use crate::index::analysis::{Analysis, StemCache};
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
    stats: &TermStats,
    fields: &Fields,
    expr: &Expr,
    base: Box<dyn Query>,
    top: &[(Score, DocAddress)],
) -> Box<dyn Query> {
    let total_score: Score = top.iter().map(|(s, _)| s).sum();
    if top.is_empty() || total_score <= 0.0 {
        return base;
    }
    // Weights by (analysis, body field, stem id in that analysis' cache).
    let mut weights: HashMap<(&'static str, Field, u32), f64> = HashMap::new();
    let mut lexicons: HashMap<&'static str, StemCache> = HashMap::new();
    for (score, addr) in top {
        let Ok(doc) = stats.searcher().doc::<TantivyDocument>(*addr) else {
            continue;
        };
        let doc = StoredDocument::read(&doc, fields);
        let analysis = Analysis::for_lang(doc.lang.as_deref());
        let body_field = fields.for_lang(doc.lang.as_deref()).body;
        let lexicon = lexicons
            .entry(analysis.code)
            .or_insert_with(|| StemCache::new(analysis));
        let mut words = Vec::new();
        for text in [doc.title.as_deref().unwrap_or_default(), &doc.body] {
            lexicon.read(text, |_| true, |word| words.push(word.word));
        }
        let stems: Vec<u32> = words.into_iter().map(|w| lexicon.stem_of(w)).collect();
        if stems.is_empty() {
            continue;
        }
        let doc_weight = f64::from(*score / total_score) / stems.len() as f64;
        for stem in stems {
            *weights
                .entry((analysis.code, body_field, stem))
                .or_default() += doc_weight;
        }
    }
    let asked = asked_terms(expr);
    let candidates = weights
        .into_iter()
        .filter_map(|((code, field, stem), w)| {
            let text = lexicons[code].stem_text(stem);
            (text.chars().count() >= MIN_TERM_CHARS && !asked.contains(text))
                .then(|| (Term::from_field_text(field, text), w))
        })
        .collect();
    let scored = strongest_terms(stats, candidates);
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

/// The `EXPANSION_TERMS` candidates of greatest weight times IDF, strongest
/// first. Candidates are taken by falling weight, and the walk stops once
/// even the highest possible IDF cannot lift the next one into the
/// selection: the top documents hold thousands of distinct words, and
/// looking each one up in the term dictionary would cost more than the
/// search itself.
fn strongest_terms(stats: &TermStats, mut candidates: Vec<(Term, f64)>) -> Vec<(Term, f64)> {
    let docs = stats.searcher().num_docs() as f64;
    let idf = |df: f64| ((docs + 1.0) / (df + 1.0)).ln();
    let highest_idf = idf(0.0);
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut scored: Vec<(Term, f64)> = Vec::with_capacity(EXPANSION_TERMS + 1);
    for (term, weight) in candidates {
        let weakest = (scored.len() == EXPANSION_TERMS).then(|| scored[EXPANSION_TERMS - 1].1);
        if weakest.is_some_and(|weakest| weight * highest_idf <= weakest) {
            break;
        }
        let score = weight * idf(stats.doc_freq(&term).unwrap_or(0) as f64);
        if score > 0.0 && weakest.is_none_or(|weakest| score > weakest) {
            let at = scored.partition_point(|(_, s)| *s >= score);
            scored.insert(at, (term, score));
            scored.truncate(EXPANSION_TERMS);
        }
    }
    scored
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
