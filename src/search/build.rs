//! From a query tree to a tantivy query, and the ranking rules on top of
//! BM25: each word is looked up in the title and body fields of every
//! language present, stemmed the way that language's pages were; an exact
//! (unstemmed) match adds a little, so "energy" ranks pages saying
//! "energy" above pages saying only "energetic"; a short query ranks pages
//! holding all its words first; and adjacent query words found close
//! together add a proximity score.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, ExistsQuery, FuzzyTermQuery,
    Occur as TOccur, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime as TantivyDate, Score, Term};

use super::query::{is_filter, Expr, Occur, TextField, WordMatch};
use super::stats::TermStats;
use crate::index::analysis::{Analysis, PLAIN};
use crate::index::{Fields, LangFields};

/// Weight of the title fields against the body fields. The title is its
/// own BM25 field, so a title match already adds to the body score; on the
/// Cranfield end-to-end run weights above 1 lowered nDCG@10 (0.376 at 1.0,
/// 0.367 at 1.5, 0.356 at 2.0).
const TITLE_BOOST: Score = 1.0;

/// Weight of an exact (unstemmed) match on top of the stemmed match.
const EXACT_BOOST: Score = 0.2;

/// Queries of at most this many clauses rank pages holding all first.
const MAX_CLAUSES_FOR_ALL_FIRST: usize = 5;

/// Score added to pages holding every clause of a short query; larger than
/// any BM25 sum such a query reaches, so those pages come first.
const ALL_CLAUSES_BONUS: Score = 1000.0;

/// Adjacent query words within this many positions count as close.
const PROXIMITY_SLOP: u32 = 3;

/// Weight of a proximity match of two adjacent query words.
const PROXIMITY_BOOST: Score = 0.5;

/// Builds tantivy queries for one index.
pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    /// Language fields that hold documents; the others are skipped.
    langs: &'a [LangFields],
    /// Which terms exist: a term no document holds is left out.
    stats: &'a TermStats<'a>,
}

impl<'a> QueryBuilder<'a> {
    /// A builder over `fields`, searching the language fields in `langs`
    /// for the terms that `stats` finds in the index.
    pub fn new(fields: &'a Fields, langs: &'a [LangFields], stats: &'a TermStats<'a>) -> Self {
        QueryBuilder {
            fields,
            langs,
            stats,
        }
    }

