//! A YAML value that keeps key order and the line of every key.
//!
//! Records are stored generically so that the field specs in `rules` are the one source of
//! truth for what a record type holds; unknown fields simply ride along.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

pub use super::key::Key;

#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(compact_str::CompactString),
    List(Vec<Value>),
    Map(Map),
}

/// An ordered mapping. Each key remembers the line it was read from (0 when built in memory).
#[derive(Debug, Clone, Default)]
pub struct Map {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Key,
    pub line: u32,
    pub value: Value,
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => *a as f64 == *b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            _ => false,
        }
    }
}

/// Maps compare by content and order, never by line numbers.
impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|(a, b)| a.key == b.key && a.value == b.value)
    }
}

impl Value {
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 => Some(*f as i64),
            _ => None,
        }
    }

    /// The text of a scalar: strings as they are, numbers and booleans written out, so that
    /// `version: 1.2` still reads as the text "1.2".
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::Int(i) => Some(i.to_string()),
            // `version: 2.0` reads back as "2.0", not "2".
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{f:.1}")),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Absent, null, an empty or blank string, or an empty list or map.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        }
    }

    /// A short name of the value's shape, for error messages.
    pub fn shape(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "yes/no",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into().into())
    }
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn with_capacity(n: usize) -> Map {
        Map {
            entries: Vec::with_capacity(n),
        }
    }

    /// Appends a key read from a file, with its line, without looking for it first (the
    /// reader refuses duplicate keys, so none can be there).
    pub fn push_read(&mut self, key: &str, line: u32, value: Value) {
        self.entries.push(Entry {
            key: Key::new(key),
            line,
            value,
        });
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value)
    }

    /// The line the key was read from, when known.
    pub fn line_of(&self, key: &str) -> Option<u32> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.line)
            .filter(|l| *l > 0)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    /// Sets a key, keeping its place when it exists and appending otherwise.
    pub fn set(&mut self, key: &str, value: Value) {
        match self.entries.iter_mut().find(|e| e.key == key) {
            Some(e) => e.value = value,
            None => self.entries.push(Entry {
                key: Key::new(key),
                line: 0,
                value,
            }),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.entries.iter().position(|e| e.key == key)?;
        Some(self.entries.remove(at).value)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }

    /// Text of a scalar field, trimmed; `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            // One copy of the trimmed text, not a copy of the whole and then of the trim.
            Value::Str(s) => Some(trim(s)).filter(|t| !t.is_empty()).map(str::to_string),
            v => v
                .as_text()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        }
    }

    /// Whether `text(key)` is `Some(want)`, without allocating for a string field (hot
    /// loops over every record of a type).
    pub fn text_is(&self, key: &str, want: &str) -> bool {
        match self.get(key) {
            Some(Value::Str(s)) => !want.is_empty() && trim(s) == want,
            Some(v) => v
                .as_text()
                .is_some_and(|t| !want.is_empty() && t.trim() == want),
            None => false,
        }
    }

    /// The items `texts(key)` gives, borrowed where they are strings.
    pub fn texts_cow(&self, key: &str) -> Vec<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        fn one(v: &Value) -> Option<Cow<'_, str>> {
            match v {
                Value::Str(s) => Some(Cow::Borrowed(s.as_str())),
                other => other.as_text().map(Cow::Owned),
            }
        }
        match self.get(key) {
            Some(Value::List(items)) => items.iter().filter_map(one).collect(),
            Some(v) => one(v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str).map(trim)
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Value::as_bool)
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Value::as_int)
    }

    pub fn list(&self, key: &str) -> &[Value] {
        self.get(key).and_then(Value::as_list).unwrap_or(&[])
    }

    /// The texts of a list of scalars (or a single scalar, read as a one-item list).
    pub fn texts(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(Value::List(items)) => items.iter().filter_map(Value::as_text).collect(),
            Some(v) => v.as_text().into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// True when the field is absent or empty.
    pub fn is_blank(&self, key: &str) -> bool {
        self.get(key).is_none_or(Value::is_empty)
    }
}

/// `str::trim`, without its Unicode scan for the common text that starts and ends with a
/// visible ASCII character (the rules trim every field they read, millions at scale).
pub fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| *b > b' ' && *b < 0x80);
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

#[cfg(test)]
#[test]
fn trim_is_str_trim() {
    for s in [
        "",
        " ",
        "a",
        " a",
        "a ",
        "\ta",
        "a\n",
        "\u{a0}a",
        "a\u{3000}",
        "é",
        " é ",
        "\u{7f}",
    ] {
        assert_eq!(trim(s), s.trim(), "{s:?}");
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.set(&k, v);
        }
        map
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.into()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v.into()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<serde_saphyr::Spanned<KeyText>>()? {
            let value = access.next_value::<Value>()?;
            let line = u32::try_from(key.referenced.line()).unwrap_or(0);
            // Duplicate keys are refused by the parser options (`DuplicateKeyPolicy::Error`),
            // so no search here: a file of 50,000 keys must not cost 50,000² comparisons.
            map.entries.push(Entry {
                key: Key::new(&key.value.0),
                line,
                value,
            });
        }
        Ok(Value::Map(map))
    }
}

/// A mapping key read as text, whatever scalar it was written as (`1:` or `yes:`).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Keys are read straight into their text: no intermediate `Value` and no second
        // copy for the common case of a plain string key (millions of keys at scale).
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl KeyVisitor {
    fn scalar<E: de::Error>(v: Value) -> Result<KeyText, E> {
        match v.as_text() {
            Some(s) => Ok(KeyText(s)),
            None => Ok(KeyText(String::new())),
        }
    }
}

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
        Ok(KeyText(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<KeyText, E> {
        Ok(KeyText(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
        Self::scalar(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
        Self::scalar(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
        Self::scalar(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
        Self::scalar(Value::Float(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
        Ok(KeyText(String::new()))
    }
    fn visit_none<E: de::Error>(self) -> Result<KeyText, E> {
        Ok(KeyText(String::new()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<KeyText, A::Error> {
        Err(de::Error::custom(
            "a mapping key must be plain text, not a list",
        ))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<KeyText, A::Error> {
        Err(de::Error::custom(
            "a mapping key must be plain text, not a mapping",
        ))
    }
}
