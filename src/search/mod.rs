//! Search: from a query string to ranked hits with snippets and facets.
//! `query` parses dossier's query language, `build` turns the tree into a
//! tantivy query with the ranking rules, `snippet` marks why each page
//! matched; this module runs them against an opened index, sorts, pages,
//! counts facets, finds similar articles and assembles hits from stored
//! fields.

pub mod build;
mod feedback;
pub mod query;
pub mod snippet;
mod stats;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, TimeZone, Utc};
use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use rustc_hash::FxHashMap;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DateTime as TantivyDate, DocAddress, Executor, IndexReader, Order, Score, Searcher,
    TantivyDocument, Term,
};

use crate::error::{Error, Result};
use crate::index::analysis::{Analysis, DEFAULT};
use crate::index::{DossierIndex, Fields, LangFields, StoredDocument};
use build::QueryBuilder;
use query::Expr;
use snippet::{Snippet, SnippetMaker};
use stats::TermStats;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// Oldest publication first.
    DateAscending,
    /// Newest publication first.
    DateDescending,
}

/// A field whose values are counted over all matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetField {
    /// Site name.
    Site,
    /// Author name.
    Author,
    /// Year of publication.
    Year,
    /// Language code.
    Lang,
}

impl FacetField {
    /// The name used on the command line and in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            FacetField::Site => "site",
            FacetField::Author => "author",
            FacetField::Year => "year",
            FacetField::Lang => "lang",
        }
    }
}

/// Value counts of one facet, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCounts {
    /// The counted field.
    pub field: FacetField,
    /// Each value with the number of matching pages holding it.
    pub counts: Vec<(String, u64)>,
}

/// How a query is read and what comes back.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Maximum number of hits.
    pub limit: usize,
    /// Hits to skip before the first one returned.
    pub offset: usize,
    /// Treat the query as plain words: no operators, never a syntax error.
    pub literal: bool,
    /// Approximate snippet length in characters.
    pub snippet_chars: usize,
    /// Snippet fragments per hit.
    pub snippets: usize,
    /// Order of the hits.
    pub sort: SortOrder,
    /// Facets to count over all matches.
    pub facets: Vec<FacetField>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            literal: false,
            snippet_chars: 200,
            snippets: 1,
            sort: SortOrder::Relevance,
            facets: Vec::new(),
        }
    }
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank, counting skipped hits.
    pub rank: usize,
    /// Ranking score; comparable only within one query (0 when sorted by date).
    pub score: Score,
    /// The matching document's stored fields.
    pub document: StoredDocument,
    /// Best passages with highlights, in body order; never empty.
    pub snippets: Vec<Snippet>,
}

/// The result of one query.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// How many documents matched in all.
    pub total_hits: usize,
    /// Facet counts, in the order asked for.
    pub facets: Vec<FacetCounts>,
    /// Time spent answering.
    pub elapsed: Duration,
}

/// An index opened for searching.
pub struct Engine {
    index: DossierIndex,
    reader: IndexReader,
    /// Language fields that hold at least one document.
    langs: Vec<LangFields>,
    /// Threads that search segments and make snippets side by side, so
    /// one query uses every core; `None` on a single core.
    pool: Option<Arc<ThreadPool>>,
}

/// A page of hits (score and address, best first) and the number of
/// matches in all.
type Page = (Vec<(Score, DocAddress)>, usize);

/// Search threads at most: segments and hits are few, and a thread costs
/// its start-up in every `dossier search` process.
const MAX_SEARCH_THREADS: usize = 4;

/// How many of an article's words `similar` looks for.
const SIMILAR_TERMS: usize = 40;

