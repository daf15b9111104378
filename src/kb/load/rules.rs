//! The rules a curated question follows, wherever it was written: the shipped data (`data/questions/`), a teacher's
//! pack in TOML, or a pack in CSV. Each reader finds where a value was written (a TOML key, a CSV column); the rules,
//! their limits and their messages are here, once.
//!
//! The limits are what Discord can show: an option is a button label (80 characters), a typed answer must fit
//! `/answer` (200), and the question, its explanation and its source go in a card.

use super::reader::{is_http_url, suggest};
use crate::kb::model::{CuratedQuestion, Difficulty};
use crate::text::fold;
use std::collections::HashMap;

/// The longest question text.
pub const MAX_QUESTION: usize = 1000;
/// The longest option: a button label.
pub const MAX_OPTION: usize = 80;
/// The longest typed answer (or other accepted answer): what `/answer text:` takes.
pub const MAX_ANSWER: usize = 200;
/// The longest explanation.
pub const MAX_EXPLANATION: usize = 1000;
/// The longest source URL.
pub const MAX_SOURCE: usize = 500;
/// How many tags a question may have, and the longest tag.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 40;

/// Which value of a question a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Question,
    /// The options as a whole.
    Options,
    /// One option, by its index in `options`.
    Option(usize),
    Answer,
    /// One accepted answer, by index.
    Accept(usize),
    Explanation,
    Source,
    Tags,
}

impl Field {
    /// The key a TOML entry writes it under.
    pub fn key(self) -> &'static str {
        match self {
            Field::Question => "question",
            Field::Options | Field::Option(_) => "options",
            Field::Answer => "answer",
            Field::Accept(_) => "accept",
            Field::Explanation => "explanation",
            Field::Source => "source",
            Field::Tags => "tags",
        }
    }
}

/// What is wrong with a URL, if anything.
pub fn url_problem(key: &str, s: &str) -> Option<String> {
    if !is_http_url(s) {
        return Some(format!(
            "`{key}` is not an http(s) URL: `{}` (write the full address, starting https://)",
            crate::text::truncate(s, 80)
        ));
    }
    None
}

/// The difficulty `s` names, or what is wrong with it.
pub fn difficulty(key: &str, s: &str) -> Result<Difficulty, String> {
    match Difficulty::ALL.iter().find(|(name, _)| *name == s) {
        Some((_, d)) => Ok(*d),
        None => {
            let names: Vec<&str> = Difficulty::ALL.iter().map(|(n, _)| *n).collect();
            Err(choice_problem(key, s, &names))
        }
    }
}

/// " (did you mean `x`?)" when one of `known` is close to `got`, else nothing.
pub fn did_you_mean(got: &str, known: &[&str]) -> String {
    suggest(got, known)
}

/// The message for a value that is not one of `names`.
pub fn choice_problem(key: &str, s: &str, names: &[&str]) -> String {
    let hint = suggest(s, names);
    format!(
        "`{key}` = `{}` is not one of: {}{hint}",
        crate::text::truncate(s, 40),
        names.join(", ")
    )
}

