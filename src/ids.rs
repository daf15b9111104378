//! Every button id (Discord's `custom_id`) the bot makes, built and read in one place.
//!
//! A button carries what its press needs in its id, so a press still works after a restart, and a press on an old
//! message is checked against what it names (game, round, event) instead of counting for the wrong thing. Ids start
//! with a version prefix; an id this build cannot read is [`None`] from [`ButtonId::parse`], and the caller answers
//! with the stale-button note. The format of each kind is written next to its variant; ids already posted in
//! channels keep working, so a format only ever gains new kinds.

/// The version prefix of every id.
pub const PREFIX: &str = "rv1";
/// The most characters Discord allows in a custom_id.
pub const MAX_LEN: usize = 100;
/// The longest search query that rides in a paging button (longer ones get no paging buttons).
pub const MAX_QUERY: usize = 60;

/// What a card or fact button is about, by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Mission(String),
    Agency(String),
}

/// What an event button does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventAction {
    Join,
    Team(usize),
    Extended,
    Answer(usize),
}

/// A button's id, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ButtonId {
    /// `rv1:card:m:<mission>` or `rv1:card:a:<agency>`: show a card.
    Card(Subject),
    /// `rv1:partners:<mission>`: a mission's partners.
    Partners(String),
    /// `rv1:fact:m:<mission>` or `rv1:fact:a:<agency>`: another fact about it.
    Fact(Subject),
    /// `rv1:tl:<from>:<to>:<page>` (from and to may be empty): a timeline page.
    Timeline {
        from: Option<i64>,
        to: Option<i64>,
        page: usize,
    },
    /// `rv1:search:<page>:<query>`: a search results page (the query without colons).
    Search { page: usize, query: String },
    /// `rv1:ans:<game>:<round>:<choice>`: an answer in a trivia game.
    Answer { game: i64, round: usize, choice: usize },
    /// `rv1:ev:<event>:<round>:<join|ext|t<team>|a<choice>>`: an event button.
    Event {
        event: i64,
        round: u32,
        action: EventAction,
    },
    /// `rv1:reset:<yes|no>:<guild>:<user>`: the answer to "erase this server's scores?", by the one who asked.
    Reset { confirm: bool, guild: u64, user: u64 },
    /// `rv1:forget:<yes|no>:<user>`: the answer to "delete everything stored about you?", by that user.
    Forget { confirm: bool, user: u64 },
    /// `rv1:rep:-:<question>` asks why a question is reported; `rv1:rep:<w|u|t|o>:<question>` reports it as wrong,
    /// unclear, a typo, or other.
    Report { reason: Option<char>, question: String },
    /// `rv1:daily:<YYYY-MM-DD>:<choice>`: an answer to this server's question of that (local) day.
    Daily { day: String, choice: usize },
    /// `rv1:rank:<a|m|w>`: where the presser stands on this server's board for all time, this month or this week.
    MyRank(crate::clock::Period),
    /// `rv1:packrep:<yes|no>:<token>:<user>`: the answer to "replace the pack of that name with this upload?", by the
    /// uploader; `token` names the checked upload waiting in memory.
    PackReplace { confirm: bool, token: u64, user: u64 },
    /// `rv1:packrm:<yes|no>:<pack>:<user>`: the answer to "remove this pack?", by the one who asked.
    PackRemove { confirm: bool, pack: i64, user: u64 },
}

