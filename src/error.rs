//! The library's error type: one variant per way a request can fail, each
//! naming the file, index or query at fault so the binary can print it as a
//! single line. Per-page problems during a batch are reported as warnings
//! carrying the same type, never as panics.

use std::io;
use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A file was read but is not an HTML page dossier can index.
    #[error("{}: {reason}", path.display())]
    NotHtml {
        /// The file that was rejected.
        path: PathBuf,
        /// Why it was rejected (empty, binary, too large...).
        reason: String,
    },
    /// A gzip file (or one gzip member of a WARC file) could not be
    /// decompressed; nothing after the damage is read.
    #[error("{}: broken gzip data: {source}", crate::ingest::location(path, *offset))]
    Gzip {
        /// The compressed file.
        path: PathBuf,
        /// Offset of the broken member in a WARC file.
        offset: Option<u64>,
        /// What the decompressor said.
        source: io::Error,
    },
    /// A WARC record is truncated, malformed, too large or not a page it
    /// claims to be; the rest of the file is still read when possible.
    #[error("{}: {reason}", crate::ingest::location(path, Some(*offset)))]
    Warc {
        /// The WARC file.
        path: PathBuf,
        /// Byte offset of the record (of its gzip member in a `.warc.gz`).
        offset: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// Another process is writing the index (its writer lock is held).
    #[error("{}: index is locked by another dossier process", .0.display())]
    Locked(PathBuf),
    /// No dossier index exists at the given folder.
    #[error("no index at {} (run `dossier index` first)", .0.display())]
    NoIndex(PathBuf),
    /// The folder holds an index written by an incompatible dossier version.
    #[error("index at {} was written by another dossier version (re-run `dossier index`)", .0.display())]
    IndexVersion(PathBuf),
    /// tantivy failed to open, read or write the index.
    #[error("index {}: {source}", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// The underlying tantivy error.
        source: tantivy::TantivyError,
    },
    /// `show` was asked for a document the index does not hold; named by
    /// the id or path as the user gave it.
    #[error("no document with id or path {0}")]
    NoDocument(String),
    /// A query could not be parsed.
    #[error("bad query {query:?}: {message}")]
    Query {
        /// The query text as the user gave it.
        query: String,
        /// What the parser expected.
        message: String,
    },
    /// Results could not be written (for example, a closed pipe).
    #[error("writing output: {0}")]
    Output(#[source] io::Error),
    /// A query batch file could not be understood.
    #[error("{}: line {line}: {message}", path.display())]
    QueryFile {
        /// The batch file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was wrong with it.
        message: String,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Wraps a tantivy error with the index folder it concerns; a held
    /// writer lock becomes `Locked` rather than tantivy's raw message.
    pub fn index(path: impl Into<PathBuf>, source: tantivy::TantivyError) -> Self {
        use tantivy::directory::error::LockError;
        match source {
            tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => {
                Error::Locked(path.into())
            }
            source => Error::Index {
                path: path.into(),
                source,
            },
        }
    }
}

/// Shorthand for results of this library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
