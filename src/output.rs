//! Output: how results reach people and scripts. Text for terminals (with
//! highlights in bold colour when colour is on) and JSON Lines for scripts:
//! search hits, whole documents, index statistics. The JSON shapes here are
//! a documented contract (README, "JSON output"): fields are only ever
//! added, never renamed or removed.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::extract::Article;
use crate::index::{IndexSummary, StoredDocument};
use crate::search::snippet::Snippet;
use crate::search::{FacetCounts, Hit, Outcome};
use crate::stats::{Count, Stats};

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people; `color` adds ANSI highlighting.
    Text {
        /// Whether to emit ANSI colour codes.
        color: bool,
    },
    /// JSON Lines.
    Json,
}

/// How search results are written: the format, and for JSON hits the
/// fields to keep (all when None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// Text or JSON Lines.
    pub format: Format,
    /// JSON hit fields to print; `type`, `query_id` and `rank` always stay.
    pub fields: Option<Vec<String>>,
}

/// Fields of a JSON hit, in the order they are written.
pub const HIT_FIELDS: &[&str] = &[
    "score",
    "id",
    "path",
    "url",
    "title",
    "author",
    "published",
    "site",
    "lang",
    "snippet",
    "highlights",
    "snippets",
];

const BOLD: &str = "\x1b[1m";
const HIGHLIGHT: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// A snippet fragment in JSON.
#[derive(Serialize)]
struct JsonFragment<'a> {
    text: &'a str,
    highlights: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_id: Option<&'a str>,
    rank: usize,
    score: f32,
    #[serde(flatten)]
    meta: JsonMeta<'a>,
    snippet: &'a str,
    highlights: Vec<[usize; 2]>,
    snippets: Vec<JsonFragment<'a>>,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_id: Option<&'a str>,
    query: &'a str,
    total_hits: usize,
    returned: usize,
    elapsed_ms: f64,
}

#[derive(Serialize)]
struct JsonFacetValue<'a> {
    value: &'a str,
    count: u64,
}

#[derive(Serialize)]
struct JsonFacet<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_id: Option<&'a str>,
    field: &'static str,
    counts: Vec<JsonFacetValue<'a>>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_id: Option<&'a str>,
    query: &'a str,
    message: &'a str,
}

/// Writes the hits, facets and summary of one query.
pub fn write_outcome(
    out: &mut dyn Write,
    style: &Style,
    query_id: Option<&str>,
    query: &str,
    outcome: &Outcome,
) -> io::Result<()> {
    match style.format {
        Format::Json => {
            for hit in &outcome.hits {
                let value =
                    serde_json::to_value(json_hit(hit, query_id)).map_err(io::Error::other)?;
                json_line(out, &keep_fields(value, style.fields.as_deref()))?;
            }
            for facet in &outcome.facets {
                json_line(out, &json_facet(facet, query_id))?;
            }
            json_line(
                out,
                &JsonSummary {
                    kind: "summary",
                    query_id,
                    query,
                    total_hits: outcome.total_hits,
                    returned: outcome.hits.len(),
                    elapsed_ms: (outcome.elapsed.as_secs_f64() * 1e5).round() / 100.0,
                },
            )
        }
        Format::Text { color } => {
            if let Some(id) = query_id {
                writeln!(out, "# query {id}: {query}")?;
            }
            for hit in &outcome.hits {
                write_text_hit(out, hit, color)?;
            }
            for facet in &outcome.facets {
                write_text_facet(out, facet)?;
            }
            writeln!(
                out,
                "{} of {} matching pages ({:.1} ms)",
                outcome.hits.len(),
                outcome.total_hits,
                outcome.elapsed.as_secs_f64() * 1000.0
            )
        }
    }
}

