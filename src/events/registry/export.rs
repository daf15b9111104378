//! `/event export`: finding the event asked for (by id, in this channel, or the server's latest), and its results from
//! the store (or from memory, without one).

use super::{from_row, Events, LIST_LIMIT};
use crate::context::Caller;
use crate::events::{export, render, Event, Given, RosterEntry};
use crate::reply::Reply;
use crate::store::Store;

impl Events {
    /// The event an export asks for: by id, else the one open in this channel, else this server's latest.
    async fn find_for_export(&self, req: &Caller, id: Option<i64>, store: Option<&Store>) -> Result<Event, Reply> {
        let guild = req
            .guild
            .ok_or_else(|| Reply::error("Events are per server: ask in a server."))?;
        let id = match id {
            Some(id) => Some(id),
            None => {
                let map = self.map();
                Self::in_channel(&map, req.channel).or_else(|| {
                    // Without a store, the latest in memory (local ids count down): this channel's first.
                    let latest = |here: bool| {
                        map.values()
                            .filter(|e| e.guild == Some(guild) && (!here || e.channel == req.channel))
                            .map(|e| e.id)
                            .min()
                    };
                    latest(true).or_else(|| latest(false)).filter(|_| store.is_none())
                })
            }
        };
        let id = match (id, store) {
            (Some(id), _) => id,
            (None, Some(store)) => match store.list_events(guild, LIST_LIMIT).await {
                // This channel's latest, else the server's.
                Ok(rows) => rows
                    .iter()
                    .find(|r| r.channel_id == req.channel)
                    .or(rows.first())
                    .map(|r| r.id)
                    .ok_or_else(|| Reply::error("This server has no events yet."))?,
                Err(e) => {
                    return Err(Reply::error(format!(
                        "I could not read the events: {e}. Try again in a moment."
                    )))
                }
            },
            (None, None) => return Err(Reply::error("This server has no events yet.")),
        };
        let in_memory = self.map().get(&id).cloned();
        let event = match (in_memory, store) {
            (Some(e), _) => e,
            (None, Some(store)) => match store.load_event(id).await {
                Ok(Some(row)) => {
                    from_row(&row).map_err(|why| Reply::error(format!("Event #{id} cannot be read: {why}")))?
                }
                Ok(None) => return Err(Reply::error(format!("There is no event #{id} in this server."))),
                Err(e) => {
                    return Err(Reply::error(format!(
                        "I could not read event #{id}: {e}. Try again in a moment."
                    )))
                }
            },
            (None, None) => return Err(Reply::error(format!("There is no event #{id} in this server."))),
        };
        if event.guild != Some(guild) {
            return Err(Reply::error(format!("There is no event #{id} in this server.")));
        }
        if !event.is_host(req.user.id) && !req.perms.manage_events {
            return Err(Reply::error(
                "Only the event's hosts, or someone with Manage Events, can download its results.",
            ));
        }
        Ok(event)
    }

    pub(super) async fn export(&self, req: &Caller, id: Option<i64>, store: Option<&Store>) -> Reply {
        let event = match self.find_for_export(req, id, store).await {
            Ok(e) => e,
            Err(r) => return r,
        };
        // The store's record when there is one (it is what was saved, minus anyone forgotten since).
        let (roster, given) = match (store, event.id > 0) {
            (Some(store), true) => {
                let people = store.load_event(event.id).await;
                let answers = store.event_answers(event.id).await;
                match (people, answers) {
                    (Ok(Some(row)), Ok(answers)) => {
                        let roster: Vec<RosterEntry> = row
                            .players
                            .into_iter()
                            .map(|p| RosterEntry {
                                user: p.user_id,
                                name: p.user_name,
                                team: p.team,
                            })
                            .collect();
                        let given: Vec<Given> = answers
                            .into_iter()
                            .map(|a| Given {
                                round: a.round,
                                user: a.user_id,
                                answer: a.answer,
                                right: a.right,
                                time_ms: a.time_ms,
                                points: a.points,
                            })
                            .collect();
                        (roster, given)
                    }
                    (Err(e), _) | (_, Err(e)) => {
                        return Reply::error(format!("I could not read the results: {e}. Try again in a moment."))
                    }
                    (Ok(None), _) => return Reply::error(format!("There is no event #{} any more.", event.id)),
                }
            }
            _ => (event.roster(), event.given()),
        };
        let x = export(&event, &roster, &given);
        render::export(&event, &x, roster.len())
    }
}
