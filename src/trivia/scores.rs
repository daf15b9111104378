//! The score commands: leaderboards, a player's stats, forgetting a player, and resetting a server (with a
//! confirmation button). They read and write the store only; without one they say why.

use super::Period;
use crate::context::{Caller, Ctx, Scores};
use crate::ids::ButtonId;
use crate::present;
use crate::reply::{colour, Button, ButtonStyle, Reply};
use crate::store::Store;

/// The store, or the message that says why there is none.
fn need(store: Scores<'_>) -> Result<&Store, String> {
    store.map_err(|why| {
        format!("Scores are unavailable right now: {why}. Games still run, and every other command works.")
    })
}

pub async fn leaderboard(cx: &Ctx<'_>, period: Period) -> Reply {
    let Some(guild) = cx.caller.guild else {
        return Reply::error("Leaderboards are per server: ask in a server.");
    };
    let store = match need(cx.store) {
        Ok(s) => s,
        Err(why) => return Reply::error(why),
    };
    match store.leaderboard(guild, period.since(cx.now), 10).await {
        Ok(rows) => {
            let mut r = Reply::card(format!("Leaderboard — {}", period.name()));
            r.colour = Some(colour::TRIVIA);
            if period == Period::Week {
                r.footer = Some("Weeks start on Monday at 00:00 UTC.".into());
            }
            if rows.is_empty() {
                r.text = format!(
                    "Nobody has scored {}. Start a game with `/trivia start`!",
                    match period {
                        Period::All => "yet",
                        Period::Month => "this month yet",
                        Period::Week => "this week yet",
                    }
                );
                return r;
            }
            let ranks = present::shared_ranks(rows.len(), |a, b| {
                (rows[a].points, rows[a].right) == (rows[b].points, rows[b].right)
            });
            let lines: Vec<String> = rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    format!(
                        "{} **{}** — {} · {} right",
                        present::rank(ranks[i]),
                        crate::text::escape_markdown(&row.user_name),
                        if row.points == 1 {
                            "1 pt".to_string()
                        } else {
                            format!("{} pts", row.points)
                        },
                        row.right
                    )
                })
                .collect();
            r.text = lines.join("\n");
            r.buttons = vec![Button::new(
                ButtonId::MyRank(period).encode(),
                "My rank",
                ButtonStyle::Secondary,
            )];
            r.fit()
        }
        Err(e) => Reply::error(format!("I could not read the leaderboard: {e}. Try again in a moment.")),
    }
}

/// A press on a leaderboard's "My rank": the presser's place on that board, privately, with who is just ahead.
pub async fn my_rank(period: Period, caller: &Caller, now_ms: i64, store: Scores<'_>) -> Reply {
    let Some(guild) = caller.guild else {
        return Reply::error("Leaderboards are per server: ask in a server.");
    };
    let store = match need(store) {
        Ok(s) => s,
        Err(why) => return Reply::error(why),
    };
    let board = period.name();
    match store.standing(guild, caller.user.id, period.since(now_ms)).await {
        Ok(Some((me, rank, ahead))) => {
            let mut text = format!(
                "You are **{}** on this server's board for {board}, with {} ({} right).",
                present::ordinal(rank),
                present::points(me.points),
                me.right
            );
            match ahead {
                Some(a) => {
                    let gap = if a.points > me.points {
                        format!("{} more than you", present::points(a.points - me.points))
                    } else {
                        let more = a.right.saturating_sub(me.right) as usize;
                        format!(
                            "as many points, {} more",
                            present::plural(more, "right answer", "right answers")
                        )
                    };
                    text.push_str(&format!(
                        "\nJust ahead of you: **{}** with {} ({gap}).",
                        crate::text::escape_markdown(&a.user_name),
                        present::points(a.points),
                    ));
                }
                None if rank == 1 => text.push_str("\nNobody is ahead of you."),
                None => text.push_str("\nYou share that place: nobody is ahead of the players you are tied with."),
            }
            Reply::note(text)
        }
        Ok(None) => Reply::note(format!(
            "You have no points on this server's board for {board} yet. Join a game with `/trivia start`!"
        )),
        Err(e) => Reply::error(format!("I could not read the leaderboard: {e}. Try again in a moment.")),
    }
}

