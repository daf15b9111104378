//! Community education events: a host-paced quiz with teams, a podium, and results to export.
//!
//! A museum, a club or a classroom runs an event with a host on stage. The host decides when the next question
//! comes (`next`), when the answer is shown (`reveal`) and when it is over (`end`); the timer only closes answering.
//! The question list is fixed by a seed at creation, so two classes can play the same quiz.
//!
//! # Layout
//! - this file: [`Event`], the rules as a state machine with no I/O. Time is an argument and what happened comes back
//!   as plain values; the event's configuration and state are serde data, saved as JSON by the caller and read back
//!   after a restart. The CSV export is a pure function of what was played.
//! - [`render`]: events as replies (lobby, question, reveal, standings, podium, export, list) and the button ids.
//! - [`registry`]: an app's events, the `/event` commands and buttons, saving as things happen, and resuming open
//!   events after a restart.
//!
//! Only button questions are asked: the answer split on the stage screen needs options, and `/answer` belongs to
//! trivia games.

pub mod registry;
pub mod render;

use crate::trivia::question::Question;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

pub use registry::Events;

/// Points for a right answer, before the speed bonus (as in trivia).
pub const BASE_POINTS: i64 = crate::trivia::game::BASE_POINTS;
/// The most a fast answer adds.
pub const MAX_SPEED_BONUS: i64 = crate::trivia::game::MAX_SPEED_BONUS;
/// The timer's bounds, in seconds.
pub const MIN_TIMER_S: i64 = 10;
pub const MAX_TIMER_S: i64 = 180;
/// Extra seconds for players with extended time: at most this many.
pub const MAX_EXTRA_S: i64 = 180;
pub const MAX_ROUNDS: i64 = 50;
pub const MAX_TEAMS: usize = 6;
/// The longest event or team name.
pub const MAX_NAME: usize = 100;
pub const MAX_TEAM_NAME: usize = 30;

/// The default team names, their colour marks (buttons cannot be coloured freely, so an emoji carries the colour)
/// and card colours.
pub const PALETTE: [(&str, &str, u32); MAX_TEAMS] = [
    ("Red", "🔴", 0xe53e3e),
    ("Blue", "🔵", 0x3182ce),
    ("Green", "🟢", 0x38a169),
    ("Yellow", "🟡", 0xd69e2e),
    ("Purple", "🟣", 0x805ad5),
    ("Orange", "🟠", 0xdd6b20),
];

/// A team: its name and its colour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    /// A coloured circle that marks the team wherever it is named.
    pub mark: String,
    pub colour: u32,
}

impl Team {
    /// "🔴 Red".
    pub fn label(&self) -> String {
        format!("{} {}", self.mark, self.name)
    }
}

