//! Ingest: finds the pages of an archive on disk and turns each into decoded
//! text. It owns walking folders, deciding what looks like HTML, enforcing the
//! page-size limit and charset decoding, so that later stages only ever see a
//! `RawPage` with a Unicode string and its provenance.

pub mod charset;

use std::fs;
use std::io::Read;
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
    /// Where the page was read from.
    pub path: PathBuf,
    /// The page's HTML as Unicode text.
    pub html: String,
    /// When the page was saved: the file's modification time.
    pub crawled: Option<DateTime<Utc>>,
    /// Size of the file in bytes, before decoding.
    pub bytes: u64,
}

/// Limits applied while reading pages.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Pages larger than this many bytes are refused.
    pub max_page_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_page_bytes: 50 * 1024 * 1024,
        }
    }
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
/// files with an HTML ending, or none, are candidates, others are sniffed.
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

/// Whether a file found inside a folder should be read as a page.
fn is_candidate(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.eq_ignore_ascii_case("readme.md") {
        return false;
    }
    match extension_lowercase(path) {
        Some(ext) if HTML_EXTENSIONS.contains(&ext.as_str()) => true,
        _ => sniff_file(path),
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

/// Reads one page from disk and decodes it.
pub fn read_page(path: &Path, limits: &ReadLimits) -> Result<RawPage> {
    let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > limits.max_page_bytes {
        return Err(not_html(
            path,
            format!(
                "page is {} MB, over the {} MB limit (see --max-page-mb)",
                meta.len() / (1024 * 1024),
                limits.max_page_bytes / (1024 * 1024)
            ),
        ));
    }
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    let crawled = meta.modified().ok().map(system_time_to_utc);
    let html = decode_page(path, &bytes)?;
    Ok(RawPage {
        path: path.to_path_buf(),
        html,
        crawled,
        bytes: bytes.len() as u64,
    })
}

/// Checks that `bytes` hold an HTML page and decodes them to text.
pub fn decode_page(path: &Path, bytes: &[u8]) -> Result<String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(not_html(path, "empty file".into()));
    }
    if charset::looks_binary(bytes) {
        return Err(not_html(path, "binary data, not an HTML page".into()));
    }
    let text = charset::decode(bytes, None);
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
    fn sniffs_html_without_extension() {
        assert!(looks_like_html(b"\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<html lang=en>"));
        assert!(!looks_like_html(b"just some notes"));
        assert!(!looks_like_html(b"\x89PNG\r\n\x1a\n"));
    }

    #[test]
    fn empty_and_binary_files_are_refused_with_reason() {
        let err = decode_page(Path::new("a.html"), b"  \n").unwrap_err();
        assert!(err.to_string().contains("a.html: empty file"), "{err}");
        let err = decode_page(Path::new("b.html"), b"\x00\x01\x02\x03PK\x03\x04").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
        let err = decode_page(Path::new("c.html"), b"plain words only").unwrap_err();
        assert!(err.to_string().contains("no HTML markup"), "{err}");
    }
}
