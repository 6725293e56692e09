//! Search: from a query string to ranked hits with snippets. It owns query
//! interpretation (tantivy's query language, or literal words), the ranking
//! rules on top of BM25 (title boost, pages holding every word first) and
//! the assembly of hits from stored fields.

pub mod snippet;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, Score, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::{analysis, DossierIndex, Fields};
use snippet::{Snippet, SnippetMaker};

/// Weight of the title field against the body. The title is its own BM25
/// field, so a title match already adds to the body score; a weight above 1
/// lowered nDCG@10 on the Cranfield end-to-end run (0.376 at 1.0, 0.367 at
/// 1.5, 0.356 at 2.0).
const TITLE_BOOST: Score = 1.0;

/// Queries of at most this many words rank pages holding all of them first.
const MAX_WORDS_FOR_ALL_FIRST: usize = 5;

/// Score added to pages holding every word of a short query; larger than
/// any BM25 sum such a query reaches, so those pages come first.
const ALL_WORDS_BONUS: Score = 1000.0;

/// How a query is read and how many hits come back.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Maximum number of hits.
    pub limit: usize,
    /// Treat the query as plain words: no operators, never a syntax error.
    pub literal: bool,
    /// Approximate snippet length in characters.
    pub snippet_chars: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            literal: false,
            snippet_chars: 200,
        }
    }
}

/// One ranked result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Ranking score; comparable only within one query.
    pub score: Score,
    /// Stable document id.
    pub id: String,
    /// The file the page was read from.
    pub path: String,
    /// Byte offset of the record, for a page from a WARC file.
    pub offset: Option<u64>,
    /// Other locations of the same article (duplicates folded into it).
    pub also: Vec<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Author names.
    pub authors: Vec<String>,
    /// Publication time.
    pub published: Option<DateTime<Utc>>,
    /// Site name.
    pub site: Option<String>,
    /// Language code.
    pub lang: Option<String>,
    /// Best passage with highlights.
    pub snippet: Snippet,
}

/// The result of one query.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// How many documents matched in all.
    pub total_hits: usize,
    /// Time spent answering.
    pub elapsed: Duration,
}

/// An index opened for searching.
pub struct Engine {
    index: DossierIndex,
    reader: IndexReader,
}

impl Engine {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &Path) -> Result<Engine> {
        let index = DossierIndex::open(dir)?;
        let reader = index.index.reader().map_err(|e| Error::index(dir, e))?;
        Ok(Engine { index, reader })
    }

    fn fields(&self) -> &Fields {
        &self.index.fields
    }

    /// Runs one query.
    pub fn search(&self, text: &str, opts: &SearchOptions) -> Result<Outcome> {
        let started = Instant::now();
        let query = if opts.literal {
            self.literal_query(text)
        } else {
            self.parsed_query(text)?
        };
        let searcher = self.reader.searcher();
        let dir = &self.index.dir;
        let (top, total_hits) = if opts.limit == 0 {
            (
                Vec::new(),
                searcher
                    .search(&query, &Count)
                    .map_err(|e| Error::index(dir, e))?,
            )
        } else {
            let collector = (TopDocs::with_limit(opts.limit).order_by_score(), Count);
            searcher
                .search(&query, &collector)
                .map_err(|e| Error::index(dir, e))?
        };
        let mut snippets = SnippetMaker::new(
            analysis::prose_analyzer(),
            self.highlight_terms(&*query),
            opts.snippet_chars,
        );
        let hits = top
            .into_iter()
            .enumerate()
            .map(|(i, (score, addr))| self.hit(&searcher, addr, i + 1, score, &mut snippets))
            .collect::<Result<Vec<_>>>()?;
        Ok(Outcome {
            hits,
            total_hits,
            elapsed: started.elapsed(),
        })
    }

    /// Plain words, OR-ed, each matched in title (boosted) and body.
    fn literal_query(&self, text: &str) -> Box<dyn Query> {
        let mut words = analysis::terms(&mut analysis::prose_analyzer(), text);
        let mut seen = HashSet::new();
        words.retain(|w| seen.insert(w.clone()));
        if words.is_empty() {
            return Box::new(EmptyQuery);
        }
        let f = self.fields();
        let per_word = |w: &String| -> Box<dyn Query> {
            let title = TermQuery::new(
                Term::from_field_text(f.title, w),
                IndexRecordOption::WithFreqs,
            );
            let body = TermQuery::new(
                Term::from_field_text(f.body, w),
                IndexRecordOption::WithFreqs,
            );
            Box::new(BooleanQuery::new(vec![
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(title), TITLE_BOOST)),
                ),
                (Occur::Should, Box::new(body)),
            ]))
        };
        let any: Box<dyn Query> = Box::new(BooleanQuery::new(
            words.iter().map(|w| (Occur::Should, per_word(w))).collect(),
        ));
        if !(2..=MAX_WORDS_FOR_ALL_FIRST).contains(&words.len()) {
            return any;
        }
        let all = BooleanQuery::new(words.iter().map(|w| (Occur::Must, per_word(w))).collect());
        all_words_first(any, Box::new(all))
    }

    /// tantivy's query language over title and body.
    fn parsed_query(&self, text: &str) -> Result<Box<dyn Query>> {
        let any = self
            .parser(false)
            .parse_query(text)
            .map_err(|e| Error::Query {
                query: text.to_string(),
                message: e.to_string(),
            })?;
        let words = text.split_whitespace().count();
        if !(2..=MAX_WORDS_FOR_ALL_FIRST).contains(&words) {
            return Ok(any);
        }
        match self.parser(true).parse_query(text) {
            Ok(all) => Ok(all_words_first(any, all)),
            Err(_) => Ok(any),
        }
    }

    fn parser(&self, conjunction: bool) -> QueryParser {
        let f = self.fields();
        let mut parser = QueryParser::for_index(&self.index.index, vec![f.title, f.body]);
        parser.set_field_boost(f.title, TITLE_BOOST);
        if conjunction {
            parser.set_conjunction_by_default();
        }
        parser
    }

    /// The analyzed words of the query that should be marked in snippets.
    fn highlight_terms(&self, query: &dyn Query) -> HashSet<String> {
        let f = self.fields();
        let mut terms = HashSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == f.body || term.field() == f.title {
                if let Some(text) = term.value().as_str() {
                    terms.insert(text.to_string());
                }
            }
        });
        terms
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
        rank: usize,
        score: Score,
        snippets: &mut SnippetMaker,
    ) -> Result<Hit> {
        let doc: TantivyDocument = searcher
            .doc(addr)
            .map_err(|e| Error::index(&self.index.dir, e))?;
        let f = self.fields();
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let body = text(f.body).unwrap_or_default();
        Ok(Hit {
            rank,
            score,
            id: text(f.id).unwrap_or_default(),
            path: text(f.path).unwrap_or_default(),
            offset: doc.get_first(f.offset).and_then(|v| v.as_u64()),
            also: doc
                .get_all(f.also)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            url: text(f.url),
            title: text(f.title),
            authors: doc
                .get_all(f.author)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            published: doc
                .get_first(f.published)
                .and_then(|v| v.as_datetime())
                .and_then(|d| Utc.timestamp_opt(d.into_timestamp_secs(), 0).single()),
            site: text(f.site),
            lang: text(f.lang),
            snippet: snippets.snippet(&body),
        })
    }
}

/// Pages matching `all` (every word) rank above pages matching only `any`.
fn all_words_first(any: Box<dyn Query>, all: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, any),
        (
            Occur::Should,
            Box::new(ConstScoreQuery::new(all, ALL_WORDS_BONUS)),
        ),
    ]))
}
