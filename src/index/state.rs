//! Incremental state: what the last commit knew about each input file, and
//! the plan of what this run must redo. Every document carries its file's
//! stamp (size, modification time, content hash); files that left no
//! document (skipped pages, duplicates of pages elsewhere) and files a crash
//! caught half-indexed are listed in the commit payload, which tantivy
//! writes in the same atomic step as the documents. So whatever commit the
//! index holds, its state describes exactly its documents.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{Segment, SegmentReader, TantivyDocument};

use super::dedup::{Candidate, Registered};
use super::Fields;
use crate::ingest;

/// Size, modification time and content hash of an input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since 1970.
    pub mtime: i64,
    /// blake3 hash of the content (hex).
    pub hash: String,
}

impl Stamp {
    /// Stats and hashes `path`.
    pub fn of_file(path: &Path) -> io::Result<Stamp> {
        let (size, mtime) = stat(path)?;
        let mut hasher = blake3::Hasher::new();
        hasher.update_reader(File::open(path)?)?;
        Ok(Stamp {
            size,
            mtime,
            hash: hasher.finalize().to_hex().to_string(),
        })
    }

    /// The stamp of a file read whole: `bytes` with its metadata `meta`.
    pub fn of_content(bytes: &[u8], meta: &fs::Metadata) -> io::Result<Stamp> {
        Ok(Stamp {
            size: bytes.len() as u64,
            mtime: mtime_of(meta)?,
            hash: blake3::hash(bytes).to_hex().to_string(),
        })
    }

    /// Reads a stamp back from a stored document.
    pub fn from_doc(f: &Fields, doc: &TantivyDocument) -> Stamp {
        let int = |field| doc.get_first(field).and_then(|v| v.as_i64());
        Stamp {
            size: doc.get_first(f.size).and_then(|v| v.as_u64()).unwrap_or(0),
            mtime: int(f.mtime).unwrap_or(0),
            hash: text(doc, f.hash).unwrap_or_default(),
        }
    }
}

/// Size and modification time (nanoseconds) of a file.
fn stat(path: &Path) -> io::Result<(u64, i64)> {
    let meta = fs::metadata(path)?;
    Ok((meta.len(), mtime_of(&meta)?))
}

/// Modification time in nanoseconds since 1970.
fn mtime_of(meta: &fs::Metadata) -> io::Result<i64> {
    Ok(meta
        .modified()?
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64))
}

/// What a commit records besides its documents (the commit payload).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Payload {
    /// Files whose documents were being written when the commit was made;
    /// the next run redoes them.
    pub incomplete: Vec<String>,
    /// Files that yielded no document, with their stamps.
    pub no_pages: BTreeMap<String, Stamp>,
}

impl Payload {
    /// Reads the payload of the last commit; none (a new index) is empty.
    pub fn parse(text: Option<&str>) -> Payload {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }
}

/// What the next run needs to know of one stored document, in a few
/// dozen bytes: a re-run holds one for every document of the index.
#[derive(Debug, Clone, Copy)]
pub struct KnownDoc {
    /// Key of the file it came from.
    pub source: Key,
    /// What duplicate detection remembers of it.
    pub registered: Option<Registered>,
}

/// A document that stands for duplicates: its file and their locations.
#[derive(Debug, Clone)]
pub struct KnownGroup {
    /// Its file.
    pub source: String,
    /// The locations of the duplicates, from its `also` field.
    pub also: Vec<String>,
}

/// Everything the last commit knew.
#[derive(Debug, Default)]
pub struct Known {
    /// The stamp of every file that was indexed, with or without documents.
    pub stamps: HashMap<String, Stamp>,
    /// The documents.
    pub docs: Vec<KnownDoc>,
    /// The documents that list duplicates.
    pub groups: Vec<KnownGroup>,
    /// Files caught half-written by an interrupted run.
    pub incomplete: HashSet<String>,
}

