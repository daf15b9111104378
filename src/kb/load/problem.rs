//! What loading reports: each problem with its file, line and key path, and all of them together.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file or data set.
    pub line: usize,
    /// The key path (`mission[3].partner[0].agency`), empty for file-level problems.
    pub key: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why the knowledge base could not be loaded: every problem found, in file and line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        write!(
            f,
            "{} problem{} found; the knowledge base was not loaded",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for LoadError {}

/// Why a reload did not happen.
#[derive(Debug)]
pub enum ReloadError {
    /// The app was not started from a data directory.
    NoDataDir,
    /// The data has problems: the old data keeps serving.
    Invalid(LoadError),
    /// Loading stopped unexpectedly (a panic on the loading thread).
    Failed(String),
}

impl std::fmt::Display for ReloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReloadError::NoDataDir => {
                f.write_str("this instance was not started from a data directory, so there is nothing to reload")
            }
            ReloadError::Invalid(e) => write!(f, "{e}"),
            ReloadError::Failed(why) => write!(f, "loading failed: {why}"),
        }
    }
}

impl std::error::Error for ReloadError {}