impl ButtonId {
    /// The id as Discord carries it.
    pub fn encode(&self) -> String {
        let subject = |s: &Subject| match s {
            Subject::Mission(id) => format!("m:{id}"),
            Subject::Agency(id) => format!("a:{id}"),
        };
        let opt = |v: &Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        match self {
            ButtonId::Card(s) => format!("{PREFIX}:card:{}", subject(s)),
            ButtonId::Partners(m) => format!("{PREFIX}:partners:{m}"),
            ButtonId::Fact(s) => format!("{PREFIX}:fact:{}", subject(s)),
            ButtonId::Timeline { from, to, page } => format!("{PREFIX}:tl:{}:{}:{page}", opt(from), opt(to)),
            ButtonId::Search { page, query } => format!("{PREFIX}:search:{page}:{query}"),
            ButtonId::Answer { game, round, choice } => format!("{PREFIX}:ans:{game}:{round}:{choice}"),
            ButtonId::Event { event, round, action } => {
                let what = match action {
                    EventAction::Join => "join".to_string(),
                    EventAction::Team(t) => format!("t{t}"),
                    EventAction::Extended => "ext".to_string(),
                    EventAction::Answer(c) => format!("a{c}"),
                };
                format!("{PREFIX}:ev:{event}:{round}:{what}")
            }
            ButtonId::Reset { confirm, guild, user } => {
                format!("{PREFIX}:reset:{}:{guild}:{user}", if *confirm { "yes" } else { "no" })
            }
            ButtonId::Report { reason, question } => format!("{PREFIX}:rep:{}:{question}", reason.unwrap_or('-')),
            ButtonId::Forget { confirm, user } => {
                format!("{PREFIX}:forget:{}:{user}", if *confirm { "yes" } else { "no" })
            }
            ButtonId::MyRank(period) => format!("{PREFIX}:rank:{}", period.letter()),
            ButtonId::Daily { day, choice } => format!("{PREFIX}:daily:{day}:{choice}"),
            ButtonId::PackReplace { confirm, token, user } => {
                format!("{PREFIX}:packrep:{}:{token}:{user}", yes_no(*confirm))
            }
            ButtonId::PackRemove { confirm, pack, user } => {
                format!("{PREFIX}:packrm:{}:{pack}:{user}", yes_no(*confirm))
            }
        }
    }

    /// Read an id; `None` for anything this build did not make.
    pub fn parse(id: &str) -> Option<ButtonId> {
        let rest = id.strip_prefix(PREFIX)?.strip_prefix(':')?;
        let parts: Vec<&str> = rest.split(':').collect();
        let subject = |kind: &str, id: &str| match kind {
            "m" if !id.is_empty() => Some(Subject::Mission(id.to_string())),
            "a" if !id.is_empty() => Some(Subject::Agency(id.to_string())),
            _ => None,
        };
        let num_opt = |s: &str| -> Option<Option<i64>> {
            if s.is_empty() {
                Some(None)
            } else {
                s.parse().ok().map(Some)
            }
        };
        Some(match parts.as_slice() {
            ["card", kind, id] => ButtonId::Card(subject(kind, id)?),
            ["partners", id] if !id.is_empty() => ButtonId::Partners(id.to_string()),
            ["fact", kind, id] => ButtonId::Fact(subject(kind, id)?),
            ["tl", from, to, page] => ButtonId::Timeline {
                from: num_opt(from)?,
                to: num_opt(to)?,
                page: page.parse().ok()?,
            },
            ["search", page, query @ ..] if !query.is_empty() => ButtonId::Search {
                page: page.parse().ok()?,
                query: query.join(":"),
            },
            ["ans", game, round, choice] => ButtonId::Answer {
                game: game.parse().ok()?,
                round: round.parse().ok()?,
                choice: choice.parse().ok()?,
            },
            ["ev", event, round, what] => {
                let action = match *what {
                    "join" => EventAction::Join,
                    "ext" => EventAction::Extended,
                    w => match (w.strip_prefix('t'), w.strip_prefix('a')) {
                        (Some(t), _) => EventAction::Team(t.parse().ok()?),
                        (_, Some(a)) => EventAction::Answer(a.parse().ok()?),
                        _ => return None,
                    },
                };
                ButtonId::Event {
                    event: event.parse().ok()?,
                    round: round.parse().ok()?,
                    action,
                }
            }
            ["rep", reason, question @ ..] if !question.is_empty() && !question.concat().is_empty() => {
                let reason = match *reason {
                    "-" => None,
                    r @ ("w" | "u" | "t" | "o") => r.chars().next(),
                    _ => return None,
                };
                ButtonId::Report {
                    reason,
                    question: question.join(":"),
                }
            }
            ["daily", day, choice] if is_date(day) => ButtonId::Daily {
                day: day.to_string(),
                choice: choice.parse().ok()?,
            },
            ["rank", period] => ButtonId::MyRank(crate::clock::Period::from_letter(period)?),
            ["forget", answer, user] => ButtonId::Forget {
                confirm: match *answer {
                    "yes" => true,
                    "no" => false,
                    _ => return None,
                },
                user: user.parse().ok()?,
            },
            ["packrep", answer, token, user] => ButtonId::PackReplace {
                confirm: read_yes_no(answer)?,
                token: token.parse().ok()?,
                user: user.parse().ok()?,
            },
            ["packrm", answer, pack, user] => ButtonId::PackRemove {
                confirm: read_yes_no(answer)?,
                pack: pack.parse().ok()?,
                user: user.parse().ok()?,
            },
            ["reset", answer, guild, user] => ButtonId::Reset {
                confirm: match *answer {
                    "yes" => true,
                    "no" => false,
                    _ => return None,
                },
                guild: guild.parse().ok()?,
                user: user.parse().ok()?,
            },
            _ => return None,
        })
    }

