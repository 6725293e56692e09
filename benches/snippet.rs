//! Snippet cost on a very large page: `cargo bench --bench snippet` builds
//! a 5 MB article body (generated prose with the query words placed near its
//! end), then times building three snippet fragments for a word, a phrase
//! and a fuzzy query, 20 times each, and prints the median and worst time.

use std::time::{Duration, Instant};

use dossier::index::analysis::DEFAULT;
use dossier::search::query;
use dossier::search::snippet::SnippetMaker;

const BODY_BYTES: usize = 5 * 1024 * 1024;
const RUNS: usize = 20;

fn body() -> String {
    let words = [
        "freight",
        "railway",
        "ministers",
        "Caspian",
        "terminal",
        "tariffs",
        "containers",
        "customs",
        "investment",
        "harbour",
        "shipping",
        "wagons",
        "capacity",
        "border",
    ];
    let mut text = String::with_capacity(BODY_BYTES + 1024);
    let mut i = 0usize;
    while text.len() < BODY_BYTES {
        text.push_str(words[i % words.len()]);
        text.push(if i % 17 == 16 { '.' } else { ' ' });
        if i % 120 == 119 {
            text.push_str("\n\n");
        }
        i = i.wrapping_mul(31).wrapping_add(7) % 1_000_003;
    }
    text.push_str(
        " The Middle Corridor carried record volumes through Aktau, said President Aliyev.",
    );
    text
}

fn main() {
    let body = body();
    for q in ["Aktau", "\"middle corridor\"", "Aliev~1 corridor"] {
        let expr = query::parse(q).expect("valid query");
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let mut maker = SnippetMaker::new(&expr, 200);
                let t = Instant::now();
                std::hint::black_box(maker.snippets(&body, DEFAULT, 3));
                t.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "snippet {:<22} on a {:.1} MB body: median {:.2} ms, worst {:.2} ms",
            q,
            body.len() as f64 / 1e6,
            times[RUNS / 2].as_secs_f64() * 1000.0,
            times[RUNS - 1].as_secs_f64() * 1000.0
        );
    }
}
