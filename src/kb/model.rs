//! The knowledge base as plain data: agencies, missions and curated questions.
//!
//! Nothing here validates or looks anything up; `load` builds these values only
//! after every check has passed, and `index` answers questions about them.

use serde::Serialize;
use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

typed_id!(
    /// The stable id of an agency or organisation (`esa`).
    AgencyId
);
typed_id!(
    /// The stable id of a mission (`cassini-huygens`).
    MissionId
);
typed_id!(
    /// The stable id of a curated trivia question.
    QuestionId
);

/// A calendar date with the precision its source gives: a year, a month or a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    pub fn year(year: i32) -> Date {
        Date {
            year,
            month: None,
            day: None,
        }
    }

    /// A key that sorts dates chronologically; a bare year sorts before its months.
    pub fn sort_key(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }

    /// True when `self` is certainly earlier than `other` at the precision both share.
    pub fn certainly_before(&self, other: &Date) -> bool {
        if self.year != other.year {
            return self.year < other.year;
        }
        match (self.month, other.month) {
            (Some(a), Some(b)) if a != b => a < b,
            (Some(_), Some(_)) => match (self.day, other.day) {
                (Some(a), Some(b)) => a < b,
                _ => false,
            },
            _ => false,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => write!(f, "{:04}-{:02}", self.year, m),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// What kind of organisation an agency is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgencyKind {
    NationalAgency,
    Intergovernmental,
    Company,
    Research,
    Historical,
}

impl AgencyKind {
    pub const ALL: [(&'static str, AgencyKind); 5] = [
        ("national-agency", AgencyKind::NationalAgency),
        ("intergovernmental", AgencyKind::Intergovernmental),
        ("company", AgencyKind::Company),
        ("research", AgencyKind::Research),
        ("historical", AgencyKind::Historical),
    ];

    pub fn label(self) -> &'static str {
        match self {
            AgencyKind::NationalAgency => "national space agency",
            AgencyKind::Intergovernmental => "intergovernmental organisation",
            AgencyKind::Company => "company",
            AgencyKind::Research => "research organisation",
            AgencyKind::Historical => "historical programme",
        }
    }
}

/// What kind of mission or project a mission is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissionKind {
    Station,
    SpaceTelescope,
    Orbiter,
    Lander,
    Rover,
    Flyby,
    Probe,
    SampleReturn,
    CrewedFlight,
    Programme,
    GroundTelescope,
    Satellite,
    Impactor,
}

impl MissionKind {
    pub const ALL: [(&'static str, MissionKind); 13] = [
        ("station", MissionKind::Station),
        ("space-telescope", MissionKind::SpaceTelescope),
        ("orbiter", MissionKind::Orbiter),
        ("lander", MissionKind::Lander),
        ("rover", MissionKind::Rover),
        ("flyby", MissionKind::Flyby),
        ("probe", MissionKind::Probe),
        ("sample-return", MissionKind::SampleReturn),
        ("crewed-flight", MissionKind::CrewedFlight),
        ("programme", MissionKind::Programme),
        ("ground-telescope", MissionKind::GroundTelescope),
        ("satellite", MissionKind::Satellite),
        ("impactor", MissionKind::Impactor),
    ];

    pub fn label(self) -> &'static str {
        match self {
            MissionKind::Station => "space station",
            MissionKind::SpaceTelescope => "space telescope",
            MissionKind::Orbiter => "orbiter",
            MissionKind::Lander => "lander",
            MissionKind::Rover => "rover",
            MissionKind::Flyby => "flyby",
            MissionKind::Probe => "probe",
            MissionKind::SampleReturn => "sample return",
            MissionKind::CrewedFlight => "crewed flight",
            MissionKind::Programme => "programme",
            MissionKind::GroundTelescope => "ground telescope",
            MissionKind::Satellite => "satellite",
            MissionKind::Impactor => "impactor",
        }
    }
}

/// Where a mission stands, as of the knowledge base's `as_of` date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Planned,
    Active,
    Completed,
    Failed,
    Cancelled,
}

impl Status {
    pub const ALL: [(&'static str, Status); 5] = [
        ("planned", Status::Planned),
        ("active", Status::Active),
        ("completed", Status::Completed),
        ("failed", Status::Failed),
        ("cancelled", Status::Cancelled),
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Active => "active",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }
}

/// How hard a curated question is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [(&'static str, Difficulty); 3] = [
        ("easy", Difficulty::Easy),
        ("medium", Difficulty::Medium),
        ("hard", Difficulty::Hard),
    ];

    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// One sentence that is true, with the page that says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub text: String,
    pub source: String,
    /// The same fact written so that it names neither the mission nor any word of its names: a clue for "Which
    /// mission is this?" (missions' facts only; checked when loaded).
    pub clue: Option<String>,
}

/// How well a general audience knows a mission or an agency: a signal for a question's difficulty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Renown {
    High,
    #[default]
    Medium,
    Low,
}

