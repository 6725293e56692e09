//! WARC input: crawler archives (`.warc`, and `.warc.gz` with one gzip
//! member per record). Only `response` records whose HTTP response is a
//! successful HTML page become pages; everything else is passed over and
//! counted. The HTTP head is parsed with httparse, so its charset (and any
//! chunked or gzip transfer of the body) is honoured.
//!
//! A record is located by its byte offset in the file: the offset of its
//! gzip member in a `.warc.gz`, the way crawl indexes (CDX) locate records.
//! A record that shares a gzip member with the one before it (a WARC
//! compressed whole) is located by its offset in the decompressed stream.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::bufread::{GzDecoder, MultiGzDecoder};

use super::{gzip, Entry, RawPage, ReadLimits};
use crate::error::{Error, Result};
use crate::extract::dates;

/// Largest WARC header block or HTTP head accepted, in bytes.
const MAX_HEAD: u64 = 64 * 1024;

/// Most HTTP header lines read from one response.
const MAX_HTTP_HEADERS: usize = 128;

/// A WARC record as read: its headers and content block.
struct Record {
    /// Header names lower-cased, values trimmed.
    headers: Vec<(String, String)>,
    /// Declared length of the content block.
    length: u64,
    /// The content block; `None` when it was over the limit and skipped.
    block: Option<Vec<u8>>,
}

impl Record {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What reading at a record boundary found.
enum Next {
    /// The stream ended cleanly.
    End,
    /// A whole record, and how many bytes of the stream it took.
    Record(Record, u64),
    /// The stream ended inside a record.
    Truncated,
    /// The bytes are not a WARC record.
    Malformed(String),
}

/// Reads every record of an uncompressed WARC file.
pub fn read_plain(path: &Path, limits: &ReadLimits, emit: &mut dyn FnMut(Result<Entry>)) {
    let mut reader = match File::open(path) {
        Ok(f) => BufReader::new(f),
        Err(e) => return emit(Err(Error::io(path, e))),
    };
    loop {
        let offset = match reader.stream_position() {
            Ok(n) => n,
            Err(e) => return emit(Err(Error::io(path, e))),
        };
        match next_record(&mut reader, max_block(limits)) {
            Err(e) => return emit(Err(Error::io(path, e))),
            Ok(Next::End) => return,
            Ok(Next::Record(record, _)) => emit(to_entry(path, offset, record, limits)),
            Ok(Next::Truncated) => return emit(Err(truncated(path, offset))),
            Ok(Next::Malformed(why)) => return emit(Err(warc_error(path, offset, why))),
        }
    }
}

/// Reads every record of a gzip-compressed WARC file, member by member, so
/// each record is located by its member's offset. A truncated or malformed
/// record ends its member only; broken gzip ends the file.
pub fn read_gzip(path: &Path, limits: &ReadLimits, emit: &mut dyn FnMut(Result<Entry>)) {
    let mut file = match File::open(path) {
        Ok(f) => BufReader::new(f),
        Err(e) => return emit(Err(Error::io(path, e))),
    };
    let mut stream_pos = 0;
    loop {
        let offset = match member_start(&mut file) {
            Ok(Some(offset)) => offset,
            Ok(None) => return,
            Err(e) => return emit(Err(Error::io(path, e))),
        };
        let mut member = BufReader::new(GzDecoder::new(&mut file));
        match read_member(path, offset, stream_pos, &mut member, limits, emit) {
            Ok(len) => stream_pos += len,
            Err(e) => return emit(Err(gzip::broken(path, Some(offset), e))),
        }
    }
}

/// The offset of the next gzip member, or `None` at the end of the file.
fn member_start(file: &mut BufReader<File>) -> io::Result<Option<u64>> {
    let at_end = file.fill_buf()?.is_empty();
    (!at_end).then(|| file.stream_position()).transpose()
}

/// Reads the records of one gzip member; returns its decompressed length.
fn read_member(
    path: &Path,
    offset: u64,
    stream_pos: u64,
    member: &mut impl BufRead,
    limits: &ReadLimits,
    emit: &mut dyn FnMut(Result<Entry>),
) -> io::Result<u64> {
    let mut in_member = 0;
    loop {
        // The first record of a member is located by the member's offset.
        let at = if in_member == 0 {
            offset
        } else {
            stream_pos + in_member
        };
        match next_record(member, max_block(limits))? {
            Next::End => break,
            Next::Record(record, len) => {
                in_member += len;
                emit(to_entry(path, at, record, limits));
            }
            Next::Truncated => {
                emit(Err(truncated(path, at)));
                break;
            }
            Next::Malformed(why) => {
                emit(Err(warc_error(path, at, why)));
                break;
            }
        }
    }
    // Finish the member so the next one starts where it should.
    Ok(in_member + io::copy(member, &mut io::sink())?)
}

/// Reads the one record at `offset` of a WARC file (`dossier extract
/// FILE#offset=N`).
pub fn read_record_at(path: &Path, offset: u64, limits: &ReadLimits) -> Result<RawPage> {
    let gzipped = !gzip::head(path, 2).is_empty();
    let mut next = record_at(path, offset, gzipped, limits);
    if gzipped && !matches!(next, Ok(Next::Record(..))) {
        next = record_in_stream(path, offset, limits);
    }
    let record = match next.map_err(|e| gzip::broken(path, Some(offset), e))? {
        Next::Record(record, _) => record,
        Next::End | Next::Truncated => return Err(truncated(path, offset)),
        Next::Malformed(why) => return Err(warc_error(path, offset, why)),
    };
    match to_entry(path, offset, record, limits)? {
        Entry::Page(page) => Ok(page),
        Entry::Passed => Err(warc_error(
            path,
            offset,
            "not an HTML response record".into(),
        )),
    }
}

/// Reads the record starting at byte `offset` of the file (a gzip member
/// of its own when `gzipped`).
fn record_at(path: &Path, offset: u64, gzipped: bool, limits: &ReadLimits) -> io::Result<Next> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let reader = BufReader::new(file);
    if gzipped {
        next_record(
            &mut BufReader::new(GzDecoder::new(reader)),
            max_block(limits),
        )
    } else {
        next_record(&mut { reader }, max_block(limits))
    }
}

