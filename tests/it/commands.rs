//! The commands as pure functions, on the shipped data: what a user asks, what the reply says.

use rand::rngs::StdRng;
use rand::SeedableRng;
use rendezvous::commands::{self, Command, Request, User, Value};
use rendezvous::ids::ButtonId;
use rendezvous::kb::{load_dir, Entity, KnowledgeBase, Resolved, Want};
use rendezvous::reply::{limits, Reply};
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")).expect("shipped data loads"))
}

/// Who presses a button: a user in a channel of the test's server.
fn at(u: &User, channel: u64) -> rendezvous::context::Caller {
    rendezvous::context::Caller {
        user: u.clone(),
        guild: Some(1),
        channel,
        perms: rendezvous::commands::Perms::default(),
        roles: Vec::new(),
    }
}

fn user() -> User {
    User {
        id: 1,
        name: "tester".into(),
    }
}

fn ask(command: &str, opts: &[(&str, Value)]) -> Reply {
    let mut req = Request::new(command, user());
    for (k, v) in opts {
        req = req.opt(k, v.clone());
    }
    run(&req, &mut StdRng::seed_from_u64(7))
}

/// A request answered as the app answers it: read as a command, then (a lookup) answered from the knowledge base;
/// a request that is not a lookup gets the parse error, as a user would see it.
fn run(req: &Request, rng: &mut StdRng) -> Reply {
    match Command::parse(req) {
        Ok(Command::Lookup(l)) => commands::lookup::run(kb(), &l, rng),
        Ok(other) => panic!("not a lookup: {other:?}"),
        Err(e) => Reply::error(e.0),
    }
}

/// A press on a lookup button; `None` for an id that is not one.
fn press(id: &str, rng: &mut StdRng) -> Option<Reply> {
    ButtonId::parse(id).map(|b| commands::lookup::press(kb(), &b, rng))
}

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

/// Everything a person would read in the reply.
fn all_text(r: &Reply) -> String {
    r.to_text()
}

fn assert_within_limits(r: &Reply) {
    if let Some(t) = &r.title {
        assert!(t.chars().count() <= limits::TITLE);
    }
    assert!(
        r.text.chars().count()
            <= if r.is_card() {
                limits::DESCRIPTION
            } else {
                limits::CONTENT
            }
    );
    assert!(r.fields.len() <= limits::FIELDS);
    for f in &r.fields {
        assert!(f.name.chars().count() <= limits::FIELD_NAME);
        assert!(
            f.value.chars().count() <= limits::FIELD_VALUE,
            "{}: {}",
            f.name,
            f.value.len()
        );
    }
    assert!(r.embed_chars() <= limits::EMBED_TOTAL);
    assert!(r.buttons.len() <= 25);
    for b in &r.buttons {
        assert!(b.id.len() <= limits::CUSTOM_ID && b.label.chars().count() <= limits::BUTTON_LABEL);
    }
    assert!(r.choices.len() <= limits::CHOICES);
}