impl Engine {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &Path) -> Result<Engine> {
        let mut index = DossierIndex::open(dir)?;
        let pool = search_pool();
        if let Some(pool) = &pool {
            index.index.set_executor(Executor::ThreadPool(pool.clone()));
        }
        let reader = index.reader()?;
        let langs = languages_present(&reader.searcher(), &index.fields);
        Ok(Engine {
            index,
            reader,
            langs,
            pool,
        })
    }

    /// The index's fields.
    pub fn fields(&self) -> &Fields {
        &self.index.fields
    }

    fn index_error(&self, e: tantivy::TantivyError) -> Error {
        Error::index(&self.index.dir, e)
    }

    /// Parses `text` (or reads it as plain words with `literal`).
    pub fn parse(&self, text: &str, literal: bool) -> Result<Expr> {
        let expr = if literal {
            query::literal(text)
        } else {
            query::parse(text).map_err(|e| Error::Query {
                query: text.to_string(),
                message: e.to_string(),
            })?
        };
        Ok(query::without_stop_words(expr))
    }

    fn pool(&self) -> Option<&ThreadPool> {
        self.pool.as_deref()
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.index.dir
    }

    /// A searcher over the index as last committed; document addresses are
    /// valid only with the searcher they came from.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Every document matching `text`, read as [`Engine::search`] reads it,
    /// in index order.
    pub fn matches(
        &self,
        searcher: &Searcher,
        text: &str,
        literal: bool,
    ) -> Result<Vec<DocAddress>> {
        let expr = self.parse(text, literal)?;
        let stats = TermStats::new(searcher);
        let query = QueryBuilder::new(self.fields(), &self.langs, &stats).build(&expr);
        let found = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.index_error(e))?;
        let mut addresses: Vec<DocAddress> = found.into_iter().collect();
        addresses.sort();
        Ok(addresses)
    }

    /// Runs one query.
    pub fn search(&self, text: &str, opts: &SearchOptions) -> Result<Outcome> {
        let started = Instant::now();
        let expr = self.parse(text, opts.literal)?;
        let searcher = self.reader.searcher();
        let stats = TermStats::new(&searcher);
        let base = QueryBuilder::new(self.fields(), &self.langs, &stats).build(&expr);
        let (query, page) = if opts.sort == SortOrder::Relevance && feedback::applies(&expr) {
            self.with_feedback(&stats, &expr, base, opts)?
        } else {
            let page = self.top_docs(&stats, &*base, opts)?;
            (base, page)
        };
        let mut outcome = self.outcome(&searcher, page, &expr, opts, opts.snippets)?;
        outcome.facets = self.facets(&searcher, &*query, &opts.facets)?;
        outcome.elapsed = started.elapsed();
        Ok(outcome)
    }

    /// The requested page of hits for a long question: the matches of
    /// `base` are scored once, the best of them widen the question
    /// (`feedback`), and the added words' scores are added to the base
    /// scores, which is what searching `base OR added` would score,
    /// without evaluating `base` a second time. Also returns that widened
    /// query, for facets.
    fn with_feedback(
        &self,
        stats: &TermStats,
        expr: &Expr,
        base: Box<dyn Query>,
        opts: &SearchOptions,
    ) -> Result<(Box<dyn Query>, Page)> {
        let scored = self.all_scores(stats, &*base)?;
        let base_scores = || scored.iter().flatten().copied();
        let (first, _) = feedback::best(base_scores(), 0, feedback::FEEDBACK_DOCS);
        let added = feedback::expansion(stats.searcher(), self.pool(), self.fields(), expr, &first);
        let Some(added) = added else {
            let page = feedback::best(base_scores(), opts.offset, opts.limit);
            return Ok((base, page));
        };
        let extra = self.all_scores(stats, &*added)?;
        let page = feedback::best(feedback::merged(&scored, &extra), opts.offset, opts.limit);
        let widened = BooleanQuery::new(vec![(TOccur::Should, base), (TOccur::Should, added)]);
        Ok((Box::new(widened), page))
    }

    /// Every match of `query` with its score, in index order.
    fn all_scores(&self, stats: &TermStats, query: &dyn Query) -> Result<feedback::Scores> {
        stats
            .searcher()
            .search_with_statistics_provider(query, &feedback::AllScores, stats)
            .map_err(|e| self.index_error(e))
    }

    /// The hits of `page`, with snippets for `marks`.
    fn outcome(
        &self,
        searcher: &Searcher,
        (top, total_hits): Page,
        marks: &Expr,
        opts: &SearchOptions,
        fragments: usize,
    ) -> Result<Outcome> {
        let started = Instant::now();
        let hit = |snippets: &mut SnippetMaker, i: usize, &(score, addr): &(Score, DocAddress)| {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.index_error(e))?;
            let document = StoredDocument::read(&doc, self.fields());
            let analysis = Analysis::for_lang(document.lang.as_deref());
            Ok(Hit {
                rank: opts.offset + i + 1,
                score,
                snippets: snippets.snippets(&document.body, analysis, fragments),
                document,
            })
        };
        let maker = || SnippetMaker::new(marks, opts.snippet_chars);
        let hits = in_order(self.pool(), &top, maker, hit)
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        Ok(Outcome {
            hits,
            total_hits,
            facets: Vec::new(),
            elapsed: started.elapsed(),
        })
    }

    /// The requested page of matches and how many there are in all, in
    /// one pass over the matches.
    fn top_docs(&self, stats: &TermStats, query: &dyn Query, opts: &SearchOptions) -> Result<Page> {
        let failed = |e| self.index_error(e);
        let searcher = stats.searcher();
        if opts.limit == 0 {
            return Ok((Vec::new(), searcher.search(query, &Count).map_err(failed)?));
        }
        let top = || TopDocs::with_limit(opts.limit).and_offset(opts.offset);
        let by_date = |order: Order| -> Result<(Vec<(Score, DocAddress)>, usize)> {
            let collector = top().order_by_fast_field::<TantivyDate>("published", order);
            let (docs, count) = searcher
                .search(query, &(collector, Count))
                .map_err(failed)?;
            Ok((
                docs.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
                count,
            ))
        };
        match opts.sort {
            SortOrder::Relevance => searcher
                .search_with_statistics_provider(query, &(top().order_by_score(), Count), stats)
                .map_err(failed),
            SortOrder::DateAscending => by_date(Order::Asc),
            SortOrder::DateDescending => by_date(Order::Desc),
        }
    }

    /// Counts the values of `wanted` facets over every match of `query`.
    fn facets(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        wanted: &[FacetField],
    ) -> Result<Vec<FacetCounts>> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let matches = searcher
            .search(query, &DocSetCollector)
            .map_err(|e| self.index_error(e))?;
        let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
        for addr in matches {
            by_segment
                .entry(addr.segment_ord)
                .or_default()
                .push(addr.doc_id);
        }
        wanted
            .iter()
            .map(|field| {
                let mut counts: HashMap<String, u64> = HashMap::new();
                for (segment, docs) in &by_segment {
                    let reader = searcher.segment_reader(*segment);
                    count_values(reader, *field, docs, &mut counts)
                        .map_err(|e| self.index_error(e))?;
                }
                let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
                counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                Ok(FacetCounts {
                    field: *field,
                    counts,
                })
            })
            .collect()
    }

    /// Articles like `like`, an indexed document, best first.
    pub fn similar(&self, like: &StoredDocument, opts: &SearchOptions) -> Result<Outcome> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let f = self.fields();
        let indexed = f.for_lang(like.lang.as_deref());
        let analysis = indexed.analysis;
        let title = like.title.as_deref().unwrap_or_default();
        let mut counts: FxHashMap<Term, f64> = FxHashMap::default();
        for (field, text) in [(indexed.title, title), (indexed.body, &like.body)] {
            for term in analysis.terms(text) {
                *counts
                    .entry(Term::from_field_text(field, &term))
                    .or_default() += 1.0;
            }
        }
        let telling = feedback::strongest_terms(
            &searcher,
            self.pool(),
            feedback::long_enough(counts),
            SIMILAR_TERMS,
        );
        let more_like = feedback::weighted(telling, 1.0);
        let itself = TermQuery::new(
            Term::from_field_text(f.id, &like.id),
            IndexRecordOption::Basic,
        );
        let query = BooleanQuery::new(vec![
            (TOccur::Must, Box::new(more_like)),
            (TOccur::MustNot, Box::new(itself)),
        ]);
        let stats = TermStats::new(&searcher);
        let page = self.top_docs(&stats, &query, opts)?;
        let mut outcome = self.outcome(&searcher, page, &Expr::Clauses(Vec::new()), opts, 1)?;
        outcome.elapsed = started.elapsed();
        Ok(outcome)
    }
}

