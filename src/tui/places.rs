//! The places the finder (Ctrl-p) finds by name besides records: the panes, each register
//! of the Registers pane, and Home's setup steps. A new user looks for "Datasets" or
//! "Reviews" by name, not by which Tab or digit leads there.

use super::component::Effect;
use super::pane::Pane;

pub struct Place {
    pub name: &'static str,
    /// Shown beside the name in the finder.
    pub what: &'static str,
    /// Lower-case words a query may start: the name's own, and what the place holds.
    pub words: &'static str,
    pub pane: Pane,
    /// The id prefix a register's records share: the Registers pane filtered to them.
    pub filter: Option<&'static str>,
}

const fn place(name: &'static str, what: &'static str, words: &'static str, pane: Pane) -> Place {
    Place {
        name,
        what,
        words,
        pane,
        filter: None,
    }
}

const fn register(name: &'static str, words: &'static str, prefix: &'static str) -> Place {
    Place {
        name,
        what: "register",
        words,
        pane: Pane::Registers,
        filter: Some(prefix),
    }
}

pub static PLACES: &[Place] = &[
    place(
        "Setup steps",
        "Home",
        "setup steps checklist start",
        Pane::Home,
    ),
    place("Home", "view", "home today overview", Pane::Home),
    place("Inventory", "view", "inventory systems ai", Pane::Inventory),
    place("Risks", "view", "risks heat map register", Pane::Risks),
    place(
        "SoA",
        "view",
        "soa statement applicability controls annex",
        Pane::Soa,
    ),
    place(
        "Calendar",
        "view",
        "calendar due dates agenda",
        Pane::Calendar,
    ),
    place(
        "Findings",
        "view",
        "findings nonconformities incidents",
        Pane::Findings,
    ),
    place(
        "Assessments",
        "view",
        "assessments impact",
        Pane::Assessments,
    ),
    place("Audits", "view", "audits internal programme", Pane::Audits),
    place("Suppliers", "view", "suppliers vendors", Pane::Suppliers),
    place(
        "Documents",
        "view",
        "documents policy policies model cards",
        Pane::Documents,
    ),
    place("Reviews", "view", "reviews management", Pane::Reviews),
    place("Objectives", "view", "objectives", Pane::Objectives),
    place("Registers", "view", "registers", Pane::Registers),
    place(
        "Problems",
        "view",
        "problems errors warnings check",
        Pane::Problems,
    ),
    place("Trends", "view", "trends history charts", Pane::Trends),
    register("Context issues", "context issues", "CTX-"),
    register(
        "Interested parties",
        "interested parties stakeholders",
        "IP-",
    ),
    register("Competence", "competence training", "COMP-"),
    register("Communications", "communications plan", "COMM-"),
    register("Datasets", "datasets data training-data", "DS-"),
    register("Metrics", "metrics monitoring measurement", "MET-"),
];

/// The id a place has among the finder's results (no record id holds a colon).
pub fn id(i: usize) -> String {
    format!("place:{i}")
}

pub fn by_id(id: &str) -> Option<&'static Place> {
    PLACES.get(id.strip_prefix("place:")?.parse::<usize>().ok()?)
}

/// The places a query names: a word of theirs starts with it (three letters at least, so
/// a record search is not crowded out).
pub fn matching(query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    if q.chars().count() < 3 {
        return Vec::new();
    }
    (0..PLACES.len())
        .filter(|&i| {
            let p = &PLACES[i];
            p.name.to_lowercase().starts_with(&q) || p.words.split(' ').any(|w| w.starts_with(&q))
        })
        .collect()
}

/// What choosing a place does.
pub fn go(p: &Place) -> Effect {
    if p.name == "Setup steps" {
        return Effect::HideSetup(Some(false));
    }
    Effect::GoPane(p.pane, p.filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_and_registers_are_found_by_name() {
        let names =
            |q: &str| -> Vec<&str> { matching(q).into_iter().map(|i| PLACES[i].name).collect() };
        assert_eq!(names("Datasets"), ["Datasets"]);
        assert_eq!(names("data"), ["Datasets"]);
        assert!(names("reviews").contains(&"Reviews"));
        assert!(names("registers").contains(&"Registers"));
        assert_eq!(names("setup"), ["Setup steps"]);
        assert!(
            names("ds").is_empty(),
            "two letters find records, not places"
        );
        let ds = matching("datasets")[0];
        assert!(matches!(
            go(by_id(&id(ds)).unwrap()),
            Effect::GoPane(Pane::Registers, Some("DS-"))
        ));
    }
}
