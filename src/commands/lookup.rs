//! The lookup commands as pure functions: a knowledge base and typed arguments in, a `Reply` out. No Discord types,
//! no I/O; randomness (`/fact`) comes in as an argument. Also the lookup buttons (cards, facts, paging) and
//! autocomplete.

use super::defs::Suggest;
use super::Lookup;
use crate::ids::{self, ButtonId, Subject};
use crate::kb::{Agency, AgencyId, Entity, KnowledgeBase, Mission, MissionId, Resolved, Status, Want};
use crate::present::join_limited;
use crate::reply::{colour, limits, Button, ButtonStyle, Reply};
use crate::text::truncate;
use rand::Rng;

/// Missions per timeline page.
pub const TIMELINE_PAGE: usize = 10;
/// Hits per search page.
pub const SEARCH_PAGE: usize = 8;

/// Answer a lookup command.
pub fn run(kb: &KnowledgeBase, cmd: &Lookup, rng: &mut impl Rng) -> Reply {
    let reply = match cmd {
        Lookup::Mission { name } => with_name(kb, name, Want::Mission, |e| match e {
            Entity::Mission(i) => mission_card(kb, &kb.missions[i]),
            _ => unreachable_entity(),
        }),
        Lookup::Agency { name } => with_name(kb, name, Want::Agency, |e| match e {
            Entity::Agency(i) => agency_card(kb, &kb.agencies[i]),
            _ => unreachable_entity(),
        }),
        Lookup::Partners { mission } => with_name(kb, mission, Want::Mission, |e| match e {
            Entity::Mission(i) => partners_card(kb, &kb.missions[i]),
            _ => unreachable_entity(),
        }),
        Lookup::Collab { first, second } => collab(kb, first, second),
        Lookup::Fact { topic } => fact(kb, topic.as_deref(), rng),
        Lookup::Search { query } => search(kb, query, 0),
        Lookup::Timeline { from, to } => timeline(kb, *from, *to, 0),
        Lookup::About => about(kb),
        Lookup::Help { command } => super::help::help(command.as_deref()),
    };
    reply.fit()
}

fn unreachable_entity() -> Reply {
    Reply::error("That name matched the wrong kind of entry; please report this.")
}

/// Resolve a name and build a reply from it, or say what was not found and what was close.
fn with_name(kb: &KnowledgeBase, q: &str, want: Want, f: impl FnOnce(Entity) -> Reply) -> Reply {
    let what = match want {
        Want::Mission => "mission",
        Want::Agency => "agency",
        Want::Any => "mission or agency",
    };
    match kb.resolve(q, want) {
        Resolved::Found(e) => f(e),
        Resolved::NotFound(close) => not_found(what, q, &close),
    }
}

