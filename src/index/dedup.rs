//! Duplicates: pages with the same URL (canonical, else the crawled one) or
//! the same body text are one article. The most recent crawl is kept as the
//! document; the others are listed in its `also` field. This module only
//! decides; the indexing run applies the decisions to documents.

use std::collections::HashMap;

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

impl Candidate {
    /// Whether `self` is the more recent crawl; ties go to the greater
    /// location, so the outcome does not depend on reading order.
    fn beats(&self, other: &Candidate) -> bool {
        (self.crawled, &self.location) > (other.crawled, &other.location)
    }
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
        old: Candidate,
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

struct Winner {
    candidate: Candidate,
    also: Vec<String>,
}

/// The documents of the index, by their duplicate keys.
#[derive(Default)]
pub struct Dedup {
    by_url: HashMap<String, String>,
    by_text: HashMap<String, String>,
    winners: HashMap<String, Winner>,
}

impl Dedup {
    /// Registers a document already in the index.
    pub fn insert(&mut self, candidate: Candidate, also: Vec<String>) {
        self.link(&candidate, &candidate.id.clone());
        self.winners
            .insert(candidate.id.clone(), Winner { candidate, also });
    }

    /// Decides what becomes of a new page, and records the outcome.
    pub fn offer(&mut self, page: Candidate) -> Decision {
        let found = page
            .url
            .as_ref()
            .and_then(|u| self.by_url.get(u))
            .or_else(|| self.by_text.get(&page.text_hash))
            .cloned();
        let Some(winner_id) = found else {
            self.insert(page, Vec::new());
            return Decision::Unique;
        };
        let winner = self
            .winners
            .get_mut(&winner_id)
            .expect("keys point at winners");
        if !page.beats(&winner.candidate) {
            winner.also.push(page.location.clone());
            self.link(&page, &winner_id);
            return Decision::Joins { winner: winner_id };
        }
        let old = self.winners.remove(&winner_id).expect("just found");
        let mut also = old.also;
        also.push(old.candidate.location.clone());
        // Pages matching the old document's keys now match the new one.
        self.link(&old.candidate, &page.id);
        self.insert(page, also.clone());
        Decision::Replaces {
            old: old.candidate,
            also,
        }
    }

    /// Points the keys of `candidate` at the document `id`.
    fn link(&mut self, candidate: &Candidate, id: &str) {
        if let Some(url) = &candidate.url {
            self.by_url.insert(url.clone(), id.to_string());
        }
        self.by_text
            .insert(candidate.text_hash.clone(), id.to_string());
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
                assert_eq!(old.id, "id-a");
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
