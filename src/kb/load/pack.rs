//! A teacher's question pack written in TOML: the curated-question format of the shipped data (`[[question]]`
//! entries, nothing else), read by the same reader and checked by the same rules, against a knowledge base already
//! loaded (the missions and agencies a question names must be in it).

use super::cross::{check_questions, IdSet};
use super::entries::read_file;
use super::{Cx, FileInfo, LoadError, Raw};
use crate::kb::model::CuratedQuestion;
use crate::kb::KnowledgeBase;
use std::path::Path;
use toml::de::DeTable;

/// Read and check a pack's TOML `text` (named `file` in problems): its questions, or every problem with line and key.
pub fn load_pack(file: &Path, text: &str, kb: &KnowledgeBase) -> Result<Vec<CuratedQuestion>, LoadError> {
    let mut cx = Cx::default();
    cx.files.push(FileInfo::new(file.to_path_buf(), text));
    let mut raw = Raw::default();
    read_file(&mut cx, 0, DeTable::parse(text), &mut raw, true);
    let missions: IdSet = kb.missions.iter().map(|m| m.id.as_str()).collect();
    let agencies: IdSet = kb.agencies.iter().map(|a| a.id.as_str()).collect();
    let located: Vec<(CuratedQuestion, super::Loc)> =
        raw.questions.into_iter().map(|l| (l.value, (l.at, l.spots))).collect();
    let listed: Vec<(&CuratedQuestion, &super::Loc)> = located.iter().map(|(q, loc)| (q, loc)).collect();
    check_questions(
        &mut cx,
        &listed,
        &missions,
        &agencies,
        " (a pack may name the knowledge base's missions and agencies only)",
    );
    if cx.problems.is_empty() {
        Ok(located.into_iter().map(|(q, _)| q).collect())
    } else {
        let mut problems = cx.problems;
        problems.sort_by_key(|p| p.line);
        Err(LoadError { problems })
    }
}