fn not_found(what: &str, q: &str, close: &[String]) -> Reply {
    let shown = truncate(q.trim(), 100);
    let mut msg = format!("I know no {what} called “{shown}”.");
    if !close.is_empty() {
        msg.push_str(&format!(" Did you mean {}?", or_list(close)));
    }
    msg.push_str(" Try `/search query:…` to look through everything.");
    Reply::error(msg)
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("**{one}**"),
        [init @ .., last] => format!(
            "{} or **{last}**",
            init.iter().map(|s| format!("**{s}**")).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn status_colour(s: Status) -> u32 {
    match s {
        Status::Active => colour::ACTIVE,
        Status::Planned => colour::PLANNED,
        Status::Completed => colour::DONE,
        Status::Failed | Status::Cancelled => colour::FAILED,
    }
}

fn source_footer(kb: &KnowledgeBase, sources: &[String]) -> String {
    let hosts: Vec<String> = sources.iter().map(|s| host_of(s)).fold(Vec::new(), |mut acc, h| {
        if !acc.contains(&h) {
            acc.push(h);
        }
        acc
    });
    format!("Sources: {} · data as of {}", hosts.join(", "), kb.meta.as_of)
}

fn facts_field(facts: &[crate::kb::Fact]) -> String {
    let items: Vec<String> = facts
        .iter()
        .map(|f| format!("• {} ([source]({}))", f.text, f.source))
        .collect();
    join_limited(&items, "\n", limits::FIELD_VALUE)
}

pub use ids::card_button;

pub fn mission_card(kb: &KnowledgeBase, m: &Mission) -> Reply {
    let mut r = Reply::card(&m.name).with_text(format!(
        "{}\n\n*{} · {} (as of {})*",
        m.summary,
        capitalise(m.kind.label()),
        m.status.label(),
        kb.meta.as_of
    ));
    r.colour = Some(status_colour(m.status));
    r.link = m.sources.first().cloned();
    let launch = match m.launch {
        Some(d) => d.to_string(),
        None => "not yet launched".into(),
    };
    r = r.field("Launch", launch, true);
    if let Some(e) = m.end {
        r = r.field("End", e.to_string(), true);
    }
    r = r.field("Destination", &m.destination, true);
    let lead = kb.agency(&m.lead);
    let lead_line = format!(
        "**{}** — {}",
        lead.map(|a| a.name.as_str()).unwrap_or(m.lead.as_str()),
        m.lead_role.as_deref().unwrap_or("led the mission")
    );
    r = r.field("Lead", lead_line, false);
    if !m.partners.is_empty() {
        let items: Vec<String> = m
            .partners
            .iter()
            .map(|p| format!("**{}** — {}", kb.agency_label(&p.agency), p.role))
            .collect();
        r = r.field("Partners", join_limited(&items, "\n", limits::FIELD_VALUE), false);
    }
    if !m.facts.is_empty() {
        r = r.field("Facts", facts_field(&m.facts), false);
    }
    r = r.footer(source_footer(kb, &m.sources));
    if !m.partners.is_empty() {
        r = r.button(Button::new(
            ButtonId::Partners(m.id.to_string()).encode(),
            "Partners",
            ButtonStyle::Secondary,
        ));
    }
    r = r.button(Button::new(
        ButtonId::Fact(Subject::Mission(m.id.to_string())).encode(),
        "Another fact",
        ButtonStyle::Secondary,
    ));
    if let Some(s) = m.sources.first() {
        r = r.button(Button::link(s, "Source"));
    }
    r
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn agency_card(kb: &KnowledgeBase, a: &Agency) -> Reply {
    let title = match &a.acronym {
        Some(ac) if ac != &a.name => format!("{} ({ac})", a.name),
        _ => a.name.clone(),
    };
    let mut r = Reply::card(title).with_text(format!("{}\n\n*{}*", a.summary, capitalise(a.kind.label())));
    r.link = a.website.clone().or_else(|| a.sources.first().cloned());
    r = r.field("Country", &a.country, true);
    if let Some(f) = a.founded {
        r = r.field("Founded", f.to_string(), true);
    }
    if let Some(d) = a.dissolved {
        r = r.field("Dissolved", d.to_string(), true);
    }
    if let Some(hq) = &a.headquarters {
        r = r.field("Headquarters", hq, true);
    }
    let (led, partnered) = kb.missions_of(&a.id);
    fn names<'a>(ms: &[&'a Mission]) -> Vec<&'a str> {
        ms.iter().map(|m| m.name.as_str()).collect()
    }
    if !led.is_empty() {
        r = r.field(
            format!("Led ({})", led.len()),
            join_limited(&names(&led), ", ", limits::FIELD_VALUE),
            false,
        );
    }
    if !partnered.is_empty() {
        r = r.field(
            format!("Partner in ({})", partnered.len()),
            join_limited(&names(&partnered), ", ", limits::FIELD_VALUE),
            false,
        );
    }
    let partners: Vec<String> = kb
        .frequent_partners(&a.id)
        .into_iter()
        .take(8)
        .map(|(p, n)| format!("{} ({n})", p.acronym.as_deref().unwrap_or(&p.name)))
        .collect();
    if !partners.is_empty() {
        r = r.field("Most frequent partners", partners.join(", "), false);
    }
    if !a.facts.is_empty() {
        r = r.field("Facts", facts_field(&a.facts), false);
    }
    r = r.footer(source_footer(kb, &a.sources));
    if let Some(w) = &a.website {
        r = r.button(Button::link(w, "Website"));
    }
    r
}

pub fn partners_card(kb: &KnowledgeBase, m: &Mission) -> Reply {
    let mut r = Reply::card(format!("Who flew {}", m.name));
    r.link = m.sources.first().cloned();
    let total = m.partners.len() + 1;
    r.text = format!("{} agenc{} took part.", total, if total == 1 { "y" } else { "ies" });
    for id in m.agencies() {
        let name = match kb.agency(id) {
            Some(a) => match &a.acronym {
                Some(ac) => format!("{} ({ac})", a.name),
                None => a.name.clone(),
            },
            None => id.to_string(),
        };
        let role = m.role_of(id).unwrap_or("took part");
        let label = if id == &m.lead {
            format!("{name} — lead")
        } else {
            name
        };
        r = r.field(label, role, false);
    }
    r = r.footer(source_footer(kb, &m.sources));
    r = r.button(card_button(
        kb,
        Entity::Mission(kb.mission_index(&m.id).unwrap_or(0)),
        "Mission card",
    ));
    r
}

