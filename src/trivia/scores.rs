//! The score commands: leaderboards, a player's stats, forgetting a player, and resetting a server (with a
//! confirmation button). They read and write the store only; without one they say why.

use super::Period;
use crate::clock;
use crate::context::{Ctx, Scores};
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
    let (since, title) = match period {
        Period::Month => (Some(clock::month_start_ms(cx.now)), "Leaderboard — this month"),
        Period::All => (None, "Leaderboard — all time"),
    };
    match store.leaderboard(guild, since, 10).await {
        Ok(rows) => {
            let mut r = Reply::card(title);
            r.colour = Some(colour::TRIVIA);
            if rows.is_empty() {
                r.text = "Nobody has scored yet. Start a game with `/trivia start`!".into();
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
                        "{} **{}** — {} pts · {} right",
                        present::rank(ranks[i]),
                        crate::text::escape_markdown(&row.user_name),
                        row.points,
                        row.right
                    )
                })
                .collect();
            r.text = lines.join("\n");
            r.fit()
        }
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
    match store.player_stats(guild, who).await {
        Ok(Some(row)) => {
            let mut r = Reply::card(format!("{} — trivia record", row.user_name));
            r.colour = Some(colour::TRIVIA);
            r = r
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
