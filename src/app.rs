//! The commands, as the library runs them: each takes a resolved request
//! (never command-line types), drives the pipeline stages and writes its
//! results. Per-item problems go to a `Reporter`; the returned `Status`
//! tells the caller which exit code fits.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::extract::{self, ExtractOptions};
use crate::index::{self, IndexConfig, IndexSummary, Progress, StoredDocument};
use crate::ingest::{self, ReadLimits};
use crate::output::{self, Format, Style};
use crate::search::{Engine, SearchOptions};
use crate::{browse, stats};

/// Receives warnings and progress messages; called from worker threads.
pub trait Reporter: Sync {
    /// A problem with one input that did not stop the run.
    fn warn(&self, message: &str);
    /// A closing summary or other information for people.
    fn info(&self, message: &str);
    /// How far a long run has come; called often, from one thread.
    fn progress(&self, _progress: &Progress) {}
}

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The command did its job (and found hits, for a search).
    Success,
    /// A search ran but found nothing.
    NoMatch,
    /// Some queries of a batch failed, or an index run with `--strict`
    /// met warnings; the rest of the work was done.
    PartialFailure,
}

/// A fully resolved request.
#[derive(Debug, Clone)]
pub enum Command {
    /// Build or update the index.
    Index(IndexRequest),
    /// Query the index.
    Search(SearchConfig),
    /// Show what extraction makes of one page.
    Extract(ExtractConfig),
    /// Print one indexed document in full.
    Show(ShowConfig),
    /// Summarise what the index holds.
    Stats(StatsConfig),
    /// Write indexed documents as JSON Lines.
    Export(ExportConfig),
    /// List articles like an indexed one.
    Similar(SimilarConfig),
}

/// A resolved `similar` request.
#[derive(Debug, Clone)]
pub struct SimilarConfig {
    /// The index folder.
    pub index_dir: PathBuf,
    /// Id or path of the article to match.
    pub target: String,
    /// Paging and snippet options.
    pub options: SearchOptions,
    /// Output style.
    pub style: Style,
}

/// Where the queries of a search come from.
#[derive(Debug, Clone)]
pub enum QuerySource {
    /// One query given on the command line.
    One(String),
    /// A file with one query per line, or JSON Lines `{"id", "text"}`.
    File(PathBuf),
}

/// A resolved `index` request.
#[derive(Debug, Clone)]
pub struct IndexRequest {
    /// What to index and where.
    pub config: IndexConfig,
    /// Warnings make the run end with `Status::PartialFailure`.
    pub strict: bool,
    /// Print the summary as a JSON object on the output too.
    pub json: bool,
    /// Report progress to the reporter.
    pub progress: bool,
}

/// A resolved `search` request.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// The index folder.
    pub index_dir: PathBuf,
    /// The query or queries.
    pub queries: QuerySource,
    /// Ranking and paging options.
    pub options: SearchOptions,
    /// Output style.
    pub style: Style,
}

/// A resolved `extract` request.
#[derive(Debug, Clone)]
pub struct ExtractConfig {
    /// The page to extract.
    pub path: PathBuf,
    /// Output format.
    pub format: Format,
    /// Read limits.
    pub limits: ReadLimits,
    /// Extraction options.
    pub extract: ExtractOptions,
}

/// A resolved `show` request.
#[derive(Debug, Clone)]
pub struct ShowConfig {
    /// The index folder.
    pub index_dir: PathBuf,
    /// The document's id, or its path as stored.
    pub key: String,
    /// Output format.
    pub format: Format,
}

/// A resolved `stats` request.
#[derive(Debug, Clone)]
pub struct StatsConfig {
    /// The index folder.
    pub index_dir: PathBuf,
    /// Output format.
    pub format: Format,
}

/// A resolved `export` request: every document, or every match of `query`.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// The index folder.
    pub index_dir: PathBuf,
    /// Only documents matching this query, read as `search` reads it.
    pub query: Option<String>,
    /// Take the query as plain words.
    pub literal: bool,
}

