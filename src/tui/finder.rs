//! The fuzzy finder over every record (nucleo-matcher, fzf syntax).

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Indices of the best `limit` haystacks for `query`, best first; all of them (in order)
/// for an empty query.
pub fn search(haystacks: &[String], query: &str, limit: usize) -> Vec<usize> {
    let mut found = Found::default();
    found.search(haystacks, query, limit);
    found.best(limit.min(haystacks.len()))
}

/// What the last query matched, all of it (not only the best shown): a query that extends
/// it ("cre" after "cr") can only match among these, so typing a word scores the whole
/// workspace once, at its first character, and ever fewer records after.
#[derive(Default)]
pub struct Found {
    query: String,
    /// (score, haystack index), in haystack order; `None` for an empty query (all).
    matches: Option<Vec<(u32, usize)>>,
    /// Whether `matches` holds only the records that contain every word as typed (enough
    /// of them to fill the list) rather than every fuzzy match.
    exact: bool,
}

impl Found {
    /// Matches `query` against `haystacks`, among the last matches when it narrows them.
    /// When at least `enough` records contain every word as typed, those are the matches
    /// and the fuzzy pass is skipped: a fuzzy pattern of common letters ("cr", "cred")
    /// matches nearly every one of 100,000 records and costs 40 ms to score, where a
    /// substring search costs a few; a typo ("prmpt inj") finds too few exact records
    /// and is matched fuzzily as before.
    pub fn search(&mut self, haystacks: &[String], query: &str, enough: usize) {
        let narrows = narrows(&self.query, query);
        let (last, last_exact) = (self.matches.take(), self.exact);
        self.query = query.to_string();
        self.exact = false;
        if query.trim().is_empty() {
            return;
        }
        let among = |last: Option<&Vec<(u32, usize)>>| -> Vec<usize> {
            match last {
                Some(l) if narrows => l.iter().map(|&(_, i)| i).collect(),
                _ => (0..haystacks.len()).collect(),
            }
        };
        if !query.contains(['!', '^', '$', '\'', '\\', '|']) {
            // A record holding the new words as typed held the old ones too, and matched
            // them fuzzily: the last matches, exact or fuzzy, contain all of these.
            let exact = Pattern::new(
                query,
                CaseMatching::Smart,
                Normalization::Smart,
                AtomKind::Substring,
            );
            let hits = score_all(haystacks, &exact, &among(last.as_ref()));
            if hits.len() >= enough.max(1) {
                self.matches = Some(hits);
                self.exact = true;
                return;
            }
        }
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        // Exact matches are not every fuzzy match: after them, all are scored.
        let candidates = among(last.as_ref().filter(|_| !last_exact));
        self.matches = Some(score_all(haystacks, &pattern, &candidates));
    }

    /// Forgets the matches (the haystacks changed): the next search scores them all.
    pub fn clear(&mut self) {
        self.query.clear();
        self.matches = None;
        self.exact = false;
    }

    /// The best `limit`, best first; ties keep workspace order.
    pub fn best(&self, limit: usize) -> Vec<usize> {
        let Some(matches) = &self.matches else {
            return (0..limit).collect();
        };
        let mut scored = matches.clone();
        let order = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, order);
            scored.truncate(limit);
        }
        scored.sort_by(order);
        scored.into_iter().map(|(_, i)| i).collect()
    }
}

/// Candidates at which scoring is split over two threads (a keystroke of the finder over
/// 100,000 records scores them all; one thread took 40 ms).
const SPLIT_AT: usize = 20_000;