/// Keeps only the chosen fields of a JSON hit, plus its identity fields.
fn keep_fields(value: Value, fields: Option<&[String]>) -> Value {
    let (Some(fields), Value::Object(map)) = (fields, &value) else {
        return value;
    };
    let kept: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| {
            ["type", "query_id", "rank"].contains(&k.as_str()) || fields.iter().any(|f| f == *k)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(kept)
}

/// Writes a query that failed, as a JSON error line or a text line.
pub fn write_query_error(
    out: &mut dyn Write,
    format: Format,
    query_id: Option<&str>,
    query: &str,
    message: &str,
) -> io::Result<()> {
    match format {
        Format::Json => json_line(
            out,
            &JsonError {
                kind: "error",
                query_id,
                query,
                message,
            },
        ),
        Format::Text { .. } => writeln!(
            out,
            "# query {}: {query}: error: {message}",
            query_id.unwrap_or("-")
        ),
    }
}

fn ranges(snippet: &Snippet) -> Vec<[usize; 2]> {
    snippet.highlights.iter().map(|(a, b)| [*a, *b]).collect()
}

fn json_hit<'a>(hit: &'a Hit, query_id: Option<&'a str>) -> JsonHit<'a> {
    let first = hit.snippets.first();
    JsonHit {
        kind: "hit",
        query_id,
        rank: hit.rank,
        score: hit.score,
        meta: JsonMeta::of(&hit.document),
        snippet: first.map_or("", |s| s.text.as_str()),
        highlights: first.map(ranges).unwrap_or_default(),
        snippets: hit
            .snippets
            .iter()
            .map(|s| JsonFragment {
                text: &s.text,
                highlights: ranges(s),
            })
            .collect(),
    }
}

fn json_facet<'a>(facet: &'a FacetCounts, query_id: Option<&'a str>) -> JsonFacet<'a> {
    JsonFacet {
        kind: "facet",
        query_id,
        field: facet.field.name(),
        counts: facet
            .counts
            .iter()
            .map(|(value, count)| JsonFacetValue {
                value,
                count: *count,
            })
            .collect(),
    }
}

/// A time as the JSON contract writes it: RFC 3339, UTC, whole seconds.
fn rfc3339(time: Option<DateTime<Utc>>) -> Option<String> {
    time.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

fn write_text_hit(out: &mut dyn Write, hit: &Hit, color: bool) -> io::Result<()> {
    let doc = &hit.document;
    let title = doc.title.as_deref().unwrap_or("(untitled)");
    let (bold, dim, reset) = styles(color);
    writeln!(out, "{:>2}. {bold}{title}{reset}", hit.rank)?;
    let mut meta = Vec::new();
    if let Some(site) = &doc.site {
        meta.push(site.clone());
    }
    if let Some(date) = doc.published {
        meta.push(date.format("%Y-%m-%d").to_string());
    }
    if !doc.authors.is_empty() {
        meta.push(doc.authors.join(", "));
    }
    if !meta.is_empty() {
        writeln!(out, "    {}", meta.join(" · "))?;
    }
    let location = crate::ingest::location(std::path::Path::new(&doc.path), doc.offset);
    writeln!(out, "    {dim}{location}{reset}")?;
    let fragments: Vec<String> = hit
        .snippets
        .iter()
        .map(|s| highlighted(&s.text, &s.highlights, color))
        .collect();
    writeln!(out, "    {}", fragments.join(" … "))?;
    writeln!(out)
}

fn write_text_facet(out: &mut dyn Write, facet: &FacetCounts) -> io::Result<()> {
    let width = facet
        .counts
        .iter()
        .map(|(v, _)| v.chars().count())
        .max()
        .unwrap_or(0)
        .max(facet.field.name().len());
    writeln!(out, "{:<width$}  pages", facet.field.name())?;
    for (value, count) in &facet.counts {
        writeln!(out, "{value:<width$}  {count:>5}")?;
    }
    writeln!(out)
}

/// The bold, dim and reset codes, or nothing without colour.
fn styles(color: bool) -> (&'static str, &'static str, &'static str) {
    if color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    }
}

/// The snippet with its highlights in colour, or as is without colour.
fn highlighted(text: &str, ranges: &[(usize, usize)], color: bool) -> String {
    if !color || ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut ranges = ranges.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if ranges.peek().is_some_and(|(a, _)| *a == i) {
            out.push_str(HIGHLIGHT);
        }
        out.push(c);
        if ranges.peek().is_some_and(|(_, b)| *b == i + 1) {
            out.push_str(RESET);
            ranges.next();
        }
    }
    out
}

