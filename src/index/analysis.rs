//! Text analysis shared by indexing, querying and snippets, so all three
//! see the same terms: Unicode word splitting, lower-casing, removal of
//! combining marks (Turkish "İ" lower-cases to "i" plus a dot), diacritic
//! folding (Türkiye = Turkiye, Şuşa = Susa, Əliyev = Aliyev) and stemming
//! in the page's own language, for the 18 languages tantivy has Snowball
//! stemmers for. Other languages get the same analysis without stemming.
//! Folding comes before stemming so a word typed without its diacritics
//! reaches the same stem as the word on the page.

use std::cell::RefCell;
use std::sync::LazyLock;

use memchr::memchr;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
    TokenizerManager,
};

/// The language analysis of an indexed text: a stemming language, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    /// ISO 639-1 code of the stemming language, or "plain" for none.
    pub code: &'static str,
    stemmer: Option<Language>,
}

/// Every analysis dossier indexes with: one per Snowball language, then plain.
pub const ANALYSES: &[Analysis] = &[
    Analysis::stemmed("en", Language::English),
    Analysis::stemmed("ru", Language::Russian),
    Analysis::stemmed("tr", Language::Turkish),
    Analysis::stemmed("de", Language::German),
    Analysis::stemmed("fr", Language::French),
    Analysis::stemmed("es", Language::Spanish),
    Analysis::stemmed("it", Language::Italian),
    Analysis::stemmed("pt", Language::Portuguese),
    Analysis::stemmed("nl", Language::Dutch),
    Analysis::stemmed("sv", Language::Swedish),
    Analysis::stemmed("da", Language::Danish),
    Analysis::stemmed("no", Language::Norwegian),
    Analysis::stemmed("fi", Language::Finnish),
    Analysis::stemmed("hu", Language::Hungarian),
    Analysis::stemmed("ro", Language::Romanian),
    Analysis::stemmed("el", Language::Greek),
    Analysis::stemmed("ar", Language::Arabic),
    Analysis::stemmed("ta", Language::Tamil),
    PLAIN,
];

/// Folding without stemming: names, URLs, exact matches, and pages in
/// languages without a stemmer.
pub const PLAIN: Analysis = Analysis {
    code: "plain",
    stemmer: None,
};

/// English, the analysis of pages whose language is unknown.
pub const DEFAULT: Analysis = ANALYSES[0];

/// Tokens longer than this many bytes are dropped (base64 blobs, URLs).
const MAX_TOKEN_BYTES: usize = 64;

impl Analysis {
    const fn stemmed(code: &'static str, language: Language) -> Analysis {
        Analysis {
            code,
            stemmer: Some(language),
        }
    }

    /// The analysis for a page in language `lang` (ISO 639-1): its stemmer,
    /// plain folding for languages without one, English when unknown.
    pub fn for_lang(lang: Option<&str>) -> Analysis {
        match lang {
            None => DEFAULT,
            Some(code) => ANALYSES
                .iter()
                .find(|a| a.code == code && a.stemmer.is_some())
                .copied()
                .unwrap_or(PLAIN),
        }
    }

    /// Name under which the analyzer is registered with tantivy.
    pub fn tokenizer_name(&self) -> String {
        format!("dossier_{}", self.code)
    }

    /// A copy of this analysis' analyzer, built once per process, for
    /// short texts and for [`StemCache`], which remembers stems itself.
    pub fn shared_analyzer(&self) -> TextAnalyzer {
        static BUILT: LazyLock<Vec<TextAnalyzer>> =
            LazyLock::new(|| ANALYSES.iter().map(Analysis::build).collect());
        BUILT[self.position()].clone()
    }

    fn build(&self) -> TextAnalyzer {
        let folded = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(StripCombiningMarks)
            .filter(AsciiFoldingFilter);
        match self.stemmer {
            Some(language) => folded.filter(Stemmer::new(language)).build(),
            None => folded.build(),
        }
    }

    /// Whether a word's stem always starts with the word's own first
    /// letter. Snowball stemmers for European languages and Turkish only
    /// change the end of a word; the Arabic, Greek and Tamil ones also
    /// strip prefixes.
    pub fn keeps_first_letter(&self) -> bool {
        !matches!(
            self.stemmer,
            Some(Language::Arabic | Language::Greek | Language::Tamil)
        )
    }

    /// `text` analysed into its terms, for a field indexed with the
    /// [`ANALYZED`] tokenizer: each position's term followed by
    /// [`TERM_END`], an empty one where a token was dropped, so that
    /// tantivy indexes the same terms at the same positions as if it had
    /// analysed `text` itself. Analysing on the extracting threads leaves
    /// tantivy's one indexing thread, the slowest stage of an indexing
    /// run, only the splitting.
    pub fn analyzed(&self, text: &str) -> String {
        let mut stemmed = String::with_capacity(text.len() + text.len() / 4);
        self.write_terms(text, &mut stemmed, None);
        stemmed
    }