/// The (score, index) of the `candidates` that match, in their order.
fn score_all(haystacks: &[String], pattern: &Pattern, candidates: &[usize]) -> Vec<(u32, usize)> {
    let score = |part: &[usize]| -> Vec<(u32, usize)> {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        part.iter()
            .filter_map(|&i| {
                let h = haystacks.get(i)?;
                Some((pattern.score(Utf32Str::new(h, &mut buf), &mut matcher)?, i))
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if candidates.len() < SPLIT_AT || threads < 2 {
        return score(candidates);
    }
    let chunk = candidates.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| s.spawn(move || score(part)))
            .collect();
        // A scoring thread that panicked is scored again here rather than lost.
        let mut out = Vec::new();
        for (n, h) in parts.into_iter().enumerate() {
            match h.join() {
                Ok(found) => out.extend(found),
                Err(_) => out.extend(score(
                    &candidates[n * chunk..((n + 1) * chunk).min(candidates.len())],
                )),
            }
        }
        out
    })
}

/// Whether every record `new` matches also matched `old`: `new` extends `old`, and neither
/// uses the syntax that can widen a match as it grows (`!` negates, `\` escapes, and a
/// lone `^`, `$` or `'` in `old` may turn into an anchor).
fn narrows(old: &str, new: &str) -> bool {
    !old.trim().is_empty()
        && new.starts_with(old)
        && !old.contains(['^', '$', '\'', '|'])
        && !new.contains(['!', '\\', '|'])
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

    #[test]
    fn scoring_split_over_threads_finds_what_one_thread_finds() {
        let h: Vec<String> = (0..SPLIT_AT * 2 + 7)
            .map(|i| format!("RISK-{i:05} {}", ["credit", "bias", "vendor"][i % 3]))
            .collect();
        let pattern = Pattern::parse("cred 12", CaseMatching::Smart, Normalization::Smart);
        let all: Vec<usize> = (0..h.len()).collect();
        let split = score_all(&h, &pattern, &all);
        let one: Vec<(u32, usize)> = all
            .chunks(SPLIT_AT - 1)
            .flat_map(|part| score_all(&h, &pattern, part))
            .collect();
        assert!(!split.is_empty());
        assert_eq!(split, one);
    }

    #[test]
    fn enough_exact_hits_skip_the_fuzzy_pass_and_too_few_fall_back_to_it() {
        let h: Vec<String> = (0..300)
            .map(|i| format!("RISK-{i:03} {} risk", ["credit", "bias", "vendor"][i % 3]))
            .collect();
        let mut found = Found::default();
        // 100 records say "credit": enough for 50, so only they are matched.
        found.search(&h, "credit", 50);
        assert!(found.exact);
        let best = found.best(50);
        assert_eq!(best.len(), 50);
        assert!(best.iter().all(|&i| h[i].contains("credit")), "{best:?}");
        // Growing the query keeps to them while they are enough…
        found.search(&h, "credit r", 50);
        assert!(found.exact);
        // …and a typo, with no exact hit, is matched fuzzily among all records again.
        found.search(&h, "credit rsk", 50);
        assert!(!found.exact);
        assert_eq!(found.best(50), {
            let mut fresh = Found::default();
            fresh.search(&h, "credit rsk", usize::MAX);
            fresh.best(50)
        });
        assert!(!found.best(50).is_empty());
    }

    #[test]
    fn a_longer_query_narrows_the_last_matches_and_finds_the_same() {
        let h: Vec<String> = (0..300)
            .map(|i| format!("RISK-{i:03} {} risk", ["credit", "bias", "vendor"][i % 3]))
            .collect();
        let mut found = Found::default();
        for q in ["c", "cr", "cre", "cred", "cred 1", "cred 12"] {
            found.search(&h, q, 50);
            assert_eq!(found.best(50), search(&h, q, 50), "{q}");
        }
        let n = found.matches.as_ref().unwrap().len();
        assert!(n > 0 && n < 100, "fewer than the 100 credit risks: {n}");
        // Syntax that widens as it grows, or a query that does not extend: all scored.
        assert!(!narrows("cre", "cre !x") && !narrows("cre", "cr") && !narrows("^", "^c"));
        assert!(narrows("cre", "cred") && narrows("cred", "cred ^r"));
        found.search(&h, "bias !RISK-00", 500);
        assert_eq!(found.best(500), search(&h, "bias !RISK-00", 500));
    }
}
