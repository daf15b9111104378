//! Event buttons: joining, picking a team, extended time, and answers; each saved as it happens.

use super::{warn_unsaved, Events};
use crate::context::User;
use crate::events::{render, Event, Joined};
use crate::ids::EventAction;
use crate::reply::{Outcome, Reply};
use crate::store::{EventAnswer, Store};

impl Events {
    /// Handle a click on an event button: `action` on question `round` of event `id`.
    pub async fn press(
        &self,
        id: i64,
        round: u32,
        action: EventAction,
        user: &User,
        now: i64,
        store: Option<&Store>,
    ) -> Outcome {
        self.ensure_loaded(store).await;
        enum Done {
            Joined(Joined, Option<String>),
            Extended(bool, Option<Joined>, Option<String>, i64, i64),
            Answered(crate::events::Scored, String),
        }
        let done = {
            let mut map = self.map();
            let Some(e) = map.get_mut(&id).filter(|e| !e.is_over()) else {
                return Reply::error(format!(
                    "This event is over, or this button is from before a restart that ended it. Its hosts can \
                     download the results with `/event export id:{id}`."
                ))
                .into();
            };
            let team_name = |e: &Event, t: Option<usize>| t.and_then(|t| e.team(t)).map(|t| t.name.clone());
            let result = match action {
                EventAction::Join | EventAction::Team(_) => {
                    let team = if let EventAction::Team(t) = action {
                        Some(t)
                    } else {
                        None
                    };
                    e.join(user.id, &user.name, team).map(|j| {
                        let name = team_name(e, j.team);
                        Done::Joined(j, name)
                    })
                }
                EventAction::Extended => e.toggle_extended(user.id, &user.name).map(|(on, j)| {
                    let name = team_name(e, j.as_ref().and_then(|j| j.team));
                    Done::Extended(on, j, name, e.config.timer_ms, e.config.extra_ms)
                }),
                EventAction::Answer(choice) => e.answer(user.id, &user.name, round, choice, now).map(|s| {
                    let q = e
                        .question_of(round)
                        .and_then(|q| q.options.get(choice))
                        .cloned()
                        .unwrap_or_default();
                    Done::Answered(s, q)
                }),
            };
            match result {
                Ok(done) => done,
                Err(why) => return render::refusal(Some(e), &why).into(),
            }
        };
        let mut problem = None;
        let mut note = |r: Result<(), crate::store::StoreError>| {
            if let Err(e) = r {
                problem = Some(e.to_string());
            }
        };
        let text = match &done {
            Done::Joined(j, team) => {
                if j.changed {
                    if let (Some(store), true) = (store, id > 0) {
                        note(store.add_event_player(id, user.id, &user.name, team.as_deref()).await);
                    }
                }
                let team = self.team_label(id, j.team);
                let in_team = team.as_ref().map_or(String::new(), |t| format!(" team {t}"));
                match (j.new, j.changed, team) {
                    (true, _, _) => format!("You're in{in_team}! The questions come when the host asks them."),
                    (false, true, Some(t)) => format!("You're now in team {t}."),
                    (false, _, Some(t)) => format!("You're already in team {t}."),
                    (false, _, None) => "You're already in this event.".to_string(),
                }
            }
            Done::Extended(on, joined, team, timer, extra) => {
                if joined.is_some() {
                    if let (Some(store), true) = (store, id > 0) {
                        note(store.add_event_player(id, user.id, &user.name, team.as_deref()).await);
                    }
                }
                if *on {
                    format!(
                        "Extended time is on for you: your answers are accepted for {} seconds instead of {}. Press \
                         again to turn it off.",
                        (timer + extra) / 1000,
                        timer / 1000
                    )
                } else {
                    format!("Extended time is off for you: {} seconds per question.", timer / 1000)
                }
            }
            Done::Answered(s, option) => {
                if let (Some(store), true) = (store, id > 0) {
                    let team = self.team_name(id, s.team);
                    if s.joined {
                        note(store.add_event_player(id, user.id, &s.name, team.as_deref()).await);
                    }
                    let a = EventAnswer {
                        event_id: id,
                        round: s.answer.round,
                        question_id: self.question_id(id, s.answer.round),
                        user_id: user.id,
                        answer: option.clone(),
                        right: s.answer.right,
                        time_ms: s.answer.time_ms,
                        points: s.answer.points,
                    };
                    note(store.record_event_answer(a).await.map(|_| ()));
                }
                let letter = crate::present::letter(s.answer.choice);
                let joined = if s.joined {
                    let t = self
                        .team_label(id, s.team)
                        .map_or(String::new(), |t| format!(", in team {t}"));
                    format!(" You joined the event{t}.")
                } else {
                    String::new()
                };
                format!("Got it: **{letter}** is locked in. The answer comes when the host reveals it.{joined}")
            }
        };
        if problem.is_none() {
            problem = self.save(store, id).await;
        }
        let mut r = Reply::note(text);
        warn_unsaved(&mut r, problem);
        r.into()
    }
}