#[derive(Serialize)]
struct JsonIndexSummary<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    summary: &'a IndexSummary,
    mb_per_s: f64,
    warnings: usize,
}

/// Writes the summary of an indexing run as one JSON object.
pub fn write_index_summary(
    out: &mut dyn Write,
    summary: &IndexSummary,
    warnings: usize,
) -> io::Result<()> {
    json_line(
        out,
        &JsonIndexSummary {
            kind: "index_summary",
            summary,
            mb_per_s: (summary.megabytes_per_second() * 100.0).round() / 100.0,
            warnings,
        },
    )
}

#[derive(Serialize)]
struct JsonArticle<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    path: &'a str,
    #[serde(flatten)]
    article: &'a Article,
}

/// Writes an extracted article: its body alone as text, or all of it as JSON.
pub fn write_article(
    out: &mut dyn Write,
    format: Format,
    path: &str,
    article: &Article,
) -> io::Result<()> {
    match format {
        Format::Json => json_line(
            out,
            &JsonArticle {
                kind: "article",
                path,
                article,
            },
        ),
        Format::Text { .. } => {
            if article.body.is_empty() {
                return Ok(());
            }
            writeln!(out, "{}", article.body)
        }
    }
}

/// The metadata fields a hit and a document share, under the same names.
#[derive(Serialize)]
struct JsonMeta<'a> {
    id: &'a str,
    path: &'a str,
    offset: Option<u64>,
    also: &'a [String],
    url: Option<&'a str>,
    title: Option<&'a str>,
    author: &'a [String],
    published: Option<String>,
    site: Option<&'a str>,
    lang: Option<&'a str>,
}