fn collab(kb: &KnowledgeBase, a: &str, b: &str) -> Reply {
    let resolve = |q: &str| match kb.resolve(q, Want::Agency) {
        Resolved::Found(Entity::Agency(i)) => Ok(&kb.agencies[i]),
        Resolved::Found(_) => Err(Box::new(not_found("agency", q, &[]))),
        Resolved::NotFound(close) => Err(Box::new(not_found("agency", q, &close))),
    };
    let (a, b) = match (resolve(a), resolve(b)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return *e,
    };
    if a.id == b.id {
        return Reply::error(format!(
            "Both names are {}. Pick two different agencies, or use /agency name:{} for its missions.",
            a.name,
            a.acronym.as_deref().unwrap_or(&a.name)
        ));
    }
    let shared = kb.shared_missions(&a.id, &b.id);
    let label = |x: &Agency| x.acronym.clone().unwrap_or_else(|| x.name.clone());
    let mut r = Reply::card(format!("{} × {}", label(a), label(b)));
    if shared.is_empty() {
        r.text = format!(
            "I know no mission that {} and {} flew together. Try /agency to see each one's partners.",
            a.name, b.name
        );
        return r;
    }
    r.text = format!(
        "{} mission{} together, by launch date.",
        shared.len(),
        if shared.len() == 1 { "" } else { "s" }
    );
    let shown = shared.len().min(limits::FIELDS - 1);
    // Built by appending: up to 24 fields, and formatting each piece took most of the command's time.
    let (label_a, label_b) = (label(a), label(b));
    for m in &shared[..shown] {
        let (role_a, role_b) = (
            m.role_of(&a.id).unwrap_or("took part"),
            m.role_of(&b.id).unwrap_or("took part"),
        );
        let mut value = String::with_capacity(label_a.len() + label_b.len() + role_a.len() + role_b.len() + 12);
        for (i, (who, role)) in [(&label_a, role_a), (&label_b, role_b)].into_iter().enumerate() {
            if i > 0 {
                value.push('\n');
            }
            value.push_str("**");
            value.push_str(who);
            value.push_str("**: ");
            value.push_str(role);
        }
        let mut name = String::with_capacity(m.name.len() + 10);
        name.push_str(&m.name);
        name.push_str(" (");
        match m.launch {
            Some(d) => name.push_str(&d.year.to_string()),
            None => name.push_str("planned"),
        }
        name.push(')');
        r = r.field(name, value, false);
    }
    if shared.len() > shown {
        let rest: Vec<String> = shared[shown..].iter().map(|m| m.name.clone()).collect();
        r = r.field(
            format!("and {} more", rest.len()),
            join_limited(&rest, ", ", limits::FIELD_VALUE),
            false,
        );
    }
    r.footer = Some(format!("Data as of {}", kb.meta.as_of));
    r
}

fn fact(kb: &KnowledgeBase, topic: Option<&str>, rng: &mut impl Rng) -> Reply {
    let pool: Vec<(Entity, &crate::kb::Fact)> = match topic {
        Some(t) => match kb.resolve(t, Want::Any) {
            Resolved::Found(e) => kb.facts_of(e).iter().map(|f| (e, f)).collect(),
            Resolved::NotFound(close) => return not_found("mission or agency", t, &close),
        },
        None => kb.all_facts().collect(),
    };
    if pool.is_empty() {
        return Reply::error("I have no facts about that yet. Facts are welcome: see data/README.md.");
    }
    let (e, f) = pool[rng.gen_range(0..pool.len())];
    fact_reply(kb, e, f)
}

pub fn fact_reply(kb: &KnowledgeBase, e: Entity, f: &crate::kb::Fact) -> Reply {
    let mut r = Reply::card("Did you know?").with_text(f.text.clone());
    r.colour = Some(colour::TRIVIA);
    r = r.field("About", kb.name_of(e), true);
    r = r.field("Source", format!("[{}]({})", host_of(&f.source), f.source), true);
    r = r.button(card_button(kb, e, "Learn more"));
    let again = match e {
        Entity::Mission(i) => Subject::Mission(kb.missions[i].id.to_string()),
        Entity::Agency(i) => Subject::Agency(kb.agencies[i].id.to_string()),
    };
    r = r.button(Button::new(
        ButtonId::Fact(again).encode(),
        "Another fact",
        ButtonStyle::Secondary,
    ));
    r
}

fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or(url)
        .trim_start_matches("www.")
        .to_string()
}

