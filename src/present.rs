//! Small pieces of presentation that several replies share: ranks with medals, how the answers split, plurals, and
//! lists cut to fit a field.

use crate::reply::{Button, ButtonStyle, Reply};
use crate::text::truncate;

/// Letters for the options of a question.
pub const LETTERS: [&str; 4] = ["A", "B", "C", "D"];
const MEDALS: [&str; 3] = ["🥇", "🥈", "🥉"];

/// A rank (1-based) as shown: a medal for the first three, else "4.".
pub fn rank(rank: usize) -> String {
    match MEDALS.get(rank.wrapping_sub(1)) {
        Some(m) => m.to_string(),
        None => format!("{rank}."),
    }
}

/// The ranks (1-based) of a list already sorted best first, where `same(i, j)` says entries `i` and `j` scored the
/// same: tied entries share a rank, and the next entry's rank counts everyone above it (1, 1, 1, 4).
pub fn shared_ranks(len: usize, same: impl Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut ranks: Vec<usize> = Vec::with_capacity(len);
    for i in 0..len {
        let r = if i > 0 && same(i - 1, i) { ranks[i - 1] } else { i + 1 };
        ranks.push(r);
    }
    ranks
}

/// The letter of option `i`.
pub fn letter(i: usize) -> &'static str {
    LETTERS.get(i).copied().unwrap_or("?")
}

/// "**A** Titan: 3 ✅", one line per option: how many picked each, the right one marked.
pub fn answer_split(options: &[String], split: &[usize], correct: usize) -> String {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mark = if i == correct { " ✅" } else { "" };
            format!("**{}** {o}: {}{mark}", letter(i), split.get(i).copied().unwrap_or(0))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A multiple-choice question on a card: the stem, then one line per option ("**A** Titan"), and one answer button
/// per option ("A · Titan") whose id is `id_of(option)`.
pub fn ask(mut r: Reply, stem: &str, options: &[String], id_of: impl Fn(usize) -> String) -> Reply {
    let lines: Vec<String> = options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("**{}** {o}", letter(i)))
        .collect();
    r.text = format!("{stem}\n\n{}", lines.join("\n"));
    for (i, o) in options.iter().enumerate() {
        r = r.button(Button::new(
            id_of(i),
            format!("{} · {o}", letter(i)),
            ButtonStyle::Primary,
        ));
    }
    r
}

/// "1 player", "2 players".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Channel (`sigil` `#`), role (`@&`) or user (`@`) mentions, joined with commas within a field's room.
pub fn mentions(ids: &[u64], sigil: &str) -> String {
    let all: Vec<String> = ids.iter().map(|id| format!("<{sigil}{id}>")).collect();
    join_limited(&all, ", ", 900)
}

/// Points as a count: "1 point", "-2 points", "30 points".
pub fn points(n: i64) -> String {
    format!("{n} {}", if n == 1 { "point" } else { "points" })
}

/// A span of seconds as read: "45 s", "2 min", "2 min 5 s", "1 h", "1 h 30 min".
pub fn duration_s(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "112th".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Join items with `sep` within `max` characters, ending with "and N more" when they do not all fit.
pub fn join_limited<S: AsRef<str>>(items: &[S], sep: &str, max: usize) -> String {
    let room: usize = items.iter().map(|s| s.as_ref().len() + sep.len()).sum();
    let mut out = String::with_capacity(room.min(4 * max + 32));
    // Characters in `out`, counted as they are added (recounting each time made long lists quadratic).
    let mut out_chars = 0;
    let sep_chars = sep.chars().count();
    for (i, item) in items.iter().enumerate() {
        let item = item.as_ref();
        let more = items.len() - i;
        let item_chars = item.chars().count();
        let add_chars = if out.is_empty() {
            item_chars
        } else {
            sep_chars + item_chars
        };
        // The tail is "{sep}and {more} more".
        let room_needed = if more > 1 {
            sep_chars + "and ".len() + more.checked_ilog10().map_or(1, |d| d as usize + 1) + " more".len()
        } else {
            0
        };
        if out_chars + add_chars + room_needed > max {
            if out.is_empty() {
                return truncate(&format!("{item} (and {} more)", more - 1), max);
            }
            out.push_str(&format!("{sep}and {more} more"));
            return out;
        }
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(item);
        out_chars += add_chars;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .map(ordinal)
            .to_vec();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"]
        );
        assert_eq!(points(1), "1 point");
        assert_eq!(points(0), "0 points");
        let spans: Vec<String> = [0, 45, 120, 125, 3600, 5400].map(duration_s).to_vec();
        assert_eq!(spans, ["0 s", "45 s", "2 min", "2 min 5 s", "1 h", "1 h 30 min"]);
    }
    use crate::text::truncate;

    #[test]
    fn ranks_letters_splits_and_plurals() {
        assert_eq!([rank(1), rank(2), rank(3), rank(4)], ["🥇", "🥈", "🥉", "4."]);
        assert_eq!(rank(0), "0.");
        let points = [30, 30, 30, 12, 12, 5];
        assert_eq!(
            shared_ranks(points.len(), |a, b| points[a] == points[b]),
            [1, 1, 1, 4, 4, 6]
        );
        assert!(shared_ranks(0, |_, _| true).is_empty());
        assert_eq!(letter(2), "C");
        assert_eq!(letter(9), "?");
        let opts = vec!["Titan".to_string(), "Io".to_string()];
        assert_eq!(answer_split(&opts, &[3, 1], 0), "**A** Titan: 3 ✅\n**B** Io: 1");
        assert_eq!(plural(1, "question", "questions"), "1 question");
        assert_eq!(plural(0, "question", "questions"), "0 questions");
    }

    /// The first version, which recounted the whole text for every item: the fast one must agree with it.
    fn join_limited_reference(items: &[String], sep: &str, max: usize) -> String {
        let mut out = String::new();
        for (i, item) in items.iter().enumerate() {
            let more = items.len() - i;
            let tail = format!("{sep}and {more} more");
            let add = if out.is_empty() {
                item.clone()
            } else {
                format!("{sep}{item}")
            };
            let room_needed = if more > 1 { tail.chars().count() } else { 0 };
            if out.chars().count() + add.chars().count() + room_needed > max {
                if out.is_empty() {
                    return truncate(&format!("{item} (and {} more)", more - 1), max);
                }
                out.push_str(&tail);
                return out;
            }
            out.push_str(&add);
        }
        out
    }

    #[test]
    fn join_limited_counts_as_it_goes_and_cuts_as_before() {
        let words = [
            "Apollo 11",
            "Chang’e 4",
            "Mars Express",
            "ISS",
            "Rosetta",
            "Ørsted",
            "Hayabusa2",
            "x",
        ];
        for n in 0..=120 {
            let items: Vec<String> = (0..n).map(|i| format!("{} {i}", words[i % words.len()])).collect();
            for (sep, max) in [(", ", 1024), ("\n", 1024), (", ", 40), ("; ", 12), (", ", 3)] {
                assert_eq!(
                    join_limited(&items, sep, max),
                    join_limited_reference(&items, sep, max),
                    "{n} items, {sep:?}, {max}"
                );
            }
        }
    }
}
