//! Reading an archive file of arbitrary bytes as WARC, gzip-compressed
//! WARC and gzip-compressed HTML: every damage is an error item, never a
//! panic or an allocation the size the bytes claim.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use dossier::ingest::{self, ReadLimits};
use libfuzzer_sys::fuzz_target;

fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir").keep())
}

fuzz_target!(|data: &[u8]| {
    let limits = ReadLimits {
        max_page_bytes: 1024 * 1024,
    };
    for name in ["input.warc", "input.warc.gz", "input.html.gz"] {
        let path = folder().join(name);
        std::fs::write(&path, data).expect("write input");
        ingest::read_file(&path, &limits, &mut |_| {});
    }
});
