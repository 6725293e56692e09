//! Command-line arguments: clap structures whose doc comments are the help
//! text, and the one function that resolves them into the library's
//! `Command`. Nothing past `resolve` sees a clap type.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dossier::app::{
    Command, ExportConfig, ExtractConfig, QuerySource, SearchConfig, ShowConfig, StatsConfig,
};
use dossier::extract::ExtractOptions;
use dossier::index::IndexConfig;
use dossier::ingest::ReadLimits;
use dossier::output::Format;
use dossier::search::SearchOptions;

/// Search engine for archives of scraped analysis articles.
///
/// `dossier index` strips each saved page down to its article and builds a
/// search index; `dossier search` finds articles in it.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Index the pages under PATHs (default: corpus), replacing the index contents.
    Index(IndexArgs),
    /// Search the index; exits 0 with hits, 1 without, 2 on error.
    Search(SearchArgs),
    /// Print the article text dossier extracts from one page.
    Extract(ExtractArgs),
    /// Print one indexed document in full: metadata, then the indexed text.
    Show(ShowArgs),
    /// Summarise the index: documents, sites, authors, languages, dates, size.
    Stats(StatsArgs),
    /// Write every document, or every match of QUERY, as JSON Lines.
    Export(ExportArgs),
}

/// The index folder option shared by every command that reads or writes one.
#[derive(Debug, Args)]
struct IndexDir {
    /// Index folder.
    #[arg(long = "index", value_name = "DIR", default_value = "index")]
    dir: PathBuf,
}

#[derive(Debug, Args)]
struct IndexArgs {
    /// Files or folders of saved pages, walked recursively.
    #[arg(default_value = "corpus")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    index: IndexDir,
    /// Pages larger than this many megabytes are skipped with a warning.
    #[arg(long, default_value_t = 50, value_name = "MB")]
    max_page_mb: u64,
    /// Pages nested deeper than this are indexed as plain text.
    #[arg(long, default_value_t = dossier::extract::DEFAULT_MAX_DEPTH, value_name = "N")]
    max_depth: usize,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// The query: words, "phrases", -excluded, OR, field:value (see README).
    #[arg(required_unless_present = "queries", conflicts_with = "queries")]
    query: Option<String>,
    #[command(flatten)]
    index: IndexDir,
    /// Maximum number of hits per query.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Print JSON Lines: one "hit" object per result, then a "summary".
    #[arg(long)]
    json: bool,
    /// Run every query of FILE (one per line, or JSON Lines {"id","text"}).
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,
    /// Take the query as plain words: no operators, never a syntax error.
    #[arg(long)]
    literal: bool,
    /// Approximate snippet length in characters.
    #[arg(long, default_value_t = 200, value_name = "CHARS")]
    snippet_len: usize,
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// The saved page.
    file: PathBuf,
    /// Print the metadata too, as one JSON object.
    #[arg(long)]
    json: bool,
    /// Nesting depth past which the page is reduced to plain text.
    #[arg(long, default_value_t = dossier::extract::DEFAULT_MAX_DEPTH, value_name = "N")]
    max_depth: usize,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The document's 16-hex-digit id (from search output), or its path as
    /// indexed (as given to `dossier index`, or absolute).
    #[arg(value_name = "ID_OR_PATH")]
    key: String,
    #[command(flatten)]
    index: IndexDir,
    /// Print one JSON object of type "document" with every field.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct StatsArgs {
    #[command(flatten)]
    index: IndexDir,
    /// Print one JSON object of type "stats".
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// Export only the matches of this query (search syntax); default: all.
    query: Option<String>,
    #[command(flatten)]
    index: IndexDir,
    /// Output format: one "document" JSON object per line.
    #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
    format: ExportFormat,
    /// Take the query as plain words: no operators, never a syntax error.
    #[arg(long, requires = "query")]
    literal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// Newline-delimited JSON, as Quickwit and jq read it.
    Ndjson,
}

/// Turns parsed arguments into the library's request.
pub fn resolve(cli: Cli) -> Command {
    let text_format = Format::Text {
        color: std::io::stdout().is_terminal(),
    };
    let format = |json: bool| if json { Format::Json } else { text_format };
    match cli.command {
        CliCommand::Index(a) => Command::Index(IndexConfig {
            inputs: a.paths,
            index_dir: a.index.dir,
            limits: ReadLimits {
                max_page_bytes: a.max_page_mb.saturating_mul(1024 * 1024),
            },
            extract: ExtractOptions {
                max_depth: a.max_depth,
            },
        }),
        CliCommand::Search(a) => Command::Search(SearchConfig {
            index_dir: a.index.dir,
            queries: match (a.queries, a.query) {
                (Some(file), _) => QuerySource::File(file),
                (None, query) => QuerySource::One(query.unwrap_or_default()),
            },
            options: SearchOptions {
                limit: a.limit,
                literal: a.literal,
                snippet_chars: a.snippet_len,
            },
            format: format(a.json),
        }),
        CliCommand::Extract(a) => Command::Extract(ExtractConfig {
            path: a.file,
            format: format(a.json),
            limits: ReadLimits::default(),
            extract: ExtractOptions {
                max_depth: a.max_depth,
            },
        }),
        CliCommand::Show(a) => Command::Show(ShowConfig {
            index_dir: a.index.dir,
            key: a.key,
            format: format(a.json),
        }),
        CliCommand::Stats(a) => Command::Stats(StatsConfig {
            index_dir: a.index.dir,
            format: format(a.json),
        }),
        CliCommand::Export(a) => {
            // NDJSON is the only format so far; the flag names it for scripts.
            let ExportFormat::Ndjson = a.format;
            Command::Export(ExportConfig {
                index_dir: a.index.dir,
                query: a.query,
                literal: a.literal,
            })
        }
    }
}
