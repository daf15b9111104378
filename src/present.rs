//! Small pieces of presentation that several replies share: ranks with medals, how the answers split, plurals.

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

/// "1 player", "2 players".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_letters_splits_and_plurals() {
        assert_eq!([rank(1), rank(2), rank(3), rank(4)], ["🥇", "🥈", "🥉", "4."]);
        assert_eq!(rank(0), "0.");
        assert_eq!(letter(2), "C");
        assert_eq!(letter(9), "?");
        let opts = vec!["Titan".to_string(), "Io".to_string()];
        assert_eq!(answer_split(&opts, &[3, 1], 0), "**A** Titan: 3 ✅\n**B** Io: 1");
        assert_eq!(plural(1, "question", "questions"), "1 question");
        assert_eq!(plural(0, "question", "questions"), "0 questions");
    }
}