    /// `text` analysed as [`Analysis::analyzed`] does, and by the plain
    /// analysis too, in one reading of its words: an indexed text goes to
    /// its language's field and to the unstemmed `exact` field.
    pub fn analyzed_with_plain(&self, text: &str) -> (String, String) {
        let capacity = text.len() + text.len() / 4;
        let (mut stemmed, mut plain) = (
            String::with_capacity(capacity),
            String::with_capacity(capacity),
        );
        self.write_terms(text, &mut stemmed, Some(&mut plain));
        (stemmed, plain)
    }

    /// Writes the terms of `text` to `stemmed`, and their folded forms to
    /// `plain`, through this thread's [`WordMemo`] of this analysis.
    fn write_terms(&self, text: &str, stemmed: &mut String, plain: Option<&mut String>) {
        thread_local! {
            static MEMOS: RefCell<Vec<Option<WordMemo>>> =
                RefCell::new((0..ANALYSES.len()).map(|_| None).collect());
        }
        MEMOS.with_borrow_mut(|memos| {
            memos[self.position()]
                .get_or_insert_with(|| WordMemo::new(*self))
                .write_terms(text, stemmed, plain);
        });
    }

    /// Where this analysis is in [`ANALYSES`].
    fn position(&self) -> usize {
        ANALYSES
            .iter()
            .position(|a| a == self)
            .expect("every analysis is listed")
    }

    /// The terms this analysis makes of `text`, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.shared_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }
}

/// The words of texts in one analysis, interned: each distinct folded word
/// is stemmed once (a page repeats its words, and stemming is the costly
/// part of reading one), and words and stems are then handled as numbers,
/// so reading a body allocates nothing per word.
pub struct StemCache {
    folder: TextAnalyzer,
    stemmer: TextAnalyzer,
    /// The stemmer alone, for ASCII words, which the rest of the analysis
    /// leaves as they are once folded; `None` for plain analysis.
    stem_only: Option<TextAnalyzer>,
    /// First letters of words and what they fold and stem to.
    letters: FxHashMap<char, Option<char>>,
    /// Word as written -> its word id, or [`UNREAD`] when folding drops
    /// it: a text repeats its words in the same spelling, so most words
    /// are one lookup instead of a run of the folding analyzer.
    written: FxHashMap<Box<str>, u32>,
    /// Folded word -> its id, an index into `words`.
    ids: FxHashMap<Box<str>, u32>,
    /// Per word id: the folded word and the id of its stem (`UNREAD`
    /// until asked for).
    words: Vec<(Box<str>, u32)>,
    /// Stem -> its id, an index into `stems`.
    stem_ids: FxHashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
}

/// One word of a text: byte range and interned word id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordAt {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset after its last character.
    pub end: usize,
    /// Id of its folded form in the [`StemCache`] that read it, or
    /// [`UNREAD`].
    pub word: u32,
}

/// The word id of a word that was not analysed.
pub const UNREAD: u32 = u32::MAX;

/// Byte ranges of the words of `text` as tantivy's simple tokenizer cuts
/// them: runs of alphanumeric characters. ASCII bytes are classified
/// without decoding, since most text of most pages is ASCII.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = word_start(text, at)?;
        let end = word_end(text, start);
        at = end;
        Some((start, end))
    })
}

/// The byte offset of the first alphanumeric character at or after
/// `from`, a character boundary.
fn word_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        while i < bytes.len() && bytes[i].is_ascii() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let c = text[i..].chars().next()?;
        if c.is_alphanumeric() {
            return Some(i);
        }
        i += c.len_utf8();
    }
}

/// The byte offset just after the word that starts at `start`.
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if bytes.get(i).is_none_or(u8::is_ascii) {
            return i;
        }
        match text[i..].chars().next() {
            Some(c) if c.is_alphanumeric() => i += c.len_utf8(),
            _ => return i,
        }
    }
}

impl StemCache {
    /// An empty cache for `analysis`.
    pub fn new(analysis: Analysis) -> StemCache {
        StemCache {
            folder: PLAIN.shared_analyzer(),
            stemmer: analysis.shared_analyzer(),
            stem_only: analysis.stemmer.map(stemmer_alone),
            letters: FxHashMap::default(),
            written: FxHashMap::default(),
            ids: FxHashMap::default(),
            words: Vec::new(),
            stem_ids: FxHashMap::default(),
            stems: Vec::new(),
        }
    }

    /// Calls `each` with every word of `text`, in order. Only words whose
    /// folded first letter passes `wanted` are folded, stemmed and given an
    /// id; the others come with [`UNREAD`], so a caller looking for a few
    /// stems pays for a scan of the text, not for analysing every word.
    pub fn read(
        &mut self,
        text: &str,
        wanted: impl Fn(char) -> bool,
        mut each: impl FnMut(WordAt),
    ) {
        for (start, end) in word_spans(text) {
            let first = text[start..].chars().next().unwrap_or_default();
            let word = if self.first_letter(first).is_none_or(&wanted) {
                self.written_id(&text[start..end])
            } else {
                UNREAD
            };
            each(WordAt { start, end, word });
        }
    }

