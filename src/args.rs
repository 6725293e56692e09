//! Command-line arguments: clap structures whose doc comments are the help
//! text, and the one function that resolves them into a request: the
//! library's `Command`, or text generated from these definitions themselves
//! (shell completions, the man page). Nothing past `resolve` sees a clap type.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use dossier::app::{
    Command, ExportConfig, ExtractConfig, IndexRequest, QuerySource, SearchConfig, ShowConfig,
    SimilarConfig, StatsConfig,
};
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
#[command(name = "dossier", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Index the pages under PATHs (default: corpus); a re-run updates the index.
    Index(IndexArgs),
    /// Search the index; exits 0 with hits, 1 without, 2 on error.
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Print the article text dossier extracts from one page.
    Extract(ExtractArgs),
    /// List indexed articles similar to one (given by id or path).
    Similar(SimilarArgs),
    /// Print one indexed document in full: metadata, then the indexed text.
    Show(ShowArgs),
    /// Summarise the index: documents, sites, authors, languages, dates, size.
    Stats(StatsArgs),
    /// Write every document, or every match of QUERY, as JSON Lines.
    Export(ExportArgs),
    /// Print a shell completion script on stdout.
    Completions(CompletionsArgs),
    /// Print a manual page (roff) on stdout, e.g. `dossier man search | man -l -`.
    Man(ManArgs),
}

const EXAMPLES: &str = "\
Examples:
  dossier index ~/archive --index ~/dossier-index
  export DOSSIER_INDEX=~/dossier-index       # the default --index from now on
  dossier search \"middle corridor\" -n 5
  dossier search 'title:pipeline -oil' --json | jq .title
  dossier show 9f86d081884c7d65
  dossier stats
  dossier export 'Baku AND gas' > baku-gas.ndjson
  dossier completions bash > ~/.local/share/bash-completion/completions/dossier";

const SEARCH_HELP: &str = "\
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
  dossier search 'gas pipeline'              # either word; pages with both first
  dossier search '\"middle corridor\"'         # the exact phrase
  dossier search '+Baku -oil'                # must have Baku, must not have oil
  dossier search 'title:pipeline after:2025 -lang:ru' --sort=-date
  dossier search Shusha --json --facet site --facet year
  dossier search --literal 'what (if) Russia -- leaves?'
  dossier search --queries questions.txt --json > answers.ndjson";

/// The index folder option shared by every command that reads or writes one.
#[derive(Debug, Args)]
struct IndexDir {
    /// Index folder.
    #[arg(
        long = "index",
        value_name = "DIR",
        env = "DOSSIER_INDEX",
        default_value = "index"
    )]
    dir: PathBuf,
}