/// Adds the values `field` takes in `docs` of one segment to `counts`.
fn count_values(
    reader: &tantivy::SegmentReader,
    field: FacetField,
    docs: &[u32],
    counts: &mut HashMap<String, u64>,
) -> tantivy::Result<()> {
    let fast = reader.fast_fields();
    let column = match field {
        FacetField::Year => {
            let dates = fast.date("published")?;
            for doc in docs {
                if let Some(d) = dates.first(*doc) {
                    if let Some(t) = Utc.timestamp_opt(d.into_timestamp_secs(), 0).single() {
                        *counts.entry(t.year().to_string()).or_default() += 1;
                    }
                }
            }
            return Ok(());
        }
        FacetField::Site => fast.str("site_raw")?,
        FacetField::Author => fast.str("author_raw")?,
        FacetField::Lang => fast.str("lang")?,
    };
    let Some(column) = column else {
        return Ok(());
    };
    let mut value = String::new();
    for doc in docs {
        let ords: HashSet<u64> = column.term_ords(*doc).collect();
        for ord in ords {
            value.clear();
            if column.ord_to_str(ord, &mut value)? {
                *counts.entry(value.clone()).or_default() += 1;
            }
        }
    }
    Ok(())
}

/// `f` applied to each of `items` with its position, results in order: on
/// `pool`'s threads when there is one, each thread with state from `init`.
pub(crate) fn in_order<T, S, R>(
    pool: Option<&ThreadPool>,
    items: &[T],
    init: impl Fn() -> S + Send + Sync,
    f: impl Fn(&mut S, usize, &T) -> R + Send + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    match pool {
        // One run of items per thread, so each thread's state (the words
        // it has stemmed) serves all of its items.
        Some(pool) => pool.install(|| {
            items
                .par_iter()
                .with_min_len(items.len().div_ceil(pool.current_num_threads()).max(1))
                .enumerate()
                .map_init(&init, |state, (i, item)| f(state, i, item))
                .collect()
        }),
        None => {
            let mut state = init();
            items
                .iter()
                .enumerate()
                .map(|(i, item)| f(&mut state, i, item))
                .collect()
        }
    }
}