    /// The kind of button, for logs: never its arguments (a search id holds what someone typed).
    pub fn kind(id: &str) -> &'static str {
        match ButtonId::parse(id) {
            Some(ButtonId::Card(_)) => "card",
            Some(ButtonId::Partners(_)) => "partners",
            Some(ButtonId::Fact(_)) => "fact",
            Some(ButtonId::Timeline { .. }) => "timeline",
            Some(ButtonId::Search { .. }) => "search",
            Some(ButtonId::Answer { .. }) => "answer",
            Some(ButtonId::Event { .. }) => "event",
            Some(ButtonId::Reset { .. }) => "reset",
            Some(ButtonId::Report { .. }) => "report",
            Some(ButtonId::Forget { .. }) => "forget",
            Some(ButtonId::MyRank(_)) => "my-rank",
            Some(ButtonId::Daily { .. }) => "daily",
            Some(ButtonId::PackReplace { .. }) => "pack-replace",
            Some(ButtonId::PackRemove { .. }) => "pack-remove",
            None => "unknown",
        }
    }
}

/// `YYYY-MM-DD` in form (digits and dashes where a date has them).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn yes_no(confirm: bool) -> &'static str {
    if confirm {
        "yes"
    } else {
        "no"
    }
}

fn read_yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// The note for a button that no longer means anything.
pub fn stale_button() -> crate::reply::Reply {
    crate::reply::Reply::error(
        "This button belongs to an older message and no longer works. Run the command again for a fresh one.",
    )
}

/// The button that shows an entity's card.
pub fn card_button(kb: &crate::kb::KnowledgeBase, e: crate::kb::Entity, label: &str) -> crate::reply::Button {
    let subject = match e {
        crate::kb::Entity::Mission(i) => Subject::Mission(kb.missions[i].id.to_string()),
        crate::kb::Entity::Agency(i) => Subject::Agency(kb.agencies[i].id.to_string()),
    };
    crate::reply::Button::new(
        ButtonId::Card(subject).encode(),
        label,
        crate::reply::ButtonStyle::Secondary,
    )
}