/// Reads the state of the committed documents and the payload, one
/// segment at a time: reading a document store touches all of its pages,
/// and a segment's store stays mapped only while that segment is read, so
/// memory holds one segment's store at most, not the whole index's.
pub fn load(segments: &[Segment], f: &Fields, payload: Payload) -> tantivy::Result<Known> {
    let mut known = Known {
        stamps: payload.no_pages.into_iter().collect(),
        incomplete: payload.incomplete.into_iter().collect(),
        ..Known::default()
    };
    for segment in segments {
        let reader = SegmentReader::open(segment)?;
        let store = reader.get_store_reader(1)?;
        for doc in store.iter::<TantivyDocument>(reader.alive_bitset()) {
            known.add(f, &doc?);
        }
    }
    Ok(known)
}

impl Known {
    /// Records the stored document `doc`.
    fn add(&mut self, f: &Fields, doc: &TantivyDocument) {
        let candidate = candidate_of(f, doc);
        self.docs.push(KnownDoc {
            source: key(&candidate.source),
            registered: Registered::of(&candidate),
        });
        let also = also_of(f, doc);
        if !self.stamps.contains_key(&candidate.source) {
            self.stamps
                .insert(candidate.source.clone(), Stamp::from_doc(f, doc));
        }
        if !also.is_empty() {
            self.groups.push(KnownGroup {
                source: candidate.source,
                also,
            });
        }
    }
}

/// What duplicate detection needs of a stored document.
pub fn candidate_of(f: &Fields, doc: &TantivyDocument) -> Candidate {
    let source = text(doc, f.path).unwrap_or_default();
    let offset = doc.get_first(f.offset).and_then(|v| v.as_u64());
    Candidate {
        id: text(doc, f.id).unwrap_or_default(),
        location: ingest::location(Path::new(&source), offset),
        source,
        url: text(doc, f.url),
        text_hash: text(doc, f.text_hash).unwrap_or_default(),
        crawled: doc.get_first(f.crawled).and_then(|v| v.as_i64()),
    }
}

/// The locations of the duplicates a stored document stands for.
pub fn also_of(f: &Fields, doc: &TantivyDocument) -> Vec<String> {
    doc.get_all(f.also)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// What a run has to do, file by file.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files to read and extract: new, changed, or sharing a duplicate
    /// group with a changed file.
    pub work: Vec<PathBuf>,
    /// Files whose stamp changed but whose content did not: their
    /// documents only get the new stamp.
    pub touched: HashMap<String, Stamp>,
    /// Files kept as they are.
    pub unchanged: HashSet<String>,
    /// Indexed files that no longer exist.
    pub gone: Vec<String>,
}

impl Plan {
    /// Whether the documents of `source` are deleted or rewritten by this
    /// run (so they take no part in finding duplicates).
    pub fn redoes(&self, source: &str) -> bool {
        !self.unchanged.contains(source) && !self.touched.contains_key(source)
    }
}

/// Compares the files found on disk with what the index knows.
pub fn plan(known: &Known, files: &[PathBuf]) -> Plan {
    let mut plan = Plan::default();
    let mut suspects = Vec::new();
    let mut redo: Vec<&Path> = Vec::new();
    for path in files {
        let source = source_key(path);
        match known.stamps.get(&source) {
            Some(old) if !known.incomplete.contains(&source) => match stat(path) {
                Ok((size, mtime)) if size == old.size && mtime == old.mtime => {
                    plan.unchanged.insert(source);
                }
                _ => suspects.push((path, source, old)),
            },
            _ => redo.push(path),
        }
    }
    // A changed stamp is confirmed by the content hash, hashed in parallel.
    let hashed: Vec<_> = suspects
        .into_par_iter()
        .map(|(path, source, old)| (path, source, Stamp::of_file(path).ok(), old))
        .collect();
    for (path, source, stamp, old) in hashed {
        match stamp {
            Some(stamp) if stamp.hash == old.hash => {
                plan.touched.insert(source, stamp);
            }
            _ => redo.push(path),
        }
    }
    let present: HashMap<String, &Path> =
        files.iter().map(|p| (source_key(p), p.as_path())).collect();
    plan.gone = known
        .stamps
        .keys()
        .filter(|s| !present.contains_key(*s))
        .cloned()
        .collect();
    plan.gone.sort();
    let seeds = redo
        .iter()
        .map(|p| source_key(p))
        .chain(plan.gone.iter().cloned());
    for source in duplicate_group_closure(known, seeds) {
        if plan.unchanged.remove(&source) || plan.touched.remove(&source).is_some() {
            redo.push(present[&source]);
        }
    }
    plan.work = redo.into_iter().map(Path::to_path_buf).collect();
    plan.work.sort();
    plan
}