    /// The query for `expr` with dossier's ranking rules.
    pub fn build(&self, expr: &Expr) -> Box<dyn Query> {
        let base = self.node(expr);
        let Expr::Clauses(clauses) = expr else {
            return base;
        };
        let mut ranked = vec![(TOccur::Should, base)];
        let positive: Vec<&Expr> = clauses
            .iter()
            .filter(|(o, _)| *o != Occur::MustNot)
            .map(|(_, e)| e)
            .collect();
        if (2..=MAX_CLAUSES_FOR_ALL_FIRST).contains(&positive.len()) {
            let all = clauses
                .iter()
                .map(|(o, e)| {
                    (
                        if *o == Occur::MustNot {
                            TOccur::MustNot
                        } else {
                            TOccur::Must
                        },
                        self.node(e),
                    )
                })
                .collect();
            ranked.push((
                TOccur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::new(all)),
                    ALL_CLAUSES_BONUS,
                )),
            ));
        }
        ranked.extend(
            self.proximity(&positive)
                .into_iter()
                .map(|q| (TOccur::Should, q)),
        );
        if ranked.len() == 1 {
            return ranked.pop().expect("one clause").1;
        }
        // The base query decides which pages match; the extras only rank.
        let (_, base) = ranked.remove(0);
        let extras = BooleanQuery::new(ranked);
        Box::new(BooleanQuery::new(vec![
            (TOccur::Must, base),
            (TOccur::Should, Box::new(extras)),
        ]))
    }

    fn node(&self, expr: &Expr) -> Box<dyn Query> {
        match expr {
            Expr::Word { .. } | Expr::Phrase { .. } => any_of(self.alternatives(expr)),
            Expr::All => Box::new(AllQuery),
            Expr::Lang(code) => Box::new(TermQuery::new(
                Term::from_field_text(self.fields.lang, code),
                IndexRecordOption::Basic,
            )),
            Expr::Published { from, to } => self.published(*from, *to),
            Expr::Or(alternatives) => Box::new(BooleanQuery::new(
                alternatives
                    .iter()
                    .map(|e| (TOccur::Should, self.node(e)))
                    .collect(),
            )),
            Expr::Clauses(clauses) => self.clauses(clauses),
        }
    }

    /// A group of clauses. When its only required clauses are filters
    /// (dates, language, site, author), at least one of its words must
    /// match too: "grain site:X" is grain pages of X, not all of X.
    fn clauses(&self, clauses: &[(Occur, Expr)]) -> Box<dyn Query> {
        let node = |(occur, e): &(Occur, Expr)| (to_tantivy(*occur), self.node(e));
        let musts: Vec<&Expr> = clauses
            .iter()
            .filter(|(o, _)| *o == Occur::Must)
            .map(|(_, e)| e)
            .collect();
        let only_filters = !musts.is_empty() && musts.iter().all(|e| is_filter(e));
        let (shoulds, others): (Vec<_>, Vec<_>) =
            clauses.iter().partition(|(o, _)| *o == Occur::Should);
        let mut out: Vec<(TOccur, Box<dyn Query>)> = others.into_iter().map(node).collect();
        // Several optional words are searched as one flat union of their
        // field alternatives: tantivy scores a union of terms faster than a
        // union of unions. A lone word stays a union of its own, which
        // tantivy ranks without the block-skipping of a term union: with a
        // word's fields as the terms, that skipping costs more than it saves.
        let alternatives: Vec<(TOccur, Box<dyn Query>)> = if shoulds.len() > 1 {
            shoulds
                .into_iter()
                .flat_map(|(_, e)| self.alternatives(e))
                .map(|q| (TOccur::Should, q))
                .collect()
        } else {
            shoulds.into_iter().map(node).collect()
        };
        if only_filters && !alternatives.is_empty() {
            let words = BooleanQuery::new(alternatives);
            out.push((TOccur::Must, Box::new(words)));
        } else {
            out.extend(alternatives);
        }
        if out.iter().all(|(o, _)| *o == TOccur::MustNot) {
            out.push((TOccur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(out))
    }

    /// The queries of which `expr` matches any, at least one.
    fn alternatives(&self, expr: &Expr) -> Vec<Box<dyn Query>> {
        let parts = match expr {
            Expr::Word {
                field,
                text,
                matching,
            } => self.word(*field, text, *matching),
            Expr::Phrase { field, text, slop } => self.phrase(*field, text, *slop),
            _ => vec![self.node(expr)],
        };
        if parts.is_empty() {
            vec![Box::new(EmptyQuery)]
        } else {
            parts
        }
    }

    /// A word in the chosen field, or in every language's title and body.
    fn word(
        &self,
        field: Option<TextField>,
        text: &str,
        matching: WordMatch,
    ) -> Vec<Box<dyn Query>> {
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        // `exact` has no positions: only a word that is one term there
        // (not "Kars-Tbilisi") can be looked up in it.
        let one_exact_term = PLAIN.terms(text).len() == 1;
        match field {
            Some(TextField::Author) => {
                parts.extend(self.single_word(self.fields.author, PLAIN, text, matching, 1.0))
            }
            Some(TextField::Site) => {
                parts.extend(self.single_word(self.fields.site, PLAIN, text, matching, 1.0))
            }
            Some(TextField::Url) => {
                parts.extend(self.single_word(self.fields.url, PLAIN, text, matching, 1.0))
            }
            // A prefix or a fuzzy word anywhere is about the words as
            // written, which `exact` holds unstemmed: looked up there
            // alone, it matches what snippets mark, and one automaton runs
            // over one dictionary instead of one per language field.
            None if matching != WordMatch::Stemmed && one_exact_term => {
                parts.extend(self.single_word(self.fields.exact, PLAIN, text, matching, 1.0))
            }
            _ => {
                let in_title = field != Some(TextField::Body);
                let in_body = field != Some(TextField::Title);
                for lang in self.langs {
                    // Prefixes and fuzzy words match unstemmed forms against stems.
                    let analysis = if matching == WordMatch::Stemmed {
                        lang.analysis
                    } else {
                        PLAIN
                    };
                    if in_title {
                        parts.extend(self.single_word(
                            lang.title,
                            analysis,
                            text,
                            matching,
                            TITLE_BOOST,
                        ));
                    }
                    if in_body {
                        parts.extend(self.single_word(lang.body, analysis, text, matching, 1.0));
                    }
                }
                if field.is_none() && one_exact_term {
                    parts.extend(self.single_word(
                        self.fields.exact,
                        PLAIN,
                        text,
                        matching,
                        EXACT_BOOST,
                    ));
                }
            }
        }
        parts
    }

    fn phrase(&self, field: Option<TextField>, text: &str, slop: u32) -> Vec<Box<dyn Query>> {
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        match field {
            Some(TextField::Author) => {
                parts.extend(self.words_in_order(self.fields.author, PLAIN, text, slop))
            }
            Some(TextField::Site) => {
                parts.extend(self.words_in_order(self.fields.site, PLAIN, text, slop))
            }
            Some(TextField::Url) => {
                parts.extend(self.words_in_order(self.fields.url, PLAIN, text, slop))
            }
            _ => {
                for lang in self.langs {
                    if field != Some(TextField::Body) {
                        parts.extend(self.words_in_order(lang.title, lang.analysis, text, slop));
                    }
                    if field != Some(TextField::Title) {
                        parts.extend(self.words_in_order(lang.body, lang.analysis, text, slop));
                    }
                }
            }
        }
        parts
    }

    fn published(&self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Box<dyn Query> {
        if from.is_none() && to.is_none() {
            return Box::new(ExistsQuery::new("published".to_string(), false));
        }
        let term = |d: DateTime<Utc>| {
            Term::from_field_date_for_search(
                self.fields.published,
                TantivyDate::from_timestamp_secs(d.timestamp()),
            )
        };
        let lower = from.map_or(Bound::Unbounded, |d| Bound::Included(term(d)));
        let upper = to.map_or(Bound::Unbounded, |d| Bound::Excluded(term(d)));
        Box::new(RangeQuery::new(lower, upper))
    }

    /// Pairs of adjacent default-field words, found close together in a body.
    fn proximity(&self, positive: &[&Expr]) -> Vec<Box<dyn Query>> {
        let words: Vec<&str> = positive
            .iter()
            .filter_map(|e| match e {
                Expr::Word {
                    field: None,
                    text,
                    matching: WordMatch::Stemmed,
                } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        words
            .windows(2)
            .flat_map(|pair| {
                let text = format!("{} {}", pair[0], pair[1]);
                self.langs.iter().filter_map(move |lang| {
                    self.words_in_order(lang.body, lang.analysis, &text, PROXIMITY_SLOP)
                        .map(|q| boosted(q, PROXIMITY_BOOST))
                })
            })
            .collect()
    }

    /// A single word in one field: a term, a prefix or a fuzzy term. A "word"
    /// that analyses to several terms (Kars-Tbilisi) is matched as a phrase.
    /// `None` when it can match nothing.
    fn single_word(
        &self,
        field: Field,
        analysis: Analysis,
        text: &str,
        matching: WordMatch,
        boost: Score,
    ) -> Option<Box<dyn Query>> {
        let terms = analysis.terms(text);
        let query: Box<dyn Query> = match (terms.as_slice(), matching) {
            ([term], WordMatch::Prefix) => Box::new(
                RegexQuery::from_pattern(&format!("{}.*", regex::escape(term)), field).ok()?,
            ),
            ([term], WordMatch::Fuzzy(distance)) => Box::new(FuzzyTermQuery::new(
                Term::from_field_text(field, term),
                distance,
                true,
            )),
            (_, _) => self.terms_in_order(field, &terms, 0)?,
        };
        Some(boosted(query, boost))
    }

    /// The words of `text`, analysed for `field`, in order within `slop`.
    fn words_in_order(
        &self,
        field: Field,
        analysis: Analysis,
        text: &str,
        slop: u32,
    ) -> Option<Box<dyn Query>> {
        self.terms_in_order(field, &analysis.terms(text), slop)
    }

    /// `terms` of `field` in order within `slop`; `None` when there are
    /// none or one of them is in no document.
    fn terms_in_order(&self, field: Field, terms: &[String], slop: u32) -> Option<Box<dyn Query>> {
        let terms: Vec<Term> = terms
            .iter()
            .map(|t| Term::from_field_text(field, t))
            .collect();
        if !terms.iter().all(|t| self.stats.holds(t)) {
            return None;
        }
        match terms.as_slice() {
            [] => None,
            [one] => Some(Box::new(TermQuery::new(
                one.clone(),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(Box::new(PhraseQuery::new_with_offset_and_slop(
                terms.into_iter().enumerate().collect(),
                slop,
            ))),
        }
    }
}

fn to_tantivy(occur: Occur) -> TOccur {
    match occur {
        Occur::Should => TOccur::Should,
        Occur::Must => TOccur::Must,
        Occur::MustNot => TOccur::MustNot,
    }
}

fn boosted(query: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

fn any_of(mut parts: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match parts.len() {
        0 => Box::new(EmptyQuery),
        1 => parts.pop().expect("one part"),
        _ => Box::new(BooleanQuery::new(
            parts.into_iter().map(|q| (TOccur::Should, q)).collect(),
        )),
    }
}
