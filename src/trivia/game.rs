//! One trivia game as a state machine with no I/O: `answer(user, choice, now)`, `tick(now)`, `stop(...)`.
//!
//! Time is an argument (milliseconds), so a test drives a whole game in microseconds. What happened comes back as
//! plain values (`Scored`, `Step`): the caller persists scores and renders messages.

use super::matcher::{Answer, Verdict};
use super::question::Question;

/// Points for a right answer, before the speed bonus.
pub const BASE_POINTS: i64 = 10;
/// The most a fast answer adds.
pub const MAX_SPEED_BONUS: i64 = 5;
/// What a right answer scores: the base points and a bonus for the time left, `left_ms` of `window_ms` (trivia games
/// and events score alike).
pub fn points(right: bool, left_ms: i64, window_ms: i64) -> i64 {
    if !right {
        return 0;
    }
    let window = window_ms.max(1);
    BASE_POINTS + MAX_SPEED_BONUS * left_ms.clamp(0, window) / window
}

/// How long a question stays open after every known player has answered: someone new may be about to answer.
pub const EARLY_GRACE_MS: i64 = 5_000;

/// Questions in a row that nobody answered before the game ends by itself.
pub const SILENT_LIMIT: u32 = 2;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub rounds: usize,
    /// How long each question stays open.
    pub timer_ms: i64,
    /// The pause between a reveal and the next question.
    pub gap_ms: i64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            rounds: 5,
            timer_ms: 20_000,
            gap_ms: 5_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Player {
    pub id: u64,
    pub name: String,
    pub points: i64,
    pub right: u32,
    pub answered: u32,
    pub streak: u32,
    pub best_streak: u32,
}

/// One player's answer to the open question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Given {
    pub user: u64,
    /// The option pressed, or `None` for a typed answer.
    pub choice: Option<usize>,
    pub text: Option<String>,
    pub right: bool,
    pub points: i64,
    pub at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// A question is open until `deadline`, or until `early` once every player has answered.
    Asking {
        deadline: i64,
        given: Vec<Given>,
        early: Option<i64>,
    },
    /// Revealed; the next question comes at `next_at`.
    Between {
        next_at: i64,
    },
    Over,
}

/// Points scored by one answer: persist these as they come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    pub user: u64,
    pub name: String,
    pub round: usize,
    pub right: bool,
    pub points: i64,
    pub streak: u32,
}

/// Why an answer was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This player already answered this question.
    Already,
    /// The question closed (timer ran out, or revealed), or the game is over.
    Closed,
    /// The button belongs to another round or game.
    Stale,
    /// A typed answer far longer than the answer: one guess, please.
    TooLong,
    /// A button pressed on a typed question, or typed text on a button question.
    WrongWay,
}

/// Who got the revealed question right, and how the answers split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub round: usize,
    /// (user, points), fastest first.
    pub right: Vec<(u64, i64)>,
    /// Answers per option (empty for typed questions).
    pub split: Vec<usize>,
    pub answers: usize,
    /// Players on a streak of two or more after this question.
    pub streaks: Vec<(u64, u32)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndReason {
    Finished,
    Silent,
    Stopped,
    Shutdown,
    /// The console's piped input ended while the game ran.
    InputEnded,
    /// The person at the console left (quit, or end of input at the terminal).
    ConsoleClosed,
}

/// What `tick` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Revealed(Reveal),
    /// The next question is open (round index).
    Asked(usize),
    Ended(EndReason),
}

#[derive(Clone, Debug)]
pub struct Game {
    pub id: i64,
    pub guild: Option<u64>,
    pub channel: u64,
    pub starter: u64,
    pub settings: Settings,
    pub questions: Vec<Question>,
    /// Index of the current (or last) question.
    pub round: usize,
    pub phase: Phase,
    pub players: Vec<Player>,
    silent: u32,
    matchers: Vec<Option<Answer>>,
}

