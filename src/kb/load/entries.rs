//! One file's entries: agencies, missions, curated questions, destinations and the `[meta]` table, each read with
//! the checks that concern that entry alone (dates in order, a lead that is not also a partner, a clue that does not
//! give its answer away).

use super::reader::{key_span, suggest, tables_of, Reader};
use super::rules::{self, Field};
use super::{At, Cx, Doc, KeyPath, Located, Raw};
use crate::kb::model::*;
use crate::text::fold;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// Read the entries of one parsed file into `raw`, reporting every problem. A `pack` holds questions only.
pub(super) fn read_file(cx: &mut Cx, file: usize, parsed: Result<Doc<'_>, toml::de::Error>, raw: &mut Raw, pack: bool) {
    let doc = match parsed {
        Ok(doc) => doc,
        Err(e) => {
            let at = Cx::at(file, e.span(), "");
            let msg = e.message().trim().replace('\n', "; ");
            cx.report(&at, format!("TOML syntax error: {msg}"));
            raw.syntax_errors = true;
            return;
        }
    };
    for (key, item) in doc.get_ref().iter() {
        let key: &str = key.get_ref();
        let at = Cx::at(file, Some(key_span(doc.get_ref(), key)), key);
        if pack && key != "question" {
            let hint = suggest(key, &["question"]);
            cx.report(
                &at,
                format!(
                    "a question pack holds only `[[question]]` entries, not `{key}`{hint}: missions, agencies and \
                     destinations belong in the knowledge base (data/)"
                ),
            );
            continue;
        }
        match key {
            "agency" | "mission" | "question" | "destination" => {
                let Some(tables) = tables_of(item) else {
                    cx.report(
                        &at,
                        format!("`{key}` must be an array of tables: write each entry under `[[{key}]]`"),
                    );
                    continue;
                };
                for (table, tspan) in tables {
                    let declared_id = table
                        .get("id")
                        .and_then(|i| i.get_ref().as_str())
                        .map(|s| s.trim().to_string());
                    let index = match key {
                        "agency" => raw.agencies.len(),
                        "mission" => raw.missions.len(),
                        "destination" => raw.destinations.len(),
                        _ => raw.questions.len(),
                    };
                    let path: Arc<str> = Arc::from(format!("{key}[{index}]"));
                    let mut r = Reader::new(cx, file, table, tspan, at.offset, path);
                    match key {
                        "agency" => {
                            let a = read_agency(&mut r, &mut raw.agency_refs);
                            r.finish();
                            if a.is_none() {
                                raw.partial_agencies.extend(declared_id);
                            }
                            raw.agencies.extend(a);
                        }
                        "mission" => {
                            let m = read_mission(&mut r, &mut raw.agency_refs, &mut raw.destination_refs);
                            r.finish();
                            if m.is_none() {
                                raw.partial_missions.extend(declared_id);
                            }
                            raw.missions.extend(m);
                        }
                        "destination" => {
                            let d = read_destination(&mut r, &mut raw.destination_refs);
                            r.finish();
                            raw.destinations.extend(d);
                        }
                        _ => {
                            let q = read_question(&mut r);
                            r.finish();
                            raw.questions.extend(q);
                        }
                    }
                }
            }
            "meta" => {
                let Some(table) = item.get_ref().as_table() else {
                    cx.report(&at, "`meta` must be a table: `[meta]`");
                    continue;
                };
                let mut r = Reader::new(cx, file, table, Some(item.span()), at.offset, Arc::from("meta"));
                let as_of = r.date("as_of", true);
                let here = r.here();
                r.finish();
                // One `[meta]` per file (TOML allows no second); across files, `merge` finds a second one.
                if let Some(as_of) = as_of {
                    raw.meta = Some((here, Meta { as_of }));
                }
            }
            other => {
                let hint = suggest(other, &["agency", "mission", "question", "destination", "meta"]);
                cx.report(
                    &at,
                    format!(
                        "unknown top-level key `{other}`{hint}; expected [[agency]], [[mission]], [[question]], \
                         [[destination]] or [meta]"
                    ),
                );
            }
        }
    }
}

/// The facts of an entry; a mission's facts may have a `clue` (with where it was written, for its checks).
/// A fact as read, with where its text and clue were written (for the checks that need the entry's name).
pub(super) struct FactRow {
    fact: Fact,
    text_at: At,
    clue_at: Option<At>,
}