/// Every problem of one question that concerns it alone: its options (2 to 4, distinct, the answer among them), and
/// every value within what Discord can show. `options_given` is whether the question has options at all (a question
/// without is typed).
pub fn question_problems(q: &CuratedQuestion, options_given: bool) -> Vec<(Field, String)> {
    let mut out = Vec::new();
    let long = |s: &str, max: usize| s.chars().count() > max;
    if options_given {
        if !(2..=4).contains(&q.options.len()) {
            out.push((
                Field::Options,
                format!(
                    "`options` has {} entries: give 2 to 4, or none for a typed answer",
                    q.options.len()
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, o) in q.options.iter().enumerate() {
            if !seen.insert(fold(o)) {
                out.push((Field::Option(i), format!("option `{o}` is given twice")));
            }
        }
        if !q.options.contains(&q.answer) {
            out.push((
                Field::Answer,
                format!(
                    "`answer` = `{}` is not one of the options (it must match one exactly)",
                    q.answer
                ),
            ));
        }
        for (i, o) in q.options.iter().enumerate() {
            if long(o, MAX_OPTION) {
                out.push((
                    Field::Option(i),
                    format!(
                        "option `{}` is longer than {MAX_OPTION} characters, the most a button label can hold",
                        crate::text::truncate(o, 30)
                    ),
                ));
            }
        }
    } else if long(&q.answer, MAX_ANSWER) {
        out.push((
            Field::Answer,
            format!("`answer` is longer than {MAX_ANSWER} characters, the most `/answer` takes: shorten it"),
        ));
    }
    for (i, a) in q.accept.iter().enumerate() {
        if long(a, MAX_ANSWER) {
            out.push((
                Field::Accept(i),
                format!("an accepted answer is longer than {MAX_ANSWER} characters, the most `/answer` takes"),
            ));
        }
    }
    if long(&q.question, MAX_QUESTION) {
        out.push((
            Field::Question,
            format!("`question` is longer than {MAX_QUESTION} characters: shorten it"),
        ));
    }
    if long(&q.explanation, MAX_EXPLANATION) {
        out.push((
            Field::Explanation,
            format!("`explanation` is longer than {MAX_EXPLANATION} characters: keep it to a few sentences"),
        ));
    }
    if long(&q.source, MAX_SOURCE) {
        out.push((
            Field::Source,
            format!("`source` is longer than {MAX_SOURCE} characters: link the page itself"),
        ));
    }
    if q.tags.len() > MAX_TAGS {
        out.push((Field::Tags, format!("{} tags: give at most {MAX_TAGS}", q.tags.len())));
    }
    if let Some(t) = q.tags.iter().find(|t| long(t, MAX_TAG)) {
        out.push((
            Field::Tags,
            format!(
                "the tag `{}` is longer than {MAX_TAG} characters",
                crate::text::truncate(t, 30)
            ),
        ));
    }
    out
}

/// Questions that ask what an earlier one asks (the same words, whatever the case, accents and punctuation): each
/// as (its index, the index of the first).
pub fn duplicate_questions<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<(usize, usize)> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, t) in texts.enumerate() {
        let key = fold(t);
        match first.get(&key) {
            Some(&f) => out.push((i, f)),
            None => {
                first.insert(key, i);
            }
        }
    }
    out
}

/// The message for a question that repeats the one written at `first` (a place: `file:line`, or `line 4`).
pub fn duplicate_message(first: &str) -> String {
    format!("the same question as at {first}: ask it once, or reword one of them")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::model::QuestionId;

    fn q(options: &[&str], answer: &str) -> CuratedQuestion {
        CuratedQuestion {
            id: QuestionId("q".into()),
            question: "Which?".into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            answer: answer.into(),
            accept: Vec::new(),
            explanation: "Because.".into(),
            source: "https://example.org/x".into(),
            difficulty: Difficulty::Easy,
            tags: Vec::new(),
            missions: Vec::new(),
            agencies: Vec::new(),
        }
    }

    #[test]
    fn a_question_follows_every_rule_or_says_which_it_breaks() {
        assert!(question_problems(&q(&["Titan", "Europa"], "Titan"), true).is_empty());
        let fields = |p: Vec<(Field, String)>| p.into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(
            fields(question_problems(&q(&["Titan", "Europa"], "Io"), true)),
            [Field::Answer]
        );
        assert_eq!(
            fields(question_problems(&q(&["Titan", "titan"], "Titan"), true)),
            [Field::Option(1)]
        );
        assert_eq!(
            fields(question_problems(&q(&["Titan"], "Titan"), true)),
            [Field::Options]
        );
        let long = "x".repeat(81);
        assert_eq!(
            fields(question_problems(&q(&[&long, "b"], "b"), true)),
            [Field::Option(0)]
        );
        assert_eq!(
            fields(question_problems(&q(&[], &"y".repeat(201)), false)),
            [Field::Answer]
        );
        assert_eq!(
            duplicate_questions(["A b?", "c", "a, B"].into_iter()),
            [(2, 0)],
            "case and punctuation do not make a new question"
        );
        assert!(difficulty("difficulty", "hrad")
            .unwrap_err()
            .contains("did you mean `hard`"));
        assert!(url_problem("source", "www.nasa.gov").is_some());
    }
}
