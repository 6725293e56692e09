//! The index schema: one tantivy document per article, with the fields
//! search needs to match, rank, filter and print a hit, and the fields the
//! next indexing run needs to tell what changed (the source file's size,
//! modification time and content hash, the body's hash and the crawl time),
//! so that this state commits atomically with the documents.

use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};

use super::analysis;

/// Handles to the fields of a dossier index.
#[derive(Debug, Clone, Copy)]
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
    /// Canonical URL, when known.
    pub url: Field,
    /// Headline (analyzed, stored).
    pub title: Field,
    /// Author names (one value per author).
    pub author: Field,
    /// First publication time.
    pub published: Field,
    /// Publishing site's name.
    pub site: Field,
    /// Language code.
    pub lang: Field,
    /// The page's own summary (stored only).
    pub description: Field,
    /// Article text (analyzed, stored for snippets and `show`).
    pub body: Field,
}

impl Fields {
    /// Builds the schema and returns it with its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let prose = text_options(analysis::PROSE, IndexRecordOption::WithFreqsAndPositions);
        let names = text_options(analysis::NAMES, IndexRecordOption::WithFreqsAndPositions);
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
            url: b.add_text_field("url", STRING | STORED),
            title: b.add_text_field("title", prose.clone()),
            author: b.add_text_field("author", names.clone()),
            published: b.add_date_field("published", DateOptions::from(INDEXED | STORED | FAST)),
            site: b.add_text_field("site", names),
            lang: b.add_text_field("lang", STRING | STORED | FAST),
            description: b.add_text_field("description", STORED),
            body: b.add_text_field("body", prose),
        };
        (b.build(), fields)
    }

    /// Looks the fields up in an existing index's schema.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
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
            published: f("published")?,
            site: f("site")?,
            lang: f("lang")?,
            description: f("description")?,
            body: f("body")?,
        })
    }
}

fn stored() -> NumericOptions {
    NumericOptions::default().set_stored()
}

fn text_options(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}