/// Teams from the `teams` option: a count (`2`: Red and Blue), names separated by commas (`Comets, Rockets`), or
/// `0`/`none` for no teams. Colours are given in palette order.
pub fn parse_teams(spec: &str) -> Result<Vec<Team>, String> {
    let spec = spec.trim();
    if spec.is_empty() || spec == "0" || spec.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let names: Vec<String> = match spec.parse::<usize>() {
        Ok(n) if (2..=MAX_TEAMS).contains(&n) => PALETTE[..n].iter().map(|(name, _, _)| name.to_string()).collect(),
        Ok(_) => {
            return Err(format!(
                "`teams` is a number from 2 to {MAX_TEAMS}, or the teams' names separated by commas."
            ))
        }
        Err(_) => spec
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if names.len() < 2 || names.len() > MAX_TEAMS {
        return Err(format!(
            "An event has 2 to {MAX_TEAMS} teams (or none); I read {} name(s).",
            names.len()
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        if n.chars().count() > MAX_TEAM_NAME {
            return Err(format!(
                "The team name `{n}` is too long: {MAX_TEAM_NAME} characters at most."
            ));
        }
        if !seen.insert(crate::text::fold(n)) {
            return Err(format!("Two teams are called `{n}`: give each team its own name."));
        }
    }
    Ok(names
        .into_iter()
        .zip(PALETTE)
        .map(|(name, (_, mark, colour))| Team {
            name,
            mark: mark.to_string(),
            colour,
        })
        .collect())
}

/// A question as the event keeps it: everything needed to ask, reveal and export it, even after the knowledge base
/// changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuestion {
    pub id: String,
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: String,
    pub source: String,
    pub difficulty: String,
}

impl From<&Question> for EventQuestion {
    fn from(q: &Question) -> EventQuestion {
        EventQuestion {
            id: q.id.clone(),
            text: q.text.clone(),
            options: q.options.clone(),
            correct: q.correct,
            explanation: q.explanation.clone(),
            source: q.source.clone(),
            difficulty: q.difficulty.label().to_string(),
        }
    }
}

impl EventQuestion {
    pub fn answer(&self) -> &str {
        self.options.get(self.correct).map_or("", String::as_str)
    }
}

/// What the host chose at creation; fixed for the event's life (saved as the event's `config`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub creator: u64,
    pub seed: u64,
    pub category: Option<String>,
    pub difficulty: Option<String>,
    /// How long a question stays open.
    pub timer_ms: i64,
    /// How much longer it stays open for players with extended time.
    pub extra_ms: i64,
    pub teams: Vec<Team>,
    pub questions: Vec<EventQuestion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    pub id: u64,
    pub name: String,
    /// Index into the event's teams.
    pub team: Option<usize>,
    /// Answers are accepted for `extra_ms` longer.
    pub extended: bool,
    pub points: i64,
    pub right: u32,
    pub answered: u32,
}

/// One answer given during the event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// 1-based.
    pub round: u32,
    pub user: u64,
    pub choice: usize,
    pub right: bool,
    /// From the question opening to the click.
    pub time_ms: u32,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Players join; no question yet.
    Lobby,
    /// The current question takes answers until `deadline` (`extended_deadline` for players with extended time).
    Open {
        opened_at: i64,
        deadline: i64,
        extended_deadline: i64,
    },
    /// Time ran out; the host has not revealed the answer yet.
    Closed {
        opened_at: i64,
    },
    /// The answer was shown; the host asks the next question or ends.
    Revealed,
    Ended {
        at: i64,
    },
}

/// Where the event is, as it changes (saved as the event's `state`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Players in the order they joined.
    pub players: Vec<Player>,
    /// Questions asked so far; the current question is number `round` (1-based), none in the lobby.
    pub round: u32,
    pub phase: Phase,
    pub answers: Vec<Answer>,
}

impl Default for State {
    fn default() -> State {
        State {
            players: Vec::new(),
            round: 0,
            phase: Phase::Lobby,
            answers: Vec::new(),
        }
    }
}

/// Why something was not done; each becomes a short private note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Only the creator and co-hosts may do this.
    NotHost,
    /// The event is over.
    Ended,
    /// `next` while question N is still open or unrevealed.
    NotRevealed(u32),
    /// `next` after the last question.
    NoMoreQuestions,
    /// `reveal` with no question asked yet.
    NothingAsked,
    /// `reveal` twice.
    AlreadyRevealed(u32),
    /// A button from an earlier question (or from before the first).
    Stale,
    /// Time ran out for this player.
    TimeUp,
    /// One answer per question.
    Already,
    /// Teams are fixed once the first question is asked: the player stays in this one.
    TeamsFixed(usize),
    NoSuchTeam,
    /// Hosts run the event; they do not play in it.
    HostsDoNotPlay,
}

/// A player joined, or changed team in the lobby.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joined {
    pub team: Option<usize>,
    /// They were not in the event before.
    pub new: bool,
    /// Their team changed (or they are new).
    pub changed: bool,
}

/// An answer taken: persist it as it comes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    pub answer: Answer,
    pub name: String,
    pub team: Option<usize>,
    /// The player joined by answering.
    pub joined: bool,
}

/// The answer to a question, as shown at the reveal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub round: u32,
    /// (user, points), fastest first.
    pub right: Vec<(u64, i64)>,
    /// Answers per option.
    pub split: Vec<usize>,
    pub answers: usize,
}

/// How team scores are counted: the members' sum when every team has the same number of players, their average
/// when sizes differ (so a bigger team does not win by size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamMode {
    Sum,
    Average,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamStanding {
    pub team: usize,
    pub members: usize,
    /// The members' points added up.
    pub total: i64,
}

