//! Command-line arguments: clap structures whose doc comments are the help
//! text, and the one function that resolves them into the library's
//! `Command`. Nothing past `resolve` sees a clap type.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use dossier::app::{Command, ExtractConfig, QuerySource, SearchConfig, SimilarConfig};
use dossier::extract::ExtractOptions;
use dossier::index::IndexConfig;
use dossier::ingest::ReadLimits;
use dossier::output::{Format, Style, HIT_FIELDS};
use dossier::search::{FacetField, SearchOptions, SortOrder};

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
    /// List indexed articles similar to one (given by id or path).
    Similar(SimilarArgs),
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
}

#[derive(Debug, Args)]
#[command(after_help = QUERY_HELP)]
struct SearchArgs {
    /// The query: words, "phrases", -excluded, OR, field:value (see below).
    #[arg(required_unless_present = "queries", conflicts_with = "queries")]
    query: Option<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Run every query of FILE (one per line, or JSON Lines {"id","text"}).
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,
    /// Take the query as plain words: no operators, never a syntax error.
    #[arg(long)]
    literal: bool,
    #[command(flatten)]
    results: ResultArgs,
    /// Order of the hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance, allow_hyphen_values = true)]
    sort: SortArg,
    /// Count matching pages per value of FIELD (site, author, year, lang); repeatable.
    #[arg(long, value_enum, value_name = "FIELD")]
    facet: Vec<FacetArg>,
}

/// Options shared by commands that print ranked hits.
#[derive(Debug, Args)]
struct ResultArgs {
    /// Maximum number of hits per query.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Skip this many hits first (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Print JSON Lines: "hit" objects, then "facet" and "summary" objects.
    #[arg(long)]
    json: bool,
    /// JSON hit fields to print, comma-separated (type, query_id and rank always stay).
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(HIT_FIELDS))]
    fields: Option<Vec<String>>,
    /// Approximate snippet length in characters.
    #[arg(long, default_value_t = 200, value_name = "CHARS")]
    snippet_len: usize,
    /// Snippet fragments per hit [default: 1 in text, 3 in JSON].
    #[arg(long, value_name = "N")]
    snippets: Option<usize>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SortArg {
    /// Best match first.
    Relevance,
    /// Oldest first.
    Date,
    /// Newest first.
    #[value(name = "-date")]
    DateDesc,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FacetArg {
    Site,
    Author,
    Year,
    Lang,
}

#[derive(Debug, Args)]
struct SimilarArgs {
    /// Id (16 hex digits, from search output) or path of an indexed page.
    target: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    #[command(flatten)]
    results: ResultArgs,
}

const QUERY_HELP: &str = "\
Query syntax:
  gas pipeline                pages with either word; pages with both first
  \"middle corridor\"~2        the words in order, up to 2 positions apart
  Baku -oil   Baku NOT oil    exclude a word
  +Baku gas   Baku AND gas    require a word
  gas OR oil, (a OR b) c      alternatives and grouping
  title:  body:  author:  site:  url:  lang:ru
  after:2025-01-01  before:2025-06  published:[2024-11 TO 2025-03]
  energ*                      words starting with energ
  Aliev~1                     words within one edit of Aliev

Examples:
  dossier search \"energy corridor\"
  dossier search 'title:pipeline after:2025 -lang:ru' --sort -date
  dossier search Shusha --json --facet site --facet year";

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

fn facet_field(f: FacetArg) -> FacetField {
    match f {
        FacetArg::Site => FacetField::Site,
        FacetArg::Author => FacetField::Author,
        FacetArg::Year => FacetField::Year,
        FacetArg::Lang => FacetField::Lang,
    }
}

fn result_options(r: &ResultArgs) -> SearchOptions {
    SearchOptions {
        limit: r.limit,
        offset: r.offset,
        snippet_chars: r.snippet_len,
        snippets: r.snippets.unwrap_or(if r.json { 3 } else { 1 }),
        ..SearchOptions::default()
    }
}

fn style(r: ResultArgs, text: Format) -> Style {
    Style {
        format: if r.json { Format::Json } else { text },
        fields: r.fields,
    }
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
            index_dir: a.index,
            limits: ReadLimits {
                max_page_bytes: a.max_page_mb.saturating_mul(1024 * 1024),
            },
            extract: ExtractOptions {
                max_depth: a.max_depth,
            },
        }),
        CliCommand::Search(a) => Command::Search(SearchConfig {
            index_dir: a.index,
            queries: match (a.queries, a.query) {
                (Some(file), _) => QuerySource::File(file),
                (None, query) => QuerySource::One(query.unwrap_or_default()),
            },
            options: SearchOptions {
                literal: a.literal,
                sort: match a.sort {
                    SortArg::Relevance => SortOrder::Relevance,
                    SortArg::Date => SortOrder::DateAscending,
                    SortArg::DateDesc => SortOrder::DateDescending,
                },
                facets: a.facet.into_iter().map(facet_field).collect(),
                ..result_options(&a.results)
            },
            style: style(a.results, text_format),
        }),
        CliCommand::Similar(a) => Command::Similar(SimilarConfig {
            index_dir: a.index,
            target: a.target,
            options: result_options(&a.results),
            style: style(a.results, text_format),
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
