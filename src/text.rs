//! Text folding shared by name lookup, search and the trivia answer matcher.
//!
//! Folding makes "Chang'e 4", "CHANGE-4" and "change 4" the same key: Unicode NFKD, accents and other combining
//! marks dropped, letters with no decomposition mapped by hand (ø, æ, ß, ł, …), case folded, apostrophes and
//! quotes removed, "&" read as "and", every other punctuation mark or dash a space, spaces collapsed.

use unicode_normalization::UnicodeNormalization;

/// The folded form of `s`: lowercase ASCII-ish words separated by single spaces.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        fold_ascii(s)
    } else {
        fold_unicode(s)
    }
}

/// `fold` for ASCII text, which Unicode decomposition leaves as it is: the same rules, a byte at a time. Names and
/// what people type are nearly always ASCII, and lookups fold every name they compare.
fn fold_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        match b {
            b'\'' | b'`' => {}
            b'&' => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str("and");
                pending_space = true;
            }
            b if b.is_ascii_alphanumeric() => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(b.to_ascii_lowercase() as char);
            }
            _ => pending_space = true,
        }
    }
    out
}

fn fold_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let push = |out: &mut String, piece: &str, pending_space: &mut bool| {
        if *pending_space && !out.is_empty() {
            out.push(' ');
        }
        *pending_space = false;
        out.push_str(piece);
    };
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            '\'' | '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '`' | '\u{00B4}' => {}
            '&' => {
                pending_space = true;
                push(&mut out, "and", &mut pending_space);
                pending_space = true;
            }
            c if c.is_alphanumeric() => {
                let mut buf = [0u8; 4];
                let mapped: &str = match c {
                    'ø' | 'Ø' => "o",
                    'æ' | 'Æ' => "ae",
                    'œ' | 'Œ' => "oe",
                    'ß' | 'ẞ' => "ss",
                    'ł' | 'Ł' => "l",
                    'đ' | 'Đ' => "d",
                    'ð' | 'Ð' => "d",
                    'þ' | 'Þ' => "th",
                    'ı' => "i",
                    'µ' | 'μ' => "u",
                    _ => c.encode_utf8(&mut buf),
                };
                for lc in mapped.chars().flat_map(char::to_lowercase) {
                    let mut b = [0u8; 4];
                    push(&mut out, lc.encode_utf8(&mut b), &mut pending_space);
                }
            }
            _ => pending_space = true,
        }
    }
    out
}

/// The words of a folded string.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|w| !w.is_empty())
}

/// Levenshtein distance between two strings, by characters, giving up (returning `limit + 1`) past `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    // Lookups compare a query with every name: ASCII text (nearly all of it) is compared as bytes, which are its
    // characters, with no copy.
    if a.is_ascii() && b.is_ascii() {
        return levenshtein(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    levenshtein(&a, &b, limit)
}

fn levenshtein<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    // Two rows of the table; on the stack for the short strings names are.
    const STACK: usize = 64;
    let mut stack = [[0usize; STACK + 1]; 2];
    let mut heap: Vec<Vec<usize>>;
    let (prev, cur): (&mut [usize], &mut [usize]) = if b.len() <= STACK {
        let [p, c] = &mut stack;
        (&mut p[..=b.len()], &mut c[..=b.len()])
    } else {
        heap = vec![vec![0; b.len() + 1]; 2];
        let (p, c) = heap.split_at_mut(1);
        (&mut p[0], &mut c[0])
    };
    for (j, x) in prev.iter_mut().enumerate() {
        *x = j;
    }
    let (mut prev, mut cur) = (prev, cur);
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(limit + 1)
}

/// Text a user wrote (a name, an event or team name, a typed answer) made safe to show in a Discord message as the
/// text it is: every markdown mark escaped with a backslash (no bold, links or headers from a name), line breaks and
/// other control characters made spaces, and `://` broken with a zero-width space so a name never becomes a link.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '[' | ']' | '(' | ')' | '#' | '-' | '@' | ':' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.replace("\\:\\/", "\\:\u{200b}\\/").replace("\\:/", "\\:\u{200b}/")
}

