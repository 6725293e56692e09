//! Command-line arguments: clap structures whose doc comments are the help
//! text, and the one function that resolves them into the library's
//! `Command`. Nothing past `resolve` sees a clap type.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use dossier::app::{Command, ExtractConfig, IndexRequest, QuerySource, SearchConfig};
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
    /// Index the pages under PATHs (default: corpus); a re-run updates the index.
    Index(IndexArgs),
    /// Search the index; exits 0 with hits, 1 without, 2 on error.
    Search(SearchArgs),
    /// Print the article text dossier extracts from one page.
    Extract(ExtractArgs),
}

#[derive(Debug, Args)]
struct IndexArgs {
    /// Files or folders of saved pages, walked recursively.
    #[arg(default_value = "corpus")]
    paths: Vec<PathBuf>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Pages larger than this many megabytes are skipped with a warning.
    #[arg(long, default_value_t = 50, value_name = "MB")]
    max_page_mb: u64,
    /// Pages nested deeper than this are indexed as plain text.
    #[arg(long, default_value_t = dossier::extract::DEFAULT_MAX_DEPTH, value_name = "N")]
    max_depth: usize,
    /// Start over: re-read every page instead of only new and changed ones.
    #[arg(long)]
    rebuild: bool,
    /// Exit with status 2 when any warning was printed.
    #[arg(long)]
    strict: bool,
    /// Also print the summary as one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// No progress bar (there is none when stderr is not a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Commit after this many pages (and at least every 30 seconds), so an
    /// interrupted run loses no more.
    #[arg(long, default_value_t = dossier::index::DEFAULT_COMMIT_PAGES, value_name = "PAGES")]
    commit_every: usize,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// The query: words, "phrases", -excluded, OR, field:value (see README).
    #[arg(required_unless_present = "queries", conflicts_with = "queries")]
    query: Option<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
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

/// Turns parsed arguments into the library's request.
pub fn resolve(cli: Cli) -> Command {
    let text_format = Format::Text {
        color: std::io::stdout().is_terminal(),
    };
    let format = |json: bool| if json { Format::Json } else { text_format };
    match cli.command {
        CliCommand::Index(a) => Command::Index(IndexRequest {
            config: IndexConfig {
                inputs: a.paths,
                index_dir: a.index,
                limits: ReadLimits {
                    max_page_bytes: a.max_page_mb.saturating_mul(1024 * 1024),
                },
                extract: ExtractOptions {
                    max_depth: a.max_depth,
                },
                rebuild: a.rebuild,
                commit_pages: a.commit_every,
            },
            strict: a.strict,
            json: a.json,
            progress: !a.quiet && std::io::stderr().is_terminal(),
        }),
        CliCommand::Search(a) => Command::Search(SearchConfig {
            index_dir: a.index,
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
    }
}
