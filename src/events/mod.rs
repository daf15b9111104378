//! Community education events: a host-paced quiz with teams, a podium, and results to export.
//!
//! A museum, a club or a classroom runs an event with a host on stage. The host decides when the next question
//! comes (`next`), when the answer is shown (`reveal`) and when it is over (`end`); the timer only closes answering.
//! The question list is fixed by a seed at creation, so two classes can play the same quiz.
//!
//! # Layout
//! - this file: [`Event`], the rules as a state machine with no I/O. Time is an argument and what happened comes back
//!   as plain values; the event's configuration and state are serde data, saved as JSON by the caller and read back
//!   after a restart.
//! - [`state`]: what an event keeps: its configuration (fixed at creation) and its state (saved after every change,
//!   read back after a restart), as serde data.
//! - [`teams`]: teams from the `teams` option, and how team scores compare.
//! - [`export`]: the CSV export, a pure function of what was played.
//! - [`render`]: events as replies (lobby, question, reveal, standings, podium, export, list).
//! - [`registry`]: an app's events, the `/event` commands and buttons, saving as things happen, and resuming open
//!   events after a restart.
//!
//! Only button questions are asked: the answer split on the stage screen needs options, and `/answer` belongs to
//! trivia games.

pub mod export;
pub mod registry;
pub mod render;
pub mod state;
pub mod teams;

use crate::trivia::question::Filter;

pub use export::{
    csv, export, parse_csv, Export, Given, Missed, RosterEntry, KEY_HEADER, RESULTS_HEADER, SUMMARY_HEADER,
};
pub use registry::Events;
pub use state::{Answer, Config, EventQuestion, Phase, Player, State};
pub use teams::{parse_teams, Team, TeamMode, TeamStanding, PALETTE};

/// The event commands, with their arguments read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventCmd {
    /// `/event create`: prepare an event in this channel.
    Create(CreateArgs),
    /// `/event next`: ask the next question (hosts).
    Next,
    /// `/event reveal`: close the question and show the answer (hosts).
    Reveal,
    /// `/event scores`: the standings.
    Scores,
    /// `/event end`: the podium (hosts).
    End,
    /// `/event export [id]`: the results as CSV.
    Export { id: Option<i64> },
    /// `/event cohost user`: add a host.
    Cohost { user: u64 },
    /// `/event list`: this server's events.
    List,
    /// `/event preview`: the questions an event with these choices asks, with answers (hosts, private).
    Preview(PreviewArgs),
}

/// What `/event preview` asks for: what decides an event's questions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreviewArgs {
    pub seed: Option<i64>,
    pub rounds: Option<i64>,
    pub filter: Filter,
    pub pack: Option<String>,
    pub mix: bool,
}

/// What `/event create` asks for; what is left out gets the defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateArgs {
    pub name: String,
    pub rounds: Option<i64>,
    pub filter: Filter,
    /// Seconds per question.
    pub timer: Option<i64>,
    /// A count of teams, or their names separated by commas.
    pub teams: Option<String>,
    pub seed: Option<i64>,
    /// Extra seconds for players with extended time.
    pub extended: Option<i64>,
    /// The name of a server's question pack to ask from.
    pub pack: Option<String>,
    /// With `pack`: mixed with the knowledge base's questions.
    pub mix: bool,
}
/// The timer's bounds, in seconds.
pub const MIN_TIMER_S: i64 = 10;
pub const MAX_TIMER_S: i64 = 180;
/// Extra seconds for players with extended time: at most this many.
pub const MAX_EXTRA_S: i64 = 180;
pub const MAX_ROUNDS: i64 = 50;
/// Seeds the bot draws for a host to type back (`seed:` takes up to 2^53 - 1, the most Discord carries exactly).
pub const MAX_SEED: u64 = 1 << 53;
pub const MAX_TEAMS: usize = 6;
/// The longest event or team name.
pub const MAX_NAME: usize = 100;
pub const MAX_TEAM_NAME: usize = 30;

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
    /// The event gives no extended time (`extended:0`).
    NoExtendedTime,
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

    fn player_mut(&mut self, user: u64) -> Option<&mut Player> {
        self.state.players.iter_mut().find(|p| p.id == user)
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
        if self.config.extra_ms <= 0 {
            return Err(Refusal::NoExtendedTime);
        }
        let joined = if self.player(user).is_none() {
            Some(self.join(user, name, None)?)
        } else if self.is_over() {
            return Err(Refusal::Ended);
        } else {
            None
        };
        let p = self.player_mut(user).expect("joined above");
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
        let points = crate::trivia::game::points(right, until - now, window);
        let answer = Answer {
            round,
            user,
            choice,
            right,
            time_ms: (now - opened_at).clamp(0, i64::from(u32::MAX)) as u32,
            points,
        };
        self.state.answers.push(answer.clone());
        let p = self.player_mut(user).expect("joined above");
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
    pub fn standings(&self) -> Vec<Player> {
        let mut v: Vec<Player> = self.state.players.iter().map(|p| self.as_revealed(p)).collect();
        v.sort_by(|a, b| b.points.cmp(&a.points).then(b.right.cmp(&a.right)));
        v
    }

    /// A player as the standings may show them: the open question's points are not shown until it is revealed
    /// (they would give its answer away).
    fn as_revealed(&self, p: &Player) -> Player {
        let mut shown = p.clone();
        if matches!(self.state.phase, Phase::Open { .. } | Phase::Closed { .. }) {
            for a in self
                .state
                .answers
                .iter()
                .filter(|a| a.round == self.state.round && a.user == p.id)
            {
                shown.points -= a.points;
                shown.right -= u32::from(a.right);
            }
        }
        shown
    }

    /// Teams best first, and how their scores are counted.
    pub fn team_standings(&self) -> (TeamMode, Vec<TeamStanding>) {
        let sizes = self.team_sizes();
        let mut totals = vec![0i64; sizes.len()];
        for p in self.state.players.iter().map(|p| self.as_revealed(p)) {
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

#[cfg(test)]
mod tests;