impl Game {
    /// A game whose first question opens at `now`.
    pub fn new(
        id: i64,
        guild: Option<u64>,
        channel: u64,
        starter: u64,
        settings: Settings,
        questions: Vec<Question>,
        now: i64,
    ) -> Game {
        let matchers = questions.iter().map(matcher_for).collect();
        let phase = if questions.is_empty() {
            Phase::Over
        } else {
            Phase::Asking {
                deadline: now + settings.timer_ms,
                given: Vec::new(),
                early: None,
            }
        };
        Game {
            id,
            guild,
            channel,
            starter,
            settings,
            questions,
            round: 0,
            phase,
            players: Vec::new(),
            silent: 0,
            matchers,
        }
    }

    pub fn question(&self) -> &Question {
        &self.questions[self.round.min(self.questions.len().saturating_sub(1))]
    }

    pub fn is_over(&self) -> bool {
        matches!(self.phase, Phase::Over)
    }

    /// When `tick` next has something to do.
    pub fn deadline(&self) -> Option<i64> {
        match &self.phase {
            Phase::Asking { deadline, early, .. } => Some(early.map_or(*deadline, |e| e.min(*deadline))),
            Phase::Between { next_at } => Some(*next_at),
            Phase::Over => None,
        }
    }

    pub fn player(&self, id: u64) -> Option<&Player> {
        self.players.iter().find(|p| p.id == id)
    }

    /// A button answer. `round` is the round the button was made for.
    pub fn answer(&mut self, user: u64, name: &str, round: usize, choice: usize, now: i64) -> Result<Scored, Refusal> {
        if round != self.round {
            return Err(Refusal::Stale);
        }
        let q = &self.questions[self.round];
        if q.is_typed() {
            return Err(Refusal::WrongWay);
        }
        if choice >= q.options.len() {
            return Err(Refusal::Stale);
        }
        let right = choice == q.correct;
        self.take(user, name, Some(choice), None, right, now)
    }

    /// A typed answer (`/answer text:…`) to the open question.
    pub fn answer_text(&mut self, user: u64, name: &str, text: &str, now: i64) -> Result<Scored, Refusal> {
        if self.is_over() {
            return Err(Refusal::Closed);
        }
        if !self.questions[self.round].is_typed() {
            return Err(Refusal::WrongWay);
        }
        if self.matchers.len() != self.questions.len() {
            self.matchers = self.questions.iter().map(matcher_for).collect();
        }
        let verdict = match &self.matchers[self.round] {
            Some(m) => m.check(text),
            None => Verdict::Wrong,
        };
        if verdict == Verdict::TooLong {
            return Err(Refusal::TooLong);
        }
        let keep: String = text.chars().take(200).collect();
        self.take(user, name, None, Some(keep), verdict == Verdict::Right, now)
    }

    fn take(
        &mut self,
        user: u64,
        name: &str,
        choice: Option<usize>,
        text: Option<String>,
        right: bool,
        now: i64,
    ) -> Result<Scored, Refusal> {
        let timer = self.settings.timer_ms.max(1);
        let Phase::Asking { deadline, given, .. } = &mut self.phase else {
            return Err(Refusal::Closed);
        };
        if now >= *deadline {
            return Err(Refusal::Closed);
        }
        if given.iter().any(|g| g.user == user) {
            return Err(Refusal::Already);
        }
        let points = points(right, *deadline - now, timer);
        given.push(Given {
            user,
            choice,
            text,
            right,
            points,
            at_ms: now,
        });
        let player = match self.players.iter_mut().position(|p| p.id == user) {
            Some(i) => &mut self.players[i],
            None => {
                self.players.push(Player {
                    id: user,
                    name: name.to_string(),
                    points: 0,
                    right: 0,
                    answered: 0,
                    streak: 0,
                    best_streak: 0,
                });
                self.players.last_mut().expect("just pushed")
            }
        };
        player.answered += 1;
        player.points += points;
        if right {
            player.right += 1;
            player.streak += 1;
            player.best_streak = player.best_streak.max(player.streak);
        } else {
            player.streak = 0;
        }
        let scored = Scored {
            user,
            name: player.name.clone(),
            round: self.round,
            right,
            points,
            streak: player.streak,
        };
        // Everyone known has answered: the reveal comes a little later, so someone about to answer still can.
        if self.everyone_answered() {
            if let Phase::Asking { deadline, early, .. } = &mut self.phase {
                *early = Some((now + EARLY_GRACE_MS).min(*deadline));
            }
        }
        Ok(scored)
    }

