//! Index: the on-disk tantivy index and everything that writes it. It owns
//! the schema, the analyzers, opening and creating an index folder (and
//! its writer lock), and the indexing run that drives ingest and extract
//! over an archive: incremental (`state.rs`), with duplicates folded into
//! one document (`dedup.rs`), written and committed by one thread
//! (`run.rs`), its segments merged within a bound on memory
//! (`merges.rs`).

pub mod analysis;
mod backlog;
mod dedup;
mod merges;
mod run;
mod schema;
mod state;
mod stored;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy};

pub use schema::{Fields, LangFields};
pub use stored::StoredDocument;

use crate::error::{Error, Result};
use crate::extract::{self, ExtractOptions};
use crate::ingest::{self, ReadLimits};
use merges::BoundedMerges;
use run::Run;
use state::{Known, Payload};

/// Version of the index layout; an index of another version is rebuilt.
pub const FORMAT_VERSION: u32 = 3;

/// Name of dossier's own state file inside the index folder.
const STATE_FILE: &str = "dossier.json";

/// Files that may sit in an index folder without making it "not an index".
const HARMLESS_FILES: &[&str] = &["README.md", ".gitignore", ".gitkeep"];

/// Memory budget of the tantivy writer.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// tantivy's indexing threads. Documents reach tantivy one by one as pages
/// are extracted, so one thread indexes while the extracting threads use
/// the other cores; a second one only competed with them and waited on
/// tantivy's queue, costing CPU without saving time.
const WRITER_THREADS: usize = 1;

/// zstd level of the document store.
const DOCSTORE_ZSTD_LEVEL: i32 = 3;

/// Uncompressed size of a document store block.
const DOCSTORE_BLOCK_BYTES: usize = 16 * 1024;

/// Default number of pages between two commits. Every commit makes a
/// segment, which merges then rewrite, and reopens the run's reader: at
/// 1,000 a run spent about a tenth more CPU, and at 3,000 or 4,000 no less
/// than at 2,000 while it held more pages in memory (BENCHMARKS.md, ninth
/// round).
pub const DEFAULT_COMMIT_PAGES: usize = 2000;

/// What an indexing run needs to know.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    /// Files and folders to index.
    pub inputs: Vec<PathBuf>,
    /// Where the index lives.
    pub index_dir: PathBuf,
    /// Limits on what is read.
    pub limits: ReadLimits,
    /// Extraction options.
    pub extract: ExtractOptions,
    /// Start from an empty index instead of updating it.
    pub rebuild: bool,
    /// Commit after this many written pages (and at least every 30 s).
    pub commit_pages: usize,
}

/// Counts reported at the end of an indexing run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Pages of files new to the index, written.
    pub indexed: usize,
    /// Pages of changed files, written again.
    pub updated: usize,
    /// Documents kept as they were.
    pub unchanged: usize,
    /// Documents removed because their file is gone.
    pub deleted: usize,
    /// Pages folded into another document (same URL or same text).
    pub duplicates: usize,
    /// Pages and records that were not articles (not HTML, no text,
    /// truncated, too large, WARC records that are not responses).
    pub skipped: usize,
    /// Files or folders that could not be read, and broken compression.
    pub errors: usize,
    /// Files in the folders that were not candidate pages.
    pub ignored: usize,
    /// Bytes of input files read.
    pub bytes: u64,
    /// Wall time of the run in seconds.
    pub seconds: f64,
}

impl IndexSummary {
    /// Megabytes of input read.
    pub fn megabytes(&self) -> f64 {
        self.bytes as f64 / (1024.0 * 1024.0)
    }

    /// Read throughput.
    pub fn megabytes_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.megabytes() / self.seconds
        } else {
            0.0
        }
    }
}

/// How far a run has come, for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Files read so far.
    pub files_done: usize,
    /// Files this run has to read.
    pub files_total: usize,
    /// Bytes of those files read so far.
    pub bytes_done: u64,
    /// Bytes of all the files to read.
    pub bytes_total: u64,
    /// Pages written so far.
    pub pages: usize,
}

/// dossier's state kept beside the tantivy files.
#[derive(Debug, Serialize, Deserialize)]
struct IndexState {
    format: u32,
    /// `extract::VERSION` of the documents.
    extraction: u32,
    indexed_at: String,
    documents: usize,
}

/// An opened dossier index with its fields.
pub struct DossierIndex {
    /// The tantivy index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Its folder.
    pub dir: PathBuf,
}

