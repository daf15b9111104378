//! Settings: a TOML file (every key optional, unknown keys refused) with environment overrides on top.
//!
//! Read in two stages: `RawConfig` is the file as written, `Config` is validated, with defaults filled in and the
//! environment applied. The token is only ever held in a [`Token`], whose `Debug` and `Display` never show it.
//!
//! Environment overrides: `DISCORD_TOKEN`, `RENDEZVOUS_GUILD_ID`, `RENDEZVOUS_DISCORD_API`, `RENDEZVOUS_DATA`,
//! `RENDEZVOUS_DB`, `RENDEZVOUS_DB_POOL`, `RENDEZVOUS_SHARDS`. An empty variable counts as unset.
//! `config/rendezvous.example.toml` documents every key.

use crate::shards::{self, Shards};
use crate::store::{Location, DEFAULT_POOL, MAX_POOL};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The configuration file read when `--config` is not given, if it exists in the working directory.
pub const DEFAULT_FILE: &str = "rendezvous.toml";
pub const DEFAULT_DATABASE: &str = "rendezvous.db";
pub const DEFAULT_LOG_LEVEL: &str = "info";
pub const DEFAULT_ROUNDS: u32 = 5;
/// How many answers of pure commands the Discord front end keeps, by default (`[discord] reply_cache`).
pub const DEFAULT_REPLY_CACHE: usize = 256;
/// The most `[discord] reply_cache` may be.
pub const MAX_REPLY_CACHE: usize = 100_000;
pub const DEFAULT_TIMER_SECS: u32 = 20;

