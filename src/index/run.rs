//! The writing side of an indexing run. Files are read on one thread, their
//! pages extracted in parallel (rayon) and written by one writer thread,
//! linked by queues bounded by bytes (see `backlog`), so memory stays
//! bounded whatever the archive and its pages' sizes. The writer decides
//! duplicates, hands each document to tantivy as it comes (tantivy indexes
//! while the next pages are extracted), keeps the per-file state and
//! commits every so many pages, seconds or bytes: a run killed at any
//! moment leaves the last commit, whose payload names the files it caught
//! half-written, and the next run redoes exactly those.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DateTime as TantivyDate, IndexReader, IndexWriter, TantivyDocument, Term};

use super::backlog::{self, Backlog, Stopped};
use super::dedup::{Candidate, Decision, Dedup, Offered, Replaced};
use super::state::{self, key, Key, Known, Payload, Plan, Stamp};
use super::{document_id, DossierIndex, Fields, IndexConfig, IndexSummary, Progress};
use crate::error::{Error, Result};
use crate::extract::{self, Article};
use crate::ingest::{self, Entry, RawPage};

/// A commit is made at least this often while pages are being written.
const COMMIT_INTERVAL: Duration = Duration::from_secs(30);

/// Pages read ahead for the extracting threads: at most this many, and
/// at most [`READ_AHEAD_BYTES`] of them (but always one).
const READ_AHEAD_PAGES: usize = 64;
const READ_AHEAD_BYTES: usize = 32 << 20;

/// Extracted pages (and file starts and ends) waiting for the writer: at
/// most this many, and at most [`WAITING_BYTES`] of them (but always one).
/// The extracting threads go on while the writer commits, which holds the
/// writer for up to a second or so; an extracted page weighs tens of
/// kilobytes. With 8 MB the queue filled during each commit and the two
/// cores' use, sampled every half second, fell from 200% to 140-165%.
const WAITING_MESSAGES: usize = 4096;
const WAITING_BYTES: usize = 32 << 20;

/// Bytes of documents given to tantivy after which the writer commits,
/// whatever the page count: tantivy queues what it is given, so a run of
/// huge pages would otherwise pile up there until the next commit.
const COMMIT_BYTES: usize = 128 << 20;

/// What an extracting thread tells the writer, in order for each file.
enum Msg {
    /// Pages of this file follow.
    Start(String),
    /// One extracted page.
    Page(Box<Prepared>),
    /// All pages of this file were sent; here is its stamp.
    Done(String, Stamp),
}

impl Msg {
    /// Sends this message to the writer, weighed by its bytes.
    fn send(self, tx: &ToWriter) -> Result<(), Stopped> {
        let bytes = self.bytes();
        tx.send(self, bytes)
    }

    /// About the bytes this message holds.
    fn bytes(&self) -> usize {
        const OVERHEAD: usize = 128;
        OVERHEAD
            + match self {
                Msg::Start(source) | Msg::Done(source, _) => source.len(),
                Msg::Page(page) => text_bytes(&page.doc) + text_bytes(&page.indexed),
            }
    }
}

/// The bytes of the text values of `doc`.
fn text_bytes(doc: &TantivyDocument) -> usize {
    doc.field_values()
        .filter_map(|(_, value)| value.as_str())
        .map(str::len)
        .sum()
}

/// The writer's end of the queue from the reader and extracting threads.
type ToWriter<'a> = backlog::Sender<'a, Msg>;

/// An extracted page, ready to be written.
struct Prepared {
    candidate: Candidate,
    /// The stored fields.
    doc: TantivyDocument,
    /// The copy for tantivy: stored fields and indexed text, analysed on
    /// the extracting thread.
    indexed: TantivyDocument,
}

/// Per-file state of the documents written so far, for the commit payload.
/// Files with documents are only counted, by key: their stamps are in
/// their documents.
#[derive(Default)]
struct Ledger {
    /// Documents per file.
    docs: HashMap<Key, u32>,
    /// Settled files (finished or kept) that have no document, with their
    /// stamps.
    empty: BTreeMap<String, Stamp>,
    /// Files whose pages are being written.
    open: BTreeSet<String>,
}

