//! A test environment: a temporary folder of pages and an index, and a way
//! to run the real `dossier` binary against them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as JSON Lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
            .collect()
    }

    /// The JSON lines whose `type` is `kind`.
    pub fn of_type(&self, kind: &str) -> Vec<Value> {
        self.json_lines()
            .into_iter()
            .filter(|v| v["type"] == kind)
            .collect()
    }

    /// File names (without folders) of the hits, in rank order.
    pub fn hit_names(&self) -> Vec<String> {
        self.of_type("hit")
            .iter()
            .map(|h| {
                Path::new(h["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file under `pages/`, creating folders.
    pub fn page(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path("pages").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// Runs `dossier ARGS` in the environment's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// Runs `dossier ARGS` in the environment's folder with extra
    /// environment variables.
    pub fn run_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        run_with(self.dir.path(), args, vars)
    }

    /// Indexes `pages/` into `idx/` and checks that it succeeded.
    pub fn index(&self) -> Run {
        let run = self.run(&["index", "pages", "--index", "idx"]);
        assert_eq!(run.code, 0, "index failed: {}", run.stderr);
        run
    }

    /// `dossier search --index idx --json ARGS...`
    pub fn search_json(&self, args: &[&str]) -> Run {
        let mut all = vec!["search", "--index", "idx", "--json"];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, &[])
}

/// Runs `dossier ARGS` in `dir`, with the caller's NO_COLOR and
/// DOSSIER_INDEX removed and `vars` set.
pub fn run_with(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("DOSSIER_INDEX")
        .envs(vars.iter().copied())
        .output()
        .expect("run dossier");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The highlighted passages of a JSON hit's `snippet`, by its character
/// ranges in `highlights`.
pub fn highlighted(hit: &Value) -> Vec<String> {
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (from, to) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            snippet[from as usize..to as usize].iter().collect()
        })
        .collect()
}

/// A page in a simple news-site chrome around `paragraphs`.
pub fn article_page(title: &str, author: &str, date: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Steppe Review</title>
<meta property="og:site_name" content="Steppe Review">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T08:00:00Z">
<script>window.dataLayer = [];</script></head>
<body><header><nav><a href="/">Home</a> <a href="/energy">Energy</a> <a href="/security">Security</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>
{body}<div class="share-tools">Share on Facebook Share on X</div></article>
<aside class="related"><h3>Related</h3><a href="/x">Grain, ports and the quiet war at sea</a></aside></main>
<footer>© 2025 Steppe Review · Privacy · Terms</footer></body></html>"#
    )
}

/// `bytes` compressed as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// An HTTP/1.1 200 response carrying `body`.
pub fn http_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// One WARC record of type `kind` with `block` as its content.
pub fn warc_record(kind: &str, uri: &str, date: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:032x}>\r\nWARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len() as u128 * 7919 + uri.len() as u128,
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// Records gzipped one member each, as crawlers write `.warc.gz`; returns
/// the bytes and the offset of each record's member.
pub fn warc_gz(records: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = Vec::new();
    let mut offsets = Vec::new();
    for record in records {
        offsets.push(bytes.len());
        bytes.extend(gzip(record));
    }
    (bytes, offsets)
}

impl Run {
    /// The `index_summary` object printed by `dossier index --json`.
    pub fn index_summary(&self) -> Value {
        self.of_type("index_summary")
            .pop()
            .unwrap_or_else(|| panic!("no summary in {:?} / {}", self.stdout, self.stderr))
    }
}

impl TestEnv {
    /// `dossier index pages --index idx --json ARGS...`, checked to succeed;
    /// returns the JSON summary.
    pub fn index_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["index", "pages", "--index", "idx", "--json"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(run.code, 0, "index failed: {}", run.stderr);
        run.index_summary()
    }

    /// Sets the modification time of a file under `pages/`.
    pub fn set_mtime(&self, rel: &str, secs_since_1970: u64) {
        let file = std::fs::File::options()
            .write(true)
            .open(self.path("pages").join(rel))
            .unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs_since_1970))
            .unwrap();
    }
}