/// A bot token. Shown as `<redacted>` everywhere; `expose` is for the one place that hands it to Discord.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from text as pasted: surrounding whitespace and a `Bot ` prefix are dropped.
    pub fn new(raw: &str) -> Option<Token> {
        let t = raw.trim();
        let t = t.strip_prefix("Bot ").unwrap_or(t).trim();
        (!t.is_empty()).then(|| Token(t.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub data_dir: Option<PathBuf>,
    pub database: Option<String>,
    pub database_pool: Option<u32>,
    pub log_level: Option<String>,
    #[serde(default)]
    pub discord: RawDiscord,
    #[serde(default)]
    pub trivia: RawTrivia,
    #[serde(default)]
    pub events: RawEvents,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvents {
    pub host_roles: Option<Vec<Snowflake>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiscord {
    pub guild_id: Option<Snowflake>,
    pub api_base: Option<String>,
    pub token_file: Option<PathBuf>,
    pub reply_cache: Option<usize>,
    /// `"auto"`, or a table `{ total = 16, range = "0-7" }`: checked in [`Config::from_raw`].
    pub shards: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrivia {
    pub rounds: Option<u32>,
    pub timer_secs: Option<u32>,
}

/// A Discord id written as a number or as a string (ids above 2^53 are often quoted).
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(untagged)]
pub enum Snowflake {
    Int(u64),
    Str(#[serde(deserialize_with = "snowflake_str")] u64),
}

fn snowflake_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let s = String::deserialize(d)?;
    s.trim().parse().map_err(serde::de::Error::custom)
}

impl Snowflake {
    fn get(self) -> u64 {
        match self {
            Snowflake::Int(i) | Snowflake::Str(i) => i,
        }
    }
}

/// Validated settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The knowledge base directory; `None`: the front end's default (./data, or the one shipped with the source).
    pub data_dir: Option<PathBuf>,
    /// A SQLite file, or a PostgreSQL server (with its pool size).
    pub database: Location,
    /// Connections to keep to a PostgreSQL server (also for a `--db` URL given on the command line).
    pub database_pool: u32,
    /// A tracing filter (`info`, `rendezvous=debug,serenity=warn`); `RUST_LOG` wins over it.
    pub log_level: String,
    pub discord: DiscordConfig,
    pub trivia: TriviaConfig,
    pub events: EventsConfig,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventsConfig {
    /// Members with any of these roles may create and host events, like those with Manage Events.
    pub host_roles: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscordConfig {
    pub token: Option<Token>,
    /// Register commands in this guild only (instant; for development). `None`: globally.
    pub guild_id: Option<u64>,
    /// Another Discord API base URL (a rate-limiting proxy, a fake in tests), without a trailing slash or `/api`.
    pub api_base: Option<String>,
    pub token_file: Option<PathBuf>,
    /// How many answers of pure commands (cards, search, timeline) to keep and send again as they are until the
    /// knowledge base is reloaded; 0 keeps none.
    pub reply_cache: usize,
    /// The shards this process runs.
    pub shards: Shards,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TriviaConfig {
    pub rounds: u32,
    pub timer_secs: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: None,
            database: Location::File(PathBuf::from(DEFAULT_DATABASE)),
            database_pool: DEFAULT_POOL,
            log_level: DEFAULT_LOG_LEVEL.into(),
            discord: DiscordConfig {
                token: None,
                guild_id: None,
                api_base: None,
                token_file: None,
                reply_cache: DEFAULT_REPLY_CACHE,
                shards: Shards::Auto,
            },
            trivia: TriviaConfig {
                rounds: DEFAULT_ROUNDS,
                timer_secs: DEFAULT_TIMER_SECS,
            },
            events: EventsConfig::default(),
        }
    }
}

/// Why the configuration could not be read. Messages name the file or variable and say what to do.
#[derive(Debug)]
pub enum ConfigError {
    /// The file could not be read.
    Read { path: PathBuf, error: std::io::Error },
    /// The file is not valid TOML, or has an unknown key or a wrong type.
    Parse { path: PathBuf, message: String },
    /// A value is out of range or malformed; `key` is the file key or the environment variable.
    Invalid { key: String, message: String },
    /// The token file could not be read.
    TokenFile { path: PathBuf, error: std::io::Error },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Read { path, error } => write!(f, "cannot read the configuration {}: {error}", path.display()),
            ConfigError::Parse { path, message } => write!(
                f,
                "{}: {}\n(config/rendezvous.example.toml lists every key)",
                path.display(),
                message.trim_end()
            ),
            ConfigError::Invalid { key, message } => write!(f, "{key}: {message}"),
            ConfigError::TokenFile { path, error } => write!(
                f,
                "cannot read the token file {} (discord.token_file): {error}; put the bot token in it, or set DISCORD_TOKEN",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Read the configuration: the file at `path` (which must exist), else `rendezvous.toml` in the working
    /// directory if there is one, else defaults; then the process environment on top.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let file = match path {
            Some(p) => Some(p.to_path_buf()),
            None => Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file()),
        };
        let raw = match &file {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|error| ConfigError::Read { path: p.clone(), error })?;
                parse(&text, p)?
            }
            None => RawConfig::default(),
        };
        Config::from_raw(raw, |k| std::env::var(k).ok())
    }

    /// Validate a file's contents and apply the environment (`env` looks a variable up; tests pass their own).
    pub fn from_raw(raw: RawConfig, env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let env = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            key: key.to_string(),
            message,
        };
        let defaults = Config::default();

        let data_dir = env("RENDEZVOUS_DATA").map(PathBuf::from).or(raw.data_dir);
        let database = match (env("RENDEZVOUS_DB"), raw.database) {
            (Some(v), _) => Location::parse(&v).map_err(|e| invalid("RENDEZVOUS_DB", e.to_string()))?,
            (None, Some(v)) => Location::parse(&v).map_err(|e| invalid("database", e.to_string()))?,
            (None, None) => defaults.database,
        };
        let pool = match env("RENDEZVOUS_DB_POOL") {
            Some(v) => (
                "RENDEZVOUS_DB_POOL",
                v.trim().parse::<u32>().map_err(|_| {
                    invalid(
                        "RENDEZVOUS_DB_POOL",
                        format!("`{v}` is not a number of connections (1 to {MAX_POOL})"),
                    )
                })?,
            ),
            None => ("database_pool", raw.database_pool.unwrap_or(DEFAULT_POOL)),
        };
        if !(1..=MAX_POOL).contains(&pool.1) {
            return Err(invalid(
                pool.0,
                format!("{} connections is out of range; use 1 to {MAX_POOL}", pool.1),
            ));
        }
        let database = database.with_pool(pool.1);
        let shards = match env("RENDEZVOUS_SHARDS") {
            Some(v) => Shards::parse(&v).map_err(|e| invalid("RENDEZVOUS_SHARDS", e))?,
            None => match &raw.discord.shards {
                Some(v) => shards_from_toml(v).map_err(|e| invalid("discord.shards", e))?,
                None => Shards::Auto,
            },
        };
        let log_level = raw.log_level.unwrap_or(defaults.log_level);
        if log_level.trim().is_empty() {
            return Err(invalid("log_level", "is empty; use e.g. \"info\" or \"debug\"".into()));
        }

        let guild_id = match env("RENDEZVOUS_GUILD_ID") {
            Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
                invalid(
                    "RENDEZVOUS_GUILD_ID",
                    format!("`{v}` is not a Discord server id (a number; in Discord: right-click the server, Copy Server ID)"),
                )
            })?),
            None => raw.discord.guild_id.map(Snowflake::get),
        };
        if guild_id == Some(0) {
            return Err(invalid("discord.guild_id", "0 is not a server id".into()));
        }

        let api_base = match env("RENDEZVOUS_DISCORD_API") {
            Some(v) => Some(check_api_base("RENDEZVOUS_DISCORD_API", &v)?),
            None => match raw.discord.api_base {
                Some(v) => Some(check_api_base("discord.api_base", &v)?),
                None => None,
            },
        };

        let token_file = raw.discord.token_file;
        let token = match env("DISCORD_TOKEN") {
            Some(v) => Token::new(&v),
            None => match &token_file {
                Some(p) => {
                    let text = std::fs::read_to_string(p)
                        .map_err(|error| ConfigError::TokenFile { path: p.clone(), error })?;
                    Some(Token::new(&text).ok_or_else(|| {
                        invalid(
                            "discord.token_file",
                            format!("{} is empty; put the bot token in it", p.display()),
                        )
                    })?)
                }
                None => None,
            },
        };

        let reply_cache = raw.discord.reply_cache.unwrap_or(DEFAULT_REPLY_CACHE);
        if reply_cache > MAX_REPLY_CACHE {
            return Err(invalid(
                "discord.reply_cache",
                format!("{reply_cache} is too many; use 0 (keep none) to {MAX_REPLY_CACHE}"),
            ));
        }

        let rounds = raw.trivia.rounds.unwrap_or(DEFAULT_ROUNDS);
        if !(1..=50).contains(&rounds) {
            return Err(invalid(
                "trivia.rounds",
                format!("{rounds} is out of range; use 1 to 50"),
            ));
        }
        let timer_secs = raw.trivia.timer_secs.unwrap_or(DEFAULT_TIMER_SECS);
        if !(5..=300).contains(&timer_secs) {
            return Err(invalid(
                "trivia.timer_secs",
                format!("{timer_secs} is out of range; use 5 to 300 seconds"),
            ));
        }

        Ok(Config {
            data_dir,
            database,
            database_pool: pool.1,
            log_level,
            discord: DiscordConfig {
                token,
                guild_id,
                api_base,
                token_file,
                reply_cache,
                shards,
            },
            trivia: TriviaConfig { rounds, timer_secs },
            events: EventsConfig {
                host_roles: raw
                    .events
                    .host_roles
                    .unwrap_or_default()
                    .into_iter()
                    .map(Snowflake::get)
                    .collect(),
            },
        })
    }
}