pub fn search(kb: &KnowledgeBase, query: &str, page: usize) -> Reply {
    let q = query.trim();
    if crate::text::fold(q).is_empty() {
        return Reply::error("Give me some words to search for, e.g. `/search query:comet`.");
    }
    let hits = kb.search(q);
    let shown_q = truncate(q, 100);
    if hits.is_empty() {
        return Reply::error(format!(
            "Nothing matches “{shown_q}”. Try fewer or different words, or /timeline to browse."
        ));
    }
    let pages = hits.len().div_ceil(SEARCH_PAGE);
    let page = page.min(pages - 1);
    let mut r = Reply::card(format!("Search: {shown_q}"));
    r.text = format!(
        "{} match{}{}",
        hits.len(),
        if hits.len() == 1 { "" } else { "es" },
        if pages > 1 {
            format!(" · page {} of {pages}", page + 1)
        } else {
            String::new()
        }
    );
    for h in hits.iter().skip(page * SEARCH_PAGE).take(SEARCH_PAGE) {
        let (kind, name) = match h.entity {
            Entity::Mission(i) => ("Mission", kb.missions[i].name.as_str()),
            Entity::Agency(i) => ("Agency", kb.agencies[i].name.as_str()),
        };
        let value = match &h.snippet {
            Some(s) => truncate(s, 200),
            None => match h.entity {
                Entity::Mission(i) => truncate(&kb.missions[i].summary, 200),
                Entity::Agency(i) => truncate(&kb.agencies[i].summary, 200),
            },
        };
        r = r.field(format!("{kind}: {name}"), value, false);
    }
    // The query rides in the button id; a query too long for it gets no paging buttons.
    if let Some(query) = ids::search_query(q) {
        r = page_buttons(r, page, pages, ("◀ Previous", "Next ▶"), |page| {
            ButtonId::Search {
                page,
                query: query.clone(),
            }
            .encode()
        });
    }
    r
}

/// Previous/next buttons for a paged reply; `id` makes the button id for a page.
fn page_buttons(mut r: Reply, page: usize, pages: usize, labels: (&str, &str), id: impl Fn(usize) -> String) -> Reply {
    if page > 0 {
        r = r.button(Button::new(id(page - 1), labels.0, ButtonStyle::Secondary));
    }
    if page + 1 < pages {
        r = r.button(Button::new(id(page + 1), labels.1, ButtonStyle::Secondary));
    }
    r
}

pub fn timeline(kb: &KnowledgeBase, from: Option<i64>, to: Option<i64>, page: usize) -> Reply {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Reply::error(format!("`from:{f}` is after `to:{t}`: swap them."));
        }
    }
    let ms: Vec<&Mission> = kb
        .missions_by_launch()
        .filter(|m| match m.launch {
            Some(d) => from.is_none_or(|f| i64::from(d.year) >= f) && to.is_none_or(|t| i64::from(d.year) <= t),
            None => from.is_none() && to.is_none(),
        })
        .collect();
    let range = match (from, to) {
        (Some(f), Some(t)) => format!("{f}–{t}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (None, None) => "all years".into(),
    };
    if ms.is_empty() {
        let when = match (from, to) {
            (Some(f), Some(t)) if f == t => format!("in {f}"),
            (Some(f), Some(t)) => format!("between {f} and {t}"),
            (Some(f), None) => format!("in {f} or later"),
            (None, Some(t)) => format!("in {t} or earlier"),
            (None, None) => "at all".into(),
        };
        return Reply::error(format!(
            "No mission in my knowledge base launched {when}. Try a wider range."
        ));
    }
    let pages = ms.len().div_ceil(TIMELINE_PAGE);
    let page = page.min(pages - 1);
    let mut r = Reply::card(format!("Timeline ({range})"));
    let lines: Vec<String> = ms
        .iter()
        .skip(page * TIMELINE_PAGE)
        .take(TIMELINE_PAGE)
        .map(|m| {
            let date = m.launch.map(|d| d.to_string()).unwrap_or_else(|| "planned".into());
            let who: Vec<String> = m.agencies().map(|a| kb.agency_label(a)).collect();
            format!("`{date}` **{}** — {} → {}", m.name, who.join(", "), m.destination)
        })
        .collect();
    r.text = lines.join("\n");
    r.footer = Some(format!(
        "Page {} of {pages} · {} · data as of {}",
        page + 1,
        crate::present::plural(ms.len(), "mission", "missions"),
        kb.meta.as_of
    ));
    page_buttons(r, page, pages, ("◀ Earlier", "Later ▶"), |page| {
        ButtonId::Timeline { from, to, page }.encode()
    })
}