impl Renown {
    pub const ALL: [(&'static str, Renown); 3] =
        [("high", Renown::High), ("medium", Renown::Medium), ("low", Renown::Low)];
}

/// What kind of place a destination is: which destinations are alike, and which ones a mission travels to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DestinationKind {
    /// On the ground (a telescope on Earth).
    Ground,
    /// Up past the edge of space and straight back down.
    Suborbital,
    EarthOrbit,
    LagrangePoint,
    Heliocentric,
    /// Earth's Moon.
    Moon,
    Planet,
    PlanetaryMoon,
    SmallBody,
    Sun,
    Interstellar,
}

impl DestinationKind {
    pub const ALL: [(&'static str, DestinationKind); 11] = [
        ("ground", DestinationKind::Ground),
        ("suborbital", DestinationKind::Suborbital),
        ("earth-orbit", DestinationKind::EarthOrbit),
        ("lagrange-point", DestinationKind::LagrangePoint),
        ("heliocentric", DestinationKind::Heliocentric),
        ("moon", DestinationKind::Moon),
        ("planet", DestinationKind::Planet),
        ("planetary-moon", DestinationKind::PlanetaryMoon),
        ("small-body", DestinationKind::SmallBody),
        ("sun", DestinationKind::Sun),
        ("interstellar", DestinationKind::Interstellar),
    ];

    /// A place a spacecraft travels to, beyond the space around Earth: "Where was X bound?" makes sense.
    pub fn is_journey(self) -> bool {
        matches!(
            self,
            DestinationKind::Moon
                | DestinationKind::Planet
                | DestinationKind::PlanetaryMoon
                | DestinationKind::SmallBody
                | DestinationKind::Sun
                | DestinationKind::Interstellar
        )
    }
}

/// A place missions go: how it is written in a sentence, and what kind of place it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Destination {
    /// As missions write it in `destination`.
    pub name: String,
    /// The article the name takes in a sentence ("the Moon", "an Earth-trailing heliocentric orbit").
    pub article: Option<&'static str>,
    pub kind: DestinationKind,
    /// The body it belongs to (Titan: Saturn), another destination's name: places of one system are never offered
    /// against each other.
    pub around: Option<String>,
}

impl Destination {
    /// Whether two places belong to one system (one is the other, or around it, or both are around one body).
    pub fn same_system(&self, other: &Destination) -> bool {
        self.name == other.name
            || self.around.as_deref() == Some(other.name.as_str())
            || other.around.as_deref() == Some(self.name.as_str())
            || (self.around.is_some() && self.around == other.around)
    }
}

/// An agency's part in a mission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Partner {
    pub agency: AgencyId,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agency {
    pub id: AgencyId,
    pub name: String,
    pub acronym: Option<String>,
    pub aliases: Vec<String>,
    pub country: String,
    pub kind: AgencyKind,
    pub founded: Option<Date>,
    pub dissolved: Option<Date>,
    pub headquarters: Option<String>,
    pub summary: String,
    pub website: Option<String>,
    pub facts: Vec<Fact>,
    pub sources: Vec<String>,
    /// The name takes "the" in a sentence ("the European Space Agency").
    pub takes_the: bool,
    /// The acronym takes "the" in a sentence ("the USSR").
    pub acronym_takes_the: bool,
    /// The organisation that took this one over (NASDA → JAXA): questions count them as one.
    pub successor: Option<AgencyId>,
    pub renown: Renown,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mission {
    pub id: MissionId,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: MissionKind,
    pub status: Status,
    pub launch: Option<Date>,
    pub end: Option<Date>,
    pub destination: String,
    pub lead: AgencyId,
    /// Partners other than the lead, each with its role.
    pub partners: Vec<Partner>,
    /// What the lead agency did, where the data says.
    pub lead_role: Option<String>,
    pub summary: String,
    pub facts: Vec<Fact>,
    pub sources: Vec<String>,
    /// The name takes "the" in a sentence ("the Hubble Space Telescope").
    pub takes_the: bool,
    pub renown: Renown,
    /// The lead and partners name every space agency (national or intergovernmental) that took part; companies and
    /// research bodies may be missing. Only then may a question say an agency did NOT take part.
    pub partners_complete: bool,
    /// The page that lists the agencies, when `partners_complete`.
    pub partners_source: Option<String>,
}

impl Mission {
    /// Every agency involved: the lead first, then the partners.
    pub fn agencies(&self) -> impl Iterator<Item = &AgencyId> {
        std::iter::once(&self.lead).chain(self.partners.iter().map(|p| &p.agency))
    }

    pub fn involves(&self, agency: &AgencyId) -> bool {
        self.agencies().any(|a| a == agency)
    }

    /// The role an agency played, if it took part.
    pub fn role_of(&self, agency: &AgencyId) -> Option<&str> {
        if &self.lead == agency {
            return Some(self.lead_role.as_deref().unwrap_or("led the mission"));
        }
        self.partners
            .iter()
            .find(|p| &p.agency == agency)
            .map(|p| p.role.as_str())
    }
}

/// A question written by a person, checked like the rest of the data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CuratedQuestion {
    pub id: QuestionId,
    pub question: String,
    /// Two to four options for a button question; empty for an open (typed) question.
    pub options: Vec<String>,
    /// The canonical answer; one of `options` when there are options.
    pub answer: String,
    /// Other answers a typed reply may give (aliases, spellings).
    pub accept: Vec<String>,
    pub explanation: String,
    pub source: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub missions: Vec<MissionId>,
    pub agencies: Vec<AgencyId>,
}

/// Facts about the data set itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// The date statuses are true as of.
    pub as_of: Date,
}
