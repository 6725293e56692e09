//! Ingest: finds the pages of an archive on disk and turns each into decoded
//! text. It owns walking folders, deciding what looks like HTML (loose
//! files, gzip files, WARC archives), enforcing the page-size limit and
//! charset decoding, so that later stages only ever see a `RawPage` with a
//! Unicode string and its provenance (file, and record offset in a WARC).

pub mod charset;
mod gzip;
mod warc;

use std::fs::{self, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// File name endings that are taken as HTML without sniffing.
const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "shtml"];

/// How many leading bytes are examined to decide whether a file is HTML.
const SNIFF_LEN: usize = 1024;

/// A page read from disk and decoded to text.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// The file the page was read from.
    pub path: PathBuf,
    /// Where the record starts in a WARC file (compressed offset for
    /// `.warc.gz`); `None` for a page that is a whole file.
    pub offset: Option<u64>,
    /// The page's HTML as Unicode text.
    pub html: String,
    /// When the page was saved: `WARC-Date`, else the file's modification time.
    pub crawled: Option<DateTime<Utc>>,
    /// The URL the crawler fetched (`WARC-Target-URI`), when known.
    pub target_url: Option<String>,
    /// Size of the page in bytes, before decoding.
    pub bytes: u64,
}

impl RawPage {
    /// The page's location as one string: the path, plus `#offset=N` for a
    /// WARC record. Document ids are derived from it.
    pub fn location(&self) -> String {
        location(&self.path, self.offset)
    }
}

/// The location string of a page: `path` or `path#offset=N`.
pub fn location(path: &Path, offset: Option<u64>) -> String {
    match offset {
        Some(n) => format!("{}#offset={n}", path.display()),
        None => path.display().to_string(),
    }
}

/// Splits a location string back into its file and record offset.
pub fn parse_location(location: &str) -> (PathBuf, Option<u64>) {
    match location.rsplit_once("#offset=") {
        Some((path, n)) if n.parse::<u64>().is_ok() => (PathBuf::from(path), n.parse().ok()),
        _ => (PathBuf::from(location), None),
    }
}

/// Limits applied while reading pages.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Pages larger than this many bytes (once decompressed) are refused.
    pub max_page_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_page_bytes: 50 * 1024 * 1024,
        }
    }
}

/// What reading an input file yields, one item at a time.
#[derive(Debug)]
pub enum Entry {
    /// A page to extract.
    Page(RawPage),
    /// A WARC record that is not a page (request, revisit, metadata,
    /// non-HTML response...): counted as skipped, not worth a warning.
    Passed,
}

/// What walking the inputs found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read as pages, in a stable (sorted) order.
    pub files: Vec<PathBuf>,
    /// Inputs that could not be walked (missing paths, unreadable folders).
    pub problems: Vec<Error>,
    /// Files passed over because they are not pages (images, notes...).
    pub ignored: usize,
}

/// Walks `inputs` (files or folders, recursively) and lists candidate pages.
///
/// A file named on the command line is always a candidate; inside folders,
/// files with an HTML or WARC ending, or none, are candidates, others
/// (including `.gz` files of unknown content) are sniffed.
pub fn discover(inputs: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    for input in inputs {
        match fs::metadata(input) {
            Err(e) => found.problems.push(Error::io(input, e)),
            Ok(meta) if meta.is_file() => found.files.push(input.clone()),
            Ok(_) => walk_folder(input, &mut found),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk_folder(root: &Path, found: &mut Discovery) {
    // follow_links makes walkdir detect symlink loops and report them as errors.
    for entry in walkdir::WalkDir::new(root).follow_links(true) {
        match entry {
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                found.problems.push(Error::io(path, e.into()));
            }
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry.into_path();
                if is_candidate(&path) {
                    found.files.push(path);
                } else {
                    found.ignored += 1;
                }
            }
            Ok(_) => {}
        }
    }
}

/// How a file's bytes hold pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// One page, as is.
    Html,
    /// One page, gzip-compressed (any number of members).
    GzipHtml,
    /// A WARC file.
    Warc,
    /// A WARC file of gzip members.
    GzipWarc,
}

/// Decides the container from the name, sniffing the content of a `.gz`
/// whose inner name says nothing.
fn container_of(path: &Path) -> Container {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".warc") {
        return Container::Warc;
    }
    let Some(inner) = name.strip_suffix(".gz") else {
        return Container::Html;
    };
    if inner.ends_with(".warc") {
        return Container::GzipWarc;
    }
    let has_html_ending = Path::new(inner)
        .extension()
        .is_some_and(|e| HTML_EXTENSIONS.iter().any(|h| e == *h));
    if !has_html_ending && gzip::head(path, SNIFF_LEN).starts_with(b"WARC/") {
        Container::GzipWarc
    } else {
        Container::GzipHtml
    }
}

