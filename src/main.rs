//! The `dossier` binary: parses arguments, resolves them into a request,
//! runs it with the library and maps the outcome to an exit code like grep:
//! 0 found, 1 nothing found, 2 error.

mod args;

use std::io::{self, Write};
use std::process::ExitCode;

use args::Request;
use clap::Parser;
use dossier::app::{self, Reporter, Status};
use dossier::Error;

/// Prints warnings and information to stderr, one line each.
struct StderrReporter;

impl Reporter for StderrReporter {
    fn warn(&self, message: &str) {
        eprintln!("dossier: warning: {message}");
    }

    fn info(&self, message: &str) {
        eprintln!("dossier: {message}");
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
        Request::Run(command) => app::run(&command, &mut out, &StderrReporter),
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
