//! Where the scores are kept: a SQLite file (a path: the default, nothing to set up), or a PostgreSQL server (a
//! `postgres://` URL: the store several processes share).
//!
//! A URL's password is never shown: [`Location`]'s `Display` and `Debug`, and every message made from them, put
//! `***` in its place.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Connections to a PostgreSQL server, unless `database_pool` says otherwise.
pub const DEFAULT_POOL: u32 = 10;
/// The most connections `database_pool` may ask for.
pub const MAX_POOL: u32 = 1_000;

/// Where the scores are kept.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file (made, with its directory, when it is first opened).
    File(PathBuf),
    /// A PostgreSQL database on a server.
    Postgres(PgUrl),
}

/// A PostgreSQL URL, checked, with how many connections to keep to it.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    url: String,
    pool: u32,
}

/// Why a database setting is not a place to keep scores. Shown with the password hidden.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationError(pub String);

impl fmt::Display for LocationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LocationError {}

/// How a PostgreSQL URL is written, for messages.
const PG_SHAPE: &str = "postgres://USER:PASSWORD@HOST:5432/DATABASE";

impl Location {
    /// A database setting as written: a file path, `sqlite://PATH`, or a `postgres://` (or `postgresql://`) URL.
    /// Anything else that looks like a URL is refused with what to write instead.
    pub fn parse(text: &str) -> Result<Location, LocationError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(LocationError(format!(
                "the database is empty: give a file path such as rendezvous.db, or a URL such as {PG_SHAPE}"
            )));
        }
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return PgUrl::parse(t).map(Location::Postgres);
        }
        if let Some(path) = t.strip_prefix("sqlite://") {
            return Ok(Location::File(PathBuf::from(path)));
        }
        let scheme = t.split_once("://").map(|(s, _)| s).filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if let Some(scheme) = scheme {
            return Err(LocationError(format!(
                "`{}` is not a database Rendezvous can use ({scheme}:// is not supported): give a file path (SQLite) \
                 or a PostgreSQL URL such as {PG_SHAPE}",
                redact(t)
            )));
        }
        if lower.starts_with("postgres:") || lower.starts_with("postgresql:") {
            // Not echoed: without `//` the password cannot be told from the rest.
            return Err(LocationError(format!(
                "the database setting is not a PostgreSQL URL (it needs `//` after `postgres:`): write it as \
                 {PG_SHAPE}"
            )));
        }
        Ok(Location::File(PathBuf::from(t)))
    }

    /// A database given as a path on the command line (`--db`): a URL in it is read as a URL.
    pub fn from_path(path: &Path) -> Result<Location, LocationError> {
        match path.to_str() {
            Some(text) => Location::parse(text),
            // Not UTF-8: not a URL, so a file name.
            None => Ok(Location::File(path.to_path_buf())),
        }
    }

    /// The same place, with `pool` connections for a PostgreSQL server (a file keeps its own).
    pub fn with_pool(self, pool: u32) -> Location {
        match self {
            Location::Postgres(u) => Location::Postgres(PgUrl { pool, ..u }),
            file => file,
        }
    }

    /// The file, for a SQLite database.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }
}

impl From<PathBuf> for Location {
    /// A SQLite file at this path.
    fn from(path: PathBuf) -> Location {
        Location::File(path)
    }
}

impl From<&Path> for Location {
    /// A SQLite file at this path.
    fn from(path: &Path) -> Location {
        Location::File(path.to_path_buf())
    }
}

impl FromStr for Location {
    type Err = LocationError;

    fn from_str(s: &str) -> Result<Location, LocationError> {
        Location::parse(s)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(u) => write!(f, "{u}"),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "File({p:?})"),
            Location::Postgres(u) => write!(f, "Postgres({u}, pool {})", u.pool),
        }
    }
}

impl PgUrl {
    fn parse(text: &str) -> Result<PgUrl, LocationError> {
        let bad = |why: String| {
            LocationError(format!(
                "`{}` is not a valid PostgreSQL URL ({why}): write it as {PG_SHAPE}",
                redact(text)
            ))
        };
        let url = url::Url::parse(text).map_err(|e| bad(e.to_string()))?;
        if url.host_str().is_none_or(str::is_empty) && !url.query_pairs().any(|(k, _)| k == "host") {
            return Err(bad("it names no server".into()));
        }
        if url.path().trim_matches('/').contains('/') {
            return Err(bad("a database name has no `/` in it".into()));
        }
        // Every parameter as the driver reads it (sslmode=…, options=…): a wrong one is refused now, not at connect.
        sqlx::postgres::PgConnectOptions::from_str(text).map_err(|e| bad(redact(&e.to_string())))?;
        Ok(PgUrl {
            url: text.to_string(),
            pool: DEFAULT_POOL,
        })
    }

    /// The URL, password included: only for connecting.
    pub(super) fn expose(&self) -> &str {
        &self.url
    }