impl TeamStanding {
    /// The team's score under `mode`.
    pub fn score(&self, mode: TeamMode) -> f64 {
        match mode {
            TeamMode::Sum => self.total as f64,
            TeamMode::Average if self.members == 0 => 0.0,
            TeamMode::Average => self.total as f64 / self.members as f64,
        }
    }

    /// Compare by score under `mode`, exactly (averages compared as fractions), best first.
    fn better(&self, other: &TeamStanding, mode: TeamMode) -> Ordering {
        let by_score = match mode {
            TeamMode::Sum => other.total.cmp(&self.total),
            TeamMode::Average => {
                let a = i128::from(self.total) * other.members.max(1) as i128;
                let b = i128::from(other.total) * self.members.max(1) as i128;
                b.cmp(&a)
            }
        };
        // Teams with players before empty ones, then palette order.
        by_score
            .then((other.members > 0).cmp(&(self.members > 0)))
            .then(self.team.cmp(&other.team))
    }
}

/// One event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub guild: Option<u64>,
    pub channel: u64,
    pub name: String,
    /// The creator first, then co-hosts in the order they were added.
    pub hosts: Vec<u64>,
    pub config: Config,
    pub state: State,
}

impl Event {
    pub fn new(id: i64, guild: Option<u64>, channel: u64, name: String, config: Config) -> Event {
        Event {
            id,
            guild,
            channel,
            name,
            hosts: vec![config.creator],
            config,
            state: State::default(),
        }
    }

    pub fn is_host(&self, user: u64) -> bool {
        self.hosts.contains(&user)
    }

    pub fn is_over(&self) -> bool {
        matches!(self.state.phase, Phase::Ended { .. })
    }

    pub fn rounds(&self) -> u32 {
        self.config.questions.len() as u32
    }

    /// The current (or last asked) question.
    pub fn question(&self) -> Option<&EventQuestion> {
        (self.state.round as usize)
            .checked_sub(1)
            .and_then(|i| self.config.questions.get(i))
    }

    pub fn question_of(&self, round: u32) -> Option<&EventQuestion> {
        (round as usize)
            .checked_sub(1)
            .and_then(|i| self.config.questions.get(i))
    }

    pub fn player(&self, user: u64) -> Option<&Player> {
        self.state.players.iter().find(|p| p.id == user)
    }

    pub fn team(&self, i: usize) -> Option<&Team> {
        self.config.teams.get(i)
    }