/// A search query as a paging button can carry it: colons dropped; `None` when too long for an id.
pub fn search_query(query: &str) -> Option<String> {
    let q: String = query.chars().filter(|c| *c != ':').collect();
    (q.len() <= MAX_QUERY).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids as earlier builds wrote them, and as messages already posted carry them: each still reads the same.
    #[test]
    fn ids_of_todays_format_read_back() {
        let cases = [
            (
                "rv1:card:m:cassini-huygens",
                ButtonId::Card(Subject::Mission("cassini-huygens".into())),
            ),
            ("rv1:card:a:esa", ButtonId::Card(Subject::Agency("esa".into()))),
            ("rv1:partners:iss", ButtonId::Partners("iss".into())),
            ("rv1:fact:m:hubble", ButtonId::Fact(Subject::Mission("hubble".into()))),
            ("rv1:fact:a:nasa", ButtonId::Fact(Subject::Agency("nasa".into()))),
            (
                "rv1:tl:1990:2000:2",
                ButtonId::Timeline {
                    from: Some(1990),
                    to: Some(2000),
                    page: 2,
                },
            ),
            (
                "rv1:tl::2000:0",
                ButtonId::Timeline {
                    from: None,
                    to: Some(2000),
                    page: 0,
                },
            ),
            (
                "rv1:tl:::1",
                ButtonId::Timeline {
                    from: None,
                    to: None,
                    page: 1,
                },
            ),
            (
                "rv1:search:1:comet dust",
                ButtonId::Search {
                    page: 1,
                    query: "comet dust".into(),
                },
            ),
            (
                "rv1:ans:12:3:1",
                ButtonId::Answer {
                    game: 12,
                    round: 3,
                    choice: 1,
                },
            ),
            (
                "rv1:ans:-4:0:2",
                ButtonId::Answer {
                    game: -4,
                    round: 0,
                    choice: 2,
                },
            ),
            (
                "rv1:ev:7:2:a3",
                ButtonId::Event {
                    event: 7,
                    round: 2,
                    action: EventAction::Answer(3),
                },
            ),
            (
                "rv1:ev:7:0:join",
                ButtonId::Event {
                    event: 7,
                    round: 0,
                    action: EventAction::Join,
                },
            ),
            (
                "rv1:ev:-1:0:t1",
                ButtonId::Event {
                    event: -1,
                    round: 0,
                    action: EventAction::Team(1),
                },
            ),
            (
                "rv1:ev:7:4:ext",
                ButtonId::Event {
                    event: 7,
                    round: 4,
                    action: EventAction::Extended,
                },
            ),
            (
                "rv1:reset:yes:5:9",
                ButtonId::Reset {
                    confirm: true,
                    guild: 5,
                    user: 9,
                },
            ),
            (
                "rv1:reset:no:5:9",
                ButtonId::Reset {
                    confirm: false,
                    guild: 5,
                    user: 9,
                },
            ),
            ("rv1:forget:yes:9", ButtonId::Forget { confirm: true, user: 9 }),
            ("rv1:rank:w", ButtonId::MyRank(crate::clock::Period::Week)),
            ("rv1:rank:a", ButtonId::MyRank(crate::clock::Period::All)),
            (
                "rv1:daily:2026-12-07:3",
                ButtonId::Daily {
                    day: "2026-12-07".into(),
                    choice: 3,
                },
            ),
            (
                "rv1:packrep:yes:18446744073709551615:9",
                ButtonId::PackReplace {
                    confirm: true,
                    token: u64::MAX,
                    user: 9,
                },
            ),
            (
                "rv1:packrm:no:12:9",
                ButtonId::PackRemove {
                    confirm: false,
                    pack: 12,
                    user: 9,
                },
            ),
        ];
        for (id, want) in cases {
            assert_eq!(ButtonId::parse(id).as_ref(), Some(&want), "{id}");
            assert_eq!(want.encode(), id, "{id}");
        }
    }

    #[test]
    fn ids_this_build_did_not_make_read_as_none() {
        for id in [
            "",
            "rv1",
            "rv2:card:m:x",
            "rv1:card:x:hubble",
            "rv1:card:m:",
            "rv1:ans:1:2",
            "rv1:rank:x",
            "rv1:daily:2026-1-07:1",
            "rv1:daily:tomorrow:1",
            "rv1:daily:2026-12-07:a",
            "rv1:rank:",
            "rv1:ans:1:2:3:4",
            "rv1:ans:a:b:c",
            "rv1:ev:1:2:zz",
            "rv1:ev:1:2:a1:extra",
            "rv1:reset:maybe:1:2",
            "rv1:packrep:ok:1:2",
            "rv1:packrm:yes:x:2",
            "rv1:tl:x::0",
            "rv1:search:1",
            "rv1:rep:x:g:lead:hubble",
            "rv1:rep:w",
            "something else entirely",
        ] {
            assert_eq!(ButtonId::parse(id), None, "{id:?}");
        }
        assert_eq!(ButtonId::kind("rv1:search:0:my secret words"), "search");
        assert_eq!(ButtonId::kind("x"), "unknown");
    }

    #[test]
    fn the_longest_ids_fit_discord() {
        let longest = [
            ButtonId::Answer {
                game: i64::MIN,
                round: usize::MAX,
                choice: 3,
            },
            ButtonId::Event {
                event: i64::MIN,
                round: u32::MAX,
                action: EventAction::Answer(3),
            },
            ButtonId::Reset {
                confirm: false,
                guild: u64::MAX,
                user: u64::MAX,
            },
            ButtonId::Timeline {
                from: Some(i64::MIN),
                to: Some(i64::MIN),
                page: usize::MAX,
            },
            ButtonId::Search {
                page: usize::MAX,
                query: search_query(&"x".repeat(60)).unwrap(),
            },
            ButtonId::Card(Subject::Mission("m".repeat(48))),
            ButtonId::PackReplace {
                confirm: false,
                token: u64::MAX,
                user: u64::MAX,
            },
            ButtonId::PackRemove {
                confirm: false,
                pack: i64::MIN,
                user: u64::MAX,
            },
            // The longest question id a generated question has (see trivia::question::generate).
            ButtonId::Report {
                reason: Some('w'),
                question: "x".repeat(80),
            },
        ];
        for id in longest {
            assert!(id.encode().len() <= MAX_LEN, "{}", id.encode());
        }
        assert_eq!(search_query("a:b"), Some("ab".into()));
        assert_eq!(search_query(&"y".repeat(61)), None);
    }
}
