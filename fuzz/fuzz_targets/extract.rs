//! Page extraction on arbitrary bytes: must never panic, whatever the
//! markup, nesting or encoding. A fixed crawl time makes relative dates
//! ("2 days ago") part of what is exercised.
#![no_main]

use dossier::extract::{dates, extract, ExtractOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = dossier::ingest::charset::decode(data, None);
    let crawled = dates::parse_timestamp("2025-11-14T10:00:00Z");
    let _ = extract(&html, crawled, &ExtractOptions::default());
});
