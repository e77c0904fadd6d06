//! A fast reader for the plain YAML that record files are written in, in front of the
//! full parser (serde-saphyr), which stays the one judge of everything else.
//!
//! Why: at 100,000 records parsing was three quarters of `aims check`, most of it the
//! general machinery of a full YAML parser (token queues, events, serde dispatch) spent on
//! files that use a handful of constructs. This reader walks the lines once and builds the
//! same [`Value`]s, with the same line for every key, for that handful.
//!
//! What it accepts (everything aims writes and people typically write in a record):
//! - one document whose top is a block mapping at column 0; block mappings and block
//!   sequences nested by spaces (a sequence may sit at its key's column);
//! - keys that are plain words (`[A-Za-z_][A-Za-z0-9_-]*`, not `null`/`true`/`yes`…);
//! - plain scalars on one line, resolved as the full parser does with aims's options
//!   (YAML 1.2 core): `~`/`null`/`Null`/`NULL` and nothing are null; `true`/`True`/`TRUE`
//!   and the same for false are booleans; `-?(0|[1-9][0-9]*)` is an integer and the same
//!   with `.digits` a float; text starting with a letter, a date (`2026-02-02`), dotted
//!   digits (`6.1.1`), periods (`3m`, `1y`) and digits followed by words (`2 weeks`) are
//!   text;
//! - single- and double-quoted scalars on one line (double: the escapes `\\ \" \/ \n \t
//!   \r \0 \uXXXX`);
//! - literal (`|`) and folded (`>`) block scalars with clip or strip (`-`) chomping;
//! - flow sequences and mappings (`[a, b]`, `{label: x, target: "y"}`) on one line;
//! - comments, blank lines, trailing spaces.
//!
//! It returns `None` — and the caller parses the file with the full parser — for anything
//! else or anything it is not sure of: tabs, CR, a byte-order mark, control characters,
//! document markers and directives, anchors, aliases, tags, complex or quoted keys,
//! duplicate keys, multi-line plain or quoted scalars, keep chomping or indentation
//! indicators, leading blank lines in a block scalar, scalars the core schema might read
//! otherwise (`0x1F`, `1e3`, `007`, `yes`, `.inf`), nesting past a depth or node budget,
//! and every error. So an invalid file always gets the full parser's message, and a
//! refusal costs only the time to notice it. A differential test (tests/fast_yaml.rs)
//! checks that both readers agree on every file they share, line numbers included.

use crate::domain::{Map, Value};

/// Deeper or larger files go to the full parser and its budgets.
const MAX_DEPTH: usize = 24;
const MAX_NODES: usize = 20_000;
/// Keys of one mapping checked for duplicates by a linear scan; more goes to the full parser.
const MAX_KEYS: usize = 256;

/// The fast reader gave up; the full parser decides. Never shown.
struct Refuse;
type Got<T> = Result<T, Refuse>;

/// The value of `text` when it lies in the subset described above; `None` otherwise.
pub fn parse(text: &str) -> Option<Value> {
    if !plain_text(text) {
        return None;
    }
    let mut p = Reader {
        lines: text.split('\n').collect(),
        at: 0,
        nodes: 0,
    };
    p.document().ok()
}

/// No character the subset leaves to the full parser: tabs, CR, controls, a BOM, the
/// C1 range (NEL is a line break in YAML 1.1), the Unicode line and paragraph separators,
/// non-characters; no document marker or directive.
fn plain_text(text: &str) -> bool {
    let ascii_ok = text.bytes().all(|b| (b >= 0x20 && b != 0x7f) || b == b'\n');
    if !ascii_ok {
        return false;
    }
    if !text.is_ascii()
        && text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
            )
        })
    {
        return false;
    }
    !text
        .split('\n')
        .any(|l| l.starts_with("---") || l.starts_with("...") || l.starts_with('%'))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_seq_item(s: &str) -> bool {
    s == "-" || s.starts_with("- ")
}

/// Nothing left on a line but spaces and perhaps a comment (after a space).
fn rest_is_empty(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && t.len() < rest.len())
}

/// Words a plain scalar or key must not be read as text by us: the full parser may give
/// them another type (or the same in another spelling).
const SPECIAL: [&str; 12] = [
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "infinity", "nan",
];

fn is_special(s: &str) -> bool {
    SPECIAL.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// A plain key: a word of letters, digits, `_` and `-`, starting with a letter or `_`.
fn plain_key(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        && !is_special(key)
}

/// `key: rest` or `key:` at the start of `s`: the key and what follows the colon.
fn split_key(s: &str) -> Option<(&str, &str)> {
    let end = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))?;
    let (key, rest) = s.split_at(end);
    let rest = rest.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) || !plain_key(key) {
        return None;
    }
    Some((key, rest))
}