impl Ledger {
    fn count(&self, source: &str) -> u32 {
        self.docs.get(&key(source)).copied().unwrap_or(0)
    }

    /// Counts a document of the file whose key is `source`.
    fn added(&mut self, source: Key) {
        *self.docs.entry(source).or_default() += 1;
    }

    /// Uncounts a document of `source`; true when that leaves a settled
    /// file with none, whose stamp must then go to [`Ledger::empty`].
    fn removed(&mut self, source: &str) -> bool {
        let left = self.docs.get_mut(&key(source)).map_or(0, |n| {
            *n = n.saturating_sub(1);
            *n
        });
        left == 0 && !self.open.contains(source)
    }

    /// Records that `source` is settled with `stamp`.
    fn settled(&mut self, source: String, stamp: Stamp) {
        if self.count(&source) == 0 {
            self.empty.insert(source, stamp);
        }
    }

    fn documents(&self) -> usize {
        self.docs.values().map(|&n| n as usize).sum()
    }

    fn payload(&self) -> Payload {
        Payload {
            incomplete: self.open.iter().cloned().collect(),
            no_pages: self.empty.clone(),
        }
    }
}

/// Counts kept by the extracting threads.
#[derive(Default)]
struct Counts {
    skipped: AtomicUsize,
    errors: AtomicUsize,
}

impl Counts {
    /// Counts one item read from an input file, warning about problems;
    /// returns the page when there is one to extract. Pages that are not
    /// HTML, records that are not pages and damaged records are skipped;
    /// unreadable files and broken compression are errors.
    fn admit(&self, item: Result<Entry>, warn: &(dyn Fn(&str) + Sync)) -> Option<RawPage> {
        let counter = match item {
            Ok(Entry::Page(page)) => return Some(page),
            Ok(Entry::Passed) => &self.skipped,
            Err(e @ (Error::NotHtml { .. } | Error::Warc { .. })) => {
                warn(&e.to_string());
                &self.skipped
            }
            Err(e) => {
                warn(&e.to_string());
                &self.errors
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
        None
    }
}

/// A file whose pages are being extracted. Its pages share it; whichever
/// finishes last (the reader, or the extraction of its last page) tells the
/// writer the file is done, so `Done` always follows the file's pages.
struct Ticket {
    source: String,
    stamp: Stamp,
    /// Pages in flight, plus one held by the reader until the file ends.
    remaining: AtomicUsize,
}

impl Ticket {
    fn release(&self, tx: &ToWriter) -> Result<(), Stopped> {
        if self.remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            Msg::Done(self.source.clone(), self.stamp.clone()).send(tx)?;
        }
        Ok(())
    }
}

/// A page read from a file, on its way to extraction.
type Queued = (Arc<Ticket>, RawPage);

/// Reads files on one thread and extracts their pages on the rayon pool,
/// so the pages of a single large WARC file are extracted in parallel too.
struct Producer<'a> {
    config: &'a IndexConfig,
    fields: &'a Fields,
    counts: &'a Counts,
    warn: &'a (dyn Fn(&str) + Sync),
}