    /// The first letter of `c` folded and stemmed as a word of its own
    /// (stemmers also normalise letters: Russian ё becomes е), if that
    /// leaves one.
    fn first_letter(&mut self, c: char) -> Option<char> {
        if c.is_ascii() {
            return Some(c.to_ascii_lowercase());
        }
        if let Some(&letter) = self.letters.get(&c) {
            return letter;
        }
        let letter = self
            .fold(c.encode_utf8(&mut [0; 4]))
            .and_then(|folded| first_term(&mut self.stemmer, &folded))
            .and_then(|stem| stem.chars().next());
        self.letters.insert(c, letter);
        letter
    }

    /// The word id of `word` as written in a text, or [`UNREAD`] when
    /// folding drops it.
    fn written_id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.written.get(word) {
            return id;
        }
        let id = self
            .fold(word)
            .map_or(UNREAD, |folded| self.word_id(&folded));
        self.written.insert(word.into(), id);
        id
    }

    /// `word` as the plain analysis folds it, unless it drops it.
    fn fold(&mut self, word: &str) -> Option<String> {
        fold_word(&mut self.folder, word)
    }

    /// The id of `folded`, a single word as the plain analysis gives it.
    pub fn word_id(&mut self, folded: &str) -> u32 {
        if let Some(&id) = self.ids.get(folded) {
            return id;
        }
        let id = to_id(self.words.len());
        self.words.push((folded.into(), UNREAD));
        self.ids.insert(folded.into(), id);
        id
    }

    /// The id of the stem `stem`.
    pub fn stem_id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stem_ids.get(stem) {
            return id;
        }
        let id = to_id(self.stems.len());
        self.stems.push(stem.into());
        self.stem_ids.insert(stem.into(), id);
        id
    }

    /// The folded form of word `word`.
    pub fn folded(&self, word: u32) -> &str {
        &self.words[word as usize].0
    }

    /// The stem id of word `word`, stemmed on first use: prefix and fuzzy
    /// matching only need the folded form.
    pub fn stem_of(&mut self, word: u32) -> u32 {
        let known = self.words[word as usize].1;
        if known != UNREAD {
            return known;
        }
        let folded = &self.words[word as usize].0;
        let analyzer = if is_ascii_word(folded) {
            self.stem_only.as_mut()
        } else {
            Some(&mut self.stemmer)
        };
        let stem = analyzer
            .and_then(|analyzer| first_term(analyzer, folded))
            .unwrap_or_else(|| folded.to_string());
        let stem = self.stem_id(&stem);
        self.words[word as usize].1 = stem;
        stem
    }

    /// The text of stem `stem`.
    pub fn stem_text(&self, stem: u32) -> &str {
        &self.stems[stem as usize]
    }
}

/// One word as `folder`, the plain analysis, folds it, unless it drops it.
fn fold_word(folder: &mut TextAnalyzer, word: &str) -> Option<String> {
    // Of the folding filters, only lower-casing and the length limit
    // change an ASCII word, and building a token stream per word would
    // cost more than the folding itself.
    if is_ascii_word(word) {
        return (word.len() < MAX_TOKEN_BYTES).then(|| word.to_ascii_lowercase());
    }
    first_term(folder, word)
}

/// The first term `analyzer` makes of `text`, if any.
fn first_term(analyzer: &mut TextAnalyzer, text: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(text);
    stream.advance().then(|| stream.token().text.clone())
}

/// Stems a text as one word, already folded.
fn stemmer_alone(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(Stemmer::new(language))
        .build()
}

/// Whether `word` is one word of ASCII letters and digits.
fn is_ascii_word(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A table index as an id; a text has far fewer than 2^32 distinct words.
fn to_id(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 2^32 distinct words")
}

/// Whether `word` is an English function word ("the", "are", "of"), by
/// the stop-word list that tantivy ships.
pub fn is_stop_word(word: &str) -> bool {
    static ANALYZER: LazyLock<TextAnalyzer> = LazyLock::new(|| {
        let stop = StopWordFilter::new(Language::English).expect("English stop words exist");
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(stop)
            .build()
    });
    let mut analyzer = ANALYZER.clone();
    let mut stream = analyzer.token_stream(word);
    !word.trim().is_empty() && !stream.advance()
}

/// Registers the tokenizers the schema names with an index's tokenizer
/// manager: plain folding for the word fields (URL, authors, site), and
/// the splitting of analysed text for title, body and `exact`. The
/// language analyses run before tantivy sees the text (see
/// [`Analysis::analyzed`]), so tantivy needs none of them.
pub fn register(manager: &TokenizerManager) {
    manager.register(&PLAIN.tokenizer_name(), PLAIN.shared_analyzer());
    manager.register(ANALYZED, TextAnalyzer::from(AnalyzedTokenizer::default()));
}

/// Name of the tokenizer of fields that receive analysed text (see
/// [`Analysis::analyzed`]).
pub const ANALYZED: &str = "dossier_analyzed";

/// Ends each position's term in analysed text. Terms are folded letters
/// and digits, so it never occurs in one.
pub const TERM_END: char = '\u{1F}';

/// Splits analysed text back into its terms and positions.
#[derive(Clone, Default)]
pub struct AnalyzedTokenizer {
    token: Token,
}

impl Tokenizer for AnalyzedTokenizer {
    type TokenStream<'a> = AnalyzedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalyzedStream<'a> {
        self.token.reset();
        AnalyzedStream {
            text,
            offset: 0,
            position: 0,
            token: &mut self.token,
        }
    }
}

/// The token stream of an [`AnalyzedTokenizer`].
pub struct AnalyzedStream<'a> {
    text: &'a str,
    offset: usize,
    position: usize,
    token: &'a mut Token,
}