/// A pool of one search thread per core, up to [`MAX_SEARCH_THREADS`];
/// `None` when there is one core or no thread can start (searching then
/// stays on the calling thread).
fn search_pool() -> Option<Arc<ThreadPool>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_SEARCH_THREADS);
    if threads < 2 {
        return None;
    }
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("dossier-search-{i}"))
        .build()
        .ok()
        .map(Arc::new)
}

/// The language fields that hold documents: those of the languages in the
/// `lang` field's dictionary (a few terms, where asking each language's
/// body field would open 19 inverted indexes per segment).
fn languages_present(searcher: &Searcher, fields: &Fields) -> Vec<LangFields> {
    // Pages of unknown language are indexed with the default analysis.
    let mut present = HashSet::from([DEFAULT.code]);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(fields.lang) else {
            continue;
        };
        let Ok(mut codes) = inverted.terms().stream() else {
            continue;
        };
        while codes.advance() {
            let code = std::str::from_utf8(codes.key()).ok();
            present.insert(Analysis::for_lang(code).code);
        }
    }
    fields
        .langs
        .iter()
        .filter(|lang| present.contains(lang.analysis.code))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_keeps_positions_with_or_without_a_pool() {
        let items: Vec<u32> = (0..200).collect();
        let pool = ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let square = |calls: &mut usize, i: usize, n: &u32| {
            *calls += 1;
            (i, n * n)
        };
        let expected: Vec<(usize, u32)> = items.iter().map(|n| (*n as usize, n * n)).collect();
        assert_eq!(in_order(Some(&pool), &items, || 0, square), expected);
        assert_eq!(in_order(None, &items, || 0, square), expected);
    }
}