/// `[discord] shards`: `"auto"`, `"0-7/16"`, or `{ total = 16, range = "0-7" }` (`range` may be one shard, `3` or
/// `"3"`; without it, every shard of the total).
fn shards_from_toml(v: &toml::Value) -> Result<Shards, String> {
    const SHAPE: &str = "write shards = \"auto\", or shards = { total = 16, range = \"0-7\" }";
    match v {
        toml::Value::String(s) => Shards::parse(s),
        toml::Value::Table(t) => {
            if let Some(k) = t.keys().find(|k| *k != "total" && *k != "range") {
                return Err(format!("unknown key `{k}`: {SHAPE}"));
            }
            let total = match t.get("total") {
                Some(toml::Value::Integer(n)) => {
                    u32::try_from(*n).map_err(|_| format!("total = {n} is out of range"))?
                }
                Some(other) => return Err(format!("total = {} is not a number: {SHAPE}", toml_shown(other))),
                None => return Err(format!("the table has no total: {SHAPE}")),
            };
            let (first, last) = match t.get("range") {
                None => (0, total.saturating_sub(1)),
                Some(toml::Value::Integer(n)) => {
                    let n = u32::try_from(*n).map_err(|_| format!("range = {n} is not a shard number"))?;
                    (n, n)
                }
                Some(toml::Value::String(r)) => shards::parse_range(r)
                    .ok_or_else(|| format!("range = \"{r}\" is not a range of shards such as \"0-7\""))?,
                Some(other) => {
                    return Err(format!(
                        "range = {} is not a range of shards: {SHAPE}",
                        toml_shown(other)
                    ))
                }
            };
            Shards::range(total, first, last)
        }
        other => Err(format!("{} is not a set of shards: {SHAPE}", toml_shown(other))),
    }
}

