//! When a server's question of the day is due: a local time in an IANA time zone (through jiff and its bundled
//! copy of the time zone database), turned into instants day by day, so 09:00 in Paris stays 09:00 across
//! daylight-saving changes. A day is named by its local date (`2026-03-29`).

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A daily local time in a time zone.
#[derive(Clone, Debug)]
pub struct Slot {
    pub time: Time,
    pub tz: TimeZone,
    /// The zone's IANA name, as set.
    pub tz_name: String,
}

/// Why a time or a zone was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadSlot(pub String);

/// `HH:MM` (24-hour; `9:00` too).
pub fn parse_time(raw: &str) -> Result<Time, BadSlot> {
    let bad = || {
        BadSlot(format!(
            "`{}` is not a time of day: write it as HH:MM on a 24-hour clock, e.g. 09:00 or 18:30.",
            crate::text::truncate(raw.trim(), 20)
        ))
    };
    let (h, m) = raw.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) || raw.trim().len() > 5 {
        return Err(bad());
    }
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

/// An IANA time zone by name (`Europe/Paris`, `UTC`), matched without regard to case.
pub fn parse_zone(raw: &str) -> Result<(TimeZone, String), BadSlot> {
    let name = raw.trim();
    let found = jiff::tz::db()
        .available()
        .find(|n| n.as_str().eq_ignore_ascii_case(name))
        .map(|n| n.as_str().to_string());
    match found.and_then(|n| TimeZone::get(&n).ok().map(|tz| (tz, n))) {
        Some(z) => Ok(z),
        None => Err(BadSlot(format!(
            "`{}` is not a time zone I know. Use a name from the IANA time zone database, such as Europe/Paris, \
             America/New_York, Asia/Tokyo or UTC (suggestions appear as you type).",
            crate::text::truncate(name, 40)
        ))),
    }
}

/// Time zone names containing `partial` (any case), shortest first, at most `max`.
pub fn zone_names(partial: &str, max: usize) -> Vec<String> {
    let want = partial.trim().to_lowercase().replace(' ', "_");
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| n.contains('/') || n == "UTC")
        .filter(|n| n.to_lowercase().contains(&want))
        .collect();
    names.sort_by_key(|n| (!n.to_lowercase().starts_with(&want), n.len(), n.clone()));
    names.truncate(max);
    names
}

impl Slot {
    pub fn new(time: &str, zone: &str) -> Result<Slot, BadSlot> {
        let time = parse_time(time)?;
        let (tz, tz_name) = parse_zone(zone)?;
        Ok(Slot { time, tz, tz_name })
    }

    /// The instant of the slot on local date `day` (a time skipped by a daylight-saving change comes as late as
    /// the change moved it; a repeated one, the first time).
    pub fn at(&self, day: Date) -> i64 {
        day.to_datetime(self.time)
            .to_zoned(self.tz.clone())
            .map_or(i64::MAX, |z| z.timestamp().as_millisecond())
    }

    /// The local date of an instant.
    pub fn date_of(&self, ms: i64) -> Date {
        Timestamp::from_millisecond(ms)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned(self.tz.clone())
            .date()
    }

    /// The newest slot at or before `now`: its day and instant.
    pub fn latest(&self, now: i64) -> (Date, i64) {
        let today = self.date_of(now);
        let at = self.at(today);
        if at <= now {
            (today, at)
        } else {
            let yesterday = today.yesterday().unwrap_or(today);
            (yesterday, self.at(yesterday))
        }
    }

    /// The first slot after `day`: the next day's.
    pub fn after(&self, day: Date) -> (Date, i64) {
        let next = day.tomorrow().unwrap_or(day);
        (next, self.at(next))
    }

    /// `09:00 (Europe/Paris)`.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.time.strftime("%H:%M"), self.tz_name)
    }
}

/// A day's name as stored: `2026-03-29`.
pub fn day_key(d: Date) -> String {
    d.to_string()
}

/// The day a stored name stands for.
pub fn parse_day(s: &str) -> Option<Date> {
    s.parse().ok()
}

/// A day as a person reads it: "Sunday 29 March 2026".
pub fn day_words(d: Date) -> String {
    d.strftime("%A %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn nine_in_paris_is_eight_utc_in_winter_and_seven_in_summer() {
        let s = Slot::new("09:00", "europe/paris").unwrap();
        assert_eq!(s.tz_name, "Europe/Paris");
        let before: Date = "2026-03-28".parse().unwrap();
        assert_eq!(s.at(before), utc("2026-03-28T08:00:00Z"));
        let (next, at) = s.after(before);
        assert_eq!(
            (day_key(next), at),
            ("2026-03-29".to_string(), utc("2026-03-29T07:00:00Z"))
        );
        // In autumn the clocks go back on 25 October 2026.
        let (_, at) = s.after("2026-10-24".parse().unwrap());
        assert_eq!(at, utc("2026-10-25T08:00:00Z"));
    }

    #[test]
    fn a_time_the_clocks_skip_comes_when_the_change_moved_it() {
        let s = Slot::new("02:30", "Europe/Paris").unwrap();
        assert_eq!(
            s.at("2026-03-29".parse().unwrap()),
            utc("2026-03-29T01:30:00Z"),
            "03:30 CEST"
        );
    }

    #[test]
    fn the_latest_slot_is_today_once_its_time_has_come() {
        let s = Slot::new("09:00", "UTC").unwrap();
        assert_eq!(day_key(s.latest(utc("2026-12-07T08:59:59Z")).0), "2026-12-06");
        assert_eq!(day_key(s.latest(utc("2026-12-07T09:00:00Z")).0), "2026-12-07");
    }

    #[test]
    fn times_and_zones_are_checked_with_a_message_that_says_what_to_write() {
        for bad in ["9", "25:00", "09:60", "nine", "09:00:00", "-1:30", ""] {
            assert!(parse_time(bad).unwrap_err().0.contains("HH:MM"), "{bad}");
        }
        assert_eq!(parse_time("9:05").unwrap(), Time::new(9, 5, 0, 0).unwrap());
        let e = parse_zone("Europe/Pariss").unwrap_err().0;
        assert!(
            e.contains("not a time zone I know") && e.contains("Europe/Paris"),
            "{e}"
        );
        assert!(zone_names("paris", 25).contains(&"Europe/Paris".to_string()));
        assert!(zone_names("", 25).len() == 25);
        assert_eq!(day_words("2026-03-29".parse().unwrap()), "Sunday 29 March 2026");
    }
}
