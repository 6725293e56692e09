//! Pseudo-relevance feedback for long questions. A question of many words
//! ("what similarity laws must be obeyed when constructing aeroelastic
//! models") names its topic with only some of the words its relevant pages
//! use. The best pages of a first search are taken as relevant, the words
//! they share that are rare in the archive are added to the query with a
//! small weight (the RM3 idea, with IDF to keep common words out). The
//! first search keeps every match's score, so only the added words are
//! searched again and their scores added: the ranking of the widened query
//! without scoring the question twice. Short queries are left alone: there
//! the user's exact words matter more than the drift expansion can bring.
//! `dossier similar` chooses the telling words of one article the same way,
//! by count times IDF, and ties in word order, so that one article always
//! gives the same query.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, BoostQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

use super::in_order;
use super::query::{Expr, Occur, WordMatch};
use crate::index::analysis::{Analysis, StemCache};
use crate::index::{Fields, StoredDocument};
use rayon::ThreadPool;
use rustc_hash::FxHashMap;

/// Questions of at least this many plain words get feedback.
pub const MIN_WORDS: usize = 4;

/// How many of the first results are taken as relevant.
pub const FEEDBACK_DOCS: usize = 10;

/// How many words are added to the query.
const EXPANSION_TERMS: usize = 20;

/// Weight of the strongest added word, relative to a query word.
const FEEDBACK_WEIGHT: Score = 0.7;

/// Candidates whose document frequencies are looked up together.
const LOOKUP_CHUNK: usize = 64;

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

/// The words that the `top` results of `expr` share, weighted, as a query
/// to add to the question's own; `None` when there are none.
pub fn expansion(
    searcher: &Searcher,
    pool: Option<&ThreadPool>,
    fields: &Fields,
    expr: &Expr,
    top: &[(Score, DocAddress)],
) -> Option<Box<dyn Query>> {
    let total_score: Score = top.iter().map(|(s, _)| s).sum();
    if top.is_empty() || total_score <= 0.0 {
        return None;
    }
    let read =
        |lexicons: &mut HashMap<&'static str, StemCache>, _, (_, addr): &(Score, DocAddress)| {
            read_stems(searcher, fields, lexicons, *addr)
        };
    let per_doc = in_order(pool, top, HashMap::new, read);
    // Weights by body field and stem, added occurrence by occurrence in
    // rank order so that they do not depend on how the reading was shared.
    let mut weights: FxHashMap<(Field, String), f64> = FxHashMap::default();
    for ((score, _), stems) in top.iter().zip(per_doc) {
        let Some(stems) = stems.filter(|s| s.occurrences > 0) else {
            continue;
        };
        let doc_weight = f64::from(*score / total_score) / stems.occurrences as f64;
        for (stem, count) in stems.counts {
            let weight = weights.entry((stems.field, stem)).or_default();
            for _ in 0..count {
                *weight += doc_weight;
            }
        }
    }
    let asked = asked_terms(expr);
    let candidates = weights
        .into_iter()
        .filter(|((_, stem), _)| !asked.contains(stem))
        .map(|((field, stem), w)| (Term::from_field_text(field, &stem), w));
    let scored = strongest_terms(searcher, pool, long_enough(candidates), EXPANSION_TERMS);
    (!scored.is_empty()).then(|| Box::new(weighted(scored, FEEDBACK_WEIGHT)) as Box<dyn Query>)
}

/// The candidates whose word has at least [`MIN_TERM_CHARS`] characters.
pub fn long_enough(candidates: impl IntoIterator<Item = (Term, f64)>) -> Vec<(Term, f64)> {
    candidates
        .into_iter()
        .filter(|(term, _)| {
            term.value()
                .as_str()
                .is_some_and(|word| word.chars().count() >= MIN_TERM_CHARS)
        })
        .collect()
}

/// A query for any of the `scored` terms, strongest first, each weighted
/// by its score relative to the strongest's, which weighs `top`.
pub fn weighted(scored: Vec<(Term, f64)>, top: Score) -> BooleanQuery {
    let strongest = scored.first().map_or(1.0, |(_, w)| *w);
    let terms = scored
        .into_iter()
        .map(|(term, w)| {
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            let boost = top * (w / strongest) as Score;
            (
                TOccur::Should,
                Box::new(BoostQuery::new(Box::new(query), boost)) as Box<dyn Query>,
            )
        })
        .collect();
    BooleanQuery::new(terms)
}

/// Every match with its score, a list per segment, in index order.
pub type Scores = Vec<Vec<(Score, DocAddress)>>;

/// Collects [`Scores`].
pub struct AllScores;

/// [`AllScores`] in one segment.
pub struct SegmentScores {
    segment_ord: u32,
    scored: Vec<(Score, DocAddress)>,
}

impl Collector for AllScores {
    type Fruit = Scores;
    type Child = SegmentScores;