impl TokenStream for AnalyzedStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        while let Some(len) = memchr(TERM_END as u8, &bytes[self.offset..]) {
            let (from, position) = (self.offset, self.position);
            self.offset += len + 1;
            self.position += 1;
            if len > 0 {
                let token = &mut *self.token;
                token.text.clear();
                token.text.push_str(&self.text[from..from + len]);
                token.offset_from = from;
                token.offset_to = from + len;
                token.position = position;
                token.position_length = 1;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Words a [`WordMemo`] generation holds: the memo remembers the words of
/// its last two generations, so that a vocabulary of names and numbers
/// cannot grow it without bound, while the common words, met again in
/// every generation, stay.
const MAX_REMEMBERED_WORDS: usize = 40_000;

/// Slots of a generation's table when full: a power of two with room to
/// spare, so that a lookup seldom reads past the cache line it starts in.
/// A table starts at [`MIN_SLOTS`] and doubles as words come, so that the
/// memo of a language met on a few pages stays small.
const MAX_SLOTS: usize = 65_536;
const MIN_SLOTS: usize = 1024;

/// Bytes of a word its slot holds; a longer word is also kept whole in
/// its generation's text.
const HEAD_BYTES: usize = 24;

/// How a remembered word's terms are found.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
#[repr(u8)]
enum Form {
    /// The analysis drops the word.
    #[default]
    Dropped,
    /// The folded form is the word with its ASCII letters lower-cased and
    /// the stem is its first [`Slot::stem_len`] bytes: most words, whose
    /// terms are made from the word itself.
    Lowered,
    /// The folded form and the stem sit in the generation's text.
    Stored,
}

/// One remembered word in 32 bytes, half a cache line. A generation's
/// table is too large to stay in a core's cache from one page to the
/// next, so a lookup costs what it misses: one line for a word found
/// here, against three for a hash table of entries pointing into a text
/// (its control bytes, the entry, the word).
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    /// The word's first bytes, zero-padded, in little-endian words.
    head: [u64; HEAD_WORDS],
    /// The word's length in bytes; 0 for an empty slot.
    len: u8,
    form: Form,
    folded_len: u8,
    stem_len: u8,
    /// Where this word's bytes start in its generation's text: the whole
    /// word when it is longer than its head, then, for [`Form::Stored`],
    /// the folded form and the stem.
    start: u32,
}

impl Slot {
    /// Bytes of the word itself kept in the text.
    fn spelled_len(&self) -> usize {
        if usize::from(self.len) > HEAD_BYTES {
            usize::from(self.len)
        } else {
            0
        }
    }

