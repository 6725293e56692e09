//! The index schema: one tantivy document per article. Title and body are
//! stored once for display and indexed once per document, in the field
//! pair of the page's language analysis (`title_en`/`body_en`, ...,
//! `title_plain`/`body_plain`), so every page is stemmed in its own
//! language and BM25 statistics stay within a language. `exact` holds
//! title and body folded but unstemmed, for exact-match ranking, prefixes
//! and fuzzy words. The schema also holds what the next indexing run needs
//! to tell what changed (the source file's size, modification time and
//! content hash, the body's hash and the crawl time), so that this state
//! commits atomically with the documents.

use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::TantivyDocument;

use super::analysis::{Analysis, ANALYSES, ANALYZED, PLAIN};

/// The indexed title and body fields of one language analysis.
#[derive(Debug, Clone, Copy)]
pub struct LangFields {
    /// The analysis these fields are indexed with.
    pub analysis: Analysis,
    /// Title, indexed.
    pub title: Field,
    /// Body, indexed.
    pub body: Field,
}

/// Handles to the fields of a dossier index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Stable document id: a hash of where the page came from.
    pub id: Field,
    /// The page's file path: the key by which a file's documents are
    /// found, replaced and deleted.
    pub path: Field,
    /// Byte offset of the record in a WARC file.
    pub offset: Field,
    /// Size of the source file in bytes.
    pub size: Field,
    /// Modification time of the source file, in nanoseconds since 1970.
    pub mtime: Field,
    /// Content hash of the source file (hex).
    pub hash: Field,
    /// Hash of the article body, for finding duplicates.
    pub text_hash: Field,
    /// When the page was crawled, in seconds since 1970.
    pub crawled: Field,
    /// Other locations of the same article (duplicates), one value each.
    pub also: Field,
    /// Canonical URL, when known (stored; indexed as words for `url:`).
    pub url: Field,
    /// Headline as written (stored only).
    pub title: Field,
    /// Author names (one value per author; stored, indexed as words).
    pub author: Field,
    /// Author names as written, for facets.
    pub author_raw: Field,
    /// First publication time.
    pub published: Field,
    /// Publishing site's name (stored, indexed as words).
    pub site: Field,
    /// Site name as written, for facets.
    pub site_raw: Field,
    /// Language code.
    pub lang: Field,
    /// The page's own summary (stored only).
    pub description: Field,
    /// Article text as extracted (stored only).
    pub body: Field,
    /// Title and body, folded and unstemmed.
    pub exact: Field,
    /// Indexed title and body, one pair per language analysis.
    pub langs: Vec<LangFields>,
}

impl Fields {
    /// Builds the schema and returns it with its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let words = indexed_with(
            &PLAIN.tokenizer_name(),
            IndexRecordOption::WithFreqsAndPositions,
        )
        .set_stored();
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            path: b.add_text_field("path", STRING | STORED),
            offset: b.add_u64_field("offset", stored()),
            size: b.add_u64_field("size", stored()),
            mtime: b.add_i64_field("mtime", stored()),
            hash: b.add_text_field("hash", STORED),
            text_hash: b.add_text_field("text_hash", STORED),
            crawled: b.add_i64_field("crawled", stored()),
            also: b.add_text_field("also", STORED),
            url: b.add_text_field("url", words.clone()),
            title: b.add_text_field("title", STORED),
            author: b.add_text_field("author", words.clone()),
            author_raw: b.add_text_field("author_raw", STRING | FAST),
            published: b.add_date_field("published", DateOptions::from(INDEXED | STORED | FAST)),
            site: b.add_text_field("site", words.clone()),
            site_raw: b.add_text_field("site_raw", STRING | FAST),
            lang: b.add_text_field("lang", STRING | STORED | FAST),
            description: b.add_text_field("description", STORED),
            body: b.add_text_field("body", STORED),
            // Exact forms only rank, match prefixes and fuzzy words: no
            // positions, which would double the field's size.
            exact: b.add_text_field(
                "exact",
                indexed_with(ANALYZED, IndexRecordOption::WithFreqs),
            ),
            langs: ANALYSES
                .iter()
                .map(|analysis| {
                    let indexed = indexed_with(ANALYZED, IndexRecordOption::WithFreqsAndPositions);
                    LangFields {
                        analysis: *analysis,
                        title: b
                            .add_text_field(&format!("title_{}", analysis.code), indexed.clone()),
                        body: b.add_text_field(&format!("body_{}", analysis.code), indexed),
                    }
                })
                .collect(),
        };
        (b.build(), fields)
    }

    /// Looks the fields up in an existing index's schema.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        let langs = ANALYSES
            .iter()
            .map(|analysis| {
                Some(LangFields {
                    analysis: *analysis,
                    title: f(&format!("title_{}", analysis.code))?,
                    body: f(&format!("body_{}", analysis.code))?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Fields {
            id: f("id")?,
            path: f("path")?,
            offset: f("offset")?,
            size: f("size")?,
            mtime: f("mtime")?,
            hash: f("hash")?,
            text_hash: f("text_hash")?,
            crawled: f("crawled")?,
            also: f("also")?,
            url: f("url")?,
            title: f("title")?,
            author: f("author")?,
            author_raw: f("author_raw")?,
            published: f("published")?,
            site: f("site")?,
            site_raw: f("site_raw")?,
            lang: f("lang")?,
            description: f("description")?,
            body: f("body")?,
            exact: f("exact")?,
            langs,
        })
    }

    /// Adds to `doc`, which holds stored values only (as built for writing,
    /// or as read back from the store), the indexed fields derived from
    /// them: title and body in the fields of the page's language and in
    /// `exact`, and the facet copies of site and authors. A stored document
    /// passed through here can be written again unchanged.
    pub fn with_indexed_text(&self, mut doc: TantivyDocument) -> TantivyDocument {
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let (lang, title, body, site) = (
            text(self.lang),
            text(self.title),
            text(self.body),
            text(self.site),
        );
        let authors: Vec<String> = doc
            .get_all(self.author)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let indexed = self.for_lang(lang.as_deref());
        for (value, field) in [(&title, indexed.title), (&body, indexed.body)] {
            if let Some(value) = value {
                let (stemmed, plain) = indexed.analysis.analyzed_with_plain(value);
                doc.add_text(field, stemmed);
                doc.add_text(self.exact, plain);
            }
        }
        if let Some(site) = site {
            doc.add_text(self.site_raw, site);
        }
        for author in authors {
            doc.add_text(self.author_raw, author);
        }
        doc
    }

    /// The indexed fields for a page in language `lang`.
    pub fn for_lang(&self, lang: Option<&str>) -> &LangFields {
        let analysis = Analysis::for_lang(lang);
        self.langs
            .iter()
            .find(|l| l.analysis == analysis)
            .expect("every analysis has fields")
    }
}

fn stored() -> NumericOptions {
    NumericOptions::default().set_stored()
}

/// Options of a field indexed, not stored, with the tokenizer `tokenizer`.
fn indexed_with(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}