pub(super) fn read_facts(r: &mut Reader<'_, '_>, clues: bool) -> Vec<FactRow> {
    r.sub_tables("fact", |f| {
        let text = f.string_at("text", true);
        let source = f.url("source", true);
        let clue = if clues { f.string_at("clue", false) } else { None };
        let (text, text_at) = text?;
        Some(FactRow {
            fact: Fact {
                text,
                source: source?,
                clue: clue.as_ref().map(|(c, _)| c.clone()),
            },
            text_at,
            clue_at: clue.map(|(_, at)| at),
        })
    })
    .into_iter()
    .filter_map(|(_, f)| f)
    .collect()
}

/// Where `name` stands in `text` without the article it takes: the words before it, for the message. A determiner
/// ("the", "its", "this", a possessive) before the name is as good as the article.
fn missing_article(text: &str, name: &str) -> Option<String> {
    const DETERMINERS: [&str; 10] = [
        "the ", "its ", "their ", "this ", "that ", "a ", "an ", "'s ", "’s ", "our ",
    ];
    for (at, _) in text.match_indices(name) {
        let before = text[..at].to_lowercase();
        if !DETERMINERS.iter().any(|d| before.ends_with(d)) {
            let start = text[..at].char_indices().rev().nth(20).map_or(0, |(i, _)| i);
            return Some(format!("…{}", &text[start..at + name.len()]));
        }
    }
    None
}

/// The problem of a text that names an entry without the article its data says it takes.
fn article_problem(text: &str, name: &str, key: &str) -> Option<String> {
    missing_article(text, name).map(|seen| {
        format!(
            "`{key}` says `{seen}`: the name takes \"the\" (`article = \"the\"`), so write \"the {name}\" (or use an \
             alias that takes none)"
        )
    })
}

/// What is wrong with a role, if anything: a role says what the agency did, so that it completes a sentence about it
/// ("ESA built the Huygens probe"; questions put it in one).
fn role_problem(role: &str) -> Option<String> {
    let first = role.split_whitespace().next().unwrap_or("");
    let lower = first.to_lowercase();
    let example = "write what the agency did, so that it completes “ESA …” (for example `built the Huygens probe`)";
    if first.chars().next().is_some_and(char::is_uppercase) {
        return Some(format!("starts with `{first}`, a capital: {example}"));
    }
    if ["it", "its", "their", "they", "he", "she", "his", "her"].contains(&lower.as_str()) {
        return Some(format!("starts with the pronoun `{first}`: {example}"));
    }
    if lower.len() > 4 && lower.ends_with("ing") {
        return Some(format!("starts with `{first}`, not a finished verb: {example}"));
    }
    None
}

/// Words of a name that do not give it away: a clue may use them.
pub(super) const GENERIC_WORDS: [&str; 28] = [
    "a",
    "an",
    "and",
    "de",
    "du",
    "for",
    "in",
    "of",
    "on",
    "the",
    "to",
    "space",
    "telescope",
    "station",
    "mission",
    "probe",
    "orbiter",
    "lander",
    "rover",
    "observatory",
    "programme",
    "program",
    "international",
    "satellite",
    "spacecraft",
    "laboratory",
    "flight",
    "explorer",
];

/// A word of `names` that `clue` still contains (folded, whole words), if any: a clue must hide every distinctive
/// word of the names, not only the whole name ("Edwin Hubble" gives the Hubble Space Telescope away).
pub(super) fn clue_leak<'n>(clue: &str, names: impl Iterator<Item = &'n str>) -> Option<String> {
    let folded = fold(clue);
    let clue_words: HashSet<&str> = crate::text::words(&folded).collect();
    for name in names {
        let f = fold(name);
        if f.contains(' ') && (folded == f || folded.contains(&format!("{f} ")) || folded.ends_with(&format!(" {f}"))) {
            return Some(name.to_string());
        }
        for w in crate::text::words(&f) {
            let numeric = w.bytes().all(|b| b.is_ascii_digit());
            if !numeric && w.len() >= 2 && !GENERIC_WORDS.contains(&w) && clue_words.contains(w) {
                return Some(w.to_string());
            }
        }
    }
    None
}

