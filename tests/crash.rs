//! A real indexing process, killed with SIGKILL in the middle of a run:
//! searches work while it runs, a second writer is refused, the index it
//! leaves opens and searches, and the next run completes it with no page
//! lost or doubled.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{article_page, TestEnv};

const PAGES: usize = 2000;

fn ledger_page(i: usize) -> String {
    let text = format!(
        "Caravan ledger {i}: the depot at Termez logged {} bales of cotton bound for Mazar-i-Sharif, and inspectors stamped every crate before the trucks crossed the Friendship Bridge.",
        i * 7 + 3
    );
    article_page(
        &format!("Termez ledger {i}"),
        "Dilshod Rakhimov",
        "2025-08-01",
        &[&text],
    )
}

/// How many documents the word "caravan" finds, if the index opens.
fn caravan_hits(env: &TestEnv) -> Option<u64> {
    let run = env.search_json(&["--limit", "1", "caravan"]);
    (run.code == 0).then(|| run.of_type("summary")[0]["total_hits"].as_u64().unwrap())
}

#[test]
fn kill_9_mid_run_loses_and_doubles_nothing() {
    let env = TestEnv::new();
    for i in 0..PAGES {
        env.page(&format!("ledger/{:02}/p{i}.html", i % 40), ledger_page(i));
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["index", "pages", "--index", "idx", "--commit-every", "50"])
        .current_dir(env.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Searching works during the run and sees the commits made so far.
    let deadline = Instant::now() + Duration::from_secs(120);
    while caravan_hits(&env).is_none() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended too soon"
        );
        assert!(Instant::now() < deadline, "no commit within two minutes");
        std::thread::sleep(Duration::from_millis(20));
    }
    let second = env.run(&["index", "pages", "--index", "idx"]);
    assert_eq!(second.code, 2);
    assert!(
        second
            .stderr
            .contains("idx: index is locked by another dossier process"),
        "{}",
        second.stderr
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended too soon"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = caravan_hits(&env).expect("the killed run's index opens and searches");
    assert!(
        partial < PAGES as u64,
        "{partial} pages: the run was not interrupted"
    );

    let summary = env.index_json(&[]);
    let written = summary["indexed"].as_u64().unwrap() + summary["updated"].as_u64().unwrap();
    assert_eq!(
        written + summary["unchanged"].as_u64().unwrap(),
        PAGES as u64,
        "{summary}"
    );
    assert_eq!(summary["duplicates"], 0);
    assert_eq!(caravan_hits(&env), Some(PAGES as u64));
    assert_eq!(env.index_json(&[])["unchanged"], PAGES as u64);
}
