//! Duplicates: pages with the same URL (canonical, else the crawled one) or
//! the same body text are one article. The most recent crawl is kept as the
//! document; the others are listed in its `also` field. This module only
//! decides; the indexing run applies the decisions to documents.

use std::collections::HashMap;

use super::state::{key, Key};

/// What duplicate detection needs to know of a page or document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Document id (from the location).
    pub id: String,
    /// Key of the file it came from.
    pub source: String,
    /// File path, plus record offset for a WARC record.
    pub location: String,
    /// Canonical or crawled URL.
    pub url: Option<String>,
    /// Hash of the body text.
    pub text_hash: String,
    /// Crawl time in seconds since 1970.
    pub crawled: Option<i64>,
}

/// What to do with a page.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Not a duplicate: index it.
    Unique,
    /// A newer crawl of the document `old`: index the page in its place,
    /// listing `also` (the old document's location and its own list).
    Replaces {
        /// The document to delete.
        old: Replaced,
        /// Locations for the new document's `also` field.
        also: Vec<String>,
    },
    /// An older crawl of the document `winner`: do not index the page, add
    /// its location to the winner's `also` field.
    Joins {
        /// Id of the document that stays.
        winner: String,
    },
}

/// A document that a newer crawl of the same article replaces.
#[derive(Debug, PartialEq, Eq)]
pub struct Replaced {
    /// Its id.
    pub id: String,
    /// Key of the file it came from.
    pub source: String,
    /// Its location (file path, plus record offset).
    pub location: String,
}

/// What is kept of a document that stands for its duplicate group.
struct Winner {
    id: Box<str>,
    location: Box<str>,
    /// Length of the source key at the start of the location.
    source_len: usize,
    crawled: Option<i64>,
    url: Option<Key>,
    text: Key,
    also: Vec<String>,
}

impl Winner {
    fn of(candidate: &Candidate, also: Vec<String>) -> Winner {
        Winner {
            id: candidate.id.as_str().into(),
            location: candidate.location.as_str().into(),
            source_len: if candidate.location.starts_with(&candidate.source) {
                candidate.source.len()
            } else {
                candidate.location.len()
            },
            crawled: candidate.crawled,
            url: candidate.url.as_deref().map(key),
            text: key(&candidate.text_hash),
            also,
        }
    }

    /// Whether `page` is the more recent crawl; ties go to the greater
    /// location, so the outcome does not depend on reading order.
    fn loses_to(&self, page: &Candidate) -> bool {
        (page.crawled, page.location.as_str()) > (self.crawled, &*self.location)
    }
}

/// The documents of the index, by their duplicate keys. Every document
/// costs a few hundred bytes here, whatever the length of its URL.
#[derive(Default)]
pub struct Dedup {
    by_url: HashMap<Key, Key>,
    by_text: HashMap<Key, Key>,
    winners: HashMap<Key, Winner>,
}

impl Dedup {
    /// Registers a document already in the index.
    pub fn insert(&mut self, candidate: Candidate, also: Vec<String>) {
        self.add(Winner::of(&candidate, also));
    }

    fn add(&mut self, winner: Winner) {
        let id = key(&winner.id);
        self.link(winner.url, winner.text, id);
        self.winners.insert(id, winner);
    }

    /// Decides what becomes of a new page, and records the outcome.
    pub fn offer(&mut self, page: Candidate) -> Decision {
        let url = page.url.as_deref().map(key);
        let text = key(&page.text_hash);
        let found = url
            .and_then(|u| self.by_url.get(&u))
            .or_else(|| self.by_text.get(&text))
            .copied();
        let Some(winner_id) = found else {
            self.insert(page, Vec::new());
            return Decision::Unique;
        };
        let winner = self
            .winners
            .get_mut(&winner_id)
            .expect("keys point at winners");
        if !winner.loses_to(&page) {
            winner.also.push(page.location.clone());
            let id = winner.id.to_string();
            self.link(url, text, winner_id);
            return Decision::Joins { winner: id };
        }
        let old = self.winners.remove(&winner_id).expect("just found");
        let mut also = old.also;
        also.push(old.location.to_string());
        let new = Winner::of(&page, also.clone());
        // Pages matching the old document's keys now match the new one.
        self.link(old.url, old.text, key(&new.id));
        self.add(new);
        Decision::Replaces {
            old: Replaced {
                id: old.id.into(),
                source: old.location[..old.source_len].to_string(),
                location: old.location.into(),
            },
            also,
        }
    }

    /// Points the keys `url` and `text` at the document `id`.
    fn link(&mut self, url: Option<Key>, text: Key, id: Key) {
        if let Some(url) = url {
            self.by_url.insert(url, id);
        }
        self.by_text.insert(text, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(location: &str, url: Option<&str>, text: &str, crawled: i64) -> Candidate {
        Candidate {
            id: format!("id-{location}"),
            source: location.to_string(),
            location: location.to_string(),
            url: url.map(str::to_string),
            text_hash: text.to_string(),
            crawled: Some(crawled),
        }
    }

    #[test]
    fn the_most_recent_crawl_wins_and_lists_the_others() {
        let mut d = Dedup::default();
        assert_eq!(d.offer(page("a", Some("u"), "t1", 10)), Decision::Unique);
        assert_eq!(
            d.offer(page("b", Some("u"), "t2", 5)),
            Decision::Joins {
                winner: "id-a".into()
            }
        );
        match d.offer(page("c", None, "t1", 20)) {
            Decision::Replaces { old, also } => {
                assert_eq!((old.id.as_str(), old.source.as_str()), ("id-a", "a"));
                assert_eq!(also, ["b", "a"]);
            }
            other => panic!("{other:?}"),
        }
        // The URL of the replaced page now leads to the new winner.
        assert_eq!(
            d.offer(page("d", Some("u"), "t3", 1)),
            Decision::Joins {
                winner: "id-c".into()
            }
        );
        assert_eq!(d.offer(page("e", Some("v"), "t4", 1)), Decision::Unique);
    }
}