impl Producer<'_> {
    /// Reads `work` file after file (reading costs little next to
    /// extraction) and queues the pages; stops when the writer has gone.
    /// Each path is dropped once read: the list is as long as the archive.
    fn read_all(&self, work: Vec<PathBuf>, pages: backlog::Sender<Queued>, tx: ToWriter) {
        for path in work {
            if self.read_one(&path, &pages, &tx).is_err() {
                return;
            }
        }
    }

    fn read_one(
        &self,
        path: &Path,
        pages: &backlog::Sender<Queued>,
        tx: &ToWriter,
    ) -> Result<(), Stopped> {
        // A plain page is read once, for its hash and for its content.
        let (stamp, whole) = match ingest::read_plain_file(path, &self.config.limits) {
            Some(Ok((bytes, meta))) => (Stamp::of_content(&bytes, &meta), Some((bytes, meta))),
            Some(Err(e)) => (Err(e), None),
            None => (Stamp::of_file(path), None),
        };
        let stamp = match stamp {
            Ok(stamp) => stamp,
            Err(e) => {
                (self.warn)(&Error::io(path, e).to_string());
                self.counts.errors.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        };
        let source = state::source_key(path);
        Msg::Start(source.clone()).send(tx)?;
        let ticket = Arc::new(Ticket {
            source,
            stamp,
            remaining: AtomicUsize::new(1),
        });
        let mut queued = Ok(());
        let mut queue = |item| {
            if queued.is_ok() {
                if let Some(page) = self.counts.admit(item, self.warn) {
                    ticket.remaining.fetch_add(1, Ordering::AcqRel);
                    let bytes = page.html.len();
                    queued = pages.send((Arc::clone(&ticket), page), bytes);
                }
            }
        };
        match whole {
            Some((bytes, meta)) => queue(ingest::plain_page(path, &bytes, &meta).map(Entry::Page)),
            None => ingest::read_file(path, &self.config.limits, &mut queue),
        }
        queued?;
        ticket.release(tx)
    }

    /// Extracts the queued pages in parallel and sends them to the writer;
    /// `read` is the backlog of the pages read ahead.
    fn extract_all(&self, pages: Receiver<(Queued, usize)>, read: &Backlog, tx: ToWriter) {
        // The reader stops too when extraction stops.
        let _closer = read.closer();
        // A send fails only when the writer stopped on an error.
        let _ = pages.into_iter().par_bridge().try_for_each_with(
            tx,
            |tx, ((ticket, page), page_bytes)| {
                let prepared = self.prepare(&page, &ticket.source, &ticket.stamp);
                drop(page);
                read.release(page_bytes);
                if let Some(prepared) = prepared {
                    Msg::Page(Box::new(prepared)).send(tx)?;
                }
                ticket.release(tx)
            },
        );
    }

    /// Extracts a page into a document, or warns why it holds no article.
    fn prepare(&self, page: &RawPage, source: &str, stamp: &Stamp) -> Option<Prepared> {
        let article = extract::extract(&page.html, page.crawled, &self.config.extract);
        let location = page.location();
        if let Some(reason) = &article.degraded {
            (self.warn)(&format!("{location}: {reason}"));
        }
        if article.body.is_empty() {
            (self.warn)(&format!("{location}: no article text found"));
            self.counts.skipped.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        let candidate = Candidate {
            id: document_id(&location),
            source: source.to_string(),
            location,
            // The crawled URL stands in for a page that names no canonical URL.
            url: article.url.clone().or_else(|| page.target_url.clone()),
            text_hash: blake3::hash(article.body.as_bytes()).to_hex()[..32].to_string(),
            crawled: page.crawled.map(|t| t.timestamp()),
        };
        let doc = to_document(self.fields, page, &article, &candidate, stamp);
        let indexed = self.fields.with_indexed_text(doc.clone());
        Some(Prepared {
            candidate,
            doc,
            indexed,
        })
    }
}

/// The stored fields of a page's document.
fn to_document(
    f: &Fields,
    page: &RawPage,
    article: &Article,
    candidate: &Candidate,
    stamp: &Stamp,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.id, &candidate.id);
    doc.add_text(f.path, &candidate.source);
    if let Some(offset) = page.offset {
        doc.add_u64(f.offset, offset);
    }
    add_stamp(f, &mut doc, stamp);
    doc.add_text(f.text_hash, &candidate.text_hash);
    if let Some(crawled) = candidate.crawled {
        doc.add_i64(f.crawled, crawled);
    }
    let optional = [
        (f.url, &candidate.url),
        (f.title, &article.title),
        (f.site, &article.site),
        (f.lang, &article.lang),
        (f.description, &article.description),
    ];
    for (field, value) in optional {
        if let Some(v) = value {
            doc.add_text(field, v);
        }
    }
    for author in &article.authors {
        doc.add_text(f.author, author);
    }
    if let Some(published) = article.published {
        doc.add_date(
            f.published,
            TantivyDate::from_timestamp_secs(published.timestamp()),
        );
    }
    doc.add_text(f.body, &article.body);
    doc
}

