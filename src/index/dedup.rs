//! Duplicates: pages with the same URL (canonical, else the crawled one) or
//! the same body text are one article. The most recent crawl is kept as the
//! document; the others are listed in its `also` field. This module only
//! decides; the indexing run applies the decisions to documents.
//!
//! Of each duplicate group it remembers only the keys that lead to it and
//! the id of the document that stands for it, a few dozen bytes per
//! document whatever the length of its URL and location: this record spans
//! the whole archive, so its size per document sets how large an archive
//! one run can index in bounded memory. What else a decision needs of the
//! standing document (its crawl time, location and file) is read from that
//! document when a page turns up with its keys, which is rare.

use rustc_hash::FxHashMap;

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

impl Candidate {
    /// Whether this page is a more recent crawl than `other`; ties go to
    /// the greater location, so the outcome does not depend on reading
    /// order.
    fn is_newer_than(&self, other: &Candidate) -> bool {
        (self.crawled, self.location.as_str()) > (other.crawled, other.location.as_str())
    }
}

/// What to do with a page.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Not a duplicate: index it.
    Unique,
    /// A newer crawl of the document `old`: index the page in its place,
    /// listing the old document's location and the locations it listed.
    Replaces(Replaced),
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

/// The place of a duplicate group in [`Dedup::winners`].
type Group = u32;

/// What duplicate detection remembers of a document: its packed id and
/// the keys of its URL and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    id: u64,
    url: Option<Key>,
    text: Key,
}

impl Registered {
    /// What is remembered of `document`; `None` when its id cannot be
    /// packed (see [`pack_id`]).
    pub fn of(document: &Candidate) -> Option<Registered> {
        Some(Registered {
            id: pack_id(&document.id)?,
            url: document.url.as_deref().map(key),
            text: key(&document.text_hash),
        })
    }
}

/// A page offered to duplicate detection, with what would be remembered
/// of it, worked out once for [`Dedup::winner_for`] and [`Dedup::decide`].
pub struct Offered<'a> {
    page: &'a Candidate,
    /// `None` when the page's id cannot be packed.
    registered: Option<Registered>,
}

impl<'a> Offered<'a> {
    /// Offers `page`.
    pub fn new(page: &'a Candidate) -> Offered<'a> {
        Offered {
            page,
            registered: Registered::of(page),
        }
    }
}

/// The duplicate groups of the index, by their keys.
#[derive(Default)]
pub struct Dedup {
    by_url: FxHashMap<Key, Group>,
    by_text: FxHashMap<Key, Group>,
    /// The id of each group's document, packed (see [`pack_id`]).
    winners: Vec<u64>,
}

impl Dedup {
    /// Registers a document already in the index.
    pub fn register(&mut self, document: Registered) {
        let group = self.winners.len() as Group;
        self.winners.push(document.id);
        self.link(&document, group);
    }

    /// The id of the document whose keys the offered page shares, if any:
    /// the caller reads it for [`Dedup::decide`].
    pub fn winner_for(&self, offered: &Offered) -> Option<String> {
        let group = self.group_of(offered.registered.as_ref()?)?;
        Some(unpack_id(self.winners[group as usize]))
    }

    /// Decides what becomes of the offered page and records the outcome.
    /// `winner` is the document [`Dedup::winner_for`] named, as stored;
    /// `None` when there is none, or when it could not be read, and then
    /// the page stands for its group. A page whose id cannot be packed is
    /// left out of duplicate detection.
    pub fn decide(&mut self, offered: Offered, winner: Option<&Candidate>) -> Decision {
        let Offered { page, registered } = offered;
        let Some(registered) = registered else {
            return Decision::Unique;
        };
        let Some(group) = self.group_of(&registered) else {
            self.register(registered);
            return Decision::Unique;
        };
        self.link(&registered, group);
        let Some(winner) = winner else {
            self.winners[group as usize] = registered.id;
            return Decision::Unique;
        };
        if !page.is_newer_than(winner) {
            return Decision::Joins {
                winner: winner.id.clone(),
            };
        }
        self.winners[group as usize] = registered.id;
        Decision::Replaces(Replaced {
            id: winner.id.clone(),
            source: winner.source.clone(),
            location: winner.location.clone(),
        })
    }

    /// The group whose keys `document` shares: its URL's first, then its
    /// text's.
    fn group_of(&self, document: &Registered) -> Option<Group> {
        document
            .url
            .and_then(|url| self.by_url.get(&url))
            .or_else(|| self.by_text.get(&document.text))
            .copied()
    }