    fn for_segment(&self, segment_ord: u32, _: &SegmentReader) -> tantivy::Result<SegmentScores> {
        Ok(SegmentScores {
            segment_ord,
            scored: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<(Score, DocAddress)>>) -> tantivy::Result<Scores> {
        Ok(segments)
    }
}

impl SegmentCollector for SegmentScores {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.scored
            .push((score, DocAddress::new(self.segment_ord, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.scored
    }
}

/// The matches of `base` and of `added`, in index order, each with the
/// sum of its scores in both: the scores of `base OR added`.
pub fn merged<'a>(
    base: &'a Scores,
    added: &'a Scores,
) -> impl Iterator<Item = (Score, DocAddress)> + 'a {
    let mut base = base.iter().flatten().copied().peekable();
    let mut added = added.iter().flatten().copied().peekable();
    std::iter::from_fn(
        move || match (base.peek().copied(), added.peek().copied()) {
            (Some((score, at)), Some((extra, other))) if at == other => {
                base.next();
                added.next();
                Some((score + extra, at))
            }
            (Some((_, at)), Some((_, other))) if other < at => added.next(),
            (Some(_), _) => base.next(),
            (None, _) => added.next(),
        },
    )
}

/// The `limit` best of `scored` after skipping `offset`, best first, and
/// how many there were in all; equal scores in index order, as tantivy's
/// `TopDocs` orders them.
pub fn best(
    scored: impl IntoIterator<Item = (Score, DocAddress)>,
    offset: usize,
    limit: usize,
) -> (Vec<(Score, DocAddress)>, usize) {
    let wanted = offset.saturating_add(limit);
    // The worst of the best so far is on top.
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(wanted.min(1024) + 1);
    let mut total = 0;
    for (score, addr) in scored {
        total += 1;
        let hit = Ranked(score, addr);
        if heap.len() < wanted {
            heap.push(hit);
        } else if heap.peek().is_some_and(|worst| hit < *worst) {
            heap.pop();
            heap.push(hit);
        }
    }
    let page = heap
        .into_sorted_vec()
        .into_iter()
        .skip(offset)
        .map(|Ranked(score, addr)| (score, addr))
        .collect();
    (page, total)
}

/// A scored match, ordered best first.
#[derive(Clone, Copy, PartialEq)]
struct Ranked(Score, DocAddress);

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| self.1.cmp(&other.1))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The stems of one document's title and body, for its language's body
/// field.
struct DocStems {
    field: Field,
    /// Each stem with its number of occurrences, in order of first use.
    counts: Vec<(String, usize)>,
    occurrences: usize,
}

/// Reads the document at `addr` with the lexicon of its language; `None`
/// when it cannot be read.
fn read_stems(
    searcher: &Searcher,
    fields: &Fields,
    lexicons: &mut HashMap<&'static str, StemCache>,
    addr: DocAddress,
) -> Option<DocStems> {
    let doc = searcher.doc::<TantivyDocument>(addr).ok()?;
    let doc = StoredDocument::read(&doc, fields);
    let analysis = Analysis::for_lang(doc.lang.as_deref());
    let lexicon = lexicons
        .entry(analysis.code)
        .or_insert_with(|| StemCache::new(analysis));
    let mut words = Vec::new();
    for text in [doc.title.as_deref().unwrap_or_default(), &doc.body] {
        lexicon.read(text, |_| true, |word| words.push(word.word));
    }
    // Stem ids are small and dense: a slot per id finds a stem's count.
    let mut slots: Vec<usize> = Vec::new();
    let mut counts: Vec<(u32, usize)> = Vec::new();
    for word in &words {
        let stem = lexicon.stem_of(*word);
        let slot = stem as usize;
        if slot >= slots.len() {
            slots.resize(slot + 1, usize::MAX);
        }
        if slots[slot] == usize::MAX {
            slots[slot] = counts.len();
            counts.push((stem, 0));
        }
        counts[slots[slot]].1 += 1;
    }
    Some(DocStems {
        field: fields.for_lang(doc.lang.as_deref()).body,
        counts: counts
            .into_iter()
            .map(|(stem, n)| (lexicon.stem_text(stem).to_string(), n))
            .collect(),
        occurrences: words.len(),
    })
}

/// The `limit` candidates of greatest weight times IDF, strongest first.
/// Candidates are taken by falling weight (equal weights in term order),
/// and the walk stops once even the highest possible IDF cannot
/// lift the next one into the selection: the top documents hold thousands
/// of distinct words, and looking each one up in the term dictionary would
/// cost more than the search itself. The lookups run a chunk at a time on
/// the search threads; a chunk may look up a few candidates past the stop.
pub fn strongest_terms(
    searcher: &Searcher,
    pool: Option<&ThreadPool>,
    mut candidates: Vec<(Term, f64)>,
    limit: usize,
) -> Vec<(Term, f64)> {
    let idf = Idf::new(searcher);
    let highest_idf = idf.of(0);
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut scored: Vec<(Term, f64)> = Vec::with_capacity(limit + 1);
    for chunk in candidates.chunks(LOOKUP_CHUNK) {
        let weakest = weakest_kept(&scored, limit);
        let score = |_: &mut (), _, (term, weight): &(Term, f64)| idf.score(term, *weight, weakest);
        let scores = in_order(pool, chunk, || (), score);
        for ((term, weight), score) in chunk.iter().zip(scores) {
            let weakest = weakest_kept(&scored, limit);
            if weakest.is_some_and(|weakest| weight * highest_idf <= weakest) {
                return scored;
            }
            let Some(score) = score else {
                continue;
            };
            if score > 0.0 && weakest.is_none_or(|weakest| score > weakest) {
                let at = scored.partition_point(|(_, s)| *s >= score);
                scored.insert(at, (term.clone(), score));
                scored.truncate(limit);
            }
        }
    }
    scored
}

/// The score a candidate must beat once `limit` words are kept.
fn weakest_kept(scored: &[(Term, f64)], limit: usize) -> Option<f64> {
    (limit > 0 && scored.len() == limit).then(|| scored[limit - 1].1)
}

/// IDF of candidate terms, read segment by segment, largest first.
struct Idf<'a> {
    docs: f64,
    segments: Vec<&'a SegmentReader>,
}

