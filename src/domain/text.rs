//! Text from files is untrusted: control characters and escape sequences must never reach a
//! terminal raw. Everything printed from a record goes through [`sanitize`].

/// Replaces control characters with visible symbols (ESC → ␛, NUL → ␀, …) and expands tabs
/// to the next multiple of four columns. Newlines are kept only when `keep_newlines`.
pub fn sanitize(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut col = 0usize;
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => {
                out.push('\n');
                col = 0;
                continue;
            }
            '\t' => {
                let n = 4 - col % 4;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
                continue;
            }
            '\r' if keep_newlines => continue,
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('␡'),
            // C1 controls (CSI is 0x9b) and bidi overrides that could disguise text.
            c if ('\u{80}'..='\u{9f}').contains(&c) => out.push('�'),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => out.push('�'),
            // Bidi marks, line and paragraph separators (terminals and JSON readers treat
            // them as line breaks) and the byte-order mark: invisible, so made visible.
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                out.push('�')
            }
            c => out.push(c),
        }
        col += 1;
    }
    out
}

/// An identifier (a record id, a file name, a person) for a message, with everything that
/// could make two different ids look alike made visible: any character outside printable
/// ASCII is written as `\u{…}`, and so are spaces at either end. `RI\u{406}SK-X` then
/// plainly differs from `RISK-X`.
pub fn show_id(s: &str) -> String {
    let last = s.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let edge_space = c == ' ' && (i == 0 || i == last);
        // A backslash is escaped too, so a typed `\u{406}` never reads like an escape.
        if (c.is_ascii_graphic() && c != '\\') || (c == ' ' && !edge_space) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// JSON for tools, with the characters serde_json leaves raw escaped too: C1 controls
/// (U+0080–U+009F; U+009B is a terminal's CSI) and the line/paragraph separators. They
/// only occur inside strings, so a character-wise pass is exact.
pub fn escape_json_extras(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// One line of text for a table cell or a message: newlines become spaces.
pub fn one_line(s: &str) -> String {
    sanitize(&s.replace(['\n', '\r'], " "), false)
}

/// `1 risk`, `2 risks`: a count and a regular noun, agreed.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Letters and digits only, lower case: `In Progress`, `in-progress` and `in_progress` match.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible() {
        assert_eq!(sanitize("a\u{1b}[31mred", false), "a␛[31mred");
        assert_eq!(sanitize("nul\0", false), "nul␀");
        assert_eq!(sanitize("x\u{9b}2J", false), "x�2J");
        assert_eq!(sanitize("a\tb", false), "a   b");
        assert_eq!(sanitize("ab\tc", false), "ab  c");
        assert_eq!(sanitize("l1\nl2", true), "l1\nl2");
        assert_eq!(sanitize("l1\nl2", false), "l1␊l2");
        assert_eq!(one_line("l1\nl2"), "l1 l2");
        for hidden in ['\u{2028}', '\u{2029}', '\u{200e}', '\u{200f}', '\u{feff}'] {
            assert_eq!(sanitize(&format!("a{hidden}b"), true), "a�b", "{hidden:?}");
        }
    }

    #[test]
    fn identifiers_show_what_is_invisible() {
        assert_eq!(show_id("RISK-9 "), "RISK-9\\u{20}");
        assert_eq!(show_id("RI\u{406}SK-X"), "RI\\u{406}SK-X");
        assert_eq!(show_id("RISK\u{200b}-1"), "RISK\\u{200b}-1");
        assert_eq!(show_id("RISK-1"), "RISK-1");
        assert_eq!(show_id("RI\\u{406}SK"), "RI\\u{5c}u{406}SK");
    }

    #[test]
    fn json_extras_are_escaped() {
        let json = serde_json::to_string("a\u{85}b\u{9b}c\u{2028}").unwrap();
        assert_eq!(escape_json_extras(&json), "\"a\\u0085b\\u009bc\\u2028\"");
    }
}