    /// Points the keys of `document` at `group`.
    fn link(&mut self, document: &Registered, group: Group) {
        if let Some(url) = document.url {
            self.by_url.insert(url, group);
        }
        self.by_text.insert(document.text, group);
    }
}

/// A document id in 8 bytes: ids are 16 lowercase hex digits (see
/// `document_id`). Any other id is not remembered.
fn pack_id(id: &str) -> Option<u64> {
    let number = u64::from_str_radix(id, 16).ok()?;
    (unpack_id(number) == id).then_some(number)
}

fn unpack_id(number: u64) -> String {
    format!("{number:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::document_id;
    use std::collections::HashMap;

    fn page(location: &str, url: Option<&str>, text: &str, crawled: i64) -> Candidate {
        Candidate {
            id: document_id(location),
            source: location.to_string(),
            location: location.to_string(),
            url: url.map(str::to_string),
            text_hash: text.to_string(),
            crawled: Some(crawled),
        }
    }

    /// Offers pages in turn, reading winners from the pages offered before,
    /// as the indexing run reads them from its documents.
    #[derive(Default)]
    struct Archive {
        dedup: Dedup,
        documents: HashMap<String, Candidate>,
    }

    impl Archive {
        fn offer(&mut self, page: Candidate) -> Decision {
            let offered = Offered::new(&page);
            let winner = self
                .dedup
                .winner_for(&offered)
                .and_then(|id| self.documents.get(&id));
            let decision = self.dedup.decide(offered, winner);
            self.documents.insert(page.id.clone(), page);
            decision
        }

        fn joins(&mut self, page: Candidate, winner: &str) {
            let winner = document_id(winner);
            assert_eq!(self.offer(page), Decision::Joins { winner });
        }

        fn replaces(&mut self, page: Candidate, old: &str) {
            let expected = Decision::Replaces(Replaced {
                id: document_id(old),
                source: old.to_string(),
                location: old.to_string(),
            });
            assert_eq!(self.offer(page), expected);
        }
    }

    #[test]
    fn the_most_recent_crawl_wins() {
        let mut a = Archive::default();
        assert_eq!(a.offer(page("a", Some("u"), "t1", 10)), Decision::Unique);
        a.joins(page("b", Some("u"), "t2", 5), "a");
        a.replaces(page("c", None, "t1", 20), "a");
        // The URL of the replaced page now leads to the new winner.
        a.joins(page("d", Some("u"), "t3", 1), "c");
        assert_eq!(a.offer(page("e", Some("v"), "t4", 1)), Decision::Unique);
    }

    #[test]
    fn equal_crawl_times_go_to_the_greater_location() {
        let mut a = Archive::default();
        a.offer(page("b", None, "t", 7));
        a.joins(page("a", None, "t", 7), "b");
        a.replaces(page("c", None, "t", 7), "b");
    }

    /// A key brought to a group by a page that joined it must still lead
    /// to the group after its winner is replaced.
    #[test]
    fn keys_of_joined_pages_follow_the_group_to_its_new_winner() {
        let mut a = Archive::default();
        a.offer(page("a", Some("u"), "t1", 10));
        a.joins(page("b", Some("v"), "t1", 5), "a");
        a.replaces(page("c", None, "t1", 20), "a");
        a.joins(page("d", Some("v"), "t9", 1), "c");
    }

    #[test]
    fn a_winner_that_cannot_be_read_gives_its_group_to_the_page() {
        let mut d = Dedup::default();
        let first = page("a", None, "t", 10);
        d.register(Registered::of(&first).unwrap());
        let second = page("b", None, "t", 1);
        assert_eq!(d.winner_for(&Offered::new(&second)), Some(first.id.clone()));
        assert_eq!(d.decide(Offered::new(&second), None), Decision::Unique);
        assert_eq!(d.winner_for(&Offered::new(&first)), Some(second.id));
    }

    #[test]
    fn ids_are_packed_only_when_they_unpack_the_same() {
        assert_eq!(pack_id("00ff00ff00ff00ff"), Some(0x00ff_00ff_00ff_00ff));
        for id in ["00FF00FF00FF00FF", "+0ff00ff00ff00ff", "ff", "not an id"] {
            assert_eq!(pack_id(id), None, "{id}");
        }
    }
}
