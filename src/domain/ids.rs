//! Record ids and person ids. An id is also a file name, so it must never name a path.

/// `^[A-Z][A-Z0-9]*-[A-Za-z0-9-]+$`: a prefix, a dash, then letters, digits and dashes.
pub fn is_record_id(id: &str) -> bool {
    let Some((prefix, rest)) = id.split_once('-') else {
        return false;
    };
    let mut p = prefix.chars();
    p.next().is_some_and(|c| c.is_ascii_uppercase())
        && p.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Person ids are short lowercase slugs: `amoreau`, `j.smith`, `ops-lead`.
pub fn is_person_id(id: &str) -> bool {
    let mut c = id.chars();
    c.next().is_some_and(|c| c.is_ascii_lowercase())
        && c.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        && id.len() <= 64
}

/// The prefix and number of an id like `RISK-007`, for proposing the next free id.
pub fn next_id<'a>(prefix: &str, existing: impl Iterator<Item = &'a str>) -> String {
    let highest = existing
        .filter_map(|id| id.strip_prefix(prefix)?.strip_prefix('-'))
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}-{:03}", highest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids() {
        for ok in ["SYS-001", "AUD-2026-01", "MR-2026", "X1-a-B"] {
            assert!(is_record_id(ok), "{ok}");
        }
        for bad in [
            "",
            "sys-001",
            "SYS",
            "SYS-",
            "-001",
            "SYS-../x",
            "SYS-0/1",
            "SYS-1.yaml",
            "SYS 1",
            "A.6.2.4",
            "SYS-é",
        ] {
            assert!(!is_record_id(bad), "{bad}");
        }
    }

    #[test]
    fn person_ids() {
        assert!(is_person_id("amoreau"));
        assert!(is_person_id("j.smith-2"));
        assert!(!is_person_id("Anne"));
        assert!(!is_person_id("../etc"));
        assert!(!is_person_id(""));
    }

    #[test]
    fn next_id_follows_the_highest() {
        let ids = ["RISK-001", "RISK-009", "RISK-x", "SYS-100"];
        assert_eq!(next_id("RISK", ids.into_iter()), "RISK-010");
        assert_eq!(next_id("NC", ids.into_iter()), "NC-001");
    }
}
