//! A deterministic generator of large knowledge bases, in the real TOML format, for the benchmarks.
//!
//! `write(dir, &Spec { seed, missions, agencies, .. })` lays out `meta.toml`, `agencies/`, `missions/` and
//! `questions/` as in `data/`, with every rule `rendezvous check` enforces kept: unique ids and names (folded, spaces
//! ignored), partners that exist and are not the lead, launch dates where the status needs one, at least one sourced
//! fact per mission, 2 to 4 distinct options per curated question. The same seed gives byte-identical files on every
//! machine: the random source is a SplitMix64 written out here, not a library generator that may change.
//!
//! The names are made to be hard on lookups: a few dozen first words shared by thousands of missions, so a
//! three-letter prefix matches hundreds of names, as a big real catalogue would ("Cosmos 1", … "Cosmos 2500").

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    pub seed: u64,
    pub missions: usize,
    pub agencies: usize,
    /// Entries per TOML file (the shipped data has 20 to 40 per file).
    pub per_file: usize,
    /// Curated questions, one per this many missions.
    pub missions_per_question: usize,
}

impl Spec {
    /// The large knowledge base: 10,000 missions and 500 agencies.
    pub fn large(seed: u64) -> Spec {
        Spec::sized(seed, 10_000)
    }

    /// `missions` missions with one agency per 20 of them (10,000 → 500), 100 entries per file.
    pub fn sized(seed: u64, missions: usize) -> Spec {
        Spec {
            seed,
            missions,
            agencies: (missions / 20).max(8),
            per_file: 100,
            missions_per_question: 20,
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: usize,
    pub facts: usize,
    pub questions: usize,
}

/// SplitMix64: tiny, fast, and fixed forever (unlike a library's "standard" generator).
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const FIRST: [&str; 48] = [
    "Aurora",
    "Borealis",
    "Cosmos",
    "Corona",
    "Dawnstar",
    "Echo",
    "Equinox",
    "Falcon",
    "Galileo",
    "Gemini",
    "Helios",
    "Horizon",
    "Hyperion",
    "Icarus",
    "Juno",
    "Kepler",
    "Lumen",
    "Lyra",
    "Magellan",
    "Meridian",
    "Nadir",
    "Nova",
    "Odyssey",
    "Orion",
    "Pegasus",
    "Perihelion",
    "Photon",
    "Polaris",
    "Prospector",
    "Pulsar",
    "Quasar",
    "Radiant",
    "Sagitta",
    "Selene",
    "Sentinel",
    "Solstice",
    "Spectra",
    "Stellar",
    "Tempest",
    "Tethys",
    "Titania",
    "Umbra",
    "Vanguard",
    "Vega",
    "Vesper",
    "Voyager",
    "Zenith",
    "Zephyr",
];

const SECOND: [&str; 16] = [
    "Explorer",
    "Pathfinder",
    "Observer",
    "Surveyor",
    "Lander",
    "Orbiter",
    "Rover",
    "Probe",
    "Telescope",
    "Mapper",
    "Sounder",
    "Imager",
    "Relay",
    "Station",
    "Tracker",
    "Scout",
];

const KINDS: [(&str, &str); 13] = [
    ("station", "Low Earth orbit"),
    ("space-telescope", "Sun–Earth L2"),
    ("orbiter", "Mars"),
    ("lander", "Moon"),
    ("rover", "Mars"),
    ("flyby", "Jupiter"),
    ("probe", "Venus"),
    ("sample-return", "Asteroid Ryugu"),
    ("crewed-flight", "Low Earth orbit"),
    ("programme", "Earth orbit"),
    ("ground-telescope", "Earth (ground)"),
    ("satellite", "Geostationary orbit"),
    ("impactor", "Comet Tempel 1"),
];

const DESTINATIONS: [&str; 24] = [
    "Mars",
    "Moon",
    "Venus",
    "Mercury",
    "Jupiter",
    "Saturn",
    "Titan",
    "Europa",
    "Uranus",
    "Neptune",
    "Pluto",
    "Comet Halley",
    "Asteroid Bennu",
    "Asteroid Ryugu",
    "Ceres",
    "Sun",
    "Sun–Earth L1",
    "Sun–Earth L2",
    "Low Earth orbit",
    "Geostationary orbit",
    "Polar orbit",
    "Interstellar space",
    "Earth (ground)",
    "Heliocentric orbit",
];

/// Every destination the generator writes, with its article and kind (the loader needs each declared).
const DESTINATION_DECLS: [(&str, Option<&str>, &str); 26] = [
    ("Mars", None, "planet"),
    ("Moon", Some("the"), "moon"),
    ("Venus", None, "planet"),
    ("Mercury", None, "planet"),
    ("Jupiter", None, "planet"),
    ("Saturn", None, "planet"),
    ("Titan", None, "planetary-moon"),
    ("Europa", None, "planetary-moon"),
    ("Uranus", None, "planet"),
    ("Neptune", None, "planet"),
    ("Pluto", None, "planet"),
    ("Comet Halley", None, "small-body"),
    ("Asteroid Bennu", None, "small-body"),
    ("Asteroid Ryugu", None, "small-body"),
    ("Ceres", None, "small-body"),
    ("Sun", Some("the"), "sun"),
    ("Sun–Earth L1", Some("the"), "lagrange-point"),
    ("Sun–Earth L2", Some("the"), "lagrange-point"),
    ("Low Earth orbit", None, "earth-orbit"),
    ("Geostationary orbit", None, "earth-orbit"),
    ("Polar orbit", None, "earth-orbit"),
    ("Interstellar space", None, "interstellar"),
    ("Earth (ground)", None, "ground"),
    ("Heliocentric orbit", None, "heliocentric"),
    ("Earth orbit", None, "earth-orbit"),
    ("Comet Tempel 1", None, "small-body"),
];

fn destinations_toml() -> String {
    let mut out = String::from("# Generated destinations.\n\n");
    for (name, article, kind) in DESTINATION_DECLS {
        let _ = writeln!(out, "[[destination]]\nname = {}", quoted(name));
        if let Some(a) = article {
            let _ = writeln!(out, "article = {}", quoted(a));
        }
        let _ = writeln!(out, "kind = {}\n", quoted(kind));
    }
    out
}

const STATUSES: [&str; 5] = ["completed", "active", "failed", "planned", "cancelled"];

const AGENCY_KINDS: [&str; 5] = [
    "national-agency",
    "intergovernmental",
    "company",
    "research",
    "historical",
];

const SYLLABLES: [&str; 24] = [
    "al", "bor", "cas", "dar", "el", "fen", "gal", "hal", "ir", "jor", "kel", "lun", "mar", "nor", "os", "pel", "quin",
    "ros", "sel", "tar", "ul", "ven", "wes", "zan",
];

const AGENCY_WORDS: [&str; 8] = [
    "Space Agency",
    "Space Research Organisation",
    "Aerospace Corporation",
    "Institute of Space Science",
    "Orbital Systems",
    "Space Administration",
    "Launch Services",
    "Astronautics Centre",
];

const ROLES: [&str; 8] = [
    "built the spacecraft bus",
    "provided the main camera",
    "supplied the launch vehicle",
    "ran mission operations",
    "provided a spectrometer",
    "built the solar arrays",
    "supplied the ground stations",
    "provided the radio science experiment",
];

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Two letters from a number below 676: the tail that keeps acronyms unique.
fn letters(n: usize) -> String {
    let a = (b'A' + (n / 26 % 26) as u8) as char;
    let b = (b'A' + (n % 26) as u8) as char;
    format!("{a}{b}")
}

struct GenAgency {
    id: String,
    name: String,
    acronym: String,
    founded: i32,
    dissolved: Option<i32>,
}

struct GenMission {
    id: String,
    name: String,
    lead: usize,
}

fn date(rng: &mut SplitMix, year: i32) -> String {
    match rng.below(3) {
        0 => format!("{year}"),
        1 => format!("{year}-{:02}", 1 + rng.below(12)),
        _ => format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
    }
}

fn agencies(rng: &mut SplitMix, n: usize) -> Vec<GenAgency> {
    assert!(n <= 676, "acronyms are unique for up to 676 agencies");
    (0..n)
        .map(|i| {
            // A made-up place from two or three syllables, unique by construction (i picks the syllables).
            let s = SYLLABLES.len();
            let mut place = format!("{}{}", SYLLABLES[i % s], SYLLABLES[(i / s) % s]);
            if i >= s * s {
                place.push_str(SYLLABLES[(i / (s * s)) % s]);
            }
            let place = capitalise(&place);
            let words = AGENCY_WORDS[rng.below(AGENCY_WORDS.len())];
            let name = format!("{place}ian {words} {}", letters(i));
            let initials: String = words.split(' ').filter_map(|w| w.chars().next()).collect();
            let acronym = format!("{}{}{}", &place[..1], initials, letters(i));
            let founded = 1950 + rng.below(70) as i32;
            let dissolved = rng.chance(8).then(|| founded + 5 + rng.below(20) as i32);
            GenAgency {
                id: slug(&acronym),
                name,
                acronym,
                founded,
                dissolved,
            }
        })
        .collect()
}

fn agency_toml(rng: &mut SplitMix, a: &GenAgency, out: &mut String) -> usize {
    let kind = if a.dissolved.is_some() {
        "historical"
    } else {
        AGENCY_KINDS[rng.below(4)]
    };
    let _ = writeln!(out, "[[agency]]");
    let _ = writeln!(out, "id = {}", quoted(&a.id));
    let _ = writeln!(out, "name = {}", quoted(&a.name));
    let _ = writeln!(out, "acronym = {}", quoted(&a.acronym));
    if rng.chance(30) {
        let _ = writeln!(out, "aliases = [{}]", quoted(&format!("The {} of {}", a.acronym, a.id)));
    }
    let _ = writeln!(out, "country = {}", quoted(&format!("Country {}", a.id.to_uppercase())));
    let _ = writeln!(out, "kind = {}", quoted(kind));
    let _ = writeln!(out, "renown = {}", quoted(["high", "medium", "low"][rng.below(3)]));
    let _ = writeln!(out, "founded = {}", quoted(&date(rng, a.founded)));
    if let Some(d) = a.dissolved {
        let _ = writeln!(out, "dissolved = {}", quoted(&format!("{d}")));
    }
    let _ = writeln!(out, "headquarters = {}", quoted(&format!("Capital of {}", a.name)));
    let _ = writeln!(out, "website = {}", quoted(&format!("https://{}.example.org/", a.id)));
    let _ = writeln!(
        out,
        "summary = {}",
        quoted(&format!(
            "{} ({}) is a generated organisation, founded in {}, that leads and joins missions across the Solar System.",
            a.name, a.acronym, a.founded
        ))
    );
    let _ = writeln!(
        out,
        "sources = [{}]",
        quoted(&format!("https://{}.example.org/about", a.id))
    );
    let facts = rng.below(3);
    for k in 0..facts {
        let _ = writeln!(out, "\n[[agency.fact]]");
        let _ = writeln!(
            out,
            "text = {}",
            quoted(&format!(
                "{} opened its control centre number {} in {}.",
                a.acronym,
                k + 1,
                a.founded + k as i32
            ))
        );
        let _ = writeln!(
            out,
            "source = {}",
            quoted(&format!("https://{}.example.org/history", a.id))
        );
    }
    out.push('\n');
    facts
}

fn mission_toml(rng: &mut SplitMix, i: usize, m: &GenMission, agencies: &[GenAgency], out: &mut String) -> usize {
    let (kind, usual_dest) = KINDS[rng.below(KINDS.len())];
    let dest = if rng.chance(50) {
        usual_dest
    } else {
        DESTINATIONS[rng.below(DESTINATIONS.len())]
    };
    let status = STATUSES[rng.below(STATUSES.len())];
    let lead = &agencies[m.lead];
    // A name that takes "the" in a sentence, written with it wherever the data names the mission.
    let the = rng.chance(25);
    let said = if the { format!("the {}", m.name) } else { m.name.clone() };
    let said_first = capitalise(&said);
    let _ = writeln!(out, "[[mission]]");
    let _ = writeln!(out, "id = {}", quoted(&m.id));
    let _ = writeln!(out, "name = {}", quoted(&m.name));
    if rng.chance(40) {
        // An acronym-like alias, unique by the mission number.
        let initials: String = m.name.split(' ').filter_map(|w| w.chars().next()).collect();
        let _ = writeln!(out, "aliases = [{}]", quoted(&format!("{initials}-{i}")));
    }
    let _ = writeln!(out, "kind = {}", quoted(kind));
    let _ = writeln!(out, "status = {}", quoted(status));
    let launch_year = (lead.founded.max(1957) + rng.below(30) as i32).min(2024);
    let launched = !matches!(status, "planned" | "cancelled") || rng.chance(30);
    if launched {
        let _ = writeln!(out, "launch = {}", quoted(&date(rng, launch_year)));
        if matches!(status, "completed" | "failed") {
            let _ = writeln!(
                out,
                "end = {}",
                quoted(&format!("{}", launch_year + 1 + rng.below(15) as i32))
            );
        }
    }
    let _ = writeln!(out, "destination = {}", quoted(dest));
    let _ = writeln!(out, "lead = {}", quoted(&lead.id));
    let _ = writeln!(out, "renown = {}", quoted(["high", "medium", "low"][rng.below(3)]));
    if the {
        let _ = writeln!(out, "article = \"the\"");
    }
    if rng.chance(30) {
        let _ = writeln!(out, "partners_complete = true");
        let _ = writeln!(
            out,
            "partners_source = {}",
            quoted(&format!("https://missions.example.org/{}/partners", m.id))
        );
    }
    if rng.chance(50) {
        let _ = writeln!(out, "lead_role = {}", quoted(ROLES[rng.below(ROLES.len())]));
    }
    let _ = writeln!(
        out,
        "summary = {}",
        quoted(&format!(
            "{} is a generated {} mission to {}, led by {} and launched around {}.",
            said_first,
            kind.replace('-', " "),
            dest,
            lead.acronym,
            launch_year
        ))
    );
    let _ = writeln!(
        out,
        "sources = [{}]",
        quoted(&format!("https://missions.example.org/{}", m.id))
    );
    let mut partners: Vec<usize> = Vec::new();
    for _ in 0..rng.below(5) {
        let p = rng.below(agencies.len());
        if p != m.lead && !partners.contains(&p) {
            partners.push(p);
        }
    }
    for p in partners {
        let _ = writeln!(out, "\n[[mission.partner]]");
        let _ = writeln!(out, "agency = {}", quoted(&agencies[p].id));
        let _ = writeln!(out, "role = {}", quoted(ROLES[rng.below(ROLES.len())]));
    }
    let facts = 1 + rng.below(4);
    for k in 0..facts {
        let text = match k {
            0 => format!(
                "{} was mission number {} of {} to {}.",
                said_first,
                i + 1,
                lead.acronym,
                dest
            ),
            1 => format!(
                "The spacecraft of {} weighed {} kilograms at launch.",
                said,
                200 + rng.below(5000)
            ),
            2 => format!(
                "{} returned {} gigabytes of data in its first year.",
                said_first,
                1 + rng.below(900)
            ),
            _ => format!(
                "Engineers tested {} for {} days before it shipped.",
                said,
                10 + rng.below(300)
            ),
        };
        let _ = writeln!(out, "\n[[mission.fact]]");
        let _ = writeln!(out, "text = {}", quoted(&text));
        if k == 0 {
            // A clue that names neither the mission nor any word of its name.
            let clue = format!(
                "This mission was mission number {} of {} to {}.",
                i + 1,
                lead.acronym,
                dest
            );
            let _ = writeln!(out, "clue = {}", quoted(&clue));
        }
        let _ = writeln!(
            out,
            "source = {}",
            quoted(&format!("https://missions.example.org/{}#fact-{k}", m.id))
        );
    }
    out.push('\n');
    facts
}

fn question_toml(
    rng: &mut SplitMix,
    n: usize,
    missions: &[GenMission],
    agencies: &[GenAgency],
    asked: &mut std::collections::HashMap<String, usize>,
    out: &mut String,
) {
    let m = &missions[rng.below(missions.len())];
    let lead = &agencies[m.lead];
    let mut options = vec![lead.acronym.clone()];
    while options.len() < 4 {
        let other = &agencies[rng.below(agencies.len())].acronym;
        if !options.contains(other) {
            options.push(other.clone());
        }
    }
    // Rotate so the answer is not always first.
    let r = rng.below(4);
    options.rotate_left(r);
    let _ = writeln!(out, "[[question]]");
    let _ = writeln!(out, "id = {}", quoted(&format!("gen-q-{n}")));
    // A mission drawn again gets its question numbered: no question is asked twice (`rendezvous check` refuses that).
    let asked = asked.entry(m.id.clone()).or_insert(0);
    *asked += 1;
    let stem = match *asked {
        1 => format!("Which agency led {}?", m.name),
        k => format!("Which agency led {}? ({k})", m.name),
    };
    let _ = writeln!(out, "question = {}", quoted(&stem));
    let list: Vec<String> = options.iter().map(|o| quoted(o)).collect();
    let _ = writeln!(out, "options = [{}]", list.join(", "));
    let _ = writeln!(out, "answer = {}", quoted(&lead.acronym));
    let _ = writeln!(
        out,
        "explanation = {}",
        quoted(&format!("{} was led by {}.", m.name, lead.name))
    );
    let _ = writeln!(
        out,
        "source = {}",
        quoted(&format!("https://missions.example.org/{}", m.id))
    );
    let _ = writeln!(out, "difficulty = {}", quoted(["easy", "medium", "hard"][rng.below(3)]));
    let _ = writeln!(out, "tags = [\"agencies\"]");
    let _ = writeln!(out, "missions = [{}]", quoted(&m.id));
    let _ = writeln!(out, "agencies = [{}]\n", quoted(&lead.id));
}

/// Write a knowledge base for `spec` into `dir` (created if needed; existing generated files are overwritten).
pub fn write(dir: &Path, spec: &Spec) -> io::Result<Written> {
    let mut rng = SplitMix::new(spec.seed);
    let mut written = Written::default();
    for sub in ["agencies", "missions", "questions"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    let put = |path: &Path, text: &str, written: &mut Written| -> io::Result<()> {
        written.files += 1;
        written.bytes += text.len();
        std::fs::write(path, text)
    };
    put(
        &dir.join("meta.toml"),
        &format!(
            "# Generated by benches/support/gen.rs (seed {}, {} missions, {} agencies).\n[meta]\nas_of = \"2025-06-01\"\n",
            spec.seed, spec.missions, spec.agencies
        ),
        &mut written,
    )?;
    put(&dir.join("destinations.toml"), &destinations_toml(), &mut written)?;

    let agencies = agencies(&mut rng, spec.agencies);
    for (f, chunk) in agencies.chunks(spec.per_file.max(1)).enumerate() {
        let mut text = format!("# Generated agencies, file {f} (seed {}).\n\n", spec.seed);
        for a in chunk {
            written.facts += agency_toml(&mut rng, a, &mut text);
        }
        put(
            &dir.join("agencies").join(format!("gen-{f:04}.toml")),
            &text,
            &mut written,
        )?;
    }

    // Names: a first word shared by many missions, a second word, a number; shuffled so files are not sorted.
    let mut missions: Vec<GenMission> = (0..spec.missions)
        .map(|i| {
            let first = FIRST[i % FIRST.len()];
            let second = SECOND[(i / FIRST.len()) % SECOND.len()];
            let number = i / (FIRST.len() * SECOND.len()) + 1;
            let name = format!("{first} {second} {number}");
            GenMission {
                id: slug(&name),
                name,
                lead: 0,
            }
        })
        .collect();
    for i in (1..missions.len()).rev() {
        let j = rng.below(i + 1);
        missions.swap(i, j);
    }
    for m in &mut missions {
        m.lead = rng.below(agencies.len());
    }
    let mut n = 0;
    for (f, chunk) in missions.chunks(spec.per_file.max(1)).enumerate() {
        let mut text = format!("# Generated missions, file {f} (seed {}).\n\n", spec.seed);
        for m in chunk {
            written.facts += mission_toml(&mut rng, n, m, &agencies, &mut text);
            n += 1;
        }
        put(
            &dir.join("missions").join(format!("gen-{f:04}.toml")),
            &text,
            &mut written,
        )?;
    }

    let questions = spec.missions / spec.missions_per_question.max(1);
    let mut text = format!("# Generated curated questions (seed {}).\n\n", spec.seed);
    let mut asked = std::collections::HashMap::new();
    for q in 0..questions {
        question_toml(&mut rng, q, &missions, &agencies, &mut asked, &mut text);
    }
    written.questions = questions;
    put(&dir.join("questions").join("gen.toml"), &text, &mut written)?;
    Ok(written)
}