/// Shorten `s` to at most `max` characters, at a word boundary where possible, ending with "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let keep: String = s.chars().take(max - 1).collect();
    let cut = match keep.rfind(char::is_whitespace) {
        Some(i) if i > keep.len() / 2 => keep[..i].trim_end().to_string(),
        _ => keep,
    };
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_shown_as_text() {
        assert_eq!(escape_markdown("**bold** _x_"), "\\*\\*bold\\*\\* \\_x\\_");
        let link = escape_markdown("[Free Nitro](https://evil.example)");
        assert!(!link.contains("](") && !link.contains("://"), "{link}");
        assert!(link.starts_with("\\[Free Nitro\\]\\("), "{link}");
        assert_eq!(escape_markdown("two\nlines"), "two lines");
        assert_eq!(escape_markdown("Zoë 🚀"), "Zoë 🚀");
        assert_eq!(escape_markdown("<@123> @everyone"), "\\<\\@123\\> \\@everyone");
    }

    #[test]
    fn fold_handles_case_accents_punctuation_and_special_letters() {
        assert_eq!(fold("Cassini–Huygens"), "cassini huygens");
        assert_eq!(fold("Chang'e 4"), "change 4");
        assert_eq!(fold("Chang’e-4"), "change 4");
        assert_eq!(fold("  Agence spatiale européenne "), "agence spatiale europeenne");
        assert_eq!(fold("Ørsted"), "orsted");
        assert_eq!(fold("Æther ß Łódź"), "aether ss lodz");
        assert_eq!(fold("AT&T"), "at and t");
        assert_eq!(fold("VENµS"), "venus");
        assert_eq!(fold("ＪＷＳＴ"), "jwst");
    }

    #[test]
    fn the_ascii_fast_path_folds_exactly_as_the_unicode_one() {
        let printable: String = (0x20u8..0x7f).map(char::from).collect();
        let cases = [
            printable.as_str(),
            "",
            "  ",
            "&",
            "a&b",
            " & x",
            "AT&T",
            "Chang'e-4",
            "`Tianwen`-1 ",
            "E.S.A.",
            "  James  Webb\tSpace\nTelescope ",
            "Apollo11 / Soyuz-19 (ASTP)",
            "x&&y&",
        ];
        for case in cases {
            assert_eq!(fold_ascii(case), fold_unicode(case), "{case:?}");
        }
    }

    #[test]
    fn edit_distance_is_levenshtein_with_a_limit() {
        assert_eq!(edit_distance("kitten", "sitting", 5), 3);
        assert_eq!(edit_distance("same", "same", 0), 0);
        assert_eq!(edit_distance("abc", "abcdef", 2), 3);
        assert_eq!(edit_distance("rosseta", "rosetta", 2), 2);
    }

    #[test]
    fn edit_distance_counts_characters_not_bytes_and_handles_long_strings() {
        assert_eq!(edit_distance("Ørsted", "Orsted", 2), 1);
        assert_eq!(edit_distance("naïve", "naive", 2), 1);
        let long_a = "a".repeat(100);
        let long_b = format!("{}b", "a".repeat(99));
        assert_eq!(edit_distance(&long_a, &long_b, 3), 1);
        assert_eq!(edit_distance(&long_a, &"b".repeat(100), 3), 4);
        assert_eq!(edit_distance("", "abc", 5), 3);
        assert_eq!(edit_distance("abc", "", 1), 2);
    }

    #[test]
    fn truncate_marks_the_cut_and_prefers_word_boundaries() {
        assert_eq!(truncate("short", 10), "short");
        let t = truncate("the quick brown fox jumps", 12);
        assert!(t.ends_with('…'));
        assert!(t.chars().count() <= 12);
        assert_eq!(t, "the quick…");
    }
}
