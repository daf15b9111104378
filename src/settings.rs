//! A server's own settings (`/settings`): defaults for `/trivia start` (rounds, timer, category, difficulty), the
//! channels where games may run, the roles that may start them, and a cooldown between games in one channel.
//!
//! Kept in the store and cached here per server (a server is served by one process, so the cache stays true).
//! Trivia reads them through [`Ctx::settings`](crate::context::Ctx); this module answers the commands and shows
//! them. Without a store, every server has the bot's defaults and changing them says why it cannot.

use crate::context::{Ctx, Scores};
use crate::present;
use crate::reply::{colour, Reply};
use crate::store::ServerSettings;
use crate::trivia::game;
use crate::trivia::question::{Filter, CATEGORIES};
use std::collections::HashMap;
use std::sync::Mutex;

/// The longest cooldown between games in one channel, in seconds (an hour).
pub const MAX_COOLDOWN_S: i64 = 3600;

/// The `/settings` commands, with their arguments read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsCmd {
    /// `/settings show`: anyone.
    Show,
    /// `/settings set …`: change the given values (Manage Server).
    Set(Change),
    /// `/settings channels action channel`: where games may run.
    Channels { action: ListAction, channel: Option<u64> },
    /// `/settings roles action role`: who may start games.
    Roles { action: ListAction, role: Option<u64> },
    /// `/settings reset`: back to the bot's defaults.
    Reset,
}

/// What `/settings set` changes; `None` leaves a value as it is. `Some(None)` for category or difficulty goes back
/// to "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub rounds: Option<i64>,
    pub timer: Option<i64>,
    pub category: Option<Option<String>>,
    pub difficulty: Option<Option<String>>,
    pub cooldown: Option<i64>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        *self == Change::default()
    }
}

/// What to do with a list of channels or roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListAction {
    Add,
    Remove,
    /// Any channel, or everyone: empty the list.
    Clear,
}

/// The settings every server has until it changes them.
pub const DEFAULT: ServerSettings = ServerSettings {
    rounds: None,
    timer_s: None,
    category: None,
    difficulty: None,
    channels: Vec::new(),
    roles: Vec::new(),
    cooldown_s: 0,
};