    /// True when every player of earlier rounds has answered the open question (after the first round).
    fn everyone_answered(&self) -> bool {
        let Phase::Asking { given, .. } = &self.phase else {
            return false;
        };
        self.round > 0 && !self.players.is_empty() && self.players.iter().all(|p| given.iter().any(|g| g.user == p.id))
    }

    /// Let time pass: reveal when the timer ran out or everyone answered, open the next question after the gap,
    /// end after the last round or after questions nobody answered. Returns every step taken, in order.
    pub fn tick(&mut self, now: i64) -> Vec<Step> {
        let mut steps = Vec::new();
        loop {
            match &self.phase {
                Phase::Asking { deadline, early, .. } if now >= *deadline || early.is_some_and(|e| now >= e) => {
                    let reveal = self.reveal();
                    let nobody = reveal.answers == 0;
                    self.silent = if nobody { self.silent + 1 } else { 0 };
                    steps.push(Step::Revealed(reveal));
                    if self.round + 1 >= self.questions.len() {
                        self.phase = Phase::Over;
                        steps.push(Step::Ended(EndReason::Finished));
                        return steps;
                    }
                    if self.silent >= SILENT_LIMIT {
                        self.phase = Phase::Over;
                        steps.push(Step::Ended(EndReason::Silent));
                        return steps;
                    }
                    // The reveal happened when it was due (the deadline, or early), or now if that came first.
                    let at = self.deadline().map_or(now, |d| now.min(d));
                    self.phase = Phase::Between {
                        next_at: at + self.settings.gap_ms,
                    };
                }
                Phase::Between { next_at } if now >= *next_at => {
                    let start = *next_at;
                    self.round += 1;
                    self.phase = Phase::Asking {
                        deadline: start + self.settings.timer_ms,
                        given: Vec::new(),
                        early: None,
                    };
                    steps.push(Step::Asked(self.round));
                }
                _ => return steps,
            }
        }
    }

    fn reveal(&mut self) -> Reveal {
        let q = &self.questions[self.round];
        let Phase::Asking { given, .. } = &self.phase else {
            return Reveal {
                round: self.round,
                right: Vec::new(),
                split: Vec::new(),
                answers: 0,
                streaks: Vec::new(),
            };
        };
        let mut split = vec![0; q.options.len()];
        for g in given {
            if let Some(c) = g.choice {
                if c < split.len() {
                    split[c] += 1;
                }
            }
        }
        let mut right: Vec<&Given> = given.iter().filter(|g| g.right).collect();
        right.sort_by_key(|g| g.at_ms);
        let answered: Vec<u64> = given.iter().map(|g| g.user).collect();
        let answers = given.len();
        let right: Vec<(u64, i64)> = right.iter().map(|g| (g.user, g.points)).collect();
        // Players who did not answer lose their streak.
        for p in &mut self.players {
            if !answered.contains(&p.id) {
                p.streak = 0;
            }
        }
        let streaks = self
            .players
            .iter()
            .filter(|p| p.streak >= 2)
            .map(|p| (p.id, p.streak))
            .collect();
        Reveal {
            round: self.round,
            right,
            split,
            answers,
            streaks,
        }
    }

    /// The standings, best first (points, then right answers, then who joined first).
    pub fn standings(&self) -> Vec<&Player> {
        let mut v: Vec<&Player> = self.players.iter().collect();
        v.sort_by(|a, b| b.points.cmp(&a.points).then(b.right.cmp(&a.right)));
        v
    }

    /// The players with the top score, if anyone scored.
    pub fn winners(&self) -> Vec<u64> {
        let top = self.players.iter().map(|p| p.points).max().unwrap_or(0);
        if top <= 0 {
            return Vec::new();
        }
        self.players.iter().filter(|p| p.points == top).map(|p| p.id).collect()
    }

    /// End the game now (the starter or a manager stopped it, or the bot is shutting down).
    pub fn end(&mut self, reason: EndReason) -> Step {
        self.phase = Phase::Over;
        Step::Ended(reason)
    }
}

fn matcher_for(q: &Question) -> Option<Answer> {
    q.is_typed().then(|| Answer::new(q.answer.clone(), q.accept.clone()))
}
