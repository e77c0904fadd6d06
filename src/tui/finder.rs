//! The fuzzy finder over every record (nucleo-matcher, fzf syntax).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Indices of the best `limit` haystacks for `query`, best first; all of them (in order)
/// for an empty query.
pub fn search(haystacks: &[String], query: &str, limit: usize) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..haystacks.len().min(limit)).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = haystacks
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let score = pattern.score(Utf32Str::new(h, &mut buf), &mut matcher)?;
            Some((score, i))
        })
        .collect();
    // Best score first; ties keep workspace order.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_finds_by_id_and_title() {
        let h: Vec<String> = [
            "SYS-001 Credit scoring AI system",
            "RISK-004 Prompt injection AI risk",
            "SUP-001 Cirrus supplier",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(search(&h, "prmpt inj", 10), vec![1]);
        assert_eq!(search(&h, "sys001", 10)[0], 0);
        assert_eq!(search(&h, "", 2), vec![0, 1]);
        assert!(search(&h, "zzzz", 10).is_empty());
    }
}
