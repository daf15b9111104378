//! Time as the core sees it: milliseconds since the Unix epoch, always passed in (so games and events run on a test's
//! clock or the console's virtual one), and the calendar maths on it (UTC). The wall clock is read only by the front
//! ends, through [`wall_ms`].

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Which scores a leaderboard counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Period {
    #[default]
    All,
    Month,
    /// Since Monday 00:00 UTC.
    Week,
}

impl Period {
    /// When the period started, `None` for all time.
    pub fn since(self, now_ms: i64) -> Option<i64> {
        match self {
            Period::All => None,
            Period::Month => Some(month_start_ms(now_ms)),
            Period::Week => Some(week_start_ms(now_ms)),
        }
    }

    /// How a title names it.
    pub fn name(self) -> &'static str {
        match self {
            Period::All => "all time",
            Period::Month => "this month",
            Period::Week => "this week",
        }
    }

    /// Its letter in a button id.
    pub fn letter(self) -> char {
        match self {
            Period::All => 'a',
            Period::Month => 'm',
            Period::Week => 'w',
        }
    }

    pub fn from_letter(c: &str) -> Option<Period> {
        [Period::All, Period::Month, Period::Week]
            .into_iter()
            .find(|p| p.letter().to_string() == c)
    }
}

/// Milliseconds since the Unix epoch, from the wall clock.
pub fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Midnight UTC on the first day of the month `now_ms` falls in.
pub fn month_start_ms(now_ms: i64) -> i64 {
    let (y, m, _) = civil_from_days(now_ms.div_euclid(DAY_MS));
    days_from_civil(y, m, 1) * DAY_MS
}

/// Monday 00:00 UTC of the week `now_ms` falls in (1970-01-01 was a Thursday).
pub fn week_start_ms(now_ms: i64) -> i64 {
    let day = now_ms.div_euclid(DAY_MS);
    (day - (day + 3).rem_euclid(7)) * DAY_MS
}

/// The UTC day of `ms` as `YYYY-MM-DD`.
pub fn date_string(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a (proleptic Gregorian) date: Howard Hinnant's days-from-civil.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day count since 1970-01-01: Howard Hinnant's civil-from-days.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_start_is_midnight_on_the_first() {
        // 2025-03-17T12:00:00Z
        let t = 1_742_212_800_000;
        assert_eq!(month_start_ms(t), 1_740_787_200_000); // 2025-03-01T00:00:00Z
        assert_eq!(month_start_ms(1_740_787_200_000), 1_740_787_200_000);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn weeks_start_on_monday_at_midnight_utc() {
        let monday = days_from_civil(2026, 11, 30) * DAY_MS; // Monday 30 November 2026
        assert_eq!(week_start_ms(monday), monday);
        assert_eq!(
            week_start_ms(monday - 1),
            monday - 7 * DAY_MS,
            "Sunday 23:59:59.999 is last week"
        );
        assert_eq!(week_start_ms(monday + 7 * DAY_MS - 1), monday, "Sunday night");
        assert_eq!(week_start_ms(monday + 3 * DAY_MS + 5), monday);
        assert_eq!(date_string(week_start_ms(0)), "1969-12-29");
    }

    #[test]
    fn days_and_dates_round_trip_and_print_as_utc_days() {
        for z in [-800_000, -1, 0, 1, 59, 60, 10_957, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z, "{y}-{m}-{d}");
        }
        assert_eq!(date_string(0), "1970-01-01");
        assert_eq!(date_string(1_742_212_800_000), "2025-03-17");
        assert_eq!(date_string(-1), "1969-12-31");
    }
}