    /// Bytes of the text this slot owns.
    fn text_len(&self) -> usize {
        let terms = match self.form {
            Form::Stored => usize::from(self.folded_len) + usize::from(self.stem_len),
            Form::Dropped | Form::Lowered => 0,
        };
        self.spelled_len() + terms
    }
}

/// What a lookup compares a slot with: a word's head, as the words a
/// slot stores it, and length.
struct Key {
    head: [u64; HEAD_WORDS],
    len: u8,
}

/// A slot's head in 64-bit words, compared in registers.
const HEAD_WORDS: usize = HEAD_BYTES / 8;

impl Key {
    /// The key of the word `text[start..end]`, shorter than
    /// [`MAX_TOKEN_BYTES`]. The head is read from the text in whole 64-bit
    /// words and masked to the word's length: copying a few bytes one by
    /// one and reading them back as words stalls the processor.
    fn at(text: &str, start: usize, end: usize) -> Key {
        let len = end - start;
        let mut head = [0; HEAD_WORDS];
        match text.as_bytes().get(start..start + HEAD_BYTES) {
            Some(window) => {
                for (i, (word, bytes)) in head.iter_mut().zip(window.chunks_exact(8)).enumerate() {
                    let kept = len.saturating_sub(i * 8).min(8);
                    let mask = u64::MAX.checked_shr(64 - 8 * kept as u32).unwrap_or(0);
                    *word = u64::from_le_bytes(bytes.try_into().expect("8 bytes")) & mask;
                }
            }
            None => {
                let mut padded = [0; HEAD_BYTES];
                let n = len.min(HEAD_BYTES);
                padded[..n].copy_from_slice(&text.as_bytes()[start..start + n]);
                for (word, bytes) in head.iter_mut().zip(padded.chunks_exact(8)) {
                    *word = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
                }
            }
        }
        Key {
            head,
            len: u8::try_from(len).expect("remembered words are short"),
        }
    }
}

/// One generation of a [`WordMemo`]: an open-addressing table of slots,
/// and a text for what does not fit in them.
#[derive(Default)]
struct Generation {
    /// Empty until the generation's first word; never more than five
    /// eighths full.
    slots: Vec<Slot>,
    words: usize,
    text: String,
}

impl Generation {
    fn find(&self, hash: u64, key: &Key, word: &str) -> Option<&Slot> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.len == 0 {
                return None;
            }
            if slot.len == key.len && slot.head == key.head && self.spells(slot, word) {
                return Some(slot);
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether `slot`, whose head and length match `word`'s, holds
    /// `word`: a word longer than its head is compared whole.
    fn spells(&self, slot: &Slot, word: &str) -> bool {
        let start = slot.start as usize;
        slot.spelled_len() == 0 || &self.text[start..start + slot.spelled_len()] == word
    }

    fn is_full(&self) -> bool {
        self.words >= MAX_REMEMBERED_WORDS
    }

    /// Writes the terms of `word`, remembered in `slot`, as
    /// [`WordMemo::write_terms`] does.
    fn write(&self, slot: &Slot, word: &str, stemmed: &mut String, plain: Option<&mut String>) {
        match slot.form {
            Form::Dropped => {}
            Form::Lowered => {
                push_lowered(stemmed, &word[..usize::from(slot.stem_len)]);
                if let Some(plain) = plain {
                    push_lowered(plain, word);
                }
            }
            Form::Stored => {
                let folded = slot.start as usize + slot.spelled_len();
                let stem = folded + usize::from(slot.folded_len);
                let terms = (
                    &self.text[folded..stem],
                    &self.text[stem..stem + usize::from(slot.stem_len)],
                );
                push_terms(Some(terms), stemmed, plain);
            }
        }
    }

    /// Remembers `word` with its terms, unless a term is too long for a
    /// slot (folding can lengthen a word); such a word is analysed again
    /// each time.
    fn remember(&mut self, hash: u64, key: &Key, word: &str, terms: Option<(&str, &str)>) {
        let (folded, stem) = terms.unwrap_or_default();
        let (Ok(folded_len), Ok(stem_len)) = (u8::try_from(folded.len()), u8::try_from(stem.len()))
        else {
            return;
        };
        let form = match terms {
            None => Form::Dropped,
            Some(_) if is_lowered(word, folded, stem) => Form::Lowered,
            Some(_) => Form::Stored,
        };
        let slot = Slot {
            head: key.head,
            len: key.len,
            form,
            folded_len,
            stem_len,
            start: self.text_end(),
        };
        if slot.spelled_len() > 0 {
            self.text.push_str(word);
        }
        if form == Form::Stored {
            self.text.push_str(folded);
            self.text.push_str(stem);
        }
        self.place(hash, slot);
    }

    /// Remembers the word of `slot` in `from`, another generation.
    fn adopt(&mut self, hash: u64, from: &Generation, slot: &Slot) {
        let start = slot.start as usize;
        let moved = Slot {
            start: self.text_end(),
            ..*slot
        };
        self.text
            .push_str(&from.text[start..start + slot.text_len()]);
        self.place(hash, moved);
    }

    /// Where the next word's bytes will start. Remembered words and their
    /// terms are short, so a full generation's text stays far below the
    /// reach of a slot's offset.
    fn text_end(&self) -> u32 {
        u32::try_from(self.text.len()).expect("a generation's text is small")
    }

    fn place(&mut self, hash: u64, slot: Slot) {
        if (self.words + 1) * 8 > self.slots.len() * 5 {
            self.grow();
        }
        self.put(hash, slot);
        self.words += 1;
    }

    /// Puts `slot` in the first free slot from where `hash` leads.
    fn put(&mut self, hash: u64, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i].len != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    /// Doubles the table, placing each word again.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).clamp(MIN_SLOTS, MAX_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        for slot in old.into_iter().filter(|slot| slot.len != 0) {
            let hash = self.hash_of(&slot);
            self.put(hash, slot);
        }
    }

    /// The hash of the word `slot` holds.
    fn hash_of(&self, slot: &Slot) -> u64 {
        if slot.spelled_len() > 0 {
            let start = slot.start as usize;
            return hash_word(&self.text[start..start + slot.spelled_len()]);
        }
        let mut head = [0; HEAD_BYTES];
        for (bytes, word) in head.chunks_exact_mut(8).zip(slot.head) {
            bytes.copy_from_slice(&word.to_le_bytes());
        }
        let word = std::str::from_utf8(&head[..usize::from(slot.len)])
            .expect("a slot's head holds a whole word");
        hash_word(word)
    }

    fn clear(&mut self) {
        self.slots.fill(Slot::default());
        self.words = 0;
        self.text.clear();
    }
}