/// The value of a one-line plain scalar, as the full parser resolves it with aims's
/// options; `Refuse` where that is not certain.
fn resolve(s: &str) -> Got<Value> {
    match s {
        "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let b = s.as_bytes();
    let first = *b.first().ok_or(Refuse)?;
    if first.is_ascii_alphabetic() || first >= 0x80 {
        return if is_special(s) {
            Err(Refuse)
        } else {
            Ok(Value::Str(s.into()))
        };
    }
    if !(first.is_ascii_digit() || first == b'-') {
        return Err(Refuse);
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    let canonical = all_digits(whole) && (whole == "0" || !whole.starts_with('0'));
    if canonical && s != "-0" {
        match frac {
            None => return s.parse::<i64>().map(Value::Int).map_err(|_| Refuse),
            Some(f) if all_digits(f) => {
                return s.parse::<f64>().map(Value::Float).map_err(|_| Refuse);
            }
            _ => {}
        }
    }
    if !first.is_ascii_digit() {
        return Err(Refuse);
    }
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    let dotted = s.split('.').count() >= 3 && s.split('.').all(all_digits);
    let words = s.contains(' ');
    // A period as aims writes them (`3m`, `1y`, `12m`, `2w`, `30d`): digits and one unit
    // letter is not a number in YAML 1.2 core, so it is text.
    let period = b.len() >= 2
        && b[..b.len() - 1].iter().all(u8::is_ascii_digit)
        && matches!(b[b.len() - 1], b'd' | b'w' | b'm' | b'y');
    if date || dotted || words || period {
        Ok(Value::Str(s.into()))
    } else {
        Err(Refuse)
    }
}

/// A one-line double-quoted scalar at the start of `s`: its text and what follows.
fn double_quoted(s: &str) -> Got<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => {
                let (_, e) = chars.next().ok_or(Refuse)?;
                out.push(match e {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    'u' => {
                        let mut code = 0u32;
                        for _ in 0..4 {
                            let (_, h) = chars.next().ok_or(Refuse)?;
                            code = code * 16 + h.to_digit(16).ok_or(Refuse)?;
                        }
                        char::from_u32(code).ok_or(Refuse)?
                    }
                    _ => return Err(Refuse),
                });
            }
            c => out.push(c),
        }
    }
    Err(Refuse)
}

/// A one-line single-quoted scalar at the start of `s`: its text and what follows.
fn single_quoted(s: &str) -> Got<(String, &str)> {
    let mut out = String::new();
    let body = &s[1..];
    let mut from = 0;
    loop {
        let q = body[from..].find('\'').ok_or(Refuse)? + from;
        out.push_str(&body[from..q]);
        if body[q + 1..].starts_with('\'') {
            out.push('\'');
            from = q + 2;
        } else {
            return Ok((out, &body[q + 1..]));
        }
    }
}

struct Reader<'a> {
    lines: Vec<&'a str>,
    /// The next line not yet consumed.
    at: usize,
    nodes: usize,
}

impl<'a> Reader<'a> {
    /// The next line with content (not blank, not a comment) and its indentation; skips
    /// the others.
    fn peek(&mut self) -> Option<(usize, usize)> {
        while let Some(line) = self.lines.get(self.at) {
            let t = line.trim_start_matches(' ');
            if t.is_empty() || t.starts_with('#') {
                self.at += 1;
                continue;
            }
            return Some((self.at, line.len() - t.len()));
        }
        None
    }