pub(super) fn read_agency(r: &mut Reader<'_, '_>, refs: &mut Vec<(String, At)>) -> Option<Located<Agency>> {
    let id = r.id("id");
    let name = r.string("name", true);
    let acronym = r.string("acronym", false);
    let aliases = r.strings("aliases", false);
    let country = r.string("country", true);
    let kind = r.choice("kind", &AgencyKind::ALL);
    let founded = r.date("founded", false);
    let dissolved = r.date("dissolved", false);
    let headquarters = r.string("headquarters", false);
    let website = r.url("website", false);
    let summary = r.string("summary", true);
    let sources = r.urls("sources", true);
    let takes_the = r.article("article");
    let acronym_takes_the = r.article("acronym_article");
    let successor = r.string_at("successor", false);
    let renown = r.choice_opt("renown", &Renown::ALL).unwrap_or_default();
    let rows = read_facts(r, false);
    if let (true, Some(name)) = (takes_the, &name) {
        for f in &rows {
            if let Some(why) = article_problem(&f.fact.text, name, "text") {
                r.problem(&f.text_at, why);
            }
        }
    }
    let facts: Vec<Fact> = rows.into_iter().map(|f| f.fact).collect();
    if acronym_takes_the && acronym.is_none() {
        let at = r.at_key("acronym_article");
        r.problem(&at, "`acronym_article` is given but the agency has no `acronym`");
    }
    if let Some((s, at)) = &successor {
        if id.as_deref() == Some(s.as_str()) {
            r.problem(
                at,
                "`successor` names the agency itself: give the id of the one that took it over",
            );
        } else {
            refs.push((s.clone(), at.clone()));
        }
    }
    if let (Some(f), Some(d)) = (founded, dissolved) {
        if d.certainly_before(&f) {
            let at = r.at_key("dissolved");
            r.problem(&at, format!("`dissolved` ({d}) comes before `founded` ({f})"));
        }
    }
    Some(r.located(Agency {
        id: AgencyId(id?),
        name: name?,
        acronym,
        aliases,
        country: country?,
        kind: kind?,
        founded,
        dissolved,
        headquarters,
        summary: summary?,
        website,
        facts,
        sources,
        takes_the,
        acronym_takes_the,
        successor: successor.map(|(s, _)| AgencyId(s)),
        renown,
    }))
}

pub(super) fn read_mission(
    r: &mut Reader<'_, '_>,
    refs: &mut Vec<(String, At)>,
    destination_refs: &mut Vec<(String, At)>,
) -> Option<Located<Mission>> {
    let id = r.id("id");
    let name = r.string("name", true);
    let aliases = r.strings("aliases", false);
    let kind = r.choice("kind", &MissionKind::ALL);
    let status = r.choice("status", &Status::ALL);
    let launch = r.date("launch", false);
    let end = r.date("end", false);
    let destination = r.string_at("destination", true);
    if let Some((d, at)) = &destination {
        destination_refs.push((d.clone(), at.clone()));
    }
    let lead = r.id("lead");
    if let Some(l) = &lead {
        refs.push((l.clone(), r.at_key("lead")));
    }
    let lead_role = r.string_at("lead_role", false);
    if let Some((role, at)) = &lead_role {
        if let Some(why) = role_problem(role) {
            r.problem(at, format!("`lead_role` {why}"));
        }
    }
    let lead_role = lead_role.map(|(role, _)| role);
    let summary = r.string_at("summary", true);
    let sources = r.urls("sources", true);
    let partner_rows = r.sub_tables("partner", |p| {
        let agency = p.id("agency");
        let role = p.string_at("role", true);
        if let Some((text, at)) = &role {
            if let Some(why) = role_problem(text) {
                p.problem(at, format!("`role` {why}"));
            }
        }
        let role = role.map(|(text, _)| text);
        let at = p.at_key("agency");
        Some((
            at,
            Partner {
                agency: AgencyId(agency?),
                role: role?,
            },
        ))
    });
    let takes_the = r.article("article");
    let renown = r.choice_opt("renown", &Renown::ALL).unwrap_or_default();
    let partners_complete = r.boolean("partners_complete").unwrap_or(false);
    let partners_source = r.url("partners_source", false);
    if partners_complete && partners_source.is_none() && r.table.get_key_value("partners_source").is_none() {
        let at = r.at_key("partners_complete");
        r.problem(
            &at,
            "`partners_complete = true` needs `partners_source`: the page that lists every agency that took part",
        );
    }
    if !partners_complete && r.table.get_key_value("partners_source").is_some() {
        let at = r.at_key("partners_source");
        r.problem(
            &at,
            "`partners_source` is given without `partners_complete = true`: add that, or remove the source",
        );
    }
    let fact_rows = read_facts(r, true);
    if let Some(name) = &name {
        if takes_the {
            let mut texts: Vec<(&str, &At, &str)> = Vec::new();
            if let Some((text, at)) = &summary {
                texts.push((text, at, "summary"));
            }
            for f in &fact_rows {
                texts.push((&f.fact.text, &f.text_at, "text"));
                if let (Some(clue), Some(at)) = (&f.fact.clue, &f.clue_at) {
                    texts.push((clue, at, "clue"));
                }
            }
            for (text, at, key) in texts {
                if let Some(why) = article_problem(text, name, key) {
                    r.problem(at, why);
                }
            }
        }
        for row in &fact_rows {
            let (f, at) = (&row.fact, &row.clue_at);
            if let (Some(clue), Some(at)) = (&f.clue, at) {
                let names = std::iter::once(name.as_str()).chain(aliases.iter().map(String::as_str));
                if let Some(word) = clue_leak(clue, names) {
                    r.problem(
                        at,
                        format!(
                            "the clue still says `{word}`, a word of the mission's name or aliases: a clue must not give \
                             the answer away (write \"This telescope …\", \"This mission …\")"
                        ),
                    );
                }
            }
        }
    }
    let facts: Vec<Fact> = fact_rows.into_iter().map(|f| f.fact).collect();
    if facts.is_empty() && r.table.get_key_value("fact").is_none() {
        let at = r.here();
        r.problem(&at, "a mission needs at least one `[[mission.fact]]` with a source");
    }
    if let Some(status) = status {
        let written = r.table.get_key_value("launch").is_some();
        if !written && !matches!(status, Status::Planned | Status::Cancelled) {
            let at = At {
                key: KeyPath::Key(r.path.clone(), Cow::Borrowed("launch")),
                ..r.here()
            };
            r.problem(
                &at,
                format!(
                    "missing `launch`: required for a mission whose status is {}",
                    status.label()
                ),
            );
        }
    }
    if let (Some(l), Some(e)) = (launch, end) {
        if e.certainly_before(&l) {
            let at = r.at_key("end");
            r.problem(&at, format!("`end` ({e}) comes before `launch` ({l})"));
        }
    }
    let mut partners: Vec<Partner> = Vec::new();
    for (_, p) in partner_rows {
        if let Some((at, p)) = p {
            refs.push((p.agency.0.clone(), at.clone()));
            if lead.as_deref() == Some(p.agency.as_str()) {
                r.problem(
                    &at,
                    format!(
                        "`{}` is the lead and also listed as a partner: partners are the other agencies",
                        p.agency
                    ),
                );
            } else if partners.iter().any(|q| q.agency == p.agency) {
                r.problem(
                    &at,
                    format!("`{}` is listed as a partner twice: merge the roles", p.agency),
                );
            }
            partners.push(p);
        }
    }
    Some(r.located(Mission {
        id: MissionId(id?),
        name: name?,
        aliases,
        kind: kind?,
        status: status?,
        launch,
        end,
        destination: destination?.0,
        lead: AgencyId(lead?),
        partners,
        lead_role,
        summary: summary?.0,
        facts,
        sources,
        takes_the,
        renown,
        partners_complete,
        partners_source,
    }))
}