/// Whether `folded` is `word` with its ASCII letters lower-cased and
/// `stem` begins it, so that both can be made from the word.
fn is_lowered(word: &str, folded: &str, stem: &str) -> bool {
    folded.len() == word.len()
        && word
            .bytes()
            .zip(folded.bytes())
            .all(|(w, f)| w.to_ascii_lowercase() == f)
        && folded.starts_with(stem)
}

/// Appends `s` with its ASCII letters lower-cased.
fn push_lowered(out: &mut String, s: &str) {
    let at = out.len();
    out.push_str(s);
    out[at..].make_ascii_lowercase();
}

fn hash_word(word: &str) -> u64 {
    FxBuildHasher.hash_one(word)
}

/// The words of indexed text as written, each with its terms, remembered
/// by each extracting thread for each analysis for the whole run: an
/// indexing run reads the same few thousand words millions of times, and
/// a lookup costs a fraction of running the analyzer on a word.
struct WordMemo {
    folder: TextAnalyzer,
    /// The stemmer alone, for folded words; `None` for plain analysis.
    stemmer: Option<TextAnalyzer>,
    /// Words of this generation.
    recent: Generation,
    /// Words of the generation before, copied to `recent` when met again.
    older: Generation,
}

impl WordMemo {
    fn new(analysis: Analysis) -> WordMemo {
        WordMemo {
            folder: PLAIN.shared_analyzer(),
            stemmer: analysis.stemmer.map(stemmer_alone),
            recent: Generation::default(),
            older: Generation::default(),
        }
    }

    /// Writes each word's stem to `stemmed` and its folded form to `plain`,
    /// each followed by [`TERM_END`]: see [`Analysis::analyzed`].
    fn write_terms(&mut self, text: &str, stemmed: &mut String, mut plain: Option<&mut String>) {
        for (start, end) in word_spans(text) {
            let word = &text[start..end];
            if word.len() >= MAX_TOKEN_BYTES {
                // Rare, and dropped by the analysis: not worth remembering.
                let terms = self.analyse(word);
                push_terms(borrowed(&terms), stemmed, plain.as_deref_mut());
            } else {
                let hash = hash_word(word);
                let key = Key::at(text, start, end);
                match self.recent.find(hash, &key, word) {
                    Some(slot) => self.recent.write(slot, word, stemmed, plain.as_deref_mut()),
                    None => self.learn(hash, &key, word, stemmed, plain.as_deref_mut()),
                }
            }
            stemmed.push(TERM_END);
            if let Some(plain) = plain.as_deref_mut() {
                plain.push(TERM_END);
            }
        }
    }

    /// Writes the terms of a word this generation does not hold, and
    /// remembers it there, starting a new generation when this one is
    /// full.
    fn learn(
        &mut self,
        hash: u64,
        key: &Key,
        word: &str,
        stemmed: &mut String,
        plain: Option<&mut String>,
    ) {
        if self.recent.is_full() {
            std::mem::swap(&mut self.recent, &mut self.older);
            self.recent.clear();
        }
        if let Some(known) = self.older.find(hash, key, word) {
            self.older.write(known, word, stemmed, plain);
            self.recent.adopt(hash, &self.older, known);
            return;
        }
        let terms = self.analyse(word);
        push_terms(borrowed(&terms), stemmed, plain);
        self.recent.remember(hash, key, word, borrowed(&terms));
    }

    /// The folded form and the stem of `word`, unless the analysis drops
    /// it.
    fn analyse(&mut self, word: &str) -> Option<(String, String)> {
        let folded = fold_word(&mut self.folder, word)?;
        let stem = match &mut self.stemmer {
            Some(stemmer) => first_term(stemmer, &folded).unwrap_or_else(|| folded.clone()),
            None => folded.clone(),
        };
        Some((folded, stem))
    }
}

/// A word's folded form and stem, as [`WordMemo::analyse`] makes them,
/// borrowed.
fn borrowed(terms: &Option<(String, String)>) -> Option<(&str, &str)> {
    terms
        .as_ref()
        .map(|(folded, stem)| (folded.as_str(), stem.as_str()))
}

/// Appends a word's stem to `stemmed` and its folded form to `plain`.
fn push_terms(terms: Option<(&str, &str)>, stemmed: &mut String, plain: Option<&mut String>) {
    if let Some((folded, stem)) = terms {
        stemmed.push_str(stem);
        if let Some(plain) = plain {
            plain.push_str(folded);
        }
    }
}

/// Removes Unicode combining marks (U+0300..U+036F) from tokens.
#[derive(Clone, Copy, Debug)]
pub struct StripCombiningMarks;

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

impl TokenFilter for StripCombiningMarks {
    type Tokenizer<T: Tokenizer> = StripCombiningMarksTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        StripCombiningMarksTokenizer(tokenizer)
    }
}

/// The tokenizer produced by [`StripCombiningMarks`].
#[derive(Clone, Debug)]
pub struct StripCombiningMarksTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for StripCombiningMarksTokenizer<T> {
    type TokenStream<'a> = StripCombiningMarksStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StripCombiningMarksStream(self.0.token_stream(text))
    }
}

