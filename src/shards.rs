//! Which servers this process answers for, when the bot runs as several processes over one database.
//!
//! Discord splits a bot's servers into shards: a server's events (its interactions included) arrive on shard
//! `(server id >> 22) % total`, and only on it. A process that runs shards `first..=last` of `total` therefore owns
//! exactly the servers of those shards: it alone resumes their open events and runs their timers, while the database
//! is shared by every process. A process that runs every shard (the default, `"auto"`: as many as Discord
//! recommends) owns every server. Direct messages come on shard 0, and go wherever Discord sends them.
//!
//! Written `auto`, `3/16` (shard 3 of 16) or `0-7/16` (shards 0 to 7 of 16) in `RENDEZVOUS_SHARDS`, and as
//! `shards = "auto"` or `shards = { total = 16, range = "0-7" }` in the configuration's `[discord]` table.

use std::fmt;

/// The most shards a bot may be split into here (Discord's largest bots run a few thousand).
pub const MAX_TOTAL: u32 = 65_536;

/// The shards this process runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shards {
    /// Every shard, as many as Discord recommends: this process owns every server.
    #[default]
    Auto,
    /// Shards `first..=last` of `total`.
    Range { total: u32, first: u32, last: u32 },
}

impl Shards {
    /// Shards `first..=last` of `total`, or why that is not a set of shards (the words name what to write instead).
    pub fn range(total: u32, first: u32, last: u32) -> Result<Shards, String> {
        if total == 0 || total > MAX_TOTAL {
            return Err(format!(
                "a total of {total} shards is out of range: use 1 to {MAX_TOTAL}"
            ));
        }
        if first > last {
            return Err(format!(
                "the range {first}-{last} runs backwards: write the lower shard first, such as {last}-{first}"
            ));
        }
        if last >= total {
            return Err(format!(
                "shard {last} is outside a total of {total}: shards are numbered 0 to {}",
                total - 1
            ));
        }
        Ok(Shards::Range { total, first, last })
    }

    /// Reads `auto`, `N/TOTAL` or `FIRST-LAST/TOTAL`.
    pub fn parse(text: &str) -> Result<Shards, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("auto") {
            return Ok(Shards::Auto);
        }
        let shape = || {
            format!("`{t}` is not a set of shards: write auto, or a range and the total such as 0-7/16 (shards 0 to 7 of 16) or 3/16")
        };
        let (range, total) = t.split_once('/').ok_or_else(shape)?;
        let total: u32 = total.trim().parse().map_err(|_| shape())?;
        let (first, last) = parse_range(range).ok_or_else(shape)?;
        Shards::range(total, first, last)
    }

    /// The shard that receives a server's events, out of `total`.
    pub fn of_guild(guild: u64, total: u32) -> u32 {
        ((guild >> 22) % u64::from(total.max(1))) as u32
    }

    /// Whether this process answers for `guild`: its events are resumed here and its timers run here.
    pub fn owns(&self, guild: u64) -> bool {
        match *self {
            Shards::Auto => true,
            Shards::Range { total, first, last } => (first..=last).contains(&Shards::of_guild(guild, total)),
        }
    }

    /// How long this process waits before it identifies its first shard: 5 s for every `max_concurrency` shards
    /// before it (Discord takes that many identifies per 5 s, and the processes of the lower shards start one shard
    /// every 5 s each). No wait for shard 0, nor when every shard runs here.
    pub fn identify_wait(&self, max_concurrency: u64) -> std::time::Duration {
        let first = match *self {
            Shards::Auto => 0,
            Shards::Range { first, .. } => u64::from(first),
        };
        std::time::Duration::from_secs(5 * (first / max_concurrency.max(1)))
    }

    /// How many shards this process runs (`None`: as many as Discord recommends).
    pub fn count(&self) -> Option<u32> {
        match *self {
            Shards::Auto => None,
            Shards::Range { first, last, .. } => Some(last - first + 1),
        }
    }
}

/// `FIRST-LAST` or `N`.
pub fn parse_range(text: &str) -> Option<(u32, u32)> {
    match text.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let n = text.trim().parse().ok()?;
            Some((n, n))
        }
    }
}

impl fmt::Display for Shards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Shards::Auto => f.write_str("auto"),
            Shards::Range { total, first, last } if first == last => write!(f, "{first}/{total}"),
            Shards::Range { total, first, last } => write!(f, "{first}-{last}/{total}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_that_starts_later_waits_its_turn_to_identify() {
        let from = |first, total| Shards::range(total, first, total - 1).unwrap();
        assert_eq!(Shards::Auto.identify_wait(1).as_secs(), 0);
        assert_eq!(from(0, 16).identify_wait(1).as_secs(), 0);
        assert_eq!(from(8, 16).identify_wait(1).as_secs(), 40);
        assert_eq!(from(8, 16).identify_wait(16).as_secs(), 0);
        assert_eq!(from(2, 4).identify_wait(2).as_secs(), 5);
        assert_eq!(
            from(1, 4).identify_wait(0).as_secs(),
            5,
            "a concurrency of 0 counts as 1"
        );
    }

    #[test]
    fn a_server_belongs_to_the_shard_discord_sends_its_events_on() {
        // The id's timestamp part (above bit 22), modulo the total: 197038439483310086 >> 22 is 46977624770.
        let guild = 197_038_439_483_310_086;
        assert_eq!(guild >> 22, 46_977_624_770);
        assert_eq!(Shards::of_guild(guild, 2), 0);
        assert_eq!(Shards::of_guild(guild, 3), 2);
        assert!(Shards::parse("0/2").unwrap().owns(guild));
        assert!(!Shards::parse("1/2").unwrap().owns(guild));
        assert!(Shards::Auto.owns(guild));
        let other = guild + (1 << 22);
        assert!(Shards::parse("1/2").unwrap().owns(other) && !Shards::parse("0/2").unwrap().owns(other));
        assert!(Shards::parse("0-1/2").unwrap().owns(guild) && Shards::parse("0-1/2").unwrap().owns(other));
    }

    #[test]
    fn shards_are_read_and_written_back_the_same_way() {
        for text in ["auto", "3/16", "0-7/16", "0/1"] {
            assert_eq!(Shards::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Shards::parse(" AUTO ").unwrap(), Shards::Auto);
        assert_eq!(
            Shards::parse("8 - 15 / 16").unwrap(),
            Shards::Range {
                total: 16,
                first: 8,
                last: 15
            }
        );
        assert_eq!(Shards::parse("0-7/16").unwrap().count(), Some(8));
    }

    #[test]
    fn impossible_shards_say_what_to_write() {
        let e = Shards::parse("16/16").unwrap_err();
        assert!(
            e.contains("shard 16 is outside a total of 16") && e.contains("0 to 15"),
            "{e}"
        );
        let e = Shards::parse("7-0/16").unwrap_err();
        assert!(e.contains("backwards"), "{e}");
        let e = Shards::parse("0/0").unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        for bad in ["", "seven", "0-7", "a-b/16", "1/x", "-1/4"] {
            let e = Shards::parse(bad).unwrap_err();
            assert!(e.contains("0-7/16"), "{bad}: {e}");
        }
    }
}