/// Reads the record at `offset` of the decompressed stream of a gzip file
/// (a record that does not start its own member).
fn record_in_stream(path: &Path, offset: u64, limits: &ReadLimits) -> io::Result<Next> {
    let file = BufReader::new(File::open(path)?);
    let mut stream = BufReader::new(MultiGzDecoder::new(file));
    io::copy(&mut (&mut stream).take(offset), &mut io::sink())?;
    next_record(&mut stream, max_block(limits))
}

/// How large a content block may be: a page plus its HTTP head.
fn max_block(limits: &ReadLimits) -> u64 {
    limits.max_page_bytes.saturating_add(MAX_HEAD)
}

/// Reads one record: the version line, header lines, a blank line and a
/// content block of `Content-Length` bytes. Blocks over `max_block` are
/// read past without being kept.
fn next_record(r: &mut impl BufRead, max_block: u64) -> io::Result<Next> {
    let mut used = skip_newlines(r)?;
    let mut line = Vec::new();
    let n = read_line(r, &mut line)?;
    if n == 0 {
        return Ok(Next::End);
    }
    used += n;
    if !line.starts_with(b"WARC/") {
        return Ok(Next::Malformed(
            "not a WARC record (no WARC/ version line)".into(),
        ));
    }
    let mut headers = Vec::new();
    loop {
        line.clear();
        let n = read_line(r, &mut line)?;
        used += n;
        if n == 0 {
            return Ok(Next::Truncated);
        }
        if used > MAX_HEAD {
            return Ok(Next::Malformed("WARC header block over 64 KB".into()));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<u64>().ok());
    let Some(length) = length else {
        return Ok(Next::Malformed(
            "WARC record without a Content-Length".into(),
        ));
    };
    let (block, got) = read_block(r, length, max_block)?;
    if got < length {
        return Ok(Next::Truncated);
    }
    used += got + skip_newlines(r)?;
    Ok(Next::Record(
        Record {
            headers,
            length,
            block,
        },
        used,
    ))
}

/// Reads a content block of `length` bytes, keeping it only when it is no
/// larger than `max`; returns it with the number of bytes actually there.
fn read_block(r: &mut impl BufRead, length: u64, max: u64) -> io::Result<(Option<Vec<u8>>, u64)> {
    let mut limited = r.take(length);
    if length > max {
        let got = io::copy(&mut limited, &mut io::sink())?;
        return Ok((None, got));
    }
    let mut block = Vec::with_capacity(length as usize);
    limited.read_to_end(&mut block)?;
    let got = block.len() as u64;
    Ok((Some(block), got))
}

/// Reads one line (at most `MAX_HEAD` bytes) into `line`.
fn read_line(r: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<u64> {
    Ok(r.take(MAX_HEAD).read_until(b'\n', line)? as u64)
}

/// Consumes the blank lines that separate records.
fn skip_newlines(r: &mut impl BufRead) -> io::Result<u64> {
    let mut used = 0;
    loop {
        let buf = r.fill_buf()?;
        let n = buf
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        if n == 0 {
            return Ok(used);
        }
        r.consume(n);
        used += n as u64;
    }
}

/// Turns a record into a page, or says why it is not one.
fn to_entry(path: &Path, offset: u64, record: Record, limits: &ReadLimits) -> Result<Entry> {
    let fail = |reason: String| warc_error(path, offset, reason);
    let is_response = record
        .header("warc-type")
        .is_some_and(|t| t.eq_ignore_ascii_case("response"));
    if !is_response {
        return Ok(Entry::Passed);
    }
    if let Some(why) = record.header("warc-truncated") {
        return Err(fail(format!(
            "record truncated by the crawler (WARC-Truncated: {why})"
        )));
    }
    let Some(block) = &record.block else {
        return Err(fail(format!(
            "record is {} MB, over the {} MB limit (see --max-page-mb)",
            record.length / (1024 * 1024),
            limits.max_page_bytes / (1024 * 1024)
        )));
    };
    let head = HttpHead::parse(block).map_err(fail)?;
    let payload = &block[head.len..];
    if !(200..300).contains(&head.status) || !head.is_html(payload) {
        return Ok(Entry::Passed);
    }
    let body = head.body(payload, limits.max_page_bytes).map_err(fail)?;
    let html = super::decode_page(path, &body, head.charset().as_deref()).map_err(|e| match e {
        Error::NotHtml { reason, .. } => fail(reason),
        other => other,
    })?;
    Ok(Entry::Page(RawPage {
        path: path.to_path_buf(),
        offset: Some(offset),
        html,
        crawled: record.header("warc-date").and_then(dates::parse_timestamp),
        target_url: record
            .header("warc-target-uri")
            .map(|u| u.trim_matches(['<', '>']).to_string()),
        bytes: body.len() as u64,
    }))
}

/// What the HTTP response head of a record says about its body.
#[derive(Debug)]
struct HttpHead {
    status: u16,
    content_type: Option<String>,
    content_encoding: Option<String>,
    chunked: bool,
    /// Length of the head in bytes; the body follows.
    len: usize,
}

impl HttpHead {
    fn parse(block: &[u8]) -> Result<HttpHead, String> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HTTP_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let len = match response.parse(block) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => return Err("HTTP response head is incomplete".into()),
            Err(e) => return Err(format!("malformed HTTP response head: {e}")),
        };
        let value = |name: &str| {
            response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
        };
        Ok(HttpHead {
            status: response.code.unwrap_or(0),
            content_type: value("content-type"),
            content_encoding: value("content-encoding").filter(|e| e != "identity"),
            chunked: value("transfer-encoding").is_some_and(|t| t.contains("chunked")),
            len,
        })
    }

    /// An HTML content type, or none with a payload that sniffs as HTML.
    fn is_html(&self, payload: &[u8]) -> bool {
        match &self.content_type {
            Some(t) => t.contains("html"),
            None => super::looks_like_html(payload),
        }
    }

    /// The `charset` parameter of the content type.
    fn charset(&self) -> Option<String> {
        let content_type = self.content_type.as_deref()?;
        content_type.split(';').find_map(|param| {
            let (name, value) = param.split_once('=')?;
            (name.trim() == "charset").then(|| value.trim().trim_matches(['"', '\'']).to_string())
        })
    }

    /// The body as the server meant it: de-chunked and decompressed.
    fn body(&self, payload: &[u8], max: u64) -> Result<Vec<u8>, String> {
        let payload = if self.chunked {
            dechunk(payload).ok_or("malformed chunked HTTP body")?
        } else {
            payload.to_vec()
        };
        match self.content_encoding.as_deref() {
            None => Ok(payload),
            Some("gzip" | "x-gzip") => gzip::decompress_bounded(&payload, max)
                .map_err(|e| format!("broken gzip in the HTTP body: {e}"))?
                .ok_or_else(|| {
                    format!(
                        "page is over the {} MB limit once decompressed (see --max-page-mb)",
                        max / (1024 * 1024)
                    )
                }),
            Some(other) => Err(format!("unsupported Content-Encoding {other}")),
        }
    }
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(rest.len());
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size..)?;
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
    }
}

