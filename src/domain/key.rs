//! Mapping keys, shared. The same few hundred field names repeat in every record (a
//! hundred thousand `owner:` at scale); each used to be its own heap string, a quarter of
//! the memory of a large workspace. A key seen before is now one shared `&'static str`.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::RwLock;

/// Distinct keys shared at most: real workspaces have a few hundred. A file of random
/// keys (a mistake or an attack) cannot grow the table past this; later keys are owned.
const MAX_SHARED: usize = 4096;
/// Longer keys are not field names; they are owned.
const MAX_SHARED_LEN: usize = 48;

type Set = HashSet<&'static str, foldhash::fast::RandomState>;

static SHARED: RwLock<Option<Set>> = RwLock::new(None);

thread_local! {
    /// Each parsing thread's view of the shared keys: no lock once warm.
    static LOCAL: RefCell<Set> = RefCell::new(Set::default());
}

#[derive(Clone)]
enum Repr {
    Shared(&'static str),
    Own(Box<str>),
}

/// A key of a mapping: reads as a `&str`.
#[derive(Clone)]
pub struct Key(Repr);

impl Key {
    pub fn new(s: &str) -> Key {
        match shared(s) {
            Some(k) => Key(Repr::Shared(k)),
            None => Key(Repr::Own(s.into())),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Shared(s) => s,
            Repr::Own(s) => s,
        }
    }
}

fn shared(s: &str) -> Option<&'static str> {
    if s.len() > MAX_SHARED_LEN {
        return None;
    }
    if let Some(k) = LOCAL.with(|l| l.borrow().get(s).copied()) {
        return Some(k);
    }
    let found = SHARED
        .read()
        .ok()
        .and_then(|g| g.as_ref().and_then(|set| set.get(s).copied()));
    let k = match found {
        Some(k) => k,
        None => {
            let mut g = SHARED.write().ok()?;
            let set = g.get_or_insert_with(Set::default);
            match set.get(s) {
                Some(k) => k,
                None if set.len() < MAX_SHARED => {
                    // Leaked on purpose: at most MAX_SHARED short keys, for the process.
                    let k: &'static str = Box::leak(s.into());
                    set.insert(k);
                    k
                }
                None => return None,
            }
        }
    };
    LOCAL.with(|l| l.borrow_mut().insert(k));
    Some(k)
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Key {}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_is_shared_and_long_ones_are_owned() {
        let (a, b) = (Key::new("owner"), Key::new("owner"));
        assert!(matches!((&a.0, &b.0), (Repr::Shared(x), Repr::Shared(y)) if std::ptr::eq(*x, *y)));
        let long = "k".repeat(100);
        assert!(matches!(Key::new(&long).0, Repr::Own(_)));
        assert_eq!(Key::new(&long), *long.as_str());
    }
}
