//! Index: the on-disk tantivy index and everything that writes it. It owns
//! the schema, the analyzers, opening and creating an index folder, and the
//! indexing run that drives ingest and extract over an archive and stores
//! one document per article.

pub mod analysis;
mod schema;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::{DateTime as TantivyDate, Index, IndexWriter, TantivyDocument};

pub use schema::Fields;

use crate::error::{Error, Result};
use crate::extract::{self, Article, ExtractOptions};
use crate::ingest::{self, Entry, RawPage, ReadLimits};

/// Version of the index layout; an index of another version is rebuilt.
pub const FORMAT_VERSION: u32 = 2;

/// Name of dossier's own state file inside the index folder.
const STATE_FILE: &str = "dossier.json";

/// Files that may sit in an index folder without making it "not an index".
const HARMLESS_FILES: &[&str] = &["README.md", ".gitignore", ".gitkeep"];

/// Memory budget of the tantivy writer, shared by its threads.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

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
}

/// Counts reported at the end of an indexing run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Pages written to the index.
    pub indexed: usize,
    /// Files that were not pages or held no article.
    pub skipped: usize,
    /// Files or folders that could not be read.
    pub errors: usize,
    /// Files in the folders that were not candidate pages.
    pub ignored: usize,
    /// Bytes of HTML read.
    pub bytes: u64,
    /// Wall time of the run in seconds.
    pub seconds: f64,
}

/// dossier's state kept beside the tantivy files.
#[derive(Debug, Serialize, Deserialize)]
struct IndexState {
    format: u32,
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
            Err(Error::IndexVersion(_)) => remove_index_files(dir)?,
            Err(e) => return Err(e),
        }
        let (schema, fields) = Fields::build();
        let index = Index::create_in_dir(dir, schema).map_err(|e| Error::index(dir, e))?;
        analysis::register(index.tokenizers());
        Ok(DossierIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
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

fn read_state(dir: &Path) -> Option<IndexState> {
    let text = fs::read_to_string(dir.join(STATE_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_state(dir: &Path, documents: usize) -> Result<()> {
    let state = IndexState {
        format: FORMAT_VERSION,
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

/// Indexes `config.inputs` into `config.index_dir`, replacing what the
/// index held. Problems with single pages are passed to `warn` and counted;
/// only a failure of the index itself is an error, and then the previous
/// contents stay as they were.
pub fn build(config: &IndexConfig, warn: &(dyn Fn(&str) + Sync)) -> Result<IndexSummary> {
    let started = Instant::now();
    let target = DossierIndex::open_or_create(&config.index_dir)?;
    let dir = &config.index_dir;
    let mut writer: IndexWriter = target
        .index
        .writer(WRITER_MEMORY)
        .map_err(|e| Error::index(dir, e))?;
    writer
        .delete_all_documents()
        .map_err(|e| Error::index(dir, e))?;

    let discovery = ingest::discover(&config.inputs);
    for problem in &discovery.problems {
        warn(&problem.to_string());
    }
    let counts = Counts::default();
    counts
        .errors
        .fetch_add(discovery.problems.len(), Ordering::Relaxed);
    let failure = std::sync::Mutex::new(None);
    discovery.files.par_iter().for_each(|path| {
        ingest::read_file(path, &config.limits, &mut |item| {
            let Some(page) = counts.admit(item, warn) else {
                return;
            };
            let article = extract::extract(&page.html, page.crawled, &config.extract);
            let location = page.location();
            if let Some(reason) = &article.degraded {
                warn(&format!("{location}: {reason}"));
            }
            if article.body.is_empty() {
                warn(&format!("{location}: no article text found"));
                counts.skipped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            let doc = to_document(&target.fields, &page, &article);
            match writer.add_document(doc) {
                Ok(_) => {
                    counts.indexed.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => {
                    failure
                        .lock()
                        .expect("no panics hold this lock")
                        .get_or_insert(e);
                }
            }
        });
    });
    if let Some(e) = failure.into_inner().expect("no panics hold this lock") {
        return Err(Error::index(dir, e));
    }
    writer.commit().map_err(|e| Error::index(dir, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| Error::index(dir, e))?;
    let indexed = counts.indexed.into_inner();
    write_state(dir, indexed)?;
    Ok(IndexSummary {
        indexed,
        skipped: counts.skipped.into_inner(),
        errors: counts.errors.into_inner(),
        ignored: discovery.ignored,
        bytes: counts.bytes.into_inner(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Tallies of a run, shared by the worker threads.
#[derive(Default)]
struct Counts {
    indexed: AtomicUsize,
    skipped: AtomicUsize,
    errors: AtomicUsize,
    bytes: AtomicU64,
}

impl Counts {
    /// Counts one item read from an input file, warning about problems;
    /// returns the page when there is one to extract. Pages that are not
    /// HTML, records that are not pages and damaged records are skipped;
    /// unreadable files and broken compression are errors.
    fn admit(&self, item: Result<Entry>, warn: &(dyn Fn(&str) + Sync)) -> Option<RawPage> {
        let counter = match item {
            Ok(Entry::Page(page)) => {
                self.bytes.fetch_add(page.bytes, Ordering::Relaxed);
                return Some(page);
            }
            Ok(Entry::Passed) => &self.skipped,
            Err(e @ (Error::NotHtml { .. } | Error::Warc { .. })) => {
                warn(&e.to_string());
                &self.skipped
            }
            Err(e) => {
                warn(&e.to_string());
                &self.errors
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
        None
    }
}

fn to_document(f: &Fields, page: &RawPage, article: &Article) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.id, document_id(&page.location()));
    doc.add_text(f.path, page.path.to_string_lossy());
    if let Some(offset) = page.offset {
        doc.add_u64(f.offset, offset);
    }
    // The crawled URL stands in for a page that names no canonical URL.
    let url = article.url.clone().or_else(|| page.target_url.clone());
    let optional = [
        (f.url, &url),
        (f.title, &article.title),
        (f.site, &article.site),
        (f.lang, &article.lang),
        (f.description, &article.description),
    ];
    for (field, value) in optional {
        if let Some(v) = value {
            doc.add_text(field, v);
        }
    }
    for author in &article.authors {
        doc.add_text(f.author, author);
    }
    if let Some(published) = article.published {
        doc.add_date(
            f.published,
            TantivyDate::from_timestamp_secs(published.timestamp()),
        );
    }
    doc.add_text(f.body, &article.body);
    doc
}