/// Runs `command`, writing results to `out`.
pub fn run(command: &Command, out: &mut dyn Write, reporter: &dyn Reporter) -> Result<Status> {
    match command {
        Command::Index(req) => run_index(req, out, reporter),
        Command::Search(cfg) => run_search(cfg, out),
        Command::Extract(cfg) => run_extract(cfg, out),
        Command::Similar(cfg) => run_similar(cfg, out),
        Command::Show(cfg) => run_show(cfg, out),
        Command::Stats(cfg) => run_stats(cfg, out),
        Command::Export(cfg) => run_export(cfg, out),
    }
}

fn run_index(req: &IndexRequest, out: &mut dyn Write, reporter: &dyn Reporter) -> Result<Status> {
    let warnings = AtomicUsize::new(0);
    let warn = |message: &str| {
        warnings.fetch_add(1, Ordering::Relaxed);
        reporter.warn(message);
    };
    let progress = |p: &Progress| {
        if req.progress {
            reporter.progress(p);
        }
    };
    let summary = index::build(&req.config, &warn, &progress)?;
    reporter.info(&summary_line(&summary));
    let warnings = warnings.into_inner();
    if req.json {
        output::write_index_summary(out, &summary, warnings).map_err(Error::Output)?;
    }
    if req.strict && warnings > 0 {
        reporter.info(&format!("{warnings} warnings, an error with --strict"));
        return Ok(Status::PartialFailure);
    }
    Ok(Status::Success)
}

/// The one-line account of an indexing run.
pub fn summary_line(s: &IndexSummary) -> String {
    format!(
        "indexed {} pages, updated {}, unchanged {}, deleted {}, duplicates {}, skipped {}, errors {} ({:.1} MB in {:.2} s, {:.1} MB/s)",
        s.indexed,
        s.updated,
        s.unchanged,
        s.deleted,
        s.duplicates,
        s.skipped,
        s.errors,
        s.megabytes(),
        s.seconds,
        s.megabytes_per_second()
    )
}

fn run_search(cfg: &SearchConfig, out: &mut dyn Write) -> Result<Status> {
    let engine = Engine::open(&cfg.index_dir)?;
    match &cfg.queries {
        QuerySource::One(text) => {
            let outcome = engine.search(text, &cfg.options)?;
            output::write_outcome(out, &cfg.style, None, text, &outcome).map_err(Error::Output)?;
            Ok(found_status(&outcome))
        }
        QuerySource::File(path) => {
            let batch = read_query_file(path)?;
            let (mut found, mut failed) = (false, false);
            for q in &batch {
                match engine.search(&q.text, &cfg.options) {
                    Ok(outcome) => {
                        found |= outcome.total_hits > 0;
                        output::write_outcome(out, &cfg.style, Some(&q.id), &q.text, &outcome)
                    }
                    Err(Error::Query { message, .. }) => {
                        failed = true;
                        output::write_query_error(
                            out,
                            cfg.style.format,
                            Some(&q.id),
                            &q.text,
                            &message,
                        )
                    }
                    Err(e) => return Err(e),
                }
                .map_err(Error::Output)?;
            }
            Ok(match (failed, found) {
                (true, _) => Status::PartialFailure,
                (false, true) => Status::Success,
                (false, false) => Status::NoMatch,
            })
        }
    }
}

fn found_status(outcome: &crate::search::Outcome) -> Status {
    if outcome.total_hits == 0 {
        Status::NoMatch
    } else {
        Status::Success
    }
}

fn run_similar(cfg: &SimilarConfig, out: &mut dyn Write) -> Result<Status> {
    let engine = Engine::open(&cfg.index_dir)?;
    let like = browse::find(&engine, &cfg.target)?;
    let outcome = engine.similar(&like, &cfg.options)?;
    let label = format!("similar:{}", cfg.target);
    output::write_outcome(out, &cfg.style, None, &label, &outcome).map_err(Error::Output)?;
    Ok(found_status(&outcome))
}