pub(super) fn read_destination(r: &mut Reader<'_, '_>, refs: &mut Vec<(String, At)>) -> Option<Located<Destination>> {
    let name = r.string("name", true);
    let article = r.article_of("article", &["the", "a", "an"]);
    let kind = r.choice("kind", &DestinationKind::ALL);
    let around = r.string_at("around", false);
    if let Some((a, at)) = &around {
        refs.push((a.clone(), at.clone()));
    }
    Some(r.located(Destination {
        name: name?,
        article,
        kind: kind?,
        around: around.map(|(a, _)| a),
    }))
}

pub(super) fn read_question(r: &mut Reader<'_, '_>) -> Option<Located<CuratedQuestion>> {
    let id = r.id("id");
    let question = r.string("question", true);
    let options = r.strings("options", false);
    let answer = r.string("answer", true);
    let accept = r.strings("accept", false);
    let explanation = r.string("explanation", true);
    let source = r.url("source", true);
    let difficulty = r.choice("difficulty", &Difficulty::ALL);
    let tags = r.strings("tags", false);
    let missions = r.strings("missions", false);
    let agencies = r.strings("agencies", false);
    // The rules of one question (`rules.rs`), on what could be read: a value that is missing was reported above.
    let draft = CuratedQuestion {
        id: QuestionId(id.clone().unwrap_or_default()),
        question: question.clone().unwrap_or_default(),
        options,
        answer: answer.clone().unwrap_or_default(),
        accept,
        explanation: explanation.clone().unwrap_or_default(),
        source: source.clone().unwrap_or_default(),
        difficulty: difficulty.unwrap_or(Difficulty::Easy),
        tags,
        missions: missions.into_iter().map(MissionId).collect(),
        agencies: agencies.into_iter().map(AgencyId).collect(),
    };
    let options_given = r.table.get_key_value("options").is_some();
    for (field, message) in rules::question_problems(&draft, options_given) {
        if field == Field::Answer && answer.is_none() {
            continue;
        }
        let at = r.at_key(field.key());
        r.problem(&at, message);
    }
    id?;
    question?;
    answer?;
    explanation?;
    source?;
    difficulty?;
    Some(r.located(draft))
}