impl<'a> Idf<'a> {
    fn new(searcher: &'a Searcher) -> Idf<'a> {
        let mut segments: Vec<&SegmentReader> = searcher.segment_readers().iter().collect();
        segments.sort_by_key(|s| std::cmp::Reverse(s.num_docs()));
        Idf {
            docs: searcher.num_docs() as f64,
            segments,
        }
    }

    fn of(&self, doc_freq: u64) -> f64 {
        ((self.docs + 1.0) / (doc_freq as f64 + 1.0)).ln()
    }

    /// `weight` times the IDF of `term`; `None` once the documents counted
    /// so far show that it cannot score above `weakest`: the IDF only
    /// falls as more segments are counted, so the largest segments
    /// settle most common words without looking at the others.
    fn score(&self, term: &Term, weight: f64, weakest: Option<f64>) -> Option<f64> {
        let mut doc_freq = 0;
        for segment in &self.segments {
            doc_freq += segment
                .inverted_index(term.field())
                .ok()
                .and_then(|index| index.doc_freq(term).ok())
                .map_or(0, u64::from);
            if weakest.is_some_and(|weakest| weight * self.of(doc_freq) <= weakest) {
                return None;
            }
        }
        Some(weight * self.of(doc_freq))
    }
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
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn only_long_plain_questions_get_feedback() {
        assert!(applies(&query::literal(
            "what similarity laws must be obeyed when constructing models"
        )));
        assert!(!applies(&query::literal("energy corridor")));
        assert!(!applies(&query::parse("a b c d e f -g").unwrap()));
        assert!(!applies(&query::parse("title:a b c d e f g").unwrap()));
    }

    #[test]
    fn idf_scores_are_exact_unless_too_weak_to_matter() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in [
            &["grain", "grain", "grain", "tariffs"][..],
            &["grain", "corridor"],
        ] {
            for text in segment {
                writer.add_document(doc!(body => *text)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let idf = Idf::new(&searcher);
        let grain = Term::from_field_text(body, "grain");
        // Four of six documents: ln(7/5); the larger segment alone says ln(7/4).
        let exact = 2.0 * (7.0f64 / 5.0).ln();
        let after_first = 2.0 * (7.0f64 / 4.0).ln();
        assert_eq!(idf.score(&grain, 2.0, None), Some(exact));
        assert_eq!(idf.score(&grain, 2.0, Some(exact * 0.9)), Some(exact));
        assert_eq!(idf.score(&grain, 2.0, Some(exact)), None);
        assert_eq!(idf.score(&grain, 2.0, Some(after_first)), None);
        let absent = Term::from_field_text(body, "pipeline");
        assert_eq!(idf.score(&absent, 1.0, None), Some(7.0f64.ln()));
    }

    fn at(doc: u32) -> DocAddress {
        DocAddress::new(doc / 100, doc % 100)
    }

    #[test]
    fn best_orders_by_score_then_index_order_like_top_docs() {
        // Scores with many ties, in index order.
        let scored: Vec<(Score, DocAddress)> = (0..300)
            .map(|d| (((d * 37) % 11) as Score, at(d)))
            .collect();
        let mut reference = scored.clone();
        reference.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (offset, limit) in [(0, 10), (0, 1), (5, 7), (290, 20), (0, 0), (400, 10)] {
            let expected: Vec<_> = reference.iter().copied().skip(offset).take(limit).collect();
            let page = best(scored.iter().copied(), offset, limit);
            assert_eq!(page, (expected, 300), "offset {offset} limit {limit}");
        }
    }

    #[test]
    fn merged_scores_cover_both_sets_in_index_order() {
        let base = vec![vec![(1.0, at(2)), (2.0, at(5))], vec![(3.0, at(150))]];
        let added = vec![vec![(0.5, at(1)), (0.25, at(5))], vec![(0.125, at(151))]];
        assert_eq!(
            merged(&base, &added).collect::<Vec<_>>(),
            vec![
                (0.5, at(1)),
                (1.0, at(2)),
                (2.25, at(5)),
                (3.0, at(150)),
                (0.125, at(151)),
            ]
        );
    }
}
