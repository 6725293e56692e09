//! The `dossier` binary: parses arguments, resolves them into a request,
//! runs it with the library and maps the outcome to an exit code like grep:
//! 0 found, 1 nothing found, 2 error.

mod args;

/// mimalloc instead of the system allocator: extraction and tantivy's
/// indexing allocate small objects by the million from several threads,
/// and it takes a tenth of the indexing CPU off. Its version 2 returns
/// freed memory to the system within milliseconds, so peak memory stays
/// where glibc's was.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use args::Request;
use clap::Parser;
use dossier::app::{self, Reporter, Status};
use dossier::index::Progress;
use dossier::Error;
use indicatif::{ProgressBar, ProgressStyle};

/// How often the progress bar is updated: drawing on every page would
/// cost more than extracting it.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Prints warnings and information to stderr, one line each, above a
/// progress bar once one is shown.
#[derive(Default)]
struct StderrReporter {
    bar: OnceLock<ProgressBar>,
    last_update: Mutex<Option<Instant>>,
}

impl StderrReporter {
    /// Prints a line without tearing the progress bar.
    fn line(&self, text: &str) {
        match self.bar.get() {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }
}

impl Reporter for StderrReporter {
    fn warn(&self, message: &str) {
        self.line(&format!("dossier: warning: {message}"));
    }

    fn info(&self, message: &str) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
        self.line(&format!("dossier: {message}"));
    }

    fn progress(&self, p: &Progress) {
        let mut last = self.last_update.lock().expect("no panics hold this lock");
        let finished = p.files_done == p.files_total;
        if last.is_some_and(|t| t.elapsed() < PROGRESS_EVERY) && !finished {
            return;
        }
        *last = Some(Instant::now());
        let bar = self.bar.get_or_init(|| {
            let style = ProgressStyle::with_template(
                "{bar:30} {binary_bytes}/{binary_total_bytes} {msg} ({binary_bytes_per_sec}, ETA {eta})",
            )
            .expect("valid template");
            ProgressBar::new(p.bytes_total).with_style(style)
        });
        bar.set_position(p.bytes_done);
        let rate = p.pages as f64 / bar.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!(
            "{}/{} files, {} pages, {rate:.0} pages/s",
            p.files_done, p.files_total, p.pages
        ));
    }
}

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = match args::resolve(cli) {
        Request::Run(command) => app::run(&command, &mut out, &StderrReporter::default()),
        Request::Print(what) => args::print(what, &mut out)
            .map(|()| Status::Success)
            .map_err(Error::Output),
    };
    let flushed = out.flush().map_err(Error::Output);
    match result.and_then(|status| flushed.map(|_| status)) {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::NoMatch) => ExitCode::from(1),
        Ok(Status::PartialFailure) => ExitCode::from(2),
        Err(Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dossier: error: {e}");
            ExitCode::from(2)
        }
    }
}