fn add_stamp(f: &Fields, doc: &mut TantivyDocument, stamp: &Stamp) {
    doc.add_u64(f.size, stamp.size);
    doc.add_i64(f.mtime, stamp.mtime);
    doc.add_text(f.hash, &stamp.hash);
}

/// Counts of what the writer did.
#[derive(Debug, Default)]
struct Tally {
    indexed: usize,
    updated: usize,
    unchanged: usize,
    deleted: usize,
    duplicates: usize,
    files_done: usize,
    bytes_done: u64,
}

/// The single writer of a run.
pub struct Run<'a> {
    writer: IndexWriter,
    reader: IndexReader,
    f: Fields,
    dir: &'a Path,
    dedup: Dedup,
    ledger: Ledger,
    /// Documents written since the last commit, by id, with their stored
    /// fields only: a duplicate found later may still add to their `also`
    /// field or replace them, and their file stamps may be needed. Most
    /// are in tantivy's hands already; see `deferred`.
    pending: HashMap<String, TantivyDocument>,
    /// Pending documents tantivy has no up-to-date copy of: those that
    /// carry duplicates' locations, which later duplicates may still
    /// extend. Handed over once, at the commit, so that a page saved
    /// thousands of times is not indexed thousands of times.
    deferred: HashSet<String>,
    /// Files whose documents stay as they were (unchanged or restamped).
    kept: HashSet<Key>,
    /// Files the index knew before this run that it redoes.
    redone: HashSet<Key>,
    commit_pages: usize,
    since_commit: usize,
    /// Bytes of the documents given to tantivy since the last commit.
    given_since_commit: usize,
    last_commit: Instant,
    tally: Tally,
}