    /// How many connections to keep to the server.
    pub fn pool(&self) -> u32 {
        self.pool
    }

    /// The server, as `host:port`, for messages.
    pub fn server(&self) -> String {
        match url::Url::parse(&self.url) {
            Ok(u) => format!("{}:{}", u.host_str().unwrap_or("localhost"), u.port().unwrap_or(5432)),
            Err(_) => redact(&self.url),
        }
    }

    /// The database name (the user's name when the URL gives none, as PostgreSQL does).
    pub fn database(&self) -> String {
        let Ok(u) = url::Url::parse(&self.url) else {
            return String::new();
        };
        let name = u.path().trim_matches('/');
        let name = if name.is_empty() { u.username() } else { name };
        percent_decode(name)
    }

    /// The user the URL logs in as (empty: the server's default).
    pub fn user(&self) -> String {
        url::Url::parse(&self.url).map_or_else(|_| String::new(), |u| percent_decode(u.username()))
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map_or_else(String::new, |(_, v)| v.into_owned())
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.url))
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgUrl({self})")
    }
}

/// `text` with the password of a URL in it replaced by `***` (`postgres://me:***@host/db`). Works on text that is
/// not a valid URL too, and on messages that quote one.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends at the first `/`, `?`, `#` or space; the user's part at its last `@`.
        let end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                match userinfo.find(':') {
                    Some(colon) => {
                        out.push_str(&userinfo[..colon]);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    // A `password=…` parameter, too.
    hide_param(&out, "password=")
}

fn hide_param(text: &str, key: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        let (head, tail) = rest.split_at(at + key.len());
        out.push_str(head);
        out.push_str("***");
        let end = tail.find(|c: char| c == '&' || c.is_whitespace()).unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_urls_are_told_apart() {
        assert_eq!(
            Location::parse("scores.db").unwrap(),
            Location::File("scores.db".into())
        );
        assert_eq!(
            Location::parse("sqlite://data/x.db").unwrap(),
            Location::File("data/x.db".into())
        );
        assert_eq!(
            Location::parse(" dir with spaces/a b.db ").unwrap(),
            Location::File("dir with spaces/a b.db".into())
        );
        let pg = Location::parse("postgres://bot:s3cret@db.example:5433/rendezvous").unwrap();
        let Location::Postgres(u) = &pg else { panic!("{pg:?}") };
        assert_eq!(
            (u.server(), u.database(), u.user(), u.pool()),
            (
                "db.example:5433".into(),
                "rendezvous".into(),
                "bot".into(),
                DEFAULT_POOL
            )
        );
        assert_eq!(
            pg.clone().with_pool(3),
            Location::Postgres(PgUrl { pool: 3, ..u.clone() })
        );
        assert!(matches!(
            Location::parse("postgresql://localhost/x?sslmode=require"),
            Ok(Location::Postgres(_))
        ));
        let Ok(Location::Postgres(u)) = Location::parse("postgres://me@localhost") else {
            panic!()
        };
        assert_eq!((u.database(), u.server()), ("me".into(), "localhost:5432".into()));
    }

    #[test]
    fn the_password_never_shows() {
        let pg = Location::parse("postgres://bot:s3cret@db.example/rendezvous").unwrap();
        for shown in [pg.to_string(), format!("{pg:?}"), format!("{pg:#?}")] {
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(shown.contains("postgres://bot:***@db.example/rendezvous"), "{shown}");
        }
        assert_eq!(
            redact("error connecting to postgres://u:p%40ss@h:1/d?password=x&sslmode=y: refused"),
            "error connecting to postgres://u:***@h:1/d?password=***&sslmode=y: refused"
        );
        assert_eq!(redact("no url here"), "no url here");
        assert_eq!(redact("postgres://h/d"), "postgres://h/d");
    }

    #[test]
    fn a_wrong_url_says_how_to_write_one_without_showing_the_password() {
        for (text, says) in [
            ("mysql://root:pw@localhost/db", "mysql:// is not supported"),
            ("postgress://u:pw@localhost/db", "postgress:// is not supported"),
            ("postgres:/u:pw@localhost/db", "is not a PostgreSQL URL"),
            ("postgresql:u:pw@localhost/db", "needs `//`"),
            ("postgres://u:pw@localhost:99999/db", "not a valid PostgreSQL URL"),
            ("postgres://u:pw@/db", "empty host"),
            ("postgres:///db?user=u&password=pw", "names no server"),
            ("postgres://u:pw@localhost/a/b", "no `/`"),
            (
                "postgres://u:pw@localhost/db?sslmode=sometimes",
                "not a valid PostgreSQL URL",
            ),
            ("", "is empty"),
        ] {
            let e = Location::parse(text).unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
            assert!(!e.contains(":pw@"), "{text}: the password shows: {e}");
            if !text.is_empty() {
                assert!(e.contains("postgres://USER:PASSWORD@HOST:5432/DATABASE"), "{e}");
            }
        }
    }
}
