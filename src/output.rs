//! Output: how results reach people and scripts. Text for terminals (with
//! highlights in bold colour when stdout is a terminal) and JSON Lines for
//! scripts. The JSON shapes here are a documented contract (README, "JSON
//! output"): fields are only ever added, never renamed or removed.

use std::io::{self, Write};

use serde::Serialize;

use crate::extract::Article;
use crate::index::IndexSummary;
use crate::search::{Hit, Outcome};

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

const BOLD: &str = "\x1b[1m";
const HIGHLIGHT: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_id: Option<&'a str>,
    rank: usize,
    score: f32,
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
    snippet: &'a str,
    highlights: Vec<[usize; 2]>,
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
struct JsonError<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_id: Option<&'a str>,
    query: &'a str,
    message: &'a str,
}

/// Writes the hits and summary of one query.
pub fn write_outcome(
    out: &mut dyn Write,
    format: Format,
    query_id: Option<&str>,
    query: &str,
    outcome: &Outcome,
) -> io::Result<()> {
    match format {
        Format::Json => {
            for hit in &outcome.hits {
                json_line(out, &json_hit(hit, query_id))?;
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
            let shown = outcome.hits.len();
            writeln!(
                out,
                "{shown} of {} matching pages ({:.1} ms)",
                outcome.total_hits,
                outcome.elapsed.as_secs_f64() * 1000.0
            )
        }
    }
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

fn json_hit<'a>(hit: &'a Hit, query_id: Option<&'a str>) -> JsonHit<'a> {
    JsonHit {
        kind: "hit",
        query_id,
        rank: hit.rank,
        score: hit.score,
        id: &hit.id,
        path: &hit.path,
        offset: hit.offset,
        also: &hit.also,
        url: hit.url.as_deref(),
        title: hit.title.as_deref(),
        author: &hit.authors,
        published: hit
            .published
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        site: hit.site.as_deref(),
        lang: hit.lang.as_deref(),
        snippet: &hit.snippet.text,
        highlights: hit
            .snippet
            .highlights
            .iter()
            .map(|(a, b)| [*a, *b])
            .collect(),
    }
}

fn json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

fn write_text_hit(out: &mut dyn Write, hit: &Hit, color: bool) -> io::Result<()> {
    let title = hit.title.as_deref().unwrap_or("(untitled)");
    let (bold, dim, reset) = if color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    writeln!(out, "{:>2}. {bold}{title}{reset}", hit.rank)?;
    let mut meta = Vec::new();
    if let Some(site) = &hit.site {
        meta.push(site.clone());
    }
    if let Some(date) = hit.published {
        meta.push(date.format("%Y-%m-%d").to_string());
    }
    if !hit.authors.is_empty() {
        meta.push(hit.authors.join(", "));
    }
    if !meta.is_empty() {
        writeln!(out, "    {}", meta.join(" · "))?;
    }
    let location = crate::ingest::location(std::path::Path::new(&hit.path), hit.offset);
    writeln!(out, "    {dim}{location}{reset}")?;
    writeln!(
        out,
        "    {}",
        highlighted(&hit.snippet.text, &hit.snippet.highlights, color)
    )?;
    writeln!(out)
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
        if let Some((_, b)) = ranges.peek() {
            if *b == i + 1 {
                out.push_str(RESET);
                ranges.next();
            }
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
}