impl DossierIndex {
    /// A reader of the index as last committed, reloaded only when asked:
    /// neither a search nor an indexing run needs tantivy's reloading
    /// thread.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::index(&self.dir, e))
    }

    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> Result<DossierIndex> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        let state = read_state(dir).ok_or_else(|| Error::IndexVersion(dir.to_path_buf()))?;
        if state.format != FORMAT_VERSION {
            return Err(Error::IndexVersion(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir).map_err(|e| Error::index(dir, e))?;
        analysis::register(index.tokenizers());
        let fields = Fields::from_schema(&index.schema())
            .ok_or_else(|| Error::IndexVersion(dir.to_path_buf()))?;
        Ok(DossierIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// Opens the index at `dir` for writing, creating it when the folder
    /// holds none and replacing one of an older format.
    fn open_or_create(dir: &Path) -> Result<DossierIndex> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        match DossierIndex::open(dir) {
            Ok(existing) => return Ok(existing),
            Err(Error::NoIndex(_)) => ensure_no_foreign_files(dir)?,
            Err(Error::IndexVersion(_)) => {
                ensure_unlocked(dir)?;
                remove_index_files(dir)?
            }
            Err(e) => return Err(e),
        }
        let (schema, fields) = Fields::build();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_dir(dir)
            .map_err(|e| Error::index(dir, e))?;
        analysis::register(index.tokenizers());
        // Written at once, so the new index can be searched during its first run.
        write_state(dir, 0)?;
        Ok(DossierIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }
}

/// How tantivy stores documents. Article text is most of an index; zstd
/// stores it in two thirds of the space LZ4 takes. Blocks of 16 KB (two
/// articles or so) keep the cost of fetching a hit's text small.
fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

/// Refuses to create an index in a folder that holds other files, so a
/// mistyped `--index` never mixes an index into someone's documents.
fn ensure_no_foreign_files(dir: &Path) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !HARMLESS_FILES.iter().any(|h| name == *h) {
            return Err(Error::io(
                dir,
                std::io::Error::other(
                    "folder is not empty and holds no dossier index; choose another --index",
                ),
            ));
        }
    }
    Ok(())
}

/// Fails when another process writes the index in `dir`: its files must
/// not be removed under it.
fn ensure_unlocked(dir: &Path) -> Result<()> {
    let Ok(index) = Index::open_in_dir(dir) else {
        return Ok(());
    };
    let writer: IndexWriter = index
        .writer_with_num_threads(1, 15_000_000)
        .map_err(|e| Error::index(dir, e))?;
    drop(writer);
    Ok(())
}

/// Deletes the files of an index of another format (only tantivy's and ours).
fn remove_index_files(dir: &Path) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == STATE_FILE
            || name == "meta.json"
            || name == ".managed.json"
            || name.ends_with(".lock")
            || is_segment_file(&name);
        if ours {
            fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

fn is_segment_file(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit())
}

/// When the index in `dir` was last written (RFC 3339), if it says.
pub fn indexed_at(dir: &Path) -> Option<String> {
    read_state(dir).map(|state| state.indexed_at)
}

fn read_state(dir: &Path) -> Option<IndexState> {
    let text = fs::read_to_string(dir.join(STATE_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_state(dir: &Path, documents: usize) -> Result<()> {
    let state = IndexState {
        format: FORMAT_VERSION,
        extraction: extract::VERSION,
        indexed_at: chrono::Utc::now().to_rfc3339(),
        documents,
    };
    let path = dir.join(STATE_FILE);
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    let text = serde_json::to_string_pretty(&state).expect("state serialises");
    fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

/// A stable id for a page: a hash of its source location.
pub fn document_id(source: &str) -> String {
    blake3::hash(source.as_bytes()).to_hex()[..16].to_string()
}

/// Brings the index at `config.index_dir` up to date with `config.inputs`:
/// new and changed files are read, documents of files that are gone are
/// deleted, the rest is left alone (all of it is redone with
/// `config.rebuild` or after a change of `extract::VERSION`). Problems with
/// single pages are passed to `warn` and counted; only a failure of the
/// index itself is an error, and then the last commit stays intact.
pub fn build(
    config: &IndexConfig,
    warn: &(dyn Fn(&str) + Sync),
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<IndexSummary> {
    let started = Instant::now();
    let target = DossierIndex::open_or_create(&config.index_dir)?;
    let dir = &config.index_dir;
    let writer: IndexWriter = target
        .index
        .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)
        .map_err(|e| Error::index(dir, e))?;
    writer.set_merge_policy(Box::new(BoundedMerges::new(dir, merges::MAX_MERGE_BYTES)));
    // Files no commit refers to are what a killed run left behind.
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| Error::index(dir, e))?;
    let known = if config.rebuild || !extraction_is_current(dir) {
        writer
            .delete_all_documents()
            .map_err(|e| Error::index(dir, e))?;
        Known::default()
    } else {
        load_known(&target)?
    };
    let discovery = ingest::discover(&config.inputs);
    for problem in &discovery.problems {
        warn(&problem.to_string());
    }
    let mut plan = state::plan(&known, &discovery.files);
    // What is as long as the archive goes as soon as it has served: the
    // list of every file found, then the plan's, and the reading drops
    // each path of the work once read.
    drop(discovery.files);
    let work = std::mem::take(&mut plan.work);
    let mut run = Run::start(writer, &target, known, &plan, config.commit_pages)?;
    drop(plan);
    let (skipped, errors) = run.process(work, config, warn, progress)?;
    let mut summary = IndexSummary {
        skipped,
        errors: errors + discovery.problems.len(),
        ignored: discovery.ignored,
        ..IndexSummary::default()
    };
    let documents = run.finish(&mut summary)?;
    write_state(dir, documents)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Whether the documents were extracted by this version's rules.
fn extraction_is_current(dir: &Path) -> bool {
    read_state(dir).is_some_and(|s| s.extraction == extract::VERSION)
}

/// What the last commit knew: its documents and its payload.
fn load_known(target: &DossierIndex) -> Result<Known> {
    let dir = &target.dir;
    let payload = target
        .index
        .load_metas()
        .map_err(|e| Error::index(dir, e))?
        .payload;
    let segments = target
        .index
        .searchable_segments()
        .map_err(|e| Error::index(dir, e))?;
    state::load(
        &segments,
        &target.fields,
        Payload::parse(payload.as_deref()),
    )
    .map_err(|e| Error::index(dir, e))
}