/// Whether a file found inside a folder should be read as a page.
fn is_candidate(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.eq_ignore_ascii_case("readme.md") {
        return false;
    }
    let html_ending =
        |p: &Path| extension_lowercase(p).is_some_and(|e| HTML_EXTENSIONS.contains(&e.as_str()));
    match container_of(path) {
        Container::Warc | Container::GzipWarc => true,
        Container::GzipHtml => {
            html_ending(&path.with_extension("")) || looks_like_html(&gzip::head(path, SNIFF_LEN))
        }
        Container::Html => html_ending(path) || sniff_file(path),
    }
}

fn extension_lowercase(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
}

fn sniff_file(path: &Path) -> bool {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    match fs::File::open(path) {
        Ok(f) => f.take(SNIFF_LEN as u64).read_to_end(&mut head).is_ok() && looks_like_html(&head),
        Err(_) => false,
    }
}

/// True when the first bytes of a file look like an HTML document.
pub fn looks_like_html(head: &[u8]) -> bool {
    let head = charset::strip_bom(head);
    let prefix: Vec<u8> = head
        .iter()
        .take(SNIFF_LEN)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let prefix = String::from_utf8_lossy(&prefix);
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<article",
    ]
    .iter()
    .any(|marker| prefix.contains(marker))
}

/// Reads every page of one input file (one page for HTML files, one per
/// response record for WARC files) and hands each to `emit` with the
/// problems met on the way. A problem with one record does not stop the
/// file; broken compression does, since nothing after it can be trusted.
pub fn read_file(path: &Path, limits: &ReadLimits, emit: &mut dyn FnMut(Result<Entry>)) {
    match container_of(path) {
        Container::Html | Container::GzipHtml => emit(read_page(path, limits).map(Entry::Page)),
        Container::Warc => warc::read_plain(path, limits, emit),
        Container::GzipWarc => warc::read_gzip(path, limits, emit),
    }
}

/// Reads one page that is a whole file (HTML, or gzip-compressed HTML) and
/// decodes it.
pub fn read_page(path: &Path, limits: &ReadLimits) -> Result<RawPage> {
    let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let bytes = match container_of(path) {
        Container::Html => {
            check_size(path, meta.len(), limits)?;
            let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let bytes = read_at_most(file, limits.max_page_bytes);
            match bytes.map_err(|e| Error::io(path, e))? {
                Some(bytes) => bytes,
                // The file grew past the limit after it was measured.
                None => {
                    let len = fs::metadata(path).map_or(u64::MAX, |m| m.len());
                    return Err(too_large(path, len, limits));
                }
            }
        }
        Container::GzipHtml => gzip::read_bounded(path, limits.max_page_bytes)?,
        Container::Warc | Container::GzipWarc => {
            return Err(not_html(
                path,
                "a WARC archive holds many pages; name one as FILE#offset=N".into(),
            ))
        }
    };
    plain_page(path, &bytes, &meta)
}

/// The bytes of `path` when the file is one uncompressed page within the
/// limits, read in one go: a caller that also hashes its input files
/// (incremental indexing) hashes these bytes and passes them to
/// [`plain_page`] instead of reading the file twice. `None` for archives,
/// compressed files and pages over the limit, which [`read_file`] reads.
pub fn read_plain_file(
    path: &Path,
    limits: &ReadLimits,
) -> Option<io::Result<(Vec<u8>, Metadata)>> {
    if !matches!(container_of(path), Container::Html) {
        return None;
    }
    let read = || -> io::Result<Option<(Vec<u8>, Metadata)>> {
        let file = fs::File::open(path)?;
        let meta = file.metadata()?;
        let max = limits.max_page_bytes;
        if meta.len() > max {
            return Ok(None);
        }
        // The bound holds even if the file grows after it was measured.
        Ok(read_at_most(file, max)?.map(|bytes| (bytes, meta)))
    };
    read().transpose()
}

/// The page held by `bytes`, the whole content of the file `path`.
pub fn plain_page(path: &Path, bytes: &[u8], meta: &Metadata) -> Result<RawPage> {
    let crawled = meta.modified().ok().map(system_time_to_utc);
    let html = decode_page(path, bytes, None)?;
    Ok(RawPage {
        path: path.to_path_buf(),
        offset: None,
        html,
        crawled,
        target_url: None,
        bytes: bytes.len() as u64,
    })
}

