//! Merges: which segments tantivy merges while an index is written, and
//! how much of the index one merge may read. tantivy reads the segments it
//! merges through memory maps, and every page of them counts in the
//! process's resident memory until the merge ends. Its log merge policy
//! merges ever larger segments as an archive grows (at 100,000 pages it
//! had built segments of 15,000 and 22,000 pages, and its next level
//! merges eight of those), so the memory a merge maps, and with it the
//! run's peak, grew with the archive (909 MiB of it at 200,000 pages), and
//! each page is rewritten once more at every level. Here segments are
//! chosen by tantivy's log policy, but one merge reads at most
//! [`MAX_MERGE_BYTES`] of segment files, and a segment past half of that
//! is left as it is: each page is merged once or twice.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// Bytes of segment files one merge may read. Every query visits every
/// segment, and a bound that keeps segments small costs queries more than
/// it saves: at 96 MB the benchmark's 100,000 pages ended in 16 segments,
/// and the median query took a third longer than over 9.
pub const MAX_MERGE_BYTES: u64 = 128 << 20;

/// tantivy's log merge policy, with merges bounded by the bytes they read.
#[derive(Debug)]
pub struct BoundedMerges {
    /// The index folder, where the segments' files are weighed.
    dir: PathBuf,
    /// Groups segments of similar size.
    levels: LogMergePolicy,
    /// Bytes of segment files one merge may read.
    max_bytes: u64,
}

impl BoundedMerges {
    /// Merges of the segments in `dir`, reading at most `max_bytes` each.
    pub fn new(dir: &Path, max_bytes: u64) -> BoundedMerges {
        BoundedMerges {
            dir: dir.to_path_buf(),
            levels: LogMergePolicy::default(),
            max_bytes,
        }
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let sizes = segment_sizes(&self.dir);
        // A segment that cannot be weighed is not merged: its size is
        // unknown, and the bound is what this policy promises.
        let bytes = |id: &SegmentId| sizes.get(&id.uuid_string()).copied().unwrap_or(u64::MAX);
        let small: Vec<SegmentMeta> = segments
            .iter()
            .filter(|s| bytes(&s.id()) <= self.max_bytes / 2)
            .cloned()
            .collect();
        // One merge per call, so that merges seldom overlap: each maps
        // its segments.
        self.levels
            .compute_merge_candidates(&small)
            .into_iter()
            .find_map(|candidate| within(candidate, &bytes, self.max_bytes))
            .into_iter()
            .collect()
    }
}

/// The smallest segments of `candidate` that together weigh at most
/// `max_bytes`, if there are two or more of them.
fn within(
    candidate: MergeCandidate,
    bytes: &impl Fn(&SegmentId) -> u64,
    max_bytes: u64,
) -> Option<MergeCandidate> {
    let mut ids = candidate.0;
    ids.sort_by_key(|id| bytes(id));
    let mut total = 0u64;
    let fitting = ids
        .iter()
        .take_while(|id| {
            total = total.saturating_add(bytes(id));
            total <= max_bytes
        })
        .count();
    ids.truncate(fitting);
    (ids.len() >= 2).then_some(MergeCandidate(ids))
}

/// Bytes of each segment's files in `dir`, by segment id: tantivy names
/// them `<id>.<component>`.
fn segment_sizes(dir: &Path) -> HashMap<String, u64> {
    let mut sizes = HashMap::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return sizes;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((id, _component)) = name.to_str().and_then(|n| n.split_once('.')) else {
            continue;
        };
        if let Ok(meta) = entry.metadata() {
            *sizes.entry(id.to_string()).or_default() += meta.len();
        }
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, STORED, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    fn ids(n: usize) -> Vec<SegmentId> {
        (0..n).map(|_| SegmentId::generate_random()).collect()
    }

    #[test]
    fn a_merge_takes_the_smallest_segments_that_fit() {
        let segments = ids(4);
        let weights: HashMap<SegmentId, u64> =
            segments.iter().copied().zip([40, 10, 30, 20]).collect();
        let bytes = |id: &SegmentId| weights[id];
        let chosen = within(MergeCandidate(segments.clone()), &bytes, 60).expect("three fit");
        assert_eq!(chosen.0, vec![segments[1], segments[3], segments[2]]);
    }

    #[test]
    fn no_merge_when_fewer_than_two_segments_fit() {
        let segments = ids(3);
        let weights: HashMap<SegmentId, u64> = segments.iter().copied().zip([50, 70, 90]).collect();
        let bytes = |id: &SegmentId| weights[id];
        assert!(within(MergeCandidate(segments), &bytes, 100).is_none());
    }

    /// Writes `commits` commits of a few documents each and waits for the
    /// merges they start.
    fn index_with_merges(dir: &Path, commits: usize, max_bytes: u64) -> Vec<SegmentMeta> {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT | STORED);
        let index = Index::create_in_dir(dir, schema.build()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(BoundedMerges::new(dir, max_bytes)));
        for commit in 0..commits {
            for n in 0..20 {
                let words = format!("commit {commit} page {n} words of the page number {n}");
                writer.add_document(doc!(text => words)).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        index.searchable_segment_metas().unwrap()
    }

    #[test]
    fn merges_never_read_more_than_their_bound() {
        let one = tempfile::tempdir().unwrap();
        let single = index_with_merges(one.path(), 1, u64::MAX);
        let segment_bytes = segment_sizes(one.path())[&single[0].id().uuid_string()];

        let dir = tempfile::tempdir().unwrap();
        let bound = segment_bytes * 5 / 2;
        let segments = index_with_merges(dir.path(), 24, bound);
        let sizes = segment_sizes(dir.path());
        assert!(segments.len() < 24, "some segments were merged");
        for segment in &segments {
            let weight = sizes[&segment.id().uuid_string()];
            assert!(weight <= bound, "a segment of {weight} bytes, past {bound}");
            assert!(
                segment.num_docs() <= 40,
                "at most two segments merged into one"
            );
        }
    }
}
