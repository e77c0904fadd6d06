//! Writing values as YAML: whole new files, and the fragments a surgical edit splices in.
//! Every string that could be read back as something else is quoted; the saver re-parses
//! what it wrote, so a mistake here is refused rather than saved.

use crate::domain::{Map, Value};
use std::fmt::Write;

/// A whole record file: one top-level mapping, block style.
pub fn to_yaml(map: &Map) -> String {
    let mut out = String::new();
    write_map(&mut out, map, 0);
    out
}

/// A mapping of scalars in flow style, `{date: 2026-11-22, by: ann, note: "ok, done"}`,
/// for appending to a list written that way. `None` when a value is not a scalar.
pub fn flow_map(map: &Map) -> Option<String> {
    let mut parts = Vec::new();
    for e in map.entries() {
        let value = match &e.value {
            Value::Str(s) if !s.contains(['\n', ',', '[', ']', '{', '}']) && is_plain_safe(s) => {
                s.to_string()
            }
            Value::Str(s) => quoted(s),
            Value::List(_) | Value::Map(_) => return None,
            scalar => scalar_text(scalar, 0),
        };
        let key = if is_plain_safe(&e.key) && !e.key.contains([',', '[', ']', '{', '}']) {
            e.key.to_string()
        } else {
            quoted(&e.key)
        };
        parts.push(format!("{key}: {value}"));
    }
    Some(format!("{{{}}}", parts.join(", ")))
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &Map, level: usize) {
    if map.is_empty() {
        out.push_str("{}\n");
        return;
    }
    for (i, e) in map.entries().iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        let _ = write!(out, "{}:", key_text(&e.key));
        write_after_key(out, &e.value, level);
    }
}

fn write_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Map(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            write_map(out, m, level + 2);
        }
        Value::List(l) if !l.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            write_list(out, l, level + 2);
        }
        Value::Null => out.push('\n'),
        v => {
            out.push(' ');
            out.push_str(&scalar_text(v, level + 2));
            out.push('\n');
        }
    }
}

fn write_list(out: &mut String, list: &[Value], level: usize) {
    if list.is_empty() {
        out.push_str("[]\n");
        return;
    }
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Value::Map(m) if !m.is_empty() => write_map(out, m, level + 2),
            Value::List(l) if !l.is_empty() => write_list(out, l, level + 2),
            v => {
                out.push_str(&scalar_text(v, level + 2));
                out.push('\n');
            }
        }
    }
}

fn key_text(key: &str) -> String {
    if is_plain_safe(key) && !key.contains('\n') {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// The text of a scalar at an indentation (used for block literals).
pub fn scalar_text(v: &Value, level: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => {
            let s = f.to_string();
            if s.contains(['.', 'e', 'E']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Value::Float(f) if f.is_nan() => ".nan".into(),
        Value::Float(f) => {
            if *f > 0.0 {
                ".inf".into()
            } else {
                "-.inf".into()
            }
        }
        Value::Str(s) => string_text(s, level),
        Value::List(l) if l.is_empty() => "[]".into(),
        Value::Map(m) if m.is_empty() => "{}".into(),
        other => quoted(&other.as_text().unwrap_or_default()),
    }
}

fn string_text(s: &str, level: usize) -> String {
    if s.contains('\n') && block_safe(s) {
        let chomp = if s.ends_with('\n') { "" } else { "-" };
        let mut out = format!("|{chomp}");
        for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.extend(std::iter::repeat_n(' ', level));
                out.push_str(line);
            }
        }
        return out;
    }
    if is_plain_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A literal block keeps text exactly when no line starts with a space (the indentation
/// would be misread), there are no trailing blank lines, tabs or control characters.
fn block_safe(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    !body.ends_with('\n')
        && !body.starts_with([' ', '\n'])
        && body.split('\n').all(|l| !l.ends_with(' '))
        && !body.chars().any(|c| c.is_control() && c != '\n')
}

/// A plain scalar is safe when it reads back as the same string, even for a YAML 1.1
/// reader (the default options still take `yes` as a boolean, so it gets quoted).
fn is_plain_safe(s: &str) -> bool {
    if s.is_empty()
        || s.trim() != s
        || s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control())
        || s.len() > 200
    {
        return false;
    }
    matches!(serde_saphyr::from_str::<Value>(s), Ok(Value::Str(back)) if back == s)
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: &Value) {
        let mut m = Map::new();
        m.set("k", v.clone());
        let text = to_yaml(&m);
        let back: Value =
            serde_saphyr::from_str_with_options(&text, crate::workspace::load::parse_options())
                .unwrap_or_else(|e| panic!("{text}\n{e}"));
        assert_eq!(back, Value::Map(m), "{text}");
    }

    #[test]
    fn strings_that_look_like_other_things_are_quoted() {
        for s in [
            "yes",
            "no",
            "true",
            "null",
            "~",
            "5",
            "1.5",
            "0x1F",
            "- item",
            "a: b",
            "#c",
            "x #y",
            "",
            " lead",
            "trail ",
            "ends:",
            "[x]",
            "{x}",
            "*alias",
            "&a",
            "!tag",
            "'q'",
            "\"dq\"",
            "@at",
            "tab\there",
            "esc\u{1b}[31m",
            "2026-11-22",
            "multi\nline",
            "multi\nline\n",
            "  indented\nblock",
            "café ✓",
            ".inf",
            "-1",
        ] {
            round_trip(&Value::str(s));
        }
    }

    #[test]
    fn nested_values_round_trip() {
        let mut inner = Map::new();
        inner.set("date", Value::str("2026-11-22"));
        inner.set("by", Value::str("amoreau"));
        inner.set("note", Value::str("looked: fine"));
        let list = Value::List(vec![Value::Map(inner.clone()), Value::Map(inner)]);
        round_trip(&list);
        round_trip(&Value::List(vec![
            Value::str("a"),
            Value::Int(3),
            Value::Bool(true),
        ]));
        round_trip(&Value::List(vec![]));
        round_trip(&Value::Map(Map::new()));
        round_trip(&Value::Float(2.0));
        round_trip(&Value::List(vec![Value::List(vec![Value::str("x")])]));
    }
}