pub fn about(kb: &KnowledgeBase) -> Reply {
    let mut r = Reply::card("Rendezvous").with_text(
        "I teach and quiz people about international space missions and the agencies that fly them together. \
         My name is the Apollo–Soyuz docking of 1975: two agencies meeting in orbit.",
    );
    r = r.field("Missions", kb.missions.len().to_string(), true);
    r = r.field("Agencies", kb.agencies.len().to_string(), true);
    r = r.field("Facts", kb.fact_count().to_string(), true);
    r = r.field("Curated questions", kb.questions.len().to_string(), true);
    r = r.field("Data as of", kb.meta.as_of.to_string(), true);
    r = r.field("Version", env!("CARGO_PKG_VERSION"), true);
    r = r.field(
        "Where the data comes from",
        "Every fact carries its source: the agencies' own mission pages and encyclopedia articles.",
        false,
    );
    r = r.field(
        "Contribute",
        "The knowledge base is TOML in `data/` (format in data/README.md). Add a mission or a question, run \
         `rendezvous check`, and send a pull request.",
        false,
    );
    r
}

/// Autocomplete for an option of a command: up to 25 names, best first.
pub fn autocomplete(kb: &KnowledgeBase, command: &str, sub: Option<&str>, option: &str, partial: &str) -> Reply {
    let want = super::defs::find(command)
        .and_then(|d| d.options_for(sub).map(|o| o.to_vec()))
        .and_then(|opts| opts.into_iter().find(|o| o.name == option))
        .and_then(|o| o.autocomplete);
    // Discord sends at most 100 characters; be safe with anything longer.
    let partial: String = partial.chars().take(100).collect();
    let choices = match want {
        Some(Suggest::Names(w)) => kb.autocomplete(&partial, w, limits::CHOICES),
        Some(Suggest::TimeZones) => crate::daily::schedule::zone_names(&partial, limits::CHOICES)
            .into_iter()
            .map(|n| crate::kb::Choice {
                name: n.clone(),
                value: n,
            })
            .collect(),
        None => Vec::new(),
    };
    Reply {
        choices,
        ..Reply::default()
    }
}

/// Answer a press on a lookup button (cards, facts, paging). Paging edits the message in place; a card or fact
/// opened from a button is for the one who pressed it, so the channel is not flooded.
pub fn press(kb: &KnowledgeBase, id: &ButtonId, rng: &mut impl Rng) -> Reply {
    let mission = |id: &str| kb.mission(&MissionId(id.to_string()));
    let reply = match id {
        ButtonId::Card(Subject::Mission(id)) => mission(id).map_or_else(|| gone(id), |m| mission_card(kb, m)),
        ButtonId::Card(Subject::Agency(id)) => kb
            .agency(&AgencyId(id.to_string()))
            .map_or_else(|| gone(id), |a| agency_card(kb, a)),
        ButtonId::Partners(id) => mission(id).map_or_else(|| gone(id), |m| partners_card(kb, m)),
        ButtonId::Fact(subject) => {
            let (e, id) = match subject {
                Subject::Mission(id) => (kb.mission_index(&MissionId(id.to_string())).map(Entity::Mission), id),
                Subject::Agency(id) => (kb.agency_index(&AgencyId(id.to_string())).map(Entity::Agency), id),
            };
            match e {
                Some(e) if !kb.facts_of(e).is_empty() => {
                    let facts = kb.facts_of(e);
                    fact_reply(kb, e, &facts[rng.gen_range(0..facts.len())])
                }
                _ => gone(id),
            }
        }
        ButtonId::Timeline { from, to, page } => Reply {
            update: true,
            ..timeline(kb, *from, *to, *page)
        },
        ButtonId::Search { page, query } => Reply {
            update: true,
            ..search(kb, query, *page)
        },
        ButtonId::Answer { .. }
        | ButtonId::Event { .. }
        | ButtonId::Reset { .. }
        | ButtonId::Report { .. }
        | ButtonId::Forget { .. }
        | ButtonId::PackReplace { .. }
        | ButtonId::PackRemove { .. }
        | ButtonId::MyRank(_)
        | ButtonId::Daily { .. } => stale_button(),
    };
    let reply = if reply.update { reply } else { reply.ephemeral() };
    reply.fit()
}

pub use crate::ids::stale_button;

fn gone(id: &str) -> Reply {
    Reply::error(format!(
        "“{}” is no longer in my knowledge base (the data changed since this message was posted). Try /search.",
        truncate(id, 60)
    ))
}