    /// The number of players in each team.
    pub fn team_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.config.teams.len()];
        for p in &self.state.players {
            if let Some(t) = p.team {
                if let Some(s) = sizes.get_mut(t) {
                    *s += 1;
                }
            }
        }
        sizes
    }

    /// The smallest team (the first of equals), for players who join without picking one.
    fn smallest_team(&self) -> Option<usize> {
        let sizes = self.team_sizes();
        (0..sizes.len()).min_by_key(|&i| (sizes[i], i))
    }

    fn started(&self) -> bool {
        self.state.round > 0
    }

    /// Add a co-host. Returns `false` if they already host it.
    pub fn add_host(&mut self, by: u64, user: u64) -> Result<bool, Refusal> {
        self.host_check(by)?;
        if self.is_host(user) {
            return Ok(false);
        }
        self.hosts.push(user);
        Ok(true)
    }

    fn host_check(&self, by: u64) -> Result<(), Refusal> {
        if !self.is_host(by) {
            return Err(Refusal::NotHost);
        }
        if self.is_over() {
            return Err(Refusal::Ended);
        }
        Ok(())
    }

    /// Join, or pick a team. `team: None` joins the smallest team when the event has teams. Teams can be changed
    /// in the lobby; once the first question is out, a player's team is fixed (a late joiner may still pick one).
    pub fn join(&mut self, user: u64, name: &str, team: Option<usize>) -> Result<Joined, Refusal> {
        if self.is_over() {
            return Err(Refusal::Ended);
        }
        if self.is_host(user) {
            return Err(Refusal::HostsDoNotPlay);
        }
        if team.is_some_and(|t| t >= self.config.teams.len()) {
            return Err(Refusal::NoSuchTeam);
        }
        let started = self.started();
        if let Some(i) = self.state.players.iter().position(|p| p.id == user) {
            let current = self.state.players[i].team;
            self.state.players[i].name = name.to_string();
            return match (team, current) {
                (None, _) => Ok(Joined {
                    team: current,
                    new: false,
                    changed: false,
                }),
                (Some(t), Some(c)) if t == c => Ok(Joined {
                    team: current,
                    new: false,
                    changed: false,
                }),
                (Some(_), Some(c)) if started => Err(Refusal::TeamsFixed(c)),
                (Some(t), _) => {
                    self.state.players[i].team = Some(t);
                    Ok(Joined {
                        team: Some(t),
                        new: false,
                        changed: true,
                    })
                }
            };
        }
        let team = team.or_else(|| self.smallest_team());
        self.state.players.push(Player {
            id: user,
            name: name.to_string(),
            team,
            extended: false,
            points: 0,
            right: 0,
            answered: 0,
        });
        Ok(Joined {
            team,
            new: true,
            changed: true,
        })
    }

    /// Turn extended time on or off for a player (joining them if needed). Returns the new setting and whether they
    /// joined by this.
    pub fn toggle_extended(&mut self, user: u64, name: &str) -> Result<(bool, Option<Joined>), Refusal> {
        if self.is_host(user) {
            return Err(Refusal::HostsDoNotPlay);
        }
        let joined = if self.player(user).is_none() {
            Some(self.join(user, name, None)?)
        } else if self.is_over() {
            return Err(Refusal::Ended);
        } else {
            None
        };
        let p = self
            .state
            .players
            .iter_mut()
            .find(|p| p.id == user)
            .expect("joined above");
        p.extended = !p.extended;
        Ok((p.extended, joined))
    }

    /// Ask the next question (hosts only; the previous one must have been revealed).
    pub fn next(&mut self, by: u64, now: i64) -> Result<u32, Refusal> {
        self.host_check(by)?;
        match self.state.phase {
            Phase::Open { .. } | Phase::Closed { .. } => return Err(Refusal::NotRevealed(self.state.round)),
            Phase::Ended { .. } => return Err(Refusal::Ended),
            Phase::Lobby | Phase::Revealed => {}
        }
        if self.state.round >= self.rounds() {
            return Err(Refusal::NoMoreQuestions);
        }
        self.state.round += 1;
        self.state.phase = Phase::Open {
            opened_at: now,
            deadline: now + self.config.timer_ms,
            extended_deadline: now + self.config.timer_ms + self.config.extra_ms,
        };
        Ok(self.state.round)
    }

    /// A click on answer `choice` of question `round`. Someone who has not joined joins by answering.
    pub fn answer(&mut self, user: u64, name: &str, round: u32, choice: usize, now: i64) -> Result<Scored, Refusal> {
        if self.is_over() {
            return Err(Refusal::Ended);
        }
        if round != self.state.round || round == 0 {
            return Err(Refusal::Stale);
        }
        let (opened_at, deadline, extended_deadline) = match self.state.phase {
            Phase::Open {
                opened_at,
                deadline,
                extended_deadline,
            } => (opened_at, deadline, extended_deadline),
            Phase::Closed { .. } | Phase::Revealed => return Err(Refusal::TimeUp),
            Phase::Lobby | Phase::Ended { .. } => return Err(Refusal::Stale),
        };
        let q = self.question().ok_or(Refusal::Stale)?;
        if choice >= q.options.len() {
            return Err(Refusal::Stale);
        }
        let right = choice == q.correct;
        if self.is_host(user) {
            return Err(Refusal::HostsDoNotPlay);
        }
        if self.state.answers.iter().any(|a| a.round == round && a.user == user) {
            return Err(Refusal::Already);
        }
        let extended = self.player(user).is_some_and(|p| p.extended);
        let (until, window) = if extended {
            (extended_deadline, self.config.timer_ms + self.config.extra_ms)
        } else {
            (deadline, self.config.timer_ms)
        };
        if now >= until {
            return Err(Refusal::TimeUp);
        }
        let joined = match self.player(user) {
            None => {
                self.join(user, name, None)?;
                true
            }
            Some(_) => false,
        };
        let points = if right {
            let left = (until - now).clamp(0, window.max(1));
            BASE_POINTS + MAX_SPEED_BONUS * left / window.max(1)
        } else {
            0
        };
        let answer = Answer {
            round,
            user,
            choice,
            right,
            time_ms: (now - opened_at).clamp(0, i64::from(u32::MAX)) as u32,
            points,
        };
        self.state.answers.push(answer.clone());
        let p = self
            .state
            .players
            .iter_mut()
            .find(|p| p.id == user)
            .expect("joined above");
        p.answered += 1;
        p.points += points;
        if right {
            p.right += 1;
        }
        Ok(Scored {
            answer,
            name: p.name.clone(),
            team: p.team,
            joined,
        })
    }

    /// When answering closes for everyone: the extended deadline if anyone has extended time.
    pub fn deadline(&self) -> Option<i64> {
        match self.state.phase {
            Phase::Open {
                deadline,
                extended_deadline,
                ..
            } => Some(if self.state.players.iter().any(|p| p.extended) {
                extended_deadline
            } else {
                deadline
            }),
            _ => None,
        }
    }

    /// Let time pass: when the open question's time is up, it closes (the host still reveals it). Returns the
    /// round that closed.
    pub fn tick(&mut self, now: i64) -> Option<u32> {
        let until = self.deadline()?;
        if now < until {
            return None;
        }
        let Phase::Open { opened_at, .. } = self.state.phase else {
            return None;
        };
        self.state.phase = Phase::Closed { opened_at };
        Some(self.state.round)
    }

    /// Close the current question and show its answer (hosts only).
    pub fn reveal(&mut self, by: u64) -> Result<Reveal, Refusal> {
        self.host_check(by)?;
        match self.state.phase {
            Phase::Lobby => return Err(Refusal::NothingAsked),
            Phase::Revealed => return Err(Refusal::AlreadyRevealed(self.state.round)),
            Phase::Ended { .. } => return Err(Refusal::Ended),
            Phase::Open { .. } | Phase::Closed { .. } => {}
        }
        self.state.phase = Phase::Revealed;
        Ok(self.reveal_of(self.state.round))
    }

    /// What a reveal of `round` shows.
    pub fn reveal_of(&self, round: u32) -> Reveal {
        let options = self.question_of(round).map_or(0, |q| q.options.len());
        let mut split = vec![0; options];
        let mut right: Vec<&Answer> = Vec::new();
        let mut answers = 0;
        for a in self.state.answers.iter().filter(|a| a.round == round) {
            answers += 1;
            if let Some(s) = split.get_mut(a.choice) {
                *s += 1;
            }
            if a.right {
                right.push(a);
            }
        }
        right.sort_by_key(|a| a.time_ms);
        Reveal {
            round,
            right: right.iter().map(|a| (a.user, a.points)).collect(),
            split,
            answers,
        }
    }

    /// End the event (hosts only). What was scored stands.
    pub fn end(&mut self, by: u64, now: i64) -> Result<(), Refusal> {
        self.host_check(by)?;
        self.state.phase = Phase::Ended { at: now };
        Ok(())
    }

    /// Players best first: points, then right answers, then who joined first.
    pub fn standings(&self) -> Vec<&Player> {
        let mut v: Vec<&Player> = self.state.players.iter().collect();
        v.sort_by(|a, b| b.points.cmp(&a.points).then(b.right.cmp(&a.right)));
        v
    }

    /// Teams best first, and how their scores are counted.
    pub fn team_standings(&self) -> (TeamMode, Vec<TeamStanding>) {
        let sizes = self.team_sizes();
        let mut totals = vec![0i64; sizes.len()];
        for p in &self.state.players {
            if let Some(t) = p.team.filter(|t| *t < totals.len()) {
                totals[t] += p.points;
            }
        }
        let mut playing = sizes.iter().filter(|s| **s > 0);
        let first = playing.next().copied();
        let mode = if playing.all(|s| Some(*s) == first) {
            TeamMode::Sum
        } else {
            TeamMode::Average
        };
        let mut v: Vec<TeamStanding> = (0..sizes.len())
            .map(|team| TeamStanding {
                team,
                members: sizes[team],
                total: totals[team],
            })
            .collect();
        v.sort_by(|a, b| a.better(b, mode));
        (mode, v)
    }

    /// The event's answers with names and teams, from memory (when no store keeps them).
    pub fn given(&self) -> Vec<Given> {
        self.state
            .answers
            .iter()
            .map(|a| Given {
                round: a.round,
                user: a.user,
                answer: self
                    .question_of(a.round)
                    .and_then(|q| q.options.get(a.choice))
                    .cloned()
                    .unwrap_or_default(),
                right: a.right,
                time_ms: a.time_ms,
                points: a.points,
            })
            .collect()
    }

    /// Who played, with team names, in join order.
    pub fn roster(&self) -> Vec<RosterEntry> {
        self.state
            .players
            .iter()
            .map(|p| RosterEntry {
                user: p.id,
                name: p.name.clone(),
                team: p.team.and_then(|t| self.team(t)).map(|t| t.name.clone()),
            })
            .collect()
    }
}

