//! Where a running game's points go, and what its players are told when they go nowhere.
//!
//! A game saves into the store it started on. Started while there was none (the database locked, missing, not
//! configured), it runs without saving and says so in its intro, its reveals and its final scores. When the store it
//! started on is replaced while it runs (the file was deleted and made anew), the new database does not know the
//! game: it stops saving and says so, rather than writing into whatever game has the same number in the new file.

use crate::context::Scores;
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Where one game's points go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Saving {
    /// Into the store with this instance number (the one the game started on).
    To(u64),
    /// Nowhere: why, as players read it.
    Not(String),
}

impl Saving {
    /// A game starting now, with `store`: where its points will go, and the line its intro carries when nowhere.
    pub(super) fn starting(started: Result<&Store, &StoreError>) -> (Saving, Option<String>) {
        match started {
            Ok(store) => (Saving::To(store.instance()), None),
            Err(StoreError::NotConfigured) => (
                Saving::Not("no score database is configured".into()),
                Some("⚠ Points in this game are not kept: no score database is configured.".into()),
            ),
            Err(e) => (
                Saving::Not("the score database was unavailable when it started".into()),
                Some(format!(
                    "⚠ Points in this game will not be saved: {e}. The game goes on, and scores are kept again once \
                     the database is back."
                )),
            ),
        }
    }

    /// The store this game's points go to now, or why they cannot be saved.
    pub(super) fn target<'a>(&self, store: Scores<'a>) -> Result<&'a Store, String> {
        match (self, store) {
            (Saving::Not(why), _) => Err(why.clone()),
            (Saving::To(_), Err(e)) => Err(e.to_string()),
            (Saving::To(started_on), Ok(s)) if s.instance() == *started_on => Ok(s),
            (Saving::To(_), Ok(_)) => Err("the score database was made anew after this game started".into()),
        }
    }

    /// The line a reveal or the final scores carry when this game's points are not being saved.
    pub(super) fn warning(&self, store: Scores<'_>) -> Option<String> {
        let why = self.target(store).err()?;
        Some(format!("⚠ Points in this game are not being saved: {why}."))
    }
}

/// Adds `line` (when there is one) to a message's content, below what it says already.
pub(super) fn add_line(content: &mut Option<String>, line: Option<String>) {
    if let Some(line) = line {
        *content = Some(match content.take() {
            Some(c) if !c.is_empty() => format!("{c}\n{line}"),
            _ => line,
        });
    }
}

/// Where each running game's points go, by channel (one game per channel).
#[derive(Default)]
pub(super) struct Ledger(Mutex<HashMap<u64, Saving>>);

impl Ledger {
    fn map(&self) -> MutexGuard<'_, HashMap<u64, Saving>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn set(&self, channel: u64, saving: Saving) {
        self.map().insert(channel, saving);
    }

    /// Where the points of the game in `channel` go (nowhere for a channel with no game).
    pub(super) fn get(&self, channel: u64) -> Saving {
        self.map()
            .get(&channel)
            .cloned()
            .unwrap_or_else(|| Saving::Not("the game is over".into()))
    }

    /// The game in `channel` ended: where its points went, for recording its end.
    pub(super) fn remove(&self, channel: u64) -> Saving {
        self.map()
            .remove(&channel)
            .unwrap_or_else(|| Saving::Not("the game is over".into()))
    }

    /// The line a reveal or the final scores of the game in `channel` carries when its points are not being saved.
    pub(super) fn warning(&self, channel: u64, store: Scores<'_>) -> Option<String> {
        self.get(channel).warning(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_game_saves_only_into_the_store_it_started_on() {
        let first = Store::open_in_memory().await.unwrap();
        let second = Store::open_in_memory().await.unwrap();
        let (saving, intro) = Saving::starting(Ok(&first));
        assert_eq!(intro, None);
        assert!(saving.target(Ok(&first.clone())).is_ok(), "a clone is the same store");
        let moved = saving.target(Ok(&second)).unwrap_err();
        assert!(moved.contains("made anew"), "{moved}");
        let locked = StoreError::Locked { path: "s.db".into() };
        assert!(saving.target(Err(&locked)).unwrap_err().contains("busy or locked"));
    }

    #[test]
    fn a_game_started_without_a_store_says_so_and_never_saves() {
        let locked = StoreError::Locked { path: "s.db".into() };
        let (saving, intro) = Saving::starting(Err(&locked));
        let intro = intro.unwrap();
        assert!(
            intro.contains("will not be saved") && intro.contains("busy or locked"),
            "{intro}"
        );
        let ledger = Ledger::default();
        ledger.set(7, saving);
        let warning = ledger.warning(7, Err(&locked)).unwrap();
        assert!(warning.contains("unavailable when it started"), "{warning}");
        let (none, intro) = Saving::starting(Err(&StoreError::NotConfigured));
        assert!(intro.unwrap().contains("not kept"));
        assert!(none.target(Err(&StoreError::NotConfigured)).is_err());
    }
}