    fn node(&mut self, depth: usize) -> Got<()> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return Err(Refuse);
        }
        Ok(())
    }

    fn document(&mut self) -> Got<Value> {
        let (i, ind) = self.peek().ok_or(Refuse)?;
        if ind != 0 || is_seq_item(self.lines[i]) {
            return Err(Refuse);
        }
        let v = self.mapping(Map::new(), 0, 1)?;
        if self.peek().is_some() {
            return Err(Refuse);
        }
        Ok(v)
    }

    /// The block node whose first line (at `self.at`) is indented by `ind`.
    fn block(&mut self, ind: usize, depth: usize) -> Got<Value> {
        let line = &self.lines[self.at][ind..];
        if is_seq_item(line) {
            self.sequence(ind, false, depth)
        } else {
            self.mapping(Map::new(), ind, depth)
        }
    }

    /// The entries of a block mapping at column `col`, after those already in `map`.
    fn mapping(&mut self, mut map: Map, col: usize, depth: usize) -> Got<Value> {
        self.node(depth)?;
        while let Some((i, ind)) = self.peek() {
            if ind < col {
                break;
            }
            if ind > col {
                return Err(Refuse);
            }
            let (key, rest) = split_key(&self.lines[i][col..]).ok_or(Refuse)?;
            self.at = i + 1;
            self.entry(&mut map, key, i, col, rest, depth)?;
        }
        Ok(Value::Map(map))
    }

    /// One `key: rest` of a mapping at column `col`, read on line index `i`.
    fn entry(
        &mut self,
        map: &mut Map,
        key: &str,
        i: usize,
        col: usize,
        rest: &'a str,
        depth: usize,
    ) -> Got<()> {
        if map.len() >= MAX_KEYS || map.contains(key) {
            return Err(Refuse);
        }
        let value = self.value(col, rest, i, true, depth + 1)?;
        map.push_read(key, u32::try_from(i + 1).map_err(|_| Refuse)?, value);
        Ok(())
    }

    /// The block sequence at column `col`; `compact`: it is a key's value at the key's own
    /// column, so a line there that is not an item ends it.
    fn sequence(&mut self, col: usize, compact: bool, depth: usize) -> Got<Value> {
        self.node(depth)?;
        let mut items = Vec::new();
        while let Some((i, ind)) = self.peek() {
            if ind < col {
                break;
            }
            if ind > col {
                return Err(Refuse);
            }
            let line: &'a str = &self.lines[i][col..];
            if !is_seq_item(line) {
                if compact {
                    break;
                }
                return Err(Refuse);
            }
            self.at = i + 1;
            let after = &line[1..];
            let content = after.trim_start_matches(' ');
            let content_col = col + 1 + (after.len() - content.len());
            let item = if is_seq_item(content) {
                return Err(Refuse);
            } else if let Some((key, rest)) = split_key(content) {
                let mut map = Map::new();
                self.entry(&mut map, key, i, content_col, rest, depth + 1)?;
                self.mapping(map, content_col, depth + 1)?
            } else {
                self.value(col, after, i, false, depth + 1)?
            };
            items.push(item);
        }
        Ok(Value::List(items))
    }

    /// The value written after a key or a dash of the node at column `col` (`rest`: the
    /// text after the colon or dash on line index `i`), or on the lines below it.
    fn value(
        &mut self,
        col: usize,
        rest: &'a str,
        i: usize,
        compact_ok: bool,
        depth: usize,
    ) -> Got<Value> {
        if rest_is_empty(rest) {
            return match self.peek() {
                Some((_, ind)) if ind > col => self.block(ind, depth),
                Some((j, ind))
                    if ind == col && compact_ok && is_seq_item(&self.lines[j][ind..]) =>
                {
                    self.sequence(col, true, depth)
                }
                _ => {
                    self.node(depth)?;
                    Ok(Value::Null)
                }
            };
        }
        let text = rest.trim_start_matches(' ');
        if text.len() == rest.len() {
            return Err(Refuse);
        }
        self.node(depth)?;
        let (value, after) = match text.as_bytes()[0] {
            b'|' | b'>' => return self.block_scalar(col, text),
            b'[' | b'{' => self.flow(text, i, depth)?,
            b'"' => double_quoted(text).map(|(s, r)| (Value::Str(s.into()), r))?,
            b'\'' => single_quoted(text).map(|(s, r)| (Value::Str(s.into()), r))?,
            _ => {
                let end = text.find(" #").unwrap_or(text.len());
                let plain = text[..end].trim_end_matches(' ');
                if plain.contains(": ") || plain.ends_with(':') {
                    return Err(Refuse);
                }
                (resolve(plain)?, &text[end..])
            }
        };
        if !rest_is_empty(after) && !after.is_empty() {
            return Err(Refuse);
        }
        // A more indented line below a one-line scalar continues it (or is an error).
        if self.peek().is_some_and(|(_, ind)| ind > col) {
            return Err(Refuse);
        }
        Ok(value)
    }

    /// A block scalar whose header (`|`, `>-`, `> # note`) is `header`, of the node at
    /// column `col`; its content is the lines below, indented past `col`.
    fn block_scalar(&mut self, col: usize, header: &str) -> Got<Value> {
        let folded = header.starts_with('>');
        let after = &header[1..];
        let (strip, after) = match after.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, after),
        };
        if !(after.is_empty() || rest_is_empty(after)) {
            return Err(Refuse);
        }
        let mut content: Vec<&str> = Vec::new();
        let mut at_indent: Option<usize> = None;
        while let Some(line) = self.lines.get(self.at) {
            let ind = indent(line);
            if ind == line.len() {
                // A blank line: part of the block unless it carries spaces past the
                // content's indentation (content) or comes first (leading blank lines).
                match at_indent {
                    Some(c) if ind <= c => content.push(""),
                    _ => return Err(Refuse),
                }
                self.at += 1;
                continue;
            }
            match at_indent {
                None if ind <= col => return Err(Refuse),
                None => at_indent = Some(ind),
                Some(c) if ind < c => break,
                _ => {}
            }
            content.push(&line[at_indent.unwrap_or(ind)..]);
            self.at += 1;
        }
        while content.last() == Some(&"") {
            content.pop();
        }
        if content.is_empty() {
            return Err(Refuse);
        }
        let mut text = String::new();
        if folded {
            let mut blanks = 0;
            for (n, line) in content.iter().enumerate() {
                if line.is_empty() {
                    blanks += 1;
                    continue;
                }
                if line.starts_with(' ') {
                    return Err(Refuse);
                }
                if n > 0 {
                    if blanks == 0 {
                        text.push(' ');
                    }
                    (0..blanks).for_each(|_| text.push('\n'));
                }
                blanks = 0;
                text.push_str(line);
            }
        } else {
            for (n, line) in content.iter().enumerate() {
                if n > 0 {
                    text.push('\n');
                }
                text.push_str(line);
            }
        }
        if !strip {
            text.push('\n');
        }
        // What follows must be at the node's column or less (checked by the caller's loop).
        Ok(Value::Str(text.into()))
    }

    /// A flow collection on one line at the start of `s`: its value and what follows it.
    fn flow(&mut self, s: &'a str, i: usize, depth: usize) -> Got<(Value, &'a str)> {
        if depth > MAX_DEPTH {
            return Err(Refuse);
        }
        let close = if s.starts_with('[') { ']' } else { '}' };
        let mut rest = s[1..].trim_start_matches(' ');
        let mut items = Vec::new();
        let mut map = Map::new();
        if let Some(r) = rest.strip_prefix(close) {
            return Ok((
                if close == ']' {
                    Value::List(items)
                } else {
                    Value::Map(map)
                },
                r,
            ));
        }
        loop {
            if close == '}' {
                let (key, r) = split_key(rest).ok_or(Refuse)?;
                if !r.starts_with(' ') || map.len() >= MAX_KEYS || map.contains(key) {
                    return Err(Refuse);
                }
                let (v, r) = self.flow_item(r.trim_start_matches(' '), i, depth + 1)?;
                map.push_read(key, u32::try_from(i + 1).map_err(|_| Refuse)?, v);
                rest = r;
            } else {
                let (v, r) = self.flow_item(rest, i, depth + 1)?;
                items.push(v);
                rest = r;
            }
            rest = rest.trim_start_matches(' ');
            if let Some(r) = rest.strip_prefix(',') {
                rest = r.trim_start_matches(' ');
                if rest.starts_with([']', '}', ',']) || rest.is_empty() {
                    return Err(Refuse);
                }
            } else if let Some(r) = rest.strip_prefix(close) {
                let v = if close == ']' {
                    Value::List(items)
                } else {
                    Value::Map(map)
                };
                return Ok((v, r));
            } else {
                return Err(Refuse);
            }
        }
    }

    /// One item of a flow collection at the start of `s`, and what follows it.
    fn flow_item(&mut self, s: &'a str, i: usize, depth: usize) -> Got<(Value, &'a str)> {
        self.node(depth)?;
        match s.as_bytes().first().ok_or(Refuse)? {
            b'[' | b'{' => self.flow(s, i, depth),
            b'"' => double_quoted(s).map(|(t, r)| (Value::Str(t.into()), r)),
            b'\'' => single_quoted(s).map(|(t, r)| (Value::Str(t.into()), r)),
            _ => {
                let end = s
                    .find([',', '[', ']', '{', '}', ':', '#'])
                    .unwrap_or(s.len());
                let stop = s[end..].chars().next();
                if matches!(stop, Some(':' | '[' | '{' | '#') | None) {
                    return Err(Refuse);
                }
                let plain = s[..end].trim_end_matches(' ');
                Ok((resolve(plain)?, &s[end..]))
            }
        }
    }
}