impl<'a> Run<'a> {
    /// Starts a run: deletes the documents of files that are gone or to be
    /// redone, and gives touched files their new stamps.
    pub fn start(
        writer: IndexWriter,
        target: &'a DossierIndex,
        known: Known,
        plan: &Plan,
        commit_pages: usize,
    ) -> Result<Run<'a>> {
        let dir = target.dir.as_path();
        let reader = target.reader()?;
        let mut run = Run {
            writer,
            reader,
            f: target.fields.clone(),
            dir,
            dedup: Dedup::default(),
            ledger: Ledger::default(),
            pending: HashMap::new(),
            deferred: HashSet::new(),
            kept: HashSet::new(),
            redone: HashSet::new(),
            commit_pages: commit_pages.max(1),
            since_commit: 0,
            given_since_commit: 0,
            last_commit: Instant::now(),
            tally: Tally::default(),
        };
        run.keep_or_drop(known, plan);
        for (source, stamp) in &plan.touched {
            run.restamp(source, stamp)?;
        }
        Ok(run)
    }

    /// Registers the documents that stay; deletes those of gone and
    /// redone files. Documents are counted before their files are settled:
    /// a settled file without documents goes to the payload.
    fn keep_or_drop(&mut self, known: Known, plan: &Plan) {
        let gone: HashSet<Key> = plan.gone.iter().map(|s| key(s)).collect();
        let redone: HashSet<Key> = known
            .stamps
            .keys()
            .filter(|source| plan.redoes(source))
            .map(|source| key(source))
            .collect();
        for doc in known.docs {
            if redone.contains(&doc.source) {
                self.tally.deleted += usize::from(gone.contains(&doc.source));
                continue;
            }
            self.tally.unchanged += 1;
            self.ledger.added(doc.source);
            if let Some(registered) = doc.registered {
                self.dedup.register(registered);
            }
        }
        for (source, stamp) in known.stamps {
            if plan.redoes(&source) {
                self.writer.delete_term(self.path_term(&source));
            } else {
                self.kept.insert(key(&source));
                let stamp = plan.touched.get(&source).cloned().unwrap_or(stamp);
                self.ledger.settled(source, stamp);
            }
        }
        self.redone = redone;
    }

    /// Rewrites the documents of a file whose content is unchanged but
    /// whose modification time moved, so the next run need not hash it.
    fn restamp(&mut self, source: &str, stamp: &Stamp) -> Result<()> {
        let searcher = self.reader.searcher();
        let term = self.path_term(source);
        let found = searcher
            .search(
                &TermQuery::new(term.clone(), IndexRecordOption::Basic),
                &DocSetCollector,
            )
            .map_err(|e| Error::index(self.dir, e))?;
        self.writer.delete_term(term);
        let f = &self.f;
        let stamp_fields = [f.size, f.mtime, f.hash];
        let mut restamped = Vec::new();
        for addr in found {
            let old: TantivyDocument = searcher.doc(addr).map_err(|e| Error::index(self.dir, e))?;
            let mut doc = copy_without(&old, &stamp_fields);
            add_stamp(f, &mut doc, stamp);
            let id = old
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            restamped.push((id.to_string(), doc));
        }
        for (id, doc) in restamped {
            let indexed = self.f.with_indexed_text(doc.clone());
            self.hand_over(id, doc, indexed)?;
            self.since_commit += 1;
        }
        self.commit_if_due()
    }

    /// Reads and extracts `work` in parallel and writes its pages.
    pub fn process(
        &mut self,
        work: Vec<PathBuf>,
        config: &IndexConfig,
        warn: &(dyn Fn(&str) + Sync),
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<(usize, usize)> {
        let counts = Counts::default();
        // The producer's thread reads the fields while this writer changes.
        let fields = self.f.clone();
        let producer = Producer {
            config,
            fields: &fields,
            counts: &counts,
            warn,
        };
        let files_total = work.len();
        let bytes_total = work
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let waiting = Backlog::new(WAITING_BYTES);
        let read = Backlog::new(READ_AHEAD_BYTES);
        let (tx, rx) = backlog::channel(&waiting, WAITING_MESSAGES);
        let (page_tx, page_rx) = backlog::channel(&read, READ_AHEAD_PAGES);
        let reader_tx = tx.clone();
        let producer = &producer;
        let read = &read;
        std::thread::scope(|scope| {
            // Extraction and reading stop too when the writer stops.
            let _closer = waiting.closer();
            scope.spawn(move || producer.read_all(work, page_tx, reader_tx));
            scope.spawn(move || producer.extract_all(page_rx, read, tx));
            for (msg, bytes) in rx {
                let handled = self.handle(msg);
                waiting.release(bytes);
                handled?;
                progress(&Progress {
                    files_done: self.tally.files_done,
                    files_total,
                    bytes_done: self.tally.bytes_done,
                    bytes_total,
                    pages: self.tally.indexed + self.tally.updated,
                });
            }
            Ok::<_, Error>(())
        })?;
        Ok((counts.skipped.into_inner(), counts.errors.into_inner()))
    }

    fn handle(&mut self, msg: Msg) -> Result<()> {
        match msg {
            Msg::Start(source) => {
                self.ledger.open.insert(source);
            }
            Msg::Page(page) => self.add(*page)?,
            Msg::Done(source, stamp) => {
                self.ledger.open.remove(&source);
                self.tally.files_done += 1;
                self.tally.bytes_done += stamp.size;
                self.ledger.settled(source, stamp);
            }
        }
        self.commit_if_due()
    }

    /// Writes a page, or folds it into the document it duplicates.
    fn add(&mut self, page: Prepared) -> Result<()> {
        let Prepared {
            candidate,
            mut doc,
            indexed,
        } = page;
        let offered = Offered::new(&candidate);
        let winner = match self.dedup.winner_for(&offered) {
            Some(id) => self.candidate(&id)?,
            None => None,
        };
        let replaces = match self.dedup.decide(offered, winner.as_ref()) {
            Decision::Unique => false,
            Decision::Replaces(old) => {
                self.tally.duplicates += 1;
                for location in self.remove(&old)? {
                    doc.add_text(self.f.also, location);
                }
                doc.add_text(self.f.also, &old.location);
                true
            }
            Decision::Joins { winner } => {
                self.tally.duplicates += 1;
                return self.append_also(&winner, &candidate.location);
            }
        };
        *self.tally_of(&candidate.source) += 1;
        self.ledger.added(key(&candidate.source));
        self.since_commit += 1;
        if replaces {
            self.defer(candidate.id, doc);
            Ok(())
        } else {
            self.hand_over(candidate.id, doc, indexed)
        }
    }

    /// Gives tantivy document `id` with its indexed text (`indexed`) at
    /// once, so that it indexes while the next pages are extracted instead
    /// of all of them at the commit; `pending` keeps the stored fields.
    fn hand_over(
        &mut self,
        id: String,
        doc: TantivyDocument,
        indexed: TantivyDocument,
    ) -> Result<()> {
        self.given_since_commit += text_bytes(&indexed);
        self.give(indexed)?;
        self.pending.insert(id, doc);
        Ok(())
    }

    /// Gives tantivy `indexed`, a document with its indexed text.
    fn give(&self, indexed: TantivyDocument) -> Result<()> {
        self.writer
            .add_document(indexed)
            .map_err(|e| Error::index(self.dir, e))?;
        Ok(())
    }

    /// Keeps document `id` for the commit, which hands it over.
    fn defer(&mut self, id: String, doc: TantivyDocument) {
        self.deferred.insert(id.clone());
        self.pending.insert(id, doc);
    }

    /// The count a document of `source` belongs to: kept from earlier
    /// runs, or written by this one for a known or a new file.
    fn tally_of(&mut self, source: &str) -> &mut usize {
        let source = key(source);
        if self.kept.contains(&source) {
            &mut self.tally.unchanged
        } else if self.redone.contains(&source) {
            &mut self.tally.updated
        } else {
            &mut self.tally.indexed
        }
    }

    /// Deletes a document replaced by a newer crawl, uncounts it, and
    /// returns the locations it listed in `also`.
    fn remove(&mut self, old: &Replaced) -> Result<Vec<String>> {
        self.deferred.remove(&old.id);
        let doc = match self.pending.remove(&old.id) {
            Some(doc) => Some(doc),
            None => self.stored(&old.id)?,
        };
        *self.tally_of(&old.source) -= 1;
        if let (true, Some(doc)) = (self.ledger.removed(&old.source), &doc) {
            // The file is left without documents: its stamp, which was in
            // the removed document, goes to the payload.
            self.ledger
                .settled(old.source.clone(), Stamp::from_doc(&self.f, doc));
        }
        self.writer.delete_term(self.id_term(&old.id));
        Ok(doc
            .map(|doc| state::also_of(&self.f, &doc))
            .unwrap_or_default())
    }

    /// What duplicate detection needs of document `id`, read from its
    /// pending copy or else from the committed one.
    fn candidate(&self, id: &str) -> Result<Option<Candidate>> {
        match self.pending.get(id) {
            Some(doc) => Ok(Some(state::candidate_of(&self.f, doc))),
            None => Ok(self
                .stored(id)?
                .map(|doc| state::candidate_of(&self.f, &doc))),
        }
    }

    /// The committed document `id`.
    fn stored(&self, id: &str) -> Result<Option<TantivyDocument>> {
        let searcher = self.reader.searcher();
        let found = searcher
            .search(
                &TermQuery::new(self.id_term(id), IndexRecordOption::Basic),
                &DocSetCollector,
            )
            .map_err(|e| Error::index(self.dir, e))?;
        let Some(addr) = found.into_iter().next() else {
            return Ok(None);
        };
        let doc = searcher.doc(addr).map_err(|e| Error::index(self.dir, e))?;
        Ok(Some(doc))
    }

    /// Adds `location` to the `also` field of the document `id`.
    fn append_also(&mut self, id: &str, location: &str) -> Result<()> {
        if let Some(doc) = self.pending.get_mut(id) {
            doc.add_text(self.f.also, location);
            self.deferred.insert(id.to_string());
            return Ok(());
        }
        let Some(mut doc) = self.stored(id)? else {
            return Ok(());
        };
        doc.add_text(self.f.also, location);
        self.defer(id.to_string(), doc);
        self.since_commit += 1;
        Ok(())
    }

    fn commit_if_due(&mut self) -> Result<()> {
        if self.since_commit >= self.commit_pages
            || self.given_since_commit >= COMMIT_BYTES
            || (self.since_commit > 0 && self.last_commit.elapsed() >= COMMIT_INTERVAL)
        {
            self.commit()?;
        }
        Ok(())
    }

    /// Hands over the deferred documents, each replacing whatever copy
    /// tantivy has of it, and commits everything since the last commit with
    /// the state that describes it.
    fn commit(&mut self) -> Result<()> {
        let dir = self.dir;
        for id in std::mem::take(&mut self.deferred) {
            let Some(doc) = self.pending.get(&id) else {
                continue;
            };
            self.writer.delete_term(self.id_term(&id));
            self.give(self.f.with_indexed_text(doc.clone()))?;
        }
        self.pending.clear();
        let payload = serde_json::to_string(&self.ledger.payload()).expect("payload serialises");
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| Error::index(dir, e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| Error::index(dir, e))?;
        self.reader.reload().map_err(|e| Error::index(dir, e))?;
        self.since_commit = 0;
        self.given_since_commit = 0;
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Makes the last commit and waits for tantivy's merges.
    pub fn finish(mut self, summary: &mut IndexSummary) -> Result<usize> {
        self.commit()?;
        let documents = self.ledger.documents();
        self.writer
            .wait_merging_threads()
            .map_err(|e| Error::index(self.dir, e))?;
        let t = &self.tally;
        summary.indexed = t.indexed;
        summary.updated = t.updated;
        summary.unchanged = t.unchanged;
        summary.deleted = t.deleted;
        summary.duplicates = t.duplicates;
        summary.bytes = t.bytes_done;
        Ok(documents)
    }

    fn path_term(&self, source: &str) -> Term {
        Term::from_field_text(self.f.path, source)
    }

    fn id_term(&self, id: &str) -> Term {
        Term::from_field_text(self.f.id, id)
    }
}

/// A copy of a stored document without the values of `fields`.
fn copy_without(doc: &TantivyDocument, fields: &[Field]) -> TantivyDocument {
    let mut copy = TantivyDocument::new();
    for (field, value) in doc.field_values() {
        if !fields.contains(&field) {
            copy.add_field_value(field, value);
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_names_open_files_and_files_without_documents() {
        let stamp = |size| Stamp {
            size,
            mtime: 0,
            hash: "h".into(),
        };
        let mut ledger = Ledger::default();
        ledger.added(key("with-docs.html"));
        ledger.added(key("with-docs.html"));
        ledger.settled("with-docs.html".into(), stamp(1));
        ledger.added(key("duplicate.html"));
        ledger.settled("duplicate.html".into(), stamp(2));
        assert!(ledger.removed("duplicate.html"));
        ledger.settled("duplicate.html".into(), stamp(2));
        ledger.settled("empty.html".into(), stamp(3));
        ledger.open.insert("crawl.warc.gz".into());
        ledger.added(key("crawl.warc.gz"));
        assert!(!ledger.removed("crawl.warc.gz"));
        let payload = ledger.payload();
        assert_eq!(payload.incomplete, ["crawl.warc.gz"]);
        assert_eq!(
            payload.no_pages.keys().collect::<Vec<_>>(),
            ["duplicate.html", "empty.html"]
        );
    }
}
