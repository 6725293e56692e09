//! Gzip input: `.gz` files of one or many members (concatenated gzip is
//! valid and common in crawl output). Everything decompressed here is read
//! through a byte limit, so a small file cannot expand into gigabytes in
//! memory (a decompression bomb costs CPU time, never memory).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use super::read_at_most;
use crate::error::{Error, Result};

/// Reads a whole gzip file, refusing more than `max` decompressed bytes.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    read_at_most(MultiGzDecoder::new(BufReader::new(file)), max)
        .map_err(|e| broken(path, None, e))?
        .ok_or_else(|| Error::NotHtml {
            path: path.to_path_buf(),
            reason: format!(
                "page is over the {} MB limit once decompressed (see --max-page-mb)",
                max / (1024 * 1024)
            ),
        })
}

/// Decompresses `bytes` of one page (an HTTP body sent with gzip
/// `Content-Encoding`), refusing more than `max` decompressed bytes.
pub fn decompress_bounded(bytes: &[u8], max: u64) -> io::Result<Option<Vec<u8>>> {
    read_at_most(MultiGzDecoder::new(bytes), max)
}

/// The first `n` decompressed bytes of a gzip file, or nothing when it
/// cannot be read; used only to sniff what the file holds.
pub fn head(path: &Path, n: usize) -> Vec<u8> {
    let mut head = Vec::with_capacity(n);
    if let Ok(file) = File::open(path) {
        // A read error leaves whatever was decompressed before it.
        let _ = MultiGzDecoder::new(BufReader::new(file))
            .take(n as u64)
            .read_to_end(&mut head);
    }
    head
}

/// The error for gzip data that cannot be decompressed.
pub fn broken(path: &Path, offset: Option<u64>, source: io::Error) -> Error {
    Error::Gzip {
        path: path.to_path_buf(),
        offset,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn reads_every_member_of_concatenated_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html.gz");
        let mut bytes = gz(b"<html><body>first half, ");
        bytes.extend(gz(b"second half</body></html>"));
        std::fs::write(&path, bytes).unwrap();
        let page = read_bounded(&path, 1024).unwrap();
        assert_eq!(page, b"<html><body>first half, second half</body></html>");
    }

    #[test]
    fn a_bomb_is_refused_without_inflating_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.html.gz");
        std::fs::write(&path, gz(&vec![b' '; 4 * 1024 * 1024])).unwrap();
        let err = read_bounded(&path, 1024 * 1024).unwrap_err().to_string();
        assert!(
            err.contains("over the 1 MB limit once decompressed"),
            "{err}"
        );
        assert!(decompress_bounded(&gz(&[b'x'; 2048]), 1024)
            .unwrap()
            .is_none());
    }

    #[test]
    fn broken_gzip_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.html.gz");
        let mut bytes = gz(b"<html><body>some text</body></html>");
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&path, bytes).unwrap();
        let err = read_bounded(&path, 1024).unwrap_err().to_string();
        assert!(err.contains("broken.html.gz: broken gzip data"), "{err}");
    }
}