fn mission(name: &str) -> Entity {
    match kb().resolve(name, Want::Mission) {
        Resolved::Found(e) => e,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn names_resolve_forgivingly() {
    let cassini = mission("Cassini-Huygens");
    for q in [
        "cassini",
        "Cassini Huygens",
        "CASSINI–HUYGENS",
        "cassini-huygens",
        "cassinihuygens",
        "Casini-Huygens",
    ] {
        assert_eq!(kb().resolve(q, Want::Mission), Resolved::Found(cassini), "{q}");
    }
    let jwst = mission("James Webb Space Telescope");
    for q in ["JWST", "webb", "jwst", "James Webb"] {
        assert_eq!(kb().resolve(q, Want::Mission), Resolved::Found(jwst), "{q}");
    }
    let Resolved::Found(Entity::Agency(esa)) = kb().resolve("esa", Want::Agency) else {
        panic!("esa")
    };
    assert_eq!(kb().agencies[esa].id.as_str(), "esa");
    assert_eq!(
        kb().resolve("Agence spatiale europeenne", Want::Agency),
        Resolved::Found(Entity::Agency(esa))
    );
    // A number is never a typo: Apollo 12 is not Apollo 11.
    assert_ne!(
        kb().resolve("Apollo 12", Want::Mission),
        kb().resolve("Apollo 11", Want::Mission)
    );
}

#[test]
fn a_miss_says_did_you_mean() {
    let r = ask("mission", &[("name", s("Rosetto Probe"))]);
    assert!(r.ephemeral);
    assert!(r.text.contains("Did you mean"), "{}", r.text);
    let r = ask("mission", &[("name", s("zzzzqqq"))]);
    assert!(r.text.contains("I know no mission called"), "{}", r.text);
}

#[test]
fn mission_card_for_cassini_shows_dates_destination_and_roles() {
    let r = ask("mission", &[("name", s("cassini"))]);
    let t = all_text(&r);
    for needle in [
        "1997",
        "Saturn",
        "Titan",
        "National Aeronautics and Space Administration",
        "ESA",
        "ASI",
        "Huygens",
    ] {
        assert!(t.contains(needle), "missing {needle} in:\n{t}");
    }
    assert!(r
        .fields
        .iter()
        .any(|f| f.name == "Partners" && f.value.contains("ESA") && f.value.contains("ASI")));
    assert!(r.footer.as_deref().unwrap_or("").contains("Sources"));
    assert_within_limits(&r);
}

#[test]
fn webb_is_jwst_launched_on_christmas_2021() {
    let r = ask("mission", &[("name", s("webb"))]);
    assert_eq!(r.title.as_deref(), Some("James Webb Space Telescope"));
    assert!(
        r.fields.iter().any(|f| f.name == "Launch" && f.value == "2021-12-25"),
        "{:?}",
        r.fields
    );
}

#[test]
fn partners_of_the_iss() {
    let r = ask("partners", &[("mission", s("ISS"))]);
    let t = all_text(&r);
    for a in ["NASA", "Roscosmos", "ESA", "JAXA", "CSA"] {
        assert!(t.contains(a), "{a} missing:\n{t}");
    }
    assert_within_limits(&r);
}

#[test]
fn collab_nasa_esa_lists_the_famous_ones() {
    let r = ask(
        "collab",
        &[("first", s("NASA")), ("second", s("European Space Agency"))],
    );
    let t = all_text(&r);
    for m in ["Hubble", "James Webb", "Cassini-Huygens"] {
        assert!(t.contains(m), "{m} missing:\n{t}");
    }
    assert!(r.text.contains("missions together"));
    assert_within_limits(&r);
    let same = ask("collab", &[("first", s("nasa")), ("second", s("NASA"))]);
    assert!(same.ephemeral && same.text.contains("two different agencies"));
}

#[test]
fn agency_card_lists_missions_and_partners() {
    let r = ask("agency", &[("name", s("esa"))]);
    assert!(r.title.as_deref().unwrap().contains("European Space Agency"));
    assert!(r.fields.iter().any(|f| f.name.starts_with("Led (")));
    assert!(r.fields.iter().any(|f| f.name.starts_with("Partner in (")));
    let partners = r
        .fields
        .iter()
        .find(|f| f.name == "Most frequent partners")
        .expect("partners field");
    assert!(partners.value.contains("NASA"), "{}", partners.value);
    assert_within_limits(&r);
    // Every agency card fits.
    for a in &kb().agencies {
        assert_within_limits(&ask("agency", &[("name", s(a.id.as_str()))]));
    }
}

#[test]
fn every_mission_card_fits_discords_limits() {
    for m in &kb().missions {
        let r = ask("mission", &[("name", s(m.id.as_str()))]);
        assert_eq!(r.title.as_deref(), Some(m.name.as_str()));
        assert_within_limits(&r);
    }
}

#[test]
fn fact_is_random_but_seeded_and_sourced() {
    let a = ask("fact", &[]);
    let b = ask("fact", &[]);
    assert_eq!(a, b, "same seed, same fact");
    assert!(a
        .fields
        .iter()
        .any(|f| f.name == "Source" && f.value.contains("https://")));
    let topic = ask("fact", &[("topic", s("Rosetta"))]);
    let ros = mission("Rosetta");
    let facts = kb().facts_of(ros);
    assert!(facts.iter().any(|f| f.text == topic.text), "{}", topic.text);
}

#[test]
fn search_ranks_names_first_and_finds_facts() {
    let r = ask("search", &[("query", s("comet"))]);
    assert!(!r.fields.is_empty());
    assert!(r.fields.iter().any(|f| f.name.contains("Rosetta")), "{:?}", r.fields);
    let r = ask("search", &[("query", s("Hubble"))]);
    assert!(r.fields[0].name.contains("Hubble"), "{:?}", r.fields[0]);
    let none = ask("search", &[("query", s("qqqqzzzz"))]);
    assert!(none.ephemeral && none.text.contains("Nothing matches"));
    let huge = ask("search", &[("query", s(&"x".repeat(6000)))]);
    assert_within_limits(&huge);
}

#[test]
fn timeline_pages_in_launch_order_with_buttons() {
    let r = ask("timeline", &[]);
    assert!(r.footer.as_deref().unwrap().starts_with("Page 1 of"));
    let next = r
        .buttons
        .iter()
        .find(|b| b.label.contains("Later"))
        .expect("a next button");
    let mut rng = StdRng::seed_from_u64(1);
    let p2 = press(&next.id, &mut rng).expect("timeline button");
    assert!(p2.update, "paging edits the message");
    assert!(p2.footer.as_deref().unwrap().starts_with("Page 2 of"));
    let years: Vec<i32> = kb()
        .missions_by_launch()
        .filter_map(|m| m.launch.map(|d| d.year))
        .collect();
    assert!(years.windows(2).all(|w| w[0] <= w[1]));
    let r = ask("timeline", &[("from", Value::Int(1970)), ("to", Value::Int(1979))]);
    assert!(r.text.contains("Apollo"), "{}", r.text);
    assert!(!r.text.contains("2021"), "{}", r.text);
    let swapped = ask("timeline", &[("from", Value::Int(2000)), ("to", Value::Int(1990))]);
    assert!(swapped.ephemeral);
    // Words that read right for an open range, and a count of one (issue 14, item 10).
    let none = ask("timeline", &[("from", Value::Int(2099))]);
    assert_eq!(
        none.text,
        "No mission in my knowledge base launched in 2099 or later. Try a wider range."
    );
    let launched_in = |y: i32| {
        kb().missions
            .iter()
            .filter(|m| m.launch.is_some_and(|d| d.year == y))
            .count()
    };
    let year = (1957..2026)
        .find(|y| launched_in(*y) == 1)
        .expect("a year with one launch");
    let one = ask(
        "timeline",
        &[("from", Value::Int(year.into())), ("to", Value::Int(year.into()))],
    );
    assert!(
        one.footer.as_deref().unwrap().contains("· 1 mission ·"),
        "{:?}",
        one.footer
    );
}

#[test]
fn about_counts_what_it_knows() {
    let r = ask("about", &[]);
    let missions = r.fields.iter().find(|f| f.name == "Missions").unwrap();
    assert_eq!(missions.value, kb().missions.len().to_string());
}

#[test]
fn autocomplete_prefix_and_fuzzy_at_most_25_best_first() {
    let r = commands::lookup::autocomplete(kb(), "mission", None, "name", "cas");
    assert_eq!(r.choices[0].value, "cassini-huygens", "{:?}", r.choices);
    let r = commands::lookup::autocomplete(kb(), "mission", None, "name", "");
    assert_eq!(r.choices.len(), 25);
    let r = commands::lookup::autocomplete(kb(), "mission", None, "name", "rossetta");
    assert!(r.choices.iter().any(|c| c.value == "rosetta"), "{:?}", r.choices);
    let r = commands::lookup::autocomplete(kb(), "agency", None, "name", "jax");
    assert_eq!(r.choices[0].value, "jaxa");
    let r = commands::lookup::autocomplete(kb(), "mission", None, "name", &"z".repeat(5000));
    assert!(r.choices.len() <= 25);
    for c in &commands::lookup::autocomplete(kb(), "fact", None, "topic", "a").choices {
        assert!(c.name.chars().count() <= 100 && c.value.len() <= 100);
    }
}

#[test]
fn buttons_survive_a_restart_and_stale_ones_get_a_note() {
    let card = ask("mission", &[("name", s("Rosetta"))]);
    let mut rng = StdRng::seed_from_u64(3);
    for b in card.buttons.iter().filter(|b| b.url.is_none()) {
        let r = press(&b.id, &mut rng).expect("own button");
        assert!(r.title.is_some(), "{} -> {}", b.id, r.text);
        assert!(r.ephemeral, "a card from a button is shown to the presser only");
    }
    assert!(press("rv0:whatever", &mut rng).is_none(), "not an id this build made");
    // The app answers an id it cannot read with the stale-button note.
    let app = rendezvous::app::App::new(kb().clone(), Some(1));
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let stale = rt.block_on(app.press("rv0:whatever", &at(&user(), 1), 0)).reply;
    assert!(
        stale.ephemeral && stale.text.contains("no longer works"),
        "{}",
        stale.text
    );
    let gone = press("rv1:card:m:no-such-mission", &mut rng).unwrap();
    assert!(gone.ephemeral && gone.text.contains("no longer in my knowledge base"));
}

#[test]
fn unknown_commands_get_a_clear_message() {
    let r = ask("warp", &[]);
    assert!(r.ephemeral && r.text.contains("I don't know the command `/warp`"));
}

/// What `Command::is_pure` promises, and the Discord front end relies on to keep answers: the same request gets
/// the same reply whoever asks, wherever, whatever the random state. `/fact`, which is not pure, shows the check
/// can tell.
#[test]
fn pure_commands_answer_the_same_whoever_asks_and_whatever_the_random_state() {
    let requests: Vec<(&str, Vec<(&str, Value)>)> = vec![
        ("mission", vec![("name", s("Cassini"))]),
        ("mission", vec![("name", s("no such probe"))]),
        ("agency", vec![("name", s("ESA"))]),
        ("partners", vec![("mission", s("ISS"))]),
        ("collab", vec![("first", s("NASA")), ("second", s("ESA"))]),
        ("search", vec![("query", s("Mars"))]),
        ("timeline", vec![("from", Value::Int(1990)), ("to", Value::Int(2005))]),
        ("about", vec![]),
    ];
    let asked = |command: &str, opts: &[(&str, Value)], who: u64, seed: u64| {
        let mut req = Request::new(
            command,
            User {
                id: who,
                name: format!("user{who}"),
            },
        );
        req.guild = Some(who * 10);
        req.channel = who * 100;
        for (k, v) in opts {
            req = req.opt(k, v.clone());
        }
        run(&req, &mut StdRng::seed_from_u64(seed))
    };
    let pure = |command: &str| {
        let mut req = Request::new(command, user());
        for (k, v) in requests
            .iter()
            .find(|(c, _)| *c == command)
            .map_or(&[][..], |(_, o)| &o[..])
        {
            req = req.opt(k, v.clone());
        }
        Command::parse(&req).is_ok_and(|c| c.is_pure())
    };
    for (command, opts) in &requests {
        assert!(pure(command), "/{command}");
        let first = asked(command, opts, 1, 1);
        for (who, seed) in [(2, 99), (3, 12345)] {
            assert_eq!(asked(command, opts, who, seed), first, "/{command} {opts:?}");
        }
    }
    assert!(!pure("fact"));
    let facts: std::collections::HashSet<String> = (0..20).map(|seed| asked("fact", &[], 1, seed).to_text()).collect();
    assert!(facts.len() > 1, "/fact depends on the random state");
}

// ------------------------------------------------------------------------------------------------------ /help

/// Every command and subcommand has an example, and every example is a command the bot takes as it stands.
#[test]
fn every_example_in_help_is_a_command_that_parses() {
    use rendezvous::commands::defs;
    for def in defs::all_commands() {
        let examples: Vec<&str> = if def.subcommands.is_empty() {
            vec![def.example]
        } else {
            def.subcommands.iter().map(|s| s.example).collect()
        };
        for ex in examples {
            assert!(
                ex.starts_with(&format!("/{}", def.name)),
                "/{}: example {ex:?}",
                def.name
            );
            let mut req = commands::parse(ex, user()).unwrap_or_else(|e| panic!("{ex}: {e}"));
            // A member, channel or role named in an example is one, as the console makes it.
            let opts = def.options_for(req.sub.as_deref()).unwrap_or(&[]).to_vec();
            for (name, value) in req.options.iter_mut() {
                match opts.iter().find(|o| o.name == name.as_str()).map(|o| o.kind) {
                    Some(defs::OptKind::User) => *value = Value::User(42),
                    Some(defs::OptKind::Channel) => *value = Value::Channel(43),
                    Some(defs::OptKind::Role) => *value = Value::Role(44),
                    _ => {}
                }
            }
            Command::parse(&req).unwrap_or_else(|e| panic!("{ex}: {e}"));
        }
    }
}

#[test]
fn help_lists_every_command_by_section_and_explains_one_in_full() {
    let all = ask("help", &[]);
    assert!(!all.ephemeral);
    assert!(!all.text.contains('…'), "nothing cut: {}", all.text);
    for section in [
        "Look things up",
        "Play",
        "Community events",
        "Run the bot and the server",
    ] {
        assert!(all.text.contains(&format!("**{section}**")), "{section}");
    }
    for def in rendezvous::commands::defs::all_commands() {
        assert!(all.text.contains(&format!("`/{}", def.name)), "/{} missing", def.name);
    }
    let trivia = ask("help", &[("command", s("/Trivia"))]);
    let start = trivia
        .fields
        .iter()
        .find(|f| f.name == "/trivia start")
        .expect("start explained");
    for option in ["rounds", "category", "difficulty", "timer"] {
        assert!(
            start.value.contains(&format!("`{option}`")),
            "{option}: {}",
            start.value
        );
    }
    assert!(start.value.contains("a whole number 1–20"), "{}", start.value);
    let one = ask("help", &[("command", s("event create"))]);
    assert_eq!(one.fields.len(), 1, "only the subcommand asked for");
    let unknown = ask("help", &[("command", s("warp"))]);
    assert!(
        unknown.ephemeral && unknown.text.contains("`/help` lists them all"),
        "{}",
        unknown.text
    );
    // Refusals that can point to help do.
    let r = ask("warp", &[]);
    assert!(r.text.contains("`/help` lists what I can do"), "{}", r.text);
}