/// The colour option of commands that print text for people.
#[derive(Debug, Args)]
struct ColorArg {
    /// Colour text output; auto: only on a terminal, and not if NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
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
    /// Commit after this many pages (and at least every 30 seconds, or
    /// once the pages since the last commit hold 128 MB of text), so an
    /// interrupted run loses no more; the pages since the last commit are
    /// held in memory, so a much larger value costs memory.
    #[arg(long, default_value_t = dossier::index::DEFAULT_COMMIT_PAGES, value_name = "PAGES")]
    commit_every: usize,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// The query: words, "phrases", -excluded, OR, field:value (see README).
    #[arg(required_unless_present = "queries", conflicts_with = "queries")]
    query: Option<String>,
    #[command(flatten)]
    index: IndexDir,
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
    #[command(flatten)]
    color: ColorArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortArg {
    /// Best match first.
    Relevance,
    /// Oldest first.
    Date,
    /// Newest first.
    #[value(name = "-date")]
    DateDesc,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FacetArg {
    Site,
    Author,
    Year,
    Lang,
}

#[derive(Debug, Args)]
struct SimilarArgs {
    /// Id (16 hex digits, from search output) or path of an indexed page.
    #[arg(value_name = "ID_OR_PATH")]
    target: String,
    #[command(flatten)]
    index: IndexDir,
    #[command(flatten)]
    results: ResultArgs,
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
    #[command(flatten)]
    color: ColorArg,
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

#[derive(Debug, Args)]
struct ManArgs {
    /// The command whose page to print (dossier-COMMAND(1)); default: dossier(1).
    #[arg(value_parser = command_name)]
    command: Option<String>,
}

/// Accepts the name of one of dossier's commands.
fn command_name(name: &str) -> Result<String, String> {
    if CliCommand::has_subcommand(name) {
        Ok(name.to_string())
    } else {
        Err("not a dossier command".to_string())
    }
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    shell: Shell,
}

/// What the binary was asked to do.
pub enum Request {
    /// A library command.
    Run(Command),
    /// Print text generated from these argument definitions.
    Print(Generated),
}

/// Text generated from the argument definitions themselves.
pub enum Generated {
    /// A shell completion script.
    Completions(Shell),
    /// The man page of dossier, or of one of its commands.
    Man(Option<String>),
}

/// Whether text output gets ANSI colour: `always` and `never` win; `auto`
/// colours a terminal unless NO_COLOR is set to a non-empty value.
fn use_color(choice: ColorChoice, no_color: Option<OsString>, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

fn format(json: bool, color: ColorChoice) -> Format {
    if json {
        return Format::Json;
    }
    Format::Text {
        color: use_color(
            color,
            std::env::var_os("NO_COLOR"),
            io::stdout().is_terminal(),
        ),
    }
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

fn style(r: ResultArgs) -> Style {
    Style {
        format: format(r.json, r.color.color),
        fields: r.fields,
    }
}

/// Prints a completion script or the man page.
pub fn print(what: Generated, out: &mut dyn Write) -> io::Result<()> {
    let mut cli = Cli::command();
    match what {
        Generated::Completions(shell) => {
            clap_complete::generate(shell, &mut cli, "dossier", out);
            Ok(())
        }
        Generated::Man(command) => {
            // Built, every subcommand is named `dossier-COMMAND`, as the
            // top page's SUBCOMMANDS section refers to it.
            cli = cli.disable_help_subcommand(true);
            cli.build();
            let page = match command {
                None => cli,
                Some(name) => cli
                    .find_subcommand(&name)
                    .cloned()
                    .expect("the parser accepts command names only"),
            };
            clap_mangen::Man::new(page)
                .source(concat!("dossier ", env!("CARGO_PKG_VERSION")))
                .render(out)
        }
    }
}

/// Turns parsed arguments into the library's request.
pub fn resolve(cli: Cli) -> Request {
    Request::Run(match cli.command {
        CliCommand::Completions(a) => return Request::Print(Generated::Completions(a.shell)),
        CliCommand::Man(a) => return Request::Print(Generated::Man(a.command)),
        CliCommand::Index(a) => Command::Index(IndexRequest {
            config: IndexConfig {
                inputs: a.paths,
                index_dir: a.index.dir,
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
            progress: !a.quiet && io::stderr().is_terminal(),
        }),
        CliCommand::Search(a) => Command::Search(SearchConfig {
            index_dir: a.index.dir,
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
            style: style(a.results),
        }),
        CliCommand::Similar(a) => Command::Similar(SimilarConfig {
            index_dir: a.index.dir,
            target: a.target,
            options: result_options(&a.results),
            style: style(a.results),
        }),
        CliCommand::Extract(a) => Command::Extract(ExtractConfig {
            path: a.file,
            format: format(a.json, ColorChoice::Auto),
            limits: ReadLimits::default(),
            extract: ExtractOptions {
                max_depth: a.max_depth,
            },
        }),
        CliCommand::Show(a) => Command::Show(ShowConfig {
            index_dir: a.index.dir,
            key: a.key,
            format: format(a.json, a.color.color),
        }),
        CliCommand::Stats(a) => Command::Stats(StatsConfig {
            index_dir: a.index.dir,
            format: format(a.json, ColorChoice::Never),
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_follows_the_flag_then_no_color_then_the_terminal() {
        let set = || Some(OsString::from("1"));
        assert!(use_color(ColorChoice::Always, set(), false));
        assert!(!use_color(ColorChoice::Never, None, true));
        assert!(use_color(ColorChoice::Auto, None, true));
        assert!(use_color(ColorChoice::Auto, Some(OsString::new()), true));
        assert!(!use_color(ColorChoice::Auto, set(), true));
        assert!(!use_color(ColorChoice::Auto, None, false));
    }

    #[test]
    fn the_argument_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
