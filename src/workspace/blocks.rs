//! Block scalars keep their style through an edit.
//!
//! A paragraph written as a folded (`>`) or literal (`|`) block is how people keep long
//! text readable in a record. yaml-edit would write a changed value back as one long quoted
//! line, so a one-word edit turns into a diff of the whole paragraph. Here a changed text
//! whose key holds a block scalar is written back in the same style, at the same
//! indentation, wrapped like the original, by replacing just the block's lines. The caller
//! parses the result back and compares it with the intended record, as for every edit.

use crate::domain::{Map, Value};

/// A block scalar header: `>` or `|`, its chomping, and anything after it (a comment).
struct Header {
    folded: bool,
    /// The text from the indicator to the end of the line, after the chomping indicator
    /// (kept as written: ` # comment`).
    tail: String,
    /// Byte offset of the indicator in the line.
    at: usize,
}

/// One block to rewrite: the 1-based line of its key, the key, the new value.
struct Splice {
    line: u32,
    key: String,
    value: String,
}

/// Rewrites, in `text`, every changed string field of `new` whose key in the file holds a
/// block scalar. Returns the new text and `old` updated with the values written, so the
/// rest of the edit leaves those fields alone. `None` when nothing applies.
pub fn keep_block_styles(text: &str, old: &Map, new: &Map) -> Option<(String, Map)> {
    let mut splices = Vec::new();
    collect(old, new, &mut splices);
    if splices.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    // Bottom up, so the line numbers of the blocks above stay right.
    splices.sort_by_key(|s| std::cmp::Reverse(s.line));
    let mut done = Vec::new();
    for s in splices {
        if splice(&mut lines, &s).is_some() {
            done.push((s.line, s.key));
        }
    }
    if done.is_empty() {
        return None;
    }
    let mut applied = old.clone();
    mark_done(&mut applied, new, &done);
    Some((lines.join("\n"), applied))
}