pub async fn stats(cx: &Ctx<'_>, user: Option<u64>) -> Reply {
    let Some(guild) = cx.caller.guild else {
        return Reply::error("Stats are per server: ask in a server.");
    };
    let store = match need(cx.store) {
        Ok(s) => s,
        Err(why) => return Reply::error(why),
    };
    let who = user.unwrap_or(cx.caller.user.id);
    match store.standing(guild, who, None).await {
        Ok(Some((row, rank, _))) => {
            let mut r = Reply::card(format!("{} — trivia record", row.user_name));
            r.colour = Some(colour::TRIVIA);
            r = r
                .field("Rank", format!("{} of all time", present::ordinal(rank)), true)
                .field("Points", row.points.to_string(), true)
                .field("Right answers", format!("{} of {}", row.right, row.answered), true)
                .field("Games", row.games.to_string(), true)
                .field("Wins", row.wins.to_string(), true)
                .field("Best streak", row.best_streak.to_string(), true);
            r.fit()
        }
        Ok(None) => Reply::error("No trivia record yet on this server. Play a game with `/trivia start`!"),
        Err(e) => Reply::error(format!("I could not read the stats: {e}. Try again in a moment.")),
    }
}

/// A press on a confirmation button (erase the server's scores, or forget me) by `presser`.
pub async fn confirm_press(id: &ButtonId, presser: u64, store: Scores<'_>) -> Reply {
    match *id {
        ButtonId::Reset { confirm, guild, user } => reset_press(confirm, guild, user, presser, store).await,
        ButtonId::Forget { confirm, user } => forget_press(confirm, user, presser, store).await,
        _ => crate::ids::stale_button(),
    }
}

/// `/trivia forget-me`: the question, with buttons only the asker may press.
pub fn forget_me_confirm(cx: &Ctx<'_>) -> Reply {
    let user = cx.caller.user.id;
    let mut r = Reply::note(
        "This deletes everything Rendezvous stored about you, on every server: your points, answers, game history \
         and reports. It cannot be undone. Are you sure?",
    );
    let id = |confirm| ButtonId::Forget { confirm, user }.encode();
    r.buttons = vec![
        Button::new(id(true), "Delete my data", ButtonStyle::Danger),
        Button::new(id(false), "Cancel", ButtonStyle::Secondary),
    ];
    r
}

/// A press on a forget-me button: `asker` made the buttons, `presser` pressed one.
pub async fn forget_press(confirm: bool, asker: u64, presser: u64, store: Scores<'_>) -> Reply {
    if asker != presser {
        return Reply::error("Only the person who asked can confirm deleting their own data.");
    }
    if !confirm {
        return Reply {
            update: true,
            ..Reply::note("Cancelled: nothing was deleted.")
        };
    }
    let store = match need(store) {
        Ok(s) => s,
        Err(why) => return Reply::error(why),
    };
    match store.forget_user(presser).await {
        Ok(n) => Reply {
            update: true,
            ..Reply::note(format!(
                "Done: I deleted everything I stored about you ({}).",
                present::plural(n as usize, "record", "records")
            ))
        },
        Err(e) => Reply::error(format!(
            "I could not delete your data just now: {e}. Nothing was lost; try again."
        )),
    }
}

/// `/trivia-reset`: the question, with buttons only the asker may press.
pub fn reset_confirm(cx: &Ctx<'_>) -> Reply {
    let c = cx.caller;
    let Some(guild) = c.guild else {
        return Reply::error("Leaderboards are per server: ask in a server.");
    };
    let mut r =
        Reply::note("This erases every trivia score on this server, for everyone, and cannot be undone. Are you sure?");
    let id = |confirm| {
        ButtonId::Reset {
            confirm,
            guild,
            user: c.user.id,
        }
        .encode()
    };
    r.buttons = vec![
        Button::new(id(true), "Erase all scores", ButtonStyle::Danger),
        Button::new(id(false), "Cancel", ButtonStyle::Secondary),
    ];
    r
}

/// A press on a reset button: `asker` made the buttons, `presser` pressed one.
pub async fn reset_press(confirm: bool, guild: u64, asker: u64, presser: u64, store: Scores<'_>) -> Reply {
    if asker != presser {
        return Reply::error("Only the person who asked for the reset can confirm it.");
    }
    if !confirm {
        return Reply {
            update: true,
            ..Reply::note("Cancelled: nothing was erased.")
        };
    }
    let store = match need(store) {
        Ok(s) => s,
        Err(why) => return Reply::error(why),
    };
    match store.reset_guild(guild).await {
        Ok(n) => Reply {
            update: true,
            ..Reply::note(format!("Done: this server's trivia scores are erased ({n} records)."))
        },
        Err(e) => Reply::error(format!("The reset failed: {e}. Nothing was erased.")),
    }
}
