//! Extraction throughput: MB of HTML per second on one core.
//!
//! `cargo bench --bench extract [-- DIR]` reads every `.html` page of DIR
//! (default: the shared extraction benchmark pages, `../shared/extraction/dev/html`)
//! into memory, warms up once, then extracts all pages `ROUNDS` times on one
//! thread and prints the throughput and the slowest page.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::extract::{extract, ExtractOptions};
use dossier::ingest;

const ROUNDS: usize = 5;
const DEFAULT_DIR: &str = "../shared/extraction/dev/html";

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(|| PathBuf::from(DEFAULT_DIR), PathBuf::from);
    let pages = load(&dir);
    if pages.is_empty() {
        println!(
            "extract bench: no .html pages in {}; pass a folder of pages",
            dir.display()
        );
        return;
    }
    let bytes: usize = pages.iter().map(|(_, html)| html.len()).sum();
    let opts = ExtractOptions::default();
    pages
        .iter()
        .for_each(|(_, html)| drop(extract(html, None, &opts)));
    let mut slowest = (Duration::ZERO, String::new());
    let started = Instant::now();
    for _ in 0..ROUNDS {
        for (name, html) in &pages {
            let t = Instant::now();
            std::hint::black_box(extract(html, None, &opts));
            if t.elapsed() > slowest.0 {
                slowest = (t.elapsed(), name.clone());
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = (bytes * ROUNDS) as f64 / 1e6;
    println!(
        "extract: {} pages, {:.1} MB of HTML x {ROUNDS} rounds in {secs:.2} s on one core: {:.1} MB/s, {:.2} ms/page; slowest page {:.1} ms ({})",
        pages.len(),
        bytes as f64 / 1e6,
        mb / secs,
        secs * 1000.0 / (pages.len() * ROUNDS) as f64,
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
}

fn load(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut pages: Vec<(String, String)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, ingest::charset::decode(&bytes, None)))
        })
        .collect();
    pages.sort();
    pages
}