/// A compact key for a string (a file, URL, text hash or document id):
/// 128 bits of its hash, so that what a run remembers per document takes a
/// fixed, small room whatever the length of paths and URLs.
pub type Key = u128;

/// The [`Key`] of `text`.
pub fn key(text: &str) -> Key {
    let hash = blake3::hash(text.as_bytes());
    Key::from_le_bytes(hash.as_bytes()[..16].try_into().expect("16 bytes"))
}

/// The key under which a file's documents are stored.
pub fn source_key(path: &Path) -> String {
    path.display().to_string()
}

/// Every file linked to the `seeds` through duplicate groups: a document
/// and the locations it lists in `also` must be decided again together,
/// since the winner of a group may change when one of its pages does.
fn duplicate_group_closure(known: &Known, seeds: impl Iterator<Item = String>) -> HashSet<String> {
    let mut links: HashMap<String, Vec<String>> = HashMap::new();
    for group in &known.groups {
        let source = &group.source;
        for location in &group.also {
            let other = source_key(&ingest::parse_location(location).0);
            links.entry(source.clone()).or_default().push(other.clone());
            links.entry(other).or_default().push(source.clone());
        }
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue: VecDeque<String> = seeds.collect();
    while let Some(source) = queue.pop_front() {
        if !seen.insert(source.clone()) {
            continue;
        }
        if let Some(next) = links.get(&source) {
            queue.extend(next.iter().cloned());
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_sorts_files_and_redoes_whole_duplicate_groups() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            path
        };
        let same = file("same.html", "<p>same</p>");
        let touched = file("touched.html", "<p>touched</p>");
        let changed = file("changed.html", "<p>changed, now longer</p>");
        let loser = file("loser.html", "<p>loser</p>");
        let new = file("new.html", "<p>new</p>");
        let mut known = Known::default();
        for path in [&same, &touched, &loser] {
            known
                .stamps
                .insert(source_key(path), Stamp::of_file(path).unwrap());
        }
        let mut old = Stamp::of_file(&touched).unwrap();
        old.mtime -= 1;
        known.stamps.insert(source_key(&touched), old);
        let mut old = Stamp::of_file(&changed).unwrap();
        old.size = 3;
        old.hash = "the old content's".into();
        known.stamps.insert(source_key(&changed), old);
        known
            .stamps
            .insert("gone.html".into(), Stamp::of_file(&same).unwrap());
        known.groups = vec![KnownGroup {
            source: source_key(&changed),
            also: vec![loser.display().to_string()],
        }];
        let files = [&same, &touched, &changed, &loser, &new].map(|p| p.to_path_buf());
        let plan = plan(&known, &files);
        assert_eq!(plan.unchanged, HashSet::from([source_key(&same)]));
        assert_eq!(
            plan.touched.keys().collect::<Vec<_>>(),
            [&source_key(&touched)]
        );
        assert_eq!(plan.gone, ["gone.html"]);
        // The loser is redone with the changed file it was a duplicate of.
        assert_eq!(plan.work, [changed, loser, new]);
    }
}