impl<'a> JsonMeta<'a> {
    fn of(doc: &'a StoredDocument) -> Self {
        JsonMeta {
            id: &doc.id,
            path: &doc.path,
            offset: doc.offset,
            also: &doc.also,
            url: doc.url.as_deref(),
            title: doc.title.as_deref(),
            author: &doc.authors,
            published: rfc3339(doc.published),
            site: doc.site.as_deref(),
            lang: doc.lang.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    meta: JsonMeta<'a>,
    description: Option<&'a str>,
    body: &'a str,
}

/// Writes one indexed document in full: a `document` JSON line (the shape
/// `export` streams), or its metadata and text for people.
pub fn write_document(out: &mut dyn Write, format: Format, doc: &StoredDocument) -> io::Result<()> {
    match format {
        Format::Json => json_line(
            out,
            &JsonDocument {
                kind: "document",
                meta: JsonMeta::of(doc),
                description: doc.description.as_deref(),
                body: &doc.body,
            },
        ),
        Format::Text { color } => write_text_document(out, doc, color),
    }
}

fn write_text_document(out: &mut dyn Write, doc: &StoredDocument, color: bool) -> io::Result<()> {
    let (bold, dim, reset) = styles(color);
    let title = doc.title.as_deref().unwrap_or("(untitled)");
    writeln!(out, "{bold}{title}{reset}")?;
    let authors = (!doc.authors.is_empty()).then(|| doc.authors.join(", "));
    let date = doc.published.map(|d| d.format("%Y-%m-%d").to_string());
    let lines = [
        ("authors", authors.as_deref()),
        ("date", date.as_deref()),
        ("site", doc.site.as_deref()),
        ("url", doc.url.as_deref()),
        ("lang", doc.lang.as_deref()),
        ("path", Some(doc.path.as_str())),
        ("id", Some(doc.id.as_str())),
    ];
    for (label, value) in lines {
        if let Some(value) = value {
            writeln!(out, "{dim}{label:<8}{reset}{value}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", doc.body)
}

#[derive(Serialize)]
struct JsonLanguage<'a> {
    lang: &'a str,
    documents: usize,
}

#[derive(Serialize)]
struct JsonSite<'a> {
    site: &'a str,
    documents: usize,
}

#[derive(Serialize)]
struct JsonStats<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    documents: usize,
    sites: usize,
    authors: usize,
    languages: Vec<JsonLanguage<'a>>,
    oldest_published: Option<String>,
    newest_published: Option<String>,
    undated: usize,
    top_sites: Vec<JsonSite<'a>>,
    index_bytes: u64,
    indexed_at: Option<&'a str>,
    version: &'a str,
    index_format: u32,
}

/// Writes index statistics: one `stats` JSON line, or a table for people.
pub fn write_stats(out: &mut dyn Write, format: Format, stats: &Stats) -> io::Result<()> {
    match format {
        Format::Json => json_line(
            out,
            &JsonStats {
                kind: "stats",
                documents: stats.documents,
                sites: stats.sites,
                authors: stats.authors,
                languages: stats
                    .languages
                    .iter()
                    .map(|(lang, documents)| JsonLanguage {
                        lang,
                        documents: *documents,
                    })
                    .collect(),
                oldest_published: rfc3339(stats.oldest),
                newest_published: rfc3339(stats.newest),
                undated: stats.undated,
                top_sites: stats
                    .top_sites
                    .iter()
                    .map(|(site, documents)| JsonSite {
                        site,
                        documents: *documents,
                    })
                    .collect(),
                index_bytes: stats.index_bytes,
                indexed_at: stats.indexed_at.as_deref(),
                version: stats.version,
                index_format: stats.format,
            },
        ),
        Format::Text { .. } => write_text_stats(out, stats),
    }
}

fn write_text_stats(out: &mut dyn Write, stats: &Stats) -> io::Result<()> {
    let day = |d: DateTime<Utc>| d.format("%Y-%m-%d").to_string();
    let span = match (stats.oldest, stats.newest) {
        (Some(oldest), Some(newest)) => format!("{} to {}", day(oldest), day(newest)),
        _ => "-".to_string(),
    };
    let rows = [
        ("documents", stats.documents.to_string()),
        ("sites", stats.sites.to_string()),
        ("authors", stats.authors.to_string()),
        ("languages", counts_line(&stats.languages)),
        ("published", format!("{span} ({} undated)", stats.undated)),
        ("index size", megabytes(stats.index_bytes)),
        (
            "indexed at",
            stats.indexed_at.clone().unwrap_or_else(|| "-".to_string()),
        ),
        (
            "version",
            format!("dossier {}, index format {}", stats.version, stats.format),
        ),
    ];
    for (label, value) in rows {
        writeln!(out, "{label:<12}{value}")?;
    }
    writeln!(out, "top sites")?;
    for (site, documents) in &stats.top_sites {
        writeln!(out, "{documents:>8}  {site}")?;
    }
    Ok(())
}

/// `en 40, ru 3`, or `-` for none.
fn counts_line(counts: &[Count]) -> String {
    if counts.is_empty() {
        return "-".to_string();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    parts.join(", ")
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB ({bytes} bytes)", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_ranges_are_characters() {
        let s = highlighted("Şuşa və Türkiye", &[(0, 4), (8, 15)], true);
        assert_eq!(
            s,
            format!("{HIGHLIGHT}Şuşa{RESET} və {HIGHLIGHT}Türkiye{RESET}")
        );
        assert_eq!(highlighted("plain", &[(0, 5)], false), "plain");
    }

    #[test]
    fn chosen_fields_keep_identity() {
        let hit =
            serde_json::json!({"type": "hit", "rank": 1, "score": 2.0, "title": "T", "path": "p"});
        let kept = keep_fields(hit, Some(&["title".to_string()]));
        assert_eq!(
            kept,
            serde_json::json!({"type": "hit", "rank": 1, "title": "T"})
        );
    }
}
