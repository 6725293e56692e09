//! The query parser and search on arbitrary query text, in both modes:
//! a query may fail with an error, never panic.
#![no_main]

use std::sync::OnceLock;

use dossier::index::{self, IndexConfig};
use dossier::search::{Engine, SearchOptions};
use libfuzzer_sys::fuzz_target;

const PAGE: &str = "<html lang=\"en\"><head><title>Freight on the Caspian</title></head><body><article><h1>Freight on the Caspian</h1><p>The Middle Corridor links Chinese rail freight to Europe through Kazakhstan, the Caspian Sea, Azerbaijan and Georgia.</p><p>Ports at Aktau, Baku and Poti compete for the containers that avoid the northern route.</p></article></body></html>";

/// A small index built once, in a folder that lives as long as the process.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let pages = dir.join("pages");
        std::fs::create_dir_all(&pages).expect("pages folder");
        std::fs::write(pages.join("caspian.html"), PAGE).expect("page");
        let config = IndexConfig {
            inputs: vec![pages],
            index_dir: dir.join("index"),
            limits: Default::default(),
            extract: Default::default(),
            rebuild: false,
            commit_pages: index::DEFAULT_COMMIT_PAGES,
        };
        index::build(&config, &|_| {}, &|_| {}).expect("index builds");
        Engine::open(&config.index_dir).expect("index opens")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for literal in [false, true] {
        let options = SearchOptions {
            literal,
            ..SearchOptions::default()
        };
        let _ = engine().search(text, &options);
    }
});