/// Each server's settings, read once from the store.
#[derive(Default)]
pub struct Registry {
    cache: Mutex<HashMap<u64, ServerSettings>>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// A server's settings: from the cache, else the store; the defaults without a server or a readable store
    /// (not cached then, so they are read again once the store is back).
    pub async fn of(&self, guild: Option<u64>, store: Scores<'_>) -> ServerSettings {
        let Some(guild) = guild else {
            return DEFAULT;
        };
        if let Some(s) = self.lock().get(&guild) {
            return s.clone();
        }
        let Ok(store) = store else {
            return DEFAULT;
        };
        match store.settings(guild).await {
            Ok(s) => {
                self.lock().insert(guild, s.clone());
                s
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not read a server's settings; using the defaults");
                DEFAULT
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, ServerSettings>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers a `/settings` command. `bot` is the bot's own game settings (the defaults shown).
    pub async fn command(&self, cmd: SettingsCmd, cx: &Ctx<'_>, bot: &game::Settings) -> Reply {
        let Some(guild) = cx.caller.guild else {
            return Reply::error("Settings belong to a server: use `/settings` in one.");
        };
        let now = cx.settings.clone();
        let mut new = now.clone();
        let what = match cmd {
            SettingsCmd::Show => return show(&now, bot),
            SettingsCmd::Reset => {
                new = DEFAULT;
                "Every setting is back to the bot's default.".to_string()
            }
            SettingsCmd::Set(change) => match apply(&mut new, change) {
                Ok(what) => what,
                Err(Invalid(why)) => return Reply::error(why),
            },
            SettingsCmd::Channels { action, channel } => {
                match edit_list(&mut new.channels, action, channel, "channel") {
                    Ok(()) if new.channels.is_empty() => "Games may now run in any channel.".to_string(),
                    Ok(()) => format!("Games may now run in {}.", present::mentions(&new.channels, "#")),
                    Err(Invalid(why)) => return Reply::error(why),
                }
            }
            SettingsCmd::Roles { action, role } => match edit_list(&mut new.roles, action, role, "role") {
                Ok(()) if new.roles.is_empty() => "Everyone may now start games.".to_string(),
                Ok(()) => format!(
                    "Games may now be started by members with {} (and anyone with Manage Server).",
                    present::mentions(&new.roles, "@&")
                ),
                Err(Invalid(why)) => return Reply::error(why),
            },
        };
        let store = match cx.store {
            Ok(s) => s,
            Err(why) => {
                return Reply::error(format!(
                    "Settings cannot be saved right now: {why}. Nothing was changed; games use the defaults."
                ))
            }
        };
        if let Err(e) = store.save_settings(guild, &new, cx.caller.user.id, cx.now).await {
            return Reply::error(format!(
                "I could not save the settings: {e}. Nothing was changed; try again."
            ));
        }
        self.lock().insert(guild, new.clone());
        let mut r = show(&new, bot);
        r.text = format!("✅ {what}\n\n{}", r.text);
        r
    }
}

/// Why a change was refused, for the one who asked.
struct Invalid(String);

impl From<String> for Invalid {
    fn from(s: String) -> Invalid {
        Invalid(s)
    }
}

fn bad<T>(why: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid(why.into()))
}

/// Applies `/settings set`; says what changed, or why nothing did.
fn apply(s: &mut ServerSettings, c: Change) -> Result<String, Invalid> {
    if c.is_empty() {
        return bad(
            "Give at least one setting to change: `rounds`, `timer`, `category`, `difficulty` or `cooldown` \
                    (see `/help settings`).",
        );
    }
    let (max_rounds, (min_t, max_t)) = (crate::trivia::MAX_ROUNDS, crate::trivia::TIMER_S);
    let mut said = Vec::new();
    if let Some(r) = c.rounds {
        if !(1..=max_rounds).contains(&r) {
            return bad(format!("`rounds` must be between 1 and {max_rounds}, not {r}."));
        }
        s.rounds = Some(r as u32);
        said.push(format!(
            "{} per game",
            present::plural(r as usize, "question", "questions")
        ));
    }
    if let Some(t) = c.timer {
        if !(min_t..=max_t).contains(&t) {
            return bad(format!("`timer` must be between {min_t} and {max_t} seconds, not {t}."));
        }
        s.timer_s = Some(t as u32);
        said.push(format!("{t} s per question"));
    }
    if let Some(cat) = c.category {
        Filter::from_values(cat.as_deref(), None)?;
        said.push(category_name(cat.as_deref()));
        s.category = cat;
    }
    if let Some(d) = c.difficulty {
        Filter::from_values(None, d.as_deref())?;
        said.push(match &d {
            Some(d) => format!("{d} questions"),
            None => "any difficulty".into(),
        });
        s.difficulty = d;
    }
    if let Some(cd) = c.cooldown {
        if !(0..=MAX_COOLDOWN_S).contains(&cd) {
            return bad(format!(
                "`cooldown` must be between 0 and {MAX_COOLDOWN_S} seconds (an hour), not {cd}."
            ));
        }
        s.cooldown_s = cd as u32;
        said.push(if cd == 0 {
            "no cooldown".into()
        } else {
            format!("a cooldown of {} between games", present::duration_s(cd))
        });
    }
    Ok(format!("Saved: {}.", said.join(", ")))
}

fn edit_list(list: &mut Vec<u64>, action: ListAction, id: Option<u64>, kind: &str) -> Result<(), Invalid> {
    match (action, id) {
        (ListAction::Clear, _) => list.clear(),
        (_, None) => return bad(format!("Say which {kind}: `{kind}:` is needed to add or remove one.")),
        (ListAction::Add, Some(id)) if list.contains(&id) => {
            return bad(format!("That {kind} is already on the list."))
        }
        (ListAction::Add, Some(_)) if list.len() >= 25 => {
            return bad(format!("At most 25 of them: remove a {kind} first."))
        }
        (ListAction::Add, Some(id)) => list.push(id),
        (ListAction::Remove, Some(id)) if !list.contains(&id) => {
            return bad(format!("That {kind} is not on the list."))
        }
        (ListAction::Remove, Some(id)) => list.retain(|x| *x != id),
    }
    Ok(())
}

fn category_name(c: Option<&str>) -> String {
    match c.and_then(|c| CATEGORIES.iter().find(|(_, v)| *v == c)) {
        Some((name, _)) => format!("questions about {name}"),
        None => "every category".into(),
    }
}

/// The settings as a card: what `/trivia start` with no options plays, then each setting, marking the defaults.
pub fn show(s: &ServerSettings, bot: &game::Settings) -> Reply {
    let rounds = s.rounds.map_or(bot.rounds, |r| r as usize);
    let timer = s.timer_s.map_or(bot.timer_ms / 1000, i64::from);
    let mut summary = format!(
        "`/trivia start` with no options plays **{}** of **{timer} s**, {}, {}.",
        present::plural(rounds, "question", "questions"),
        category_name(s.category.as_deref()),
        match &s.difficulty {
            Some(d) => format!("{d} only"),
            None => "any difficulty".into(),
        }
    );
    let default = |set: bool| if set { "" } else { " (default)" };
    summary.push_str(&format!(
        "\nGames run in {}; {} start them.",
        if s.channels.is_empty() {
            "any channel".to_string()
        } else {
            present::mentions(&s.channels, "#")
        },
        if s.roles.is_empty() {
            "everyone may".to_string()
        } else {
            format!(
                "members with {} (or Manage Server) may",
                present::mentions(&s.roles, "@&")
            )
        }
    ));
    let mut r = Reply::card("Settings for this server").with_text(summary);
    r.colour = Some(colour::TRIVIA);
    r = r
        .field("Rounds", format!("{rounds}{}", default(s.rounds.is_some())), true)
        .field("Timer", format!("{timer} s{}", default(s.timer_s.is_some())), true)
        .field(
            "Category",
            match s
                .category
                .as_deref()
                .and_then(|c| CATEGORIES.iter().find(|(_, v)| *v == c))
            {
                Some((name, _)) => name.to_string(),
                None => "any (default)".into(),
            },
            true,
        )
        .field(
            "Difficulty",
            s.difficulty.clone().unwrap_or_else(|| "any (default)".into()),
            true,
        )
        .field(
            "Cooldown",
            if s.cooldown_s == 0 {
                "none (default)".to_string()
            } else {
                present::duration_s(i64::from(s.cooldown_s))
            },
            true,
        );
    r.footer = Some("Server managers change these with /settings set, /settings channels and /settings roles.".into());
    // Only the asker sees it: settings are not news for the whole channel.
    r.ephemeral = true;
    r.fit()
}