/// Changed strings (at any depth where both sides are maps, or lists of maps of the same
/// length) whose key has a known line.
fn collect(old: &Map, new: &Map, out: &mut Vec<Splice>) {
    for e in old.entries() {
        let Some(after) = new.get(&e.key) else {
            continue;
        };
        match (&e.value, after) {
            (Value::Str(a), Value::Str(b)) if a != b && e.line > 0 => out.push(Splice {
                line: e.line,
                key: e.key.to_string(),
                value: b.to_string(),
            }),
            (Value::Map(a), Value::Map(b)) => collect(a, b, out),
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    if let (Value::Map(x), Value::Map(y)) = (x, y) {
                        collect(x, y, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Sets, in `old`, the fields that were rewritten to their new values.
fn mark_done(old: &mut Map, new: &Map, done: &[(u32, String)]) {
    let keys: Vec<(String, u32)> = old
        .entries()
        .iter()
        .map(|e| (e.key.to_string(), e.line))
        .collect();
    for (key, line) in keys {
        let Some(after) = new.get(&key).cloned() else {
            continue;
        };
        let Some(before) = old.get(&key).cloned() else {
            continue;
        };
        match (before, after) {
            (Value::Str(_), v @ Value::Str(_))
                if done.iter().any(|(l, k)| *l == line && *k == key) =>
            {
                old.set(&key, v);
            }
            (Value::Map(mut a), Value::Map(b)) => {
                mark_done(&mut a, &b, done);
                old.set(&key, Value::Map(a));
            }
            (Value::List(mut a), Value::List(b)) => {
                for (x, y) in a.iter_mut().zip(&b) {
                    if let (Value::Map(x), Value::Map(y)) = (x, y) {
                        mark_done(x, y, done);
                    }
                }
                old.set(&key, Value::List(a));
            }
            _ => {}
        }
    }
}

/// Finds `key:` on `line` and a block scalar header after it.
fn header(line: &str, key: &str) -> Option<Header> {
    let pattern = format!("{key}:");
    let mut from = 0;
    let start = loop {
        let pos = line[from..].find(&pattern)? + from;
        // The key must start the line's content, or follow a list dash.
        let before = line[..pos].trim_end_matches(' ');
        if before.is_empty() || before.trim_start_matches([' ', '-']).is_empty() {
            break pos;
        }
        from = pos + pattern.len();
    };
    let after_colon = start + pattern.len();
    let rest = &line[after_colon..];
    let indicator_at = after_colon + (rest.len() - rest.trim_start().len());
    let rest = rest.trim_start();
    let folded = match rest.chars().next()? {
        '>' => true,
        '|' => false,
        _ => return None,
    };
    let mut chars = rest[1..].chars();
    let mut consumed = 1;
    // Clip or strip only; an explicit indentation or keep chomping is left to the general
    // path (rare, and its exact form matters to whoever chose it).
    if let Some(c) = chars.next() {
        match c {
            '-' => consumed += 1,
            ' ' | '\t' => {}
            _ => return None,
        }
    }
    let tail = rest[consumed..].to_string();
    if !(tail.is_empty() || tail.starts_with([' ', '\t'])) {
        return None;
    }
    Some(Header {
        folded,
        tail,
        at: indicator_at,
    })
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Replaces one block's header and content lines; `None` leaves the lines untouched.
fn splice(lines: &mut Vec<String>, s: &Splice) -> Option<()> {
    let index = (s.line as usize).checked_sub(1)?;
    let head_line = lines.get(index)?.clone();
    let h = header(&head_line, &s.key)?;
    // The key's own column: content must be indented further than it.
    let key_col = head_line.find(&format!("{}:", s.key))?;
    let mut end = index + 1;
    let mut last_content = index;
    let mut content_indent = None;
    while end < lines.len() {
        let l = &lines[end];
        if l.trim().is_empty() {
            end += 1;
            continue;
        }
        // The block ends at the first line indented less than its content (a comment
        // there is the file's, not the value's, and stays); before any content, at the
        // first line not indented past the key.
        let ind = indent_of(l);
        if ind <= key_col || content_indent.is_some_and(|c| ind < c) {
            break;
        }
        content_indent.get_or_insert(ind);
        last_content = end;
        end += 1;
    }
    // A CRLF file: its line endings are not ours to change; the general path handles it.
    if lines[index..=last_content]
        .iter()
        .any(|l| l.ends_with('\r'))
    {
        return None;
    }
    let indent = content_indent.unwrap_or(key_col + 2);
    let (body, chomp) = match s.value.strip_suffix('\n') {
        Some(b) if !b.ends_with('\n') => (b, ""),
        Some(_) => return None,
        None => (s.value.as_str(), "-"),
    };
    if body.is_empty()
        || body.starts_with([' ', '\t', '\n'])
        || body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return None;
    }
    let pad = " ".repeat(indent);
    let content: Vec<String> = if h.folded {
        let width = lines[index + 1..=last_content.max(index)]
            .iter()
            .map(|l| l.trim_end().len().saturating_sub(indent))
            .max()
            .unwrap_or(0)
            .max(40);
        folded_lines(body, width)?
    } else {
        body.split('\n').map(str::to_string).collect()
    };
    let mut block = vec![format!(
        "{}{}{chomp}{}",
        &head_line[..h.at],
        if h.folded { '>' } else { '|' },
        h.tail
    )];
    block.extend(content.into_iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!("{pad}{l}")
        }
    }));
    lines.splice(index..=last_content, block);
    Some(())
}

/// The source lines of a folded block whose value is `body`: each line break of the value
/// is an empty line, and each paragraph is wrapped at single spaces to `width`.
fn folded_lines(body: &str, width: usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for (i, para) in body.split('\n').enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        if para.is_empty() {
            continue;
        }
        // A line starting with white space is "more indented" and would not fold.
        if para.starts_with([' ', '\t']) {
            return None;
        }
        out.extend(wrap(para, width));
    }
    Some(out)
}

/// Breaks a paragraph only at a single space between two non-space characters (folding
/// turns that line break back into exactly one space).
fn wrap(para: &str, width: usize) -> Vec<String> {
    let b = para.as_bytes();
    let breaks = (1..b.len().saturating_sub(1))
        .filter(|&i| b[i] == b' ' && b[i - 1] != b' ' && b[i + 1] != b' ');
    let mut lines = Vec::new();
    let mut start = 0;
    let mut prev: Option<usize> = None;
    for i in breaks {
        if para[start..i].chars().count() > width
            && let Some(p) = prev
        {
            lines.push(para[start..p].to_string());
            start = p + 1;
        }
        prev = Some(i);
    }
    if para[start..].chars().count() > width
        && let Some(p) = prev.filter(|p| *p > start)
    {
        lines.push(para[start..p].to_string());
        start = p + 1;
    }
    lines.push(para[start..].to_string());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_only_at_single_spaces() {
        let text = "one two three four five six seven";
        let lines = wrap(text, 10);
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| l.len() <= 13), "{lines:?}");
        assert_eq!(wrap("a  b", 1), vec!["a  b"]);
    }

    #[test]
    fn comments_after_a_block_stay() {
        let text = "description: |\n    line one\n    line two\n  # owner asked: keep this note\ntitle: x\n";
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let s = Splice {
            line: 1,
            key: "description".into(),
            value: "new one\nnew two\n".into(),
        };
        splice(&mut lines, &s).unwrap();
        let out = lines.join("\n");
        assert_eq!(
            out,
            "description: |\n    new one\n    new two\n  # owner asked: keep this note\ntitle: x\n"
        );
    }

    #[test]
    fn crlf_blocks_are_left_to_the_general_path() {
        let mut lines: Vec<String> = "description: > # folded\r\n  text\r\n"
            .split('\n')
            .map(str::to_string)
            .collect();
        let s = Splice {
            line: 1,
            key: "description".into(),
            value: "new\n".into(),
        };
        assert!(splice(&mut lines, &s).is_none());
    }

    #[test]
    fn headers() {
        assert!(header("description: >", "description").is_some_and(|h| h.folded));
        assert!(header("  - notes: |- # why", "notes").is_some_and(|h| !h.folded));
        assert!(header("description: |+", "description").is_none());
        assert!(header("description: text", "description").is_none());
        assert!(header("x-description: >", "description").is_none());
    }
}
