//! Dates and review cadences. "Today" is always passed in; nothing here reads the clock.

use chrono::{Days, Months, NaiveDate};
use std::fmt;

pub type Date = NaiveDate;

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
        return None;
    }
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    // All digits (nearly every date): the fields directly, as chrono's parser would read
    // them but without interpreting the format string each time (a tenth of a warm check).
    if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A date as people type it: `2026-12-01`, `t` (today), `+7d`, `+2w`, `+3m`, `+1y`.
pub fn parse_relative(text: &str, today: Date) -> Option<Date> {
    let t = text.trim();
    if t == "t" {
        return Some(today);
    }
    if let Some(rest) = t.strip_prefix('+') {
        return Cadence::parse(rest).map(|c| c.after(today));
    }
    parse_date(t)
}

/// A review interval: days, months or years, written `90d`, `6m`, `1y` (a bare number is days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Days(u32),
    Months(u32),
    Years(u32),
}

impl Cadence {
    pub fn parse(s: &str) -> Option<Cadence> {
        let s = s.trim();
        let (num, unit) = match s.char_indices().last()? {
            (i, c) if c.is_ascii_alphabetic() => (&s[..i], c.to_ascii_lowercase()),
            _ => (s, 'd'),
        };
        let n: u32 = num.trim().parse().ok().filter(|n| *n > 0 && *n <= 36_500)?;
        match unit {
            'd' => Some(Cadence::Days(n)),
            'w' => Some(Cadence::Days(n * 7)),
            'm' => Some(Cadence::Months(n)),
            'y' => Some(Cadence::Years(n)),
            _ => None,
        }
    }

    /// The date one cadence after `from` (month ends clamp: 31 Jan + 1m = 28/29 Feb).
    pub fn after(self, from: Date) -> Date {
        let next = match self {
            Cadence::Days(n) => from.checked_add_days(Days::new(n.into())),
            Cadence::Months(n) => from.checked_add_months(Months::new(n)),
            Cadence::Years(n) => from.checked_add_months(Months::new(n * 12)),
        };
        next.unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Days(n) => write!(f, "{n}d"),
            Cadence::Months(n) => write!(f, "{n}m"),
            Cadence::Years(n) => write!(f, "{n}y"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn strict_dates() {
        assert_eq!(
            parse_date("2026-11-22"),
            NaiveDate::from_ymd_opt(2026, 11, 22)
        );
        for bad in [
            "2026-1-2",
            "2026-02-30",
            "22/11/2026",
            "2026-11-22T10:00",
            "",
            "tomorrow",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_digit_path_reads_as_chrono_does() {
        for s in [
            "2026-11-22",
            "0000-01-01",
            "9999-12-31",
            "2024-02-29",
            "2025-02-29",
            "2026-00-10",
            "2026-13-01",
            "2026-04-31",
            "2026-04-00",
            " 2026-04-01 ",
            "+202-01-01",
            "2026-+1-01",
            "2026- 1-01",
            "2026-1 -01",
            "202a-01-01",
            "2026-01-0\u{661}",
        ] {
            let chrono = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
            assert_eq!(parse_date(s), chrono, "{s:?}");
        }
    }

    #[test]
    fn cadences() {
        assert_eq!(Cadence::parse("6m"), Some(Cadence::Months(6)));
        assert_eq!(Cadence::parse("1y"), Some(Cadence::Years(1)));
        assert_eq!(Cadence::parse("90"), Some(Cadence::Days(90)));
        assert_eq!(Cadence::parse("2w"), Some(Cadence::Days(14)));
        assert_eq!(Cadence::parse("0d"), None);
        assert_eq!(Cadence::parse("6x"), None);
        assert_eq!(Cadence::Months(1).after(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Cadence::Years(1).after(d("2024-02-29")), d("2025-02-28"));
        assert_eq!(Cadence::Days(30).after(d("2026-11-22")), d("2026-12-22"));
    }
}