/// The token stream produced by [`StripCombiningMarks`].
pub struct StripCombiningMarksStream<S>(S);

impl<S: TokenStream> TokenStream for StripCombiningMarksStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if token.text.chars().any(is_combining_mark) {
            token.text.retain(|c| !is_combining_mark(c));
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> Vec<String> {
        DEFAULT.terms(text)
    }

    /// (term, position) pairs of a token stream.
    fn positioned(mut stream: impl TokenStream) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    /// The terms and positions tantivy indexes of `analyzed`, text
    /// analysed for the [`ANALYZED`] tokenizer.
    fn split(analyzed: &str) -> Vec<(String, usize)> {
        positioned(AnalyzedTokenizer::default().token_stream(analyzed))
    }

    /// Checks that `text` analysed on the extracting threads gives tantivy
    /// the terms and positions of the analyzer, in `analysis` and plain.
    fn assert_analyzed_as_the_analyzer_does(analysis: Analysis, text: &str) {
        let expected = positioned(analysis.shared_analyzer().token_stream(text));
        let plain = positioned(PLAIN.shared_analyzer().token_stream(text));
        let (stemmed_both, plain_both) = analysis.analyzed_with_plain(text);
        assert_eq!(split(&stemmed_both), expected, "{} {text:?}", analysis.code);
        assert_eq!(split(&plain_both), plain, "plain {text:?}");
        assert_eq!(analysis.analyzed(text), stemmed_both);
    }

    const SOME_ANALYSES: [&str; 6] = ["en", "ru", "tr", "de", "el", "az"];

