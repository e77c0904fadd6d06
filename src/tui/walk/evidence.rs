//! Evidence sampled in the walk: whether a typed path is there, and Tab completion of
//! paths under the workspace. Reads the disk, draws nothing.

use std::path::{Component, Path};

/// A URL is recorded as typed: it is not looked for on disk.
pub fn is_url(typed: &str) -> bool {
    typed.contains("://") || typed.starts_with("mailto:")
}

/// A relative path that stays inside the workspace (no `..`, not absolute).
fn inside(typed: &str) -> bool {
    let p = Path::new(typed);
    !p.is_absolute() && !p.components().any(|c| matches!(c, Component::ParentDir))
}

/// What is wrong with a typed path, shown as it is typed: nothing for a URL or for a
/// file or folder that exists under the workspace.
pub fn path_problem(root: &Path, typed: &str) -> Option<&'static str> {
    let typed = typed.trim();
    if typed.is_empty() || is_url(typed) {
        return None;
    }
    if !inside(typed) {
        return Some("outside the workspace: a path under it, or a URL");
    }
    if !root.join(typed).exists() {
        return Some("no such file under the workspace (saved as typed)");
    }
    None
}

/// Tab: completes `typed` as far as the names under the workspace agree (a folder gets
/// its `/`); also returns the names that still match when there are several.
pub fn complete(root: &Path, typed: &str) -> (String, Vec<String>) {
    let unchanged = || (typed.to_string(), Vec::new());
    if is_url(typed) || !inside(typed) {
        return unchanged();
    }
    let (dir, prefix) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return unchanged();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            // aims' own state and hidden files only when asked for by a dot.
            if name.starts_with('.') && !prefix.starts_with('.') {
                return None;
            }
            let is_dir = e.path().is_dir();
            name.starts_with(prefix)
                .then(|| if is_dir { format!("{name}/") } else { name })
        })
        .collect();
    names.sort();
    match names.as_slice() {
        [] => unchanged(),
        [one] => (format!("{dir}{one}"), Vec::new()),
        many => {
            let first = &many[0];
            let mut common = first.len();
            for other in &many[1..] {
                common = first
                    .char_indices()
                    .zip(other.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8())
                    .min(common);
            }
            (format!("{dir}{}", &first[..common]), names)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("evidence/logs")).unwrap();
        std::fs::write(root.join("evidence/model-card.pdf"), "x").unwrap();
        std::fs::write(root.join("evidence/monitoring.csv"), "x").unwrap();
        std::fs::create_dir_all(root.join(".aims")).unwrap();
        tmp
    }

    #[test]
    fn tab_completes_a_unique_name_and_stops_where_names_differ() {
        let tmp = tree();
        let root = tmp.path();
        assert_eq!(complete(root, "ev"), ("evidence/".to_string(), vec![]));
        assert_eq!(
            complete(root, "evidence/mo"),
            (
                "evidence/mo".to_string(),
                vec!["model-card.pdf".to_string(), "monitoring.csv".to_string()]
            )
        );
        assert_eq!(complete(root, "evidence/mod").0, "evidence/model-card.pdf");
        assert_eq!(complete(root, "evidence/l").0, "evidence/logs/");
        // Hidden state is not offered; nothing outside the workspace is read.
        assert_eq!(complete(root, "").1, Vec::<String>::new());
        assert_eq!(complete(root, "").0, "evidence/");
        assert_eq!(complete(root, "../").0, "../");
        assert_eq!(complete(root, "https://ex").0, "https://ex");
    }

    #[test]
    fn a_missing_path_is_flagged_and_a_url_is_not() {
        let tmp = tree();
        let root = tmp.path();
        assert_eq!(path_problem(root, "evidence/model-card.pdf"), None);
        assert_eq!(path_problem(root, "evidence/logs"), None);
        assert_eq!(path_problem(root, "https://example.com/x"), None);
        assert!(
            path_problem(root, "evidence/nope.pdf")
                .unwrap()
                .contains("no such file")
        );
        assert!(
            path_problem(root, "../secrets")
                .unwrap()
                .contains("outside")
        );
        assert!(
            path_problem(root, "/etc/passwd")
                .unwrap()
                .contains("outside")
        );
    }
}