/// One answer as exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Given {
    pub round: u32,
    pub user: u64,
    /// The option's text.
    pub answer: String,
    pub right: bool,
    pub time_ms: u32,
    pub points: i64,
}

/// A player as exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub user: u64,
    pub name: String,
    pub team: Option<String>,
}

/// A question as the summary shows it: how many missed it, and what it teaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missed {
    pub round: u32,
    pub question: EventQuestion,
    pub right: usize,
    /// Wrong answers and no answer.
    pub missed: usize,
    pub players: usize,
}

/// What `/event export` sends: the results (one row per player per question asked) and the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub results_csv: String,
    pub summary_csv: String,
    /// Most missed first.
    pub missed: Vec<Missed>,
    pub rows: usize,
}

/// The header of the results CSV.
pub const RESULTS_HEADER: [&str; 9] = [
    "event", "round", "question", "player", "team", "answer", "right", "time_ms", "points",
];
/// The header of the summary CSV.
pub const SUMMARY_HEADER: [&str; 9] = [
    "round",
    "question",
    "right_answer",
    "right",
    "missed",
    "players",
    "missed_pct",
    "explanation",
    "source",
];

/// Build the export from the event's questions, its players and the answers they gave. Every player gets a row for
/// every question asked; a question they did not answer has an empty answer and time, `no` and 0 points.
pub fn export(event: &Event, roster: &[RosterEntry], given: &[Given]) -> Export {
    let asked = event.state.round.min(event.rounds());
    let mut rows = vec![RESULTS_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let mut missed = Vec::new();
    for round in 1..=asked {
        let Some(q) = event.question_of(round) else { continue };
        let mut right = 0;
        for p in roster {
            let g = given.iter().find(|g| g.round == round && g.user == p.user);
            if g.is_some_and(|g| g.right) {
                right += 1;
            }
            rows.push(vec![
                event.name.clone(),
                round.to_string(),
                q.text.clone(),
                p.name.clone(),
                p.team.clone().unwrap_or_default(),
                g.map(|g| g.answer.clone()).unwrap_or_default(),
                if g.is_some_and(|g| g.right) { "yes" } else { "no" }.to_string(),
                g.map(|g| g.time_ms.to_string()).unwrap_or_default(),
                g.map_or(0, |g| g.points).to_string(),
            ]);
        }
        // Someone who answered and was then forgotten (or never joined) still counts in the summary.
        let extra: Vec<&Given> = given
            .iter()
            .filter(|g| g.round == round && !roster.iter().any(|p| p.user == g.user))
            .collect();
        right += extra.iter().filter(|g| g.right).count();
        let players = roster.len() + extra.len();
        missed.push(Missed {
            round,
            question: q.clone(),
            right,
            missed: players - right,
            players,
        });
    }
    missed.sort_by(|a, b| {
        b.missed
            .cmp(&a.missed)
            .then(a.right.cmp(&b.right))
            .then(a.round.cmp(&b.round))
    });
    let mut summary = vec![SUMMARY_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for m in &missed {
        let pct = (m.missed * 100 + m.players / 2).checked_div(m.players).unwrap_or(0);
        summary.push(vec![
            m.round.to_string(),
            m.question.text.clone(),
            m.question.answer().to_string(),
            m.right.to_string(),
            m.missed.to_string(),
            m.players.to_string(),
            pct.to_string(),
            m.question.explanation.clone(),
            m.question.source.clone(),
        ]);
    }
    Export {
        rows: rows.len() - 1,
        results_csv: csv(&rows),
        summary_csv: csv(&summary),
        missed,
    }
}

/// RFC 4180 CSV (LF line ends): fields with commas, quotes or line breaks are quoted, quotes doubled. Text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first: player names are chosen by players) gets a `'`.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn csv_cell(cell: &str) -> String {
    let numeric = !cell.is_empty() && cell.parse::<f64>().is_ok();
    let cell = if !numeric && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// Parse CSV as [`csv`] writes it (for tests and tools reading an export back).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, correct: usize) -> EventQuestion {
        EventQuestion {
            id: id.into(),
            text: format!("Question {id}?"),
            options: vec!["A1".into(), "B1".into(), "C1".into(), "D1".into()],
            correct,
            explanation: format!("Because {id}."),
            source: "https://example.org".into(),
            difficulty: "easy".into(),
        }
    }

    fn event(teams: usize) -> Event {
        let config = Config {
            creator: 1,
            seed: 7,
            category: None,
            difficulty: None,
            timer_ms: 20_000,
            extra_ms: 10_000,
            teams: parse_teams(&teams.to_string()).unwrap(),
            questions: vec![q("q1", 0), q("q2", 1), q("q3", 2)],
        };
        Event::new(5, Some(1), 10, "Club night".into(), config)
    }

    #[test]
    fn teams_from_a_count_or_names() {
        let t = parse_teams("3").unwrap();
        assert_eq!(
            t.iter().map(Team::label).collect::<Vec<_>>(),
            ["🔴 Red", "🔵 Blue", "🟢 Green"]
        );
        let t = parse_teams("Comets, Rockets").unwrap();
        assert_eq!((t[0].name.as_str(), t[1].mark.as_str()), ("Comets", "🔵"));
        assert!(parse_teams("none").unwrap().is_empty());
        assert!(parse_teams("7").is_err());
        assert!(parse_teams("Solo").is_err());
        assert!(parse_teams("Stars, stars").is_err());
    }

    #[test]
    fn joining_balances_teams_and_teams_are_fixed_once_questions_start() {
        let mut e = event(2);
        assert_eq!(e.join(11, "ann", None).unwrap().team, Some(0));
        assert_eq!(e.join(12, "bo", None).unwrap().team, Some(1));
        assert_eq!(e.join(13, "cy", None).unwrap().team, Some(0));
        // In the lobby a player may move.
        assert!(e.join(13, "cy", Some(1)).unwrap().changed);
        assert_eq!(e.join(14, "di", Some(7)), Err(Refusal::NoSuchTeam));
        e.next(1, 0).unwrap();
        assert_eq!(e.join(13, "cy", Some(0)), Err(Refusal::TeamsFixed(1)));
        assert!(!e.join(13, "cy", Some(1)).unwrap().changed);
    }

    #[test]
    fn only_hosts_pace_the_event_and_each_step_comes_in_order() {
        let mut e = event(0);
        assert_eq!(e.next(2, 0), Err(Refusal::NotHost));
        assert_eq!(e.reveal(1), Err(Refusal::NothingAsked));
        assert_eq!(e.add_host(2, 3), Err(Refusal::NotHost));
        assert_eq!(e.add_host(1, 2), Ok(true));
        assert_eq!(e.next(2, 0), Ok(1));
        assert_eq!(e.next(1, 0), Err(Refusal::NotRevealed(1)));
        assert!(e.reveal(2).is_ok());
        assert_eq!(e.reveal(2), Err(Refusal::AlreadyRevealed(1)));
        assert_eq!(e.end(3, 0), Err(Refusal::NotHost));
        e.next(1, 0).unwrap();
        e.reveal(1).unwrap();
        e.next(1, 0).unwrap();
        e.reveal(1).unwrap();
        assert_eq!(e.next(1, 0), Err(Refusal::NoMoreQuestions));
        e.end(1, 9).unwrap();
        assert_eq!(e.next(1, 0), Err(Refusal::Ended));
    }

    #[test]
    fn extended_time_keeps_a_question_open_longer_for_those_who_need_it() {
        let mut e = event(0);
        e.join(11, "ann", None).unwrap();
        e.join(12, "bo", None).unwrap();
        assert_eq!(e.toggle_extended(12, "bo"), Ok((true, None)));
        e.next(1, 1_000).unwrap();
        assert_eq!(e.deadline(), Some(31_000));
        assert_eq!(e.answer(11, "ann", 1, 0, 21_000), Err(Refusal::TimeUp));
        let s = e.answer(12, "bo", 1, 0, 21_000).unwrap();
        assert!(s.answer.right && s.answer.time_ms == 20_000);
        // 10 s of 30 left: a third of the bonus.
        assert_eq!(s.answer.points, BASE_POINTS + MAX_SPEED_BONUS / 3);
        assert_eq!(e.tick(30_999), None);
        assert_eq!(e.tick(31_000), Some(1));
        assert_eq!(e.deadline(), None);
        assert_eq!(e.answer(11, "ann", 1, 0, 31_000), Err(Refusal::TimeUp));
    }

    #[test]
    fn answers_are_taken_once_and_old_buttons_are_stale() {
        let mut e = event(2);
        e.next(1, 0).unwrap();
        assert_eq!(e.answer(1, "host", 1, 0, 1_000), Err(Refusal::HostsDoNotPlay));
        assert_eq!(e.join(1, "host", None), Err(Refusal::HostsDoNotPlay));
        let s = e.answer(21, "late", 1, 0, 1_000).unwrap();
        assert!(s.joined, "answering joins");
        assert_eq!(e.answer(21, "late", 1, 1, 2_000), Err(Refusal::Already));
        e.reveal(1).unwrap();
        e.next(1, 5_000).unwrap();
        assert_eq!(e.answer(21, "late", 1, 0, 6_000), Err(Refusal::Stale));
        assert_eq!(e.answer(21, "late", 2, 9, 6_000), Err(Refusal::Stale));
    }

    #[test]
    fn team_scores_are_sums_for_equal_teams_and_averages_otherwise() {
        let mut e = event(2);
        e.join(11, "ann", Some(0)).unwrap();
        e.join(12, "bo", Some(1)).unwrap();
        e.next(1, 0).unwrap();
        e.answer(11, "ann", 1, 0, 0).unwrap(); // 15
        e.answer(12, "bo", 1, 0, 10_000).unwrap(); // 12
        let (mode, t) = e.team_standings();
        assert_eq!(mode, TeamMode::Sum);
        assert_eq!((t[0].team, t[0].total), (0, 15));
        e.join(13, "cy", Some(1)).unwrap(); // Blue: 12 over 2 players
        let (mode, t) = e.team_standings();
        assert_eq!(mode, TeamMode::Average);
        assert_eq!((t[0].team, t[1].score(mode)), (0, 6.0));
    }

    #[test]
    fn export_has_a_row_per_player_per_question_and_the_most_missed_first() {
        let mut e = event(2);
        e.join(11, "ann", Some(0)).unwrap();
        e.join(12, "=bo, \"the\" great", Some(1)).unwrap();
        e.next(1, 0).unwrap();
        e.answer(11, "ann", 1, 0, 2_000).unwrap();
        e.reveal(1).unwrap();
        e.next(1, 0).unwrap();
        e.answer(11, "ann", 2, 0, 3_000).unwrap();
        e.answer(12, "=bo, \"the\" great", 2, 0, 4_000).unwrap();
        let x = export(&e, &e.roster(), &e.given());
        assert_eq!(x.rows, 4);
        let rows = parse_csv(&x.results_csv);
        assert_eq!(rows[0], RESULTS_HEADER);
        assert_eq!(
            rows[1],
            [
                "Club night",
                "1",
                "Question q1?",
                "ann",
                "Red",
                "A1",
                "yes",
                "2000",
                "14"
            ]
        );
        assert_eq!(
            rows[2],
            [
                "Club night",
                "1",
                "Question q1?",
                "'=bo, \"the\" great",
                "Blue",
                "",
                "no",
                "",
                "0"
            ]
        );
        let summary = parse_csv(&x.summary_csv);
        assert_eq!(summary[1][..7], ["2", "Question q2?", "B1", "0", "2", "2", "100"]);
        assert_eq!(summary[1][7], "Because q2.");
    }
}