    #[test]
    fn analysed_text_splits_into_the_terms_and_positions_of_the_analysis() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let texts = [
            "Pipelines through Türkiye, İstanbul and Şuşa.".to_string(),
            format!("{long} starts, {long} {long} middle and ends {long}"),
            "Казахстан: 2024 — ﬁnance, naïve café ① Straße ⓐ Æsir".to_string(),
            String::new(),
            " \u{1F} \u{1F}word\u{1F}".to_string(),
            format!(
                "{}ß {}é",
                "s".repeat(MAX_TOKEN_BYTES - 2),
                "e".repeat(MAX_TOKEN_BYTES - 2)
            ),
        ];
        for lang in SOME_ANALYSES {
            let analysis = Analysis::for_lang(Some(lang));
            for text in &texts {
                // Twice: the second reading finds every word remembered.
                assert_analyzed_as_the_analyzer_does(analysis, text);
                assert_analyzed_as_the_analyzer_does(analysis, text);
            }
        }
        let with_dropped = split(&DEFAULT.analyzed(&texts[1]));
        assert_eq!(with_dropped[0], ("start".to_string(), 1));
    }

    #[test]
    fn shipped_pages_are_analysed_as_the_analyzer_does() {
        for (_, html) in crate::extract::tests::shipped_pages() {
            for lang in SOME_ANALYSES {
                assert_analyzed_as_the_analyzer_does(Analysis::for_lang(Some(lang)), &html);
            }
        }
    }

    #[test]
    fn a_word_memory_past_its_generation_analyses_the_same() {
        // Words whose terms are made from the word, words whose terms are
        // kept beside it, and words longer than a slot's head: met before
        // a new generation starts, then found in the older generation,
        // then as copied from it.
        let kinds = "policies Şuşa Überinternationalisierungsprozesse \
                     internationalisationcorridors Pipelines";
        let words: Vec<String> = (0..MAX_REMEMBERED_WORDS + 10)
            .map(|n| format!("Corridor{n}s"))
            .collect();
        let text = format!("{kinds} {} {kinds} {kinds}", words.join(" "));
        for lang in SOME_ANALYSES {
            assert_analyzed_as_the_analyzer_does(Analysis::for_lang(Some(lang)), &text);
        }
        assert_analyzed_as_the_analyzer_does(DEFAULT, "corridors and Corridor1s");
    }

    #[test]
    fn diacritics_fold_to_ascii() {
        assert_eq!(
            en("Türkiye Şuşa Əliyev Ağdam"),
            ["turkiy", "susa", "aliyev", "agdam"]
        );
        assert_eq!(en("Turkiye Susa Aliyev"), ["turkiy", "susa", "aliyev"]);
        assert_eq!(en("İstanbul ılık"), en("Istanbul ilik"));
    }

    #[test]
    fn english_is_stemmed_and_cyrillic_kept() {
        assert_eq!(en("corridors Corridor"), ["corridor", "corridor"]);
        assert_eq!(en("Казахстан"), ["казахстан"]);
    }

    #[test]
    fn pages_are_stemmed_in_their_own_language() {
        let ru = Analysis::for_lang(Some("ru"));
        assert_eq!(
            ru.terms("переводы перевод"),
            ru.terms("переводов переводами")
        );
        let tr = Analysis::for_lang(Some("tr"));
        assert_eq!(tr.terms("demiryolu"), tr.terms("demiryolları")[..1]);
        let de = Analysis::for_lang(Some("de"));
        assert_eq!(de.terms("Häfen"), de.terms("Hafen"));
    }

    /// Every word of `text` with its stem, as the cache reads them.
    fn read_all(analysis: Analysis, text: &str) -> Vec<(String, String)> {
        let mut cache = StemCache::new(analysis);
        let mut words = Vec::new();
        cache.read(text, |_| true, |w| words.push(w));
        words
            .into_iter()
            .map(|w| {
                let stem = cache.stem_of(w.word);
                (
                    text[w.start..w.end].to_string(),
                    cache.stem_text(stem).to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn cached_stems_equal_analysed_terms() {
        let text = "Corridors of the Caspian, Türkiye's railways; İstanbul's ports (2024) \
                    грузовые перевозки, limanları, Häfen";
        for lang in [None, Some("ru"), Some("tr"), Some("de"), Some("xx")] {
            let analysis = Analysis::for_lang(lang);
            let read = read_all(analysis, text);
            let stems: Vec<&str> = read.iter().map(|(_, s)| s.as_str()).collect();
            assert_eq!(stems, analysis.terms(text), "{}", analysis.code);
            assert_eq!(read[0].0, "Corridors");
        }
    }

    fn tokenizer_spans(text: &str) -> Vec<(usize, usize)> {
        let mut tokenizer = SimpleTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut spans = Vec::new();
        while stream.advance() {
            spans.push((stream.token().offset_from, stream.token().offset_to));
        }
        spans
    }

    #[test]
    fn word_spans_cut_where_the_tokenizer_does() {
        let text = "Kars-Tbilisi, 12.5% of Şuşa's\ttrade—İstanbul";
        assert_eq!(word_spans(text).collect::<Vec<_>>(), tokenizer_spans(text));
        // Mixed scripts, marks, emoji and ASCII punctuation in every order.
        let alphabet = [
            "a", "Z", "9", " ", "-", "’", "é", "Ş", "İ", "д", "中", "😀", "\u{301}", "\t", ".", "_",
        ];
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed
        };
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(next() >> 60) + 1 {
                text.push_str(alphabet[(next() >> 59) as usize % alphabet.len()]);
            }
            assert_eq!(
                word_spans(&text).collect::<Vec<_>>(),
                tokenizer_spans(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn ascii_words_fold_as_the_plain_analyzer_folds_them() {
        let mut cache = StemCache::new(DEFAULT);
        let long = "x".repeat(MAX_TOKEN_BYTES);
        let limit = "y".repeat(MAX_TOKEN_BYTES - 1);
        for word in [
            "Baku",
            "OSCE",
            "2024",
            "e5",
            "a",
            limit.as_str(),
            long.as_str(),
        ] {
            let mut analyzer = PLAIN.shared_analyzer();
            assert_eq!(cache.fold(word), first_term(&mut analyzer, word), "{word}");
        }
    }

    #[test]
    fn unwanted_words_are_not_read() {
        let mut cache = StemCache::new(DEFAULT);
        let mut words = Vec::new();
        cache.read(
            "Baku and Batumi ports",
            |c| c == 'b',
            |w| words.push(w.word),
        );
        assert_eq!(words[1], UNREAD);
        assert_eq!(words[3], UNREAD);
        assert_eq!(cache.folded(words[2]), "batumi");
    }

    #[test]
    fn stems_keep_the_first_letter_where_analyses_say_so() {
        let samples = [
            ("en", "Yearly dying skies replied agreed generously happily"),
            ("ru", "Переводы мигрантов сократились якобы объёмы ёлки"),
            ("tr", "Demiryolları İstanbul'dan ılık üzümler çıkıyorlar"),
            ("de", "Übergänge ändern Häfen äußerst"),
            ("fr", "Yeux aiguës échanges élargissement"),
            ("fi", "Äänestäjien öljyputkien yhteyksiä"),
            ("hu", "Útvonalakon ösztönzők előnyeit"),
        ];
        for (lang, text) in samples {
            let analysis = Analysis::for_lang(Some(lang));
            assert!(analysis.keeps_first_letter());
            let mut cache = StemCache::new(analysis);
            for (word, stem) in read_all(analysis, text) {
                let first = word.chars().next().unwrap();
                assert_eq!(
                    cache.first_letter(first),
                    stem.chars().next(),
                    "{lang}: {word} -> {stem}"
                );
            }
        }
        assert!(!Analysis::for_lang(Some("ar")).keeps_first_letter());
    }

    #[test]
    fn stop_words() {
        assert!(is_stop_word("The") && is_stop_word("are") && is_stop_word("of"));
        assert!(!is_stop_word("pipeline") && !is_stop_word("Baku"));
    }

    #[test]
    fn unknown_and_stemmerless_languages() {
        assert_eq!(Analysis::for_lang(None), DEFAULT);
        assert_eq!(Analysis::for_lang(Some("az")), PLAIN);
        assert_eq!(PLAIN.terms("Caspian Studies"), ["caspian", "studies"]);
    }
}