/// A TOML value as written, for messages (a table or array by its kind).
fn toml_shown(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        other => format!("a {}", other.type_str()),
    }
}

/// Parse a configuration file's text (`path` only names it in errors).
pub fn parse(text: &str, path: &Path) -> Result<RawConfig, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// An API base is an origin such as `http://127.0.0.1:8080` or `https://proxy.example`: serenity puts `/api/v10/…`
/// after it.
fn check_api_base(key: &str, raw: &str) -> Result<String, ConfigError> {
    let base = raw.trim().trim_end_matches('/');
    let invalid = |message: String| ConfigError::Invalid {
        key: key.to_string(),
        message,
    };
    let Some(rest) = base.strip_prefix("http://").or_else(|| base.strip_prefix("https://")) else {
        return Err(invalid(format!(
            "`{base}` is not an http:// or https:// URL (e.g. http://127.0.0.1:8080)"
        )));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(invalid(format!("`{base}` has no host")));
    }
    if rest.contains("/api") {
        return Err(invalid(format!(
            "`{base}`: give the base without /api/v10 (the client adds it), e.g. http://127.0.0.1:8080"
        )));
    }
    Ok(base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    fn raw(text: &str) -> RawConfig {
        parse(text, Path::new("test.toml")).unwrap()
    }

    #[test]
    fn event_host_roles_are_read_as_ids() {
        let c = Config::from_raw(raw("[events]\nhost_roles = [123, \"987654321098765432\"]"), env(&[])).unwrap();
        assert_eq!(c.events.host_roles, vec![123, 987_654_321_098_765_432]);
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let c = Config::from_raw(RawConfig::default(), env(&[])).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.database, Location::File(PathBuf::from("rendezvous.db")));
        assert_eq!(c.discord.shards, Shards::Auto);
        assert_eq!((c.trivia.rounds, c.trivia.timer_secs), (5, 20));
    }

    #[test]
    fn the_example_file_parses_and_documents_every_key() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rendezvous.example.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let c = Config::from_raw(parse(&text, &path).unwrap(), env(&[])).unwrap();
        assert_eq!(c.trivia.rounds, DEFAULT_ROUNDS);
        assert_eq!(c.discord.reply_cache, DEFAULT_REPLY_CACHE);
        for key in [
            "data_dir",
            "database",
            "log_level",
            "[discord]",
            "guild_id",
            "api_base",
            "token_file",
            "reply_cache",
            "shards",
            "database_pool",
            "[trivia]",
            "rounds",
            "timer_secs",
        ] {
            assert!(text.contains(key), "the example does not mention {key}");
        }
    }

    #[test]
    fn environment_overrides_the_file() {
        let file =
            raw("data_dir = \"d\"\ndatabase = \"a.db\"\n[discord]\nguild_id = \"123\"\napi_base = \"http://x:1/\"");
        let c = Config::from_raw(
            file,
            env(&[
                ("RENDEZVOUS_DATA", "/data"),
                ("RENDEZVOUS_DB", "/b.db"),
                ("RENDEZVOUS_GUILD_ID", "456"),
                ("RENDEZVOUS_DISCORD_API", "http://127.0.0.1:9"),
                ("DISCORD_TOKEN", "  Bot abc.def  "),
            ]),
        )
        .unwrap();
        assert_eq!(c.data_dir, Some(PathBuf::from("/data")));
        assert_eq!(c.database, Location::File(PathBuf::from("/b.db")));
        assert_eq!(c.discord.guild_id, Some(456));
        assert_eq!(c.discord.api_base.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(c.discord.token.as_ref().map(Token::expose), Some("abc.def"));

        let c = Config::from_raw(raw("[discord]\nguild_id = 123\napi_base = \"http://x:1/\""), env(&[])).unwrap();
        assert_eq!(c.discord.guild_id, Some(123));
        assert_eq!(c.discord.api_base.as_deref(), Some("http://x:1"));
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let c = Config::from_raw(RawConfig::default(), env(&[("DISCORD_TOKEN", "s3cr3t-t0ken")])).unwrap();
        let shown = format!("{c:?} {c:#?} {}", c.discord.token.as_ref().unwrap());
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn the_token_can_come_from_a_file_and_the_environment_wins() {
        let dir = std::env::temp_dir().join(format!("rv-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let text = format!("[discord]\ntoken_file = {:?}", file.display().to_string());
        let c = Config::from_raw(raw(&text), env(&[])).unwrap();
        assert_eq!(c.discord.token.as_ref().map(Token::expose), Some("from-file"));
        let c = Config::from_raw(raw(&text), env(&[("DISCORD_TOKEN", "from-env")])).unwrap();
        assert_eq!(c.discord.token.as_ref().map(Token::expose), Some("from-env"));
        let missing = format!("[discord]\ntoken_file = {:?}", dir.join("nope").display().to_string());
        let e = Config::from_raw(raw(&missing), env(&[])).unwrap_err().to_string();
        assert!(e.contains("token_file") && e.contains("DISCORD_TOKEN"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_with_the_key_named() {
        let e = parse("[discord]\ntoken = \"x\"", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("c.toml") && e.contains("token"), "{e}");
        let c = Config::from_raw(raw("[discord]\nreply_cache = 0"), env(&[])).unwrap();
        assert_eq!(c.discord.reply_cache, 0, "0 keeps none");
        let e = Config::from_raw(raw("[discord]\nreply_cache = 100001"), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("discord.reply_cache") && e.contains("100000"), "{e}");
        let e = parse("[discord]\nreply_cache = -1", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("reply_cache"), "{e}");
        let e = Config::from_raw(raw("[trivia]\nrounds = 0"), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("trivia.rounds"), "{e}");
        let e = Config::from_raw(raw(""), env(&[("RENDEZVOUS_GUILD_ID", "my server")])).unwrap_err();
        assert!(e.to_string().contains("RENDEZVOUS_GUILD_ID"), "{e}");
        let e = Config::from_raw(raw("[discord]\napi_base = \"127.0.0.1:80\""), env(&[])).unwrap_err();
        assert!(e.to_string().contains("discord.api_base"), "{e}");
        let e = Config::from_raw(
            raw(""),
            env(&[("RENDEZVOUS_DISCORD_API", "https://discord.com/api/v10")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("without /api"), "{e}");
    }

    #[test]
    fn the_database_may_be_a_postgresql_server_with_its_pool() {
        let c = Config::from_raw(
            raw("database = \"postgres://bot:pw@db.example/rendezvous\"\ndatabase_pool = 4"),
            env(&[]),
        )
        .unwrap();
        let Location::Postgres(url) = &c.database else {
            panic!("{:?}", c.database)
        };
        assert_eq!((url.pool(), url.server()), (4, "db.example:5432".to_string()));
        let c = Config::from_raw(
            raw("database = \"a.db\""),
            env(&[("RENDEZVOUS_DB", "postgresql://u@h/d"), ("RENDEZVOUS_DB_POOL", "20")]),
        )
        .unwrap();
        assert!(
            matches!(&c.database, Location::Postgres(u) if u.pool() == 20),
            "{:?}",
            c.database
        );
        let e = Config::from_raw(raw(""), env(&[("RENDEZVOUS_DB", "mysql://u:pw@h/d")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("RENDEZVOUS_DB: ") && e.contains("postgres://USER:PASSWORD@HOST"),
            "{e}"
        );
        assert!(!e.contains("pw"), "{e}");
        let e = Config::from_raw(raw("database = \"postgres://u@h:0x/d\""), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("database: "), "{e}");
        let e = Config::from_raw(raw("database_pool = 0"), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("database_pool") && e.contains("1 to 1000"), "{e}");
        let e = Config::from_raw(raw(""), env(&[("RENDEZVOUS_DB_POOL", "many")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("RENDEZVOUS_DB_POOL"), "{e}");
    }

    #[test]
    fn shards_are_read_from_the_file_or_the_environment() {
        let c = Config::from_raw(raw("[discord]\nshards = { total = 16, range = \"0-7\" }"), env(&[])).unwrap();
        assert_eq!(c.discord.shards, Shards::parse("0-7/16").unwrap());
        let c = Config::from_raw(raw("[discord]\nshards = { total = 4, range = 3 }"), env(&[])).unwrap();
        assert_eq!(c.discord.shards, Shards::parse("3/4").unwrap());
        let c = Config::from_raw(raw("[discord]\nshards = { total = 2 }"), env(&[])).unwrap();
        assert_eq!(c.discord.shards, Shards::parse("0-1/2").unwrap());
        let c = Config::from_raw(raw("[discord]\nshards = \"auto\""), env(&[])).unwrap();
        assert_eq!(c.discord.shards, Shards::Auto);
        let c = Config::from_raw(
            raw("[discord]\nshards = \"auto\""),
            env(&[("RENDEZVOUS_SHARDS", "1/2")]),
        )
        .unwrap();
        assert_eq!(c.discord.shards, Shards::parse("1/2").unwrap(), "the environment wins");
        for (text, says) in [
            (
                "shards = { total = 16, range = \"8-16\" }",
                "shard 16 is outside a total of 16",
            ),
            ("shards = { range = \"0-7\" }", "no total"),
            ("shards = { total = 16, ranges = \"0-7\" }", "unknown key `ranges`"),
            ("shards = { total = 16, range = \"zero\" }", "not a range of shards"),
            ("shards = 4", "not a set of shards"),
            ("shards = \"some\"", "0-7/16"),
        ] {
            let e = Config::from_raw(raw(&format!("[discord]\n{text}")), env(&[]))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("discord.shards: ") && e.contains(says), "{text}: {e}");
        }
        let e = Config::from_raw(raw(""), env(&[("RENDEZVOUS_SHARDS", "2/2")]))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("RENDEZVOUS_SHARDS: "), "{e}");
    }
}