fn truncated(path: &Path, offset: u64) -> Error {
    warc_error(
        path,
        offset,
        "truncated record (the file ends inside it)".into(),
    )
}

fn warc_error(path: &Path, offset: u64, reason: String) -> Error {
    Error::Warc {
        path: path.to_path_buf(),
        offset,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2025-11-14T10:00:00Z\r\nWARC-Target-URI: https://example.org/a\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn read_all(path: &Path) -> Vec<Result<Entry>> {
        let mut items = Vec::new();
        read_plain(path, &ReadLimits::default(), &mut |item| items.push(item));
        items
    }

    const PAGE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"koi8-r\"\r\n\r\n<html><body><p>page</p></body></html>";

    #[test]
    fn response_records_become_pages_with_offsets_and_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.warc");
        let mut bytes = record("request", b"GET /a HTTP/1.1\r\n\r\n");
        let second = bytes.len() as u64;
        bytes.extend(record("response", PAGE));
        std::fs::write(&path, bytes).unwrap();
        let items = read_all(&path);
        assert!(matches!(items[0], Ok(Entry::Passed)));
        let Ok(Entry::Page(page)) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!(page.offset, Some(second));
        assert_eq!(page.target_url.as_deref(), Some("https://example.org/a"));
        assert_eq!(
            page.crawled.unwrap().to_rfc3339(),
            "2025-11-14T10:00:00+00:00"
        );
        let again = read_record_at(&path, second, &ReadLimits::default()).unwrap();
        assert_eq!(again.html, page.html);
    }

    #[test]
    fn header_charset_is_parsed() {
        let head = HttpHead::parse(PAGE).unwrap();
        assert_eq!(head.charset().as_deref(), Some("koi8-r"));
        assert!(head.is_html(b""));
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"4\r\n<p>a\r\n5;x=1\r\n</p>\n\r\n0\r\n\r\n").unwrap(),
            b"<p>a</p>\n"
        );
        assert!(dechunk(b"zz\r\n").is_none());
    }

    #[test]
    fn a_record_cut_short_is_reported_as_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.warc");
        let mut bytes = record("response", PAGE);
        bytes.truncate(bytes.len() - 20);
        std::fs::write(&path, bytes).unwrap();
        let items = read_all(&path);
        let err = items[0].as_ref().unwrap_err().to_string();
        assert!(err.contains("cut.warc#offset=0: truncated record"), "{err}");
    }

    #[test]
    fn non_html_and_failed_responses_are_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.warc");
        let mut bytes = record(
            "response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        );
        bytes.extend(record(
            "response",
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone</p>",
        ));
        bytes.extend(record("revisit", b"HTTP/1.1 200 OK\r\n\r\n"));
        std::fs::write(&path, bytes).unwrap();
        let items = read_all(&path);
        assert_eq!(items.len(), 3);
        assert!(items.iter().all(|i| matches!(i, Ok(Entry::Passed))));
    }
}