/// Reads the page at `location`: a whole file, or `FILE#offset=N` for one
/// record of a WARC file.
pub fn read_location(location: &Path, limits: &ReadLimits) -> Result<RawPage> {
    let (path, offset) = parse_location(&location.to_string_lossy());
    match offset {
        Some(offset) if !location.exists() => warc::read_record_at(&path, offset, limits),
        _ => read_page(location, limits),
    }
}

/// Refuses a page larger than the limit, naming the flag that sets it.
fn check_size(path: &Path, len: u64, limits: &ReadLimits) -> Result<()> {
    if len <= limits.max_page_bytes {
        return Ok(());
    }
    Err(too_large(path, len, limits))
}

/// The error for a page of `len` bytes, over the limit.
fn too_large(path: &Path, len: u64, limits: &ReadLimits) -> Error {
    not_html(
        path,
        format!(
            "page is {} MB, over the {} MB limit (see --max-page-mb)",
            len / (1024 * 1024),
            limits.max_page_bytes / (1024 * 1024)
        ),
    )
}

/// All of `reader` when it holds at most `max` bytes; `None` when it holds
/// more, after reading only `max + 1` of them. Every read of a whole page
/// (a file, a gzip stream, a compressed HTTP body) goes through this, so
/// no input can make dossier hold more than the limit.
fn read_at_most(reader: impl Read, max: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

/// Checks that `bytes` hold an HTML page and decodes them to text;
/// `declared` is a charset named outside the page (an HTTP header).
pub fn decode_page(path: &Path, bytes: &[u8], declared: Option<&str>) -> Result<String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(not_html(path, "empty file".into()));
    }
    if charset::looks_binary(bytes) {
        return Err(not_html(path, "binary data, not an HTML page".into()));
    }
    let text = charset::decode(bytes, declared);
    if !looks_like_markup(&text) {
        return Err(not_html(path, "no HTML markup found".into()));
    }
    Ok(text)
}

/// A page must contain at least one tag; plain text files are not pages.
fn looks_like_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'!'))
}

fn not_html(path: &Path, reason: String) -> Error {
    Error::NotHtml {
        path: path.to_path_buf(),
        reason,
    }
}

fn system_time_to_utc(t: SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_at_most_the_limit() {
        let ten = [b'x'; 10];
        assert_eq!(read_at_most(&ten[..], 10).unwrap(), Some(ten.to_vec()));
        assert_eq!(read_at_most(&ten[..], 9).unwrap(), None);
        assert_eq!(read_at_most(&ten[..0], 0).unwrap(), Some(Vec::new()));
        assert_eq!(
            read_at_most(&ten[..], u64::MAX).unwrap(),
            Some(ten.to_vec())
        );
    }

    #[test]
    fn a_plain_page_is_read_whole_only_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("page.html");
        fs::write(&page, "<p>twelve b</p>").unwrap();
        let limits = |max_page_bytes| ReadLimits { max_page_bytes };
        let (bytes, meta) = read_plain_file(&page, &limits(100)).unwrap().unwrap();
        assert_eq!((bytes.len(), meta.len()), (15, 15));
        assert!(read_plain_file(&page, &limits(14)).is_none());
        assert!(read_plain_file(&dir.path().join("gone.html"), &limits(100))
            .unwrap()
            .is_err());
        assert!(read_plain_file(&dir.path().join("crawl.warc"), &limits(100)).is_none());
    }

    #[test]
    fn sniffs_html_without_extension() {
        assert!(looks_like_html(b"\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<html lang=en>"));
        assert!(!looks_like_html(b"just some notes"));
        assert!(!looks_like_html(b"\x89PNG\r\n\x1a\n"));
    }

    #[test]
    fn empty_and_binary_files_are_refused_with_reason() {
        let err = decode_page(Path::new("a.html"), b"  \n", None).unwrap_err();
        assert!(err.to_string().contains("a.html: empty file"), "{err}");
        let err =
            decode_page(Path::new("b.html"), b"\x00\x01\x02\x03PK\x03\x04", None).unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
        let err = decode_page(Path::new("c.html"), b"plain words only", None).unwrap_err();
        assert!(err.to_string().contains("no HTML markup"), "{err}");
    }

    #[test]
    fn locations_round_trip() {
        let p = Path::new("a/crawl.warc.gz");
        assert_eq!(location(p, Some(1234)), "a/crawl.warc.gz#offset=1234");
        assert_eq!(
            parse_location("a/crawl.warc.gz#offset=1234"),
            (p.to_path_buf(), Some(1234))
        );
        assert_eq!(
            parse_location("a/page.html"),
            (PathBuf::from("a/page.html"), None)
        );
    }
}
