//! Documents read back from the index: every stored field of one article as
//! plain values, the reverse of what indexing writes. Search hits, `show`
//! and `export` all read documents through here.

use chrono::{DateTime, TimeZone, Utc};
use tantivy::schema::{Field, Value};
use tantivy::TantivyDocument;

use super::Fields;

/// One indexed article with all its stored fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// Stable document id (16 hex digits).
    pub id: String,
    /// The page file that was indexed, as it was found.
    pub path: String,
    /// Byte offset of the page's record, when the file is a WARC archive.
    pub offset: Option<u64>,
    /// Other locations of the same article, folded into this document.
    pub also: Vec<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Author names, possibly none.
    pub authors: Vec<String>,
    /// First publication time.
    pub published: Option<DateTime<Utc>>,
    /// Site name.
    pub site: Option<String>,
    /// Language code.
    pub lang: Option<String>,
    /// The page's own summary.
    pub description: Option<String>,
    /// The indexed article text.
    pub body: String,
}

impl StoredDocument {
    /// Reads the stored fields of `doc`.
    pub fn read(doc: &TantivyDocument, f: &Fields) -> StoredDocument {
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        StoredDocument {
            id: text(f.id).unwrap_or_default(),
            path: text(f.path).unwrap_or_default(),
            offset: doc.get_first(f.offset).and_then(|v| v.as_u64()),
            also: doc
                .get_all(f.also)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            url: text(f.url),
            title: text(f.title),
            authors: doc
                .get_all(f.author)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            published: doc
                .get_first(f.published)
                .and_then(|v| v.as_datetime())
                .and_then(|d| Utc.timestamp_opt(d.into_timestamp_secs(), 0).single()),
            site: text(f.site),
            lang: text(f.lang),
            description: text(f.description),
            body: text(f.body).unwrap_or_default(),
        }
    }
}
