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
            c => out.push(c),
        }
        col += 1;
    }
    out
}

/// One line of text for a table cell or a message: newlines become spaces.
pub fn one_line(s: &str) -> String {
    sanitize(&s.replace(['\n', '\r'], " "), false)
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
    }
}
