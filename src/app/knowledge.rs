//! The knowledge base the app serves: read by every command, replaced by `/reload` while games keep theirs.

use super::App;
use crate::kb::{KnowledgeBase, ReloadError};
use crate::reply::Reply;
use std::sync::atomic::Ordering;
use std::sync::Arc;

impl App {
    /// The knowledge base now serving.
    pub fn kb(&self) -> Arc<KnowledgeBase> {
        self.kb.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serve a new knowledge base from the next command on; running games keep their questions.
    pub fn replace_kb(&self, kb: KnowledgeBase) {
        *self.kb.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(kb);
        self.kb_generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Which knowledge base is being served: a different number after every reload. A reply kept from a pure
    /// command is good while this stays the number read before the command ran.
    pub fn kb_generation(&self) -> u64 {
        self.kb_generation.load(Ordering::SeqCst)
    }

    /// Load and check the knowledge base again, on a blocking thread. On success the new data serves the next
    /// command (running games keep their questions) and its summary comes back; on any problem the old data keeps
    /// serving.
    pub async fn reload(&self) -> Result<String, ReloadError> {
        let dir = self.data_dir.clone().ok_or(ReloadError::NoDataDir)?;
        let loaded = tokio::task::spawn_blocking(move || crate::kb::load_dir(&dir))
            .await
            .map_err(|e| ReloadError::Failed(e.to_string()))?;
        match loaded {
            Ok(kb) => {
                let summary = kb.summary();
                self.replace_kb(kb);
                tracing::info!(%summary, "knowledge base reloaded");
                Ok(summary)
            }
            Err(e) => {
                tracing::warn!(problems = e.problems.len(), "reload refused: the data has problems");
                Err(ReloadError::Invalid(e))
            }
        }
    }

    pub(super) async fn reload_command(&self) -> Reply {
        match self.reload().await {
            Ok(summary) => Reply::note(format!("Reloaded: {summary}. Running games keep their questions.")),
            Err(e) => Reply::error(format!(
                "The data was NOT reloaded; the old data keeps serving. Problems:\n```\n{}\n```",
                crate::text::truncate(&e.to_string(), 1800)
            )),
        }
    }
}