/// One query of a batch file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchQuery {
    /// The query's id: the file's `id` field, else its line number.
    pub id: String,
    /// The query text.
    pub text: String,
}

#[derive(Deserialize)]
struct JsonQuery {
    id: Option<serde_json::Value>,
    text: String,
}

/// Reads a batch file: one query per line, or JSON Lines with `id` and
/// `text`. Blank lines are skipped; ids default to line numbers.
pub fn read_query_file(path: &Path) -> Result<Vec<BatchQuery>> {
    let content = fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut queries = Vec::new();
    for (i, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = (i + 1).to_string();
        if line.starts_with('{') {
            let q: JsonQuery = serde_json::from_str(line).map_err(|e| Error::QueryFile {
                path: path.to_path_buf(),
                line: i + 1,
                message: format!("not a {{\"id\", \"text\"}} object: {e}"),
            })?;
            let id = match q.id {
                Some(serde_json::Value::String(s)) => s,
                Some(other) if !other.is_null() => other.to_string(),
                _ => number,
            };
            queries.push(BatchQuery { id, text: q.text });
        } else {
            queries.push(BatchQuery {
                id: number,
                text: line.to_string(),
            });
        }
    }
    Ok(queries)
}

fn run_extract(cfg: &ExtractConfig, out: &mut dyn Write) -> Result<Status> {
    let page = ingest::read_location(&cfg.path, &cfg.limits)?;
    let article = extract::extract(&page.html, page.crawled, &cfg.extract);
    output::write_article(out, cfg.format, &cfg.path.to_string_lossy(), &article)
        .map_err(Error::Output)?;
    Ok(Status::Success)
}

fn run_show(cfg: &ShowConfig, out: &mut dyn Write) -> Result<Status> {
    let engine = Engine::open(&cfg.index_dir)?;
    let doc = browse::find(&engine, &cfg.key)?;
    output::write_document(out, cfg.format, &doc).map_err(Error::Output)?;
    Ok(Status::Success)
}

fn run_stats(cfg: &StatsConfig, out: &mut dyn Write) -> Result<Status> {
    let stats = stats::collect(&Engine::open(&cfg.index_dir)?)?;
    output::write_stats(out, cfg.format, &stats).map_err(Error::Output)?;
    Ok(Status::Success)
}

/// Streams documents as `document` JSON lines; a query that matches
/// nothing ends like a search that finds nothing.
fn run_export(cfg: &ExportConfig, out: &mut dyn Write) -> Result<Status> {
    let engine = Engine::open(&cfg.index_dir)?;
    let mut write = |doc: &StoredDocument| {
        output::write_document(out, Format::Json, doc).map_err(Error::Output)
    };
    match &cfg.query {
        None => browse::each_document(&engine, &mut write).map(|_| Status::Success),
        Some(query) => browse::each_match(&engine, query, cfg.literal, &mut write).map(|n| {
            if n == 0 {
                Status::NoMatch
            } else {
                Status::Success
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_file_lines_and_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.txt");
        fs::write(&path, "energy corridor\n\n{\"id\": 7, \"text\": \"Shusha\"}\n{\"id\": \"q9\", \"text\": \"a (b\"}\n").unwrap();
        let qs = read_query_file(&path).unwrap();
        let ids: Vec<_> = qs
            .iter()
            .map(|q| (q.id.as_str(), q.text.as_str()))
            .collect();
        assert_eq!(
            ids,
            [("1", "energy corridor"), ("7", "Shusha"), ("q9", "a (b")]
        );
    }

    #[test]
    fn broken_json_line_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.jsonl");
        fs::write(&path, "{\"id\": 1}\n").unwrap();
        let err = read_query_file(&path).unwrap_err().to_string();
        assert!(err.contains("q.jsonl: line 1"), "{err}");
    }
}
