//! Charset decoding: scraped pages arrive in whatever encoding the site used,
//! often undeclared. The order is the one browsers use: a byte-order mark,
//! then a transport-declared charset, then `<meta charset>` / `http-equiv`
//! in the first bytes, then chardetng's statistical guess over a bounded
//! prefix. Decoding never fails: malformed sequences become U+FFFD.

use encoding_rs::Encoding;

/// How far into the page a `<meta charset>` declaration is looked for
/// (the HTML standard's prescan limit).
const META_PRESCAN: usize = 1024;

/// How many bytes chardetng reads before guessing: enough for a reliable
/// guess, bounded so a 50 MB page costs no more than a small one.
const DETECT_PREFIX: usize = 64 * 1024;

/// Decodes `bytes` to a String. `declared` is a charset label from outside
/// the document (an HTTP header), honoured after a BOM.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> String {
    let encoding = detect(bytes, declared);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// Chooses the encoding of `bytes`.
pub fn detect(bytes: &[u8], declared: Option<&str>) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        .map(utf16_means_utf8)
        .unwrap_or_else(|| guess(bytes))
}

/// A page that says UTF-16 in ASCII-compatible bytes cannot be UTF-16; the
/// HTML standard maps that declaration to UTF-8.
fn utf16_means_utf8(enc: &'static Encoding) -> &'static Encoding {
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        enc
    }
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    if std::str::from_utf8(prefix).is_ok() || valid_utf8_cut_short(prefix) {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(prefix, prefix.len() == bytes.len());
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// True when `prefix` is valid UTF-8 except for a multi-byte sequence cut at its end.
fn valid_utf8_cut_short(prefix: &[u8]) -> bool {
    match std::str::from_utf8(prefix) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Finds `<meta charset=...>` or `<meta http-equiv content="...; charset=...">`
/// in the first bytes of the page.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let at = from + pos + b"charset".len();
        from = at;
        if let Some(label) = charset_value(&lower[at..]) {
            if let Some(enc) = Encoding::for_label(label) {
                return Some(enc);
            }
        }
    }
    None
}

/// Reads the value after `charset`: optional spaces, `=`, optional quote, label.
fn charset_value(rest: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    while i < rest.len() && rest[i].is_ascii_whitespace() {
        i += 1;
    }
    if rest.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while i < rest.len() && (rest[i].is_ascii_whitespace() || rest[i] == b'"' || rest[i] == b'\'') {
        i += 1;
    }
    let start = i;
    while i < rest.len() && (rest[i].is_ascii_alphanumeric() || b"-_:.".contains(&rest[i])) {
        i += 1;
    }
    (i > start).then(|| &rest[start..i])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Removes a UTF-8 byte-order mark, if any.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// True for data that is not text in any charset: NUL bytes in the first
/// kilobytes (without a UTF-16 byte-order mark) mean an image, archive or
/// executable.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUSSIAN: &str = "<html><head><title>Денежные переводы</title></head><body><p>Денежные переводы мигрантов из России в Центральную Азию сократились, а транзит через Казахстан вырос.</p></body></html>";

    #[test]
    fn windows_1251_without_meta_is_sniffed() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes, None), RUSSIAN);
    }

    /// A page in `encoding` with no declaration anywhere must decode to the
    /// same text (the guess may be a superset, such as KOI8-U for KOI8-R).
    fn assert_sniffed(encoding: &'static Encoding, text: &str) {
        let page = format!("<html><head><title>t</title></head><body><p>{text}</p></body></html>");
        let (bytes, _, unmappable) = encoding.encode(&page);
        assert!(
            !unmappable,
            "test text not representable in {}",
            encoding.name()
        );
        assert_eq!(
            decode(&bytes, None),
            page,
            "guessed {}",
            detect(&bytes, None).name()
        );
    }

    #[test]
    fn koi8_r_without_meta_is_sniffed() {
        assert_sniffed(encoding_rs::KOI8_R, "Денежные переводы трудовых мигрантов из России в Центральную Азию снизились, а транзит грузов через Казахстан и порты Каспийского моря вырос после введения санкций.");
    }

    #[test]
    fn turkish_iso_8859_9_without_meta_is_sniffed() {
        // WHATWG maps the ISO-8859-9 label to windows-1254, its superset.
        assert_sniffed(encoding_rs::WINDOWS_1254, "Türkiye'nin Orta Koridor stratejisi, Kars-Tiflis-Bakü demiryolu hattı ve Şuşa Beyannamesi ile güçlenirken, İstanbul'daki lojistik şirketleri yeni güzergâhlara yatırım yapıyor; ihracatçılar değişikliği dikkatle izliyor.");
    }

    #[test]
    fn shift_jis_without_meta_is_sniffed() {
        assert_sniffed(encoding_rs::SHIFT_JIS, "中央アジアとコーカサスを結ぶ輸送回廊は、カスピ海の港湾と鉄道の能力不足によって制約されているが、各国政府は新しい投資計画を発表している。");
    }

    #[test]
    fn meta_charset_is_honoured() {
        let page = "<html><head><meta charset=\"iso-8859-9\"></head><body>Türkiye'nin Şuşa ziyareti</body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(page);
        assert_eq!(decode(&bytes, None), page);
    }

    #[test]
    fn http_equiv_charset_is_honoured() {
        let page = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"><p>Казахстан</p>";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(page);
        assert_eq!(decode(&bytes, None), page);
    }

    #[test]
    fn bom_wins_over_meta() {
        let mut bytes = b"\xEF\xBB\xBF<meta charset=windows-1252>".to_vec();
        bytes.extend_from_slice("Şuşa".as_bytes());
        assert!(decode(&bytes, None).ends_with("Şuşa"));
    }

    #[test]
    fn declared_header_charset_beats_sniffing() {
        let (bytes, _, _) = encoding_rs::KOI8_R.encode("<p>Казахстан и транзит</p>");
        assert_eq!(decode(&bytes, Some("koi8-r")), "<p>Казахстан и транзит</p>");
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"));
        assert!(!looks_binary("<p>plain</p>".as_bytes()));
    }
}
