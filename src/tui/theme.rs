//! Colour themes: semantic styles (risk bands, selection, header, muted, error, ...) read from YAML.
//!
//! The built-in themes live in `themes/*.yaml` and are embedded at compile time. A theme file maps
//! each semantic name to a style:
//!
//! ```yaml
//! name: dark
//! base: {fg: "#d0d0d0"}
//! header: {fg: "#87afff", bold: true}
//! bands:
//!   - {fg: "#000000", bg: "#5faf5f"}
//! ```
//!
//! Colours are `"#rrggbb"`, a name (`black`, `red`, `green`, `yellow`, `blue`, `magenta`, `cyan`,
//! `gray`, `darkgray`, `white`, `reset`/`default`) or a palette index 0-255; modifiers are
//! `bold`, `italic`, `underline`, `reversed` and `dim`. A style left out is the `base` style.
//! Without a truecolor terminal, hex colours are mapped to the nearest xterm-256 entry.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::path::Path;

/// How hex colours reach the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// 24-bit `Color::Rgb`.
    TrueColor,
    /// The nearest xterm-256 palette entry (`Color::Indexed`), legible over SSH and in old terminals.
    Palette256,
}

/// `COLORTERM` value → mode: `truecolor` or `24bit` gives true colour, anything else the palette.
pub fn color_mode(colorterm: Option<&str>) -> ColorMode {
    match colorterm.map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if v == "truecolor" || v == "24bit" => ColorMode::TrueColor,
        _ => ColorMode::Palette256,
    }
}

/// The semantic styles of the interface.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    /// Normal text on the background.
    pub base: Style,
    /// Secondary text, hints.
    pub muted: Style,
    /// Table headers, section titles.
    pub header: Style,
    /// Pane titles.
    pub title: Style,
    pub border: Style,
    /// The selected row (REVERSED in monochrome, so it stays visible).
    pub selection: Style,
    pub tab: Style,
    pub tab_active: Style,
    /// Key names in the status bar and help.
    pub key: Style,
    pub error: Style,
    pub warning: Style,
    pub ok: Style,
    /// Records whose file no longer parses.
    pub stale: Style,
    /// One per risk band, lowest first (low, medium, high, critical); heat-map cells use these as
    /// background.
    pub bands: Vec<Style>,
}

/// Built-in theme names, the default first.
const NAMES: &[&str] = &["dark", "light", "high-contrast", "monochrome"];

/// The embedded text of a built-in theme, with the path it is reported under.
fn builtin_text(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "dark" => Some((include_str!("../../themes/dark.yaml"), "themes/dark.yaml")),
        "light" => Some((include_str!("../../themes/light.yaml"), "themes/light.yaml")),
        "high-contrast" => Some((
            include_str!("../../themes/high-contrast.yaml"),
            "themes/high-contrast.yaml",
        )),
        "monochrome" => Some((
            include_str!("../../themes/monochrome.yaml"),
            "themes/monochrome.yaml",
        )),
        _ => None,
    }
}

/// Theme files larger than this are refused: a theme is a few hundred bytes.
const MAX_THEME_BYTES: u64 = 256 * 1024;

impl Theme {
    /// The style of risk band `index`; the last style for indexes past the end; base if empty.
    pub fn band(&self, index: usize) -> Style {
        self.bands
            .get(index)
            .or_else(|| self.bands.last())
            .copied()
            .unwrap_or(self.base)
    }

    /// Built-in theme by name: "dark", "light", "high-contrast", "monochrome".
    pub fn builtin(name: &str, mode: ColorMode) -> Option<Theme> {
        let (text, source) = builtin_text(name)?;
        Theme::from_yaml(text, source, mode).ok()
    }

    /// The built-in theme names, the default (`dark`) first.
    pub fn names() -> &'static [&'static str] {
        NAMES
    }

    /// Parses theme YAML text; `source` names the file in errors. The error is one line:
    /// `SOURCE:LINE:COL: what is wrong`.
    pub fn from_yaml(text: &str, source: &str, mode: ColorMode) -> Result<Theme, String> {
        let file: ThemeFile = serde_saphyr::from_str_with_options(text, parse_options())
            .map_err(|e| parse_error(&e, source))?;
        Ok(file.into_theme(source, mode))
    }

    /// Resolves `--theme NAME|PATH`: a built-in name, else a path to a YAML file. On any problem
    /// returns the dark theme and a warning naming the file (and line, for a parse error).
    pub fn resolve(spec: &str, mode: ColorMode) -> (Theme, Option<String>) {
        if let Some(theme) = Theme::builtin(spec, mode) {
            return (theme, None);
        }
        match read_theme_file(spec) {
            Ok(text) => match Theme::from_yaml(&text, spec, mode) {
                Ok(theme) => (theme, None),
                Err(e) => (Theme::default_theme(mode), Some(fallback_warning(&e))),
            },
            Err(e) => (Theme::default_theme(mode), Some(fallback_warning(&e))),
        }
    }

    /// The theme for `NO_COLOR`: terminal colours only (`Color::Reset`), with bold, underline and
    /// reversed for emphasis.
    pub fn monochrome() -> Theme {
        Theme::builtin("monochrome", ColorMode::TrueColor).unwrap_or_else(Theme::plain)
    }

    /// The default theme (dark), or the plain fallback should the embedded file ever fail to parse.
    fn default_theme(mode: ColorMode) -> Theme {
        Theme::builtin("dark", mode).unwrap_or_else(Theme::plain)
    }

    /// A colourless theme built in code; used only if an embedded theme fails to parse.
    fn plain() -> Theme {
        let base = Style::new().fg(Color::Reset).bg(Color::Reset);
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reversed = Style::new().add_modifier(Modifier::REVERSED);
        Theme {
            name: "monochrome".to_string(),
            base,
            muted: Style::new(),
            header: bold.add_modifier(Modifier::UNDERLINED),
            title: bold,
            border: Style::new(),
            selection: reversed,
            tab: Style::new(),
            tab_active: bold.add_modifier(Modifier::REVERSED),
            key: bold,
            error: bold.add_modifier(Modifier::REVERSED),
            warning: bold,
            ok: Style::new(),
            stale: Style::new().add_modifier(Modifier::UNDERLINED),
            bands: vec![
                Style::new(),
                Style::new().add_modifier(Modifier::UNDERLINED),
                bold,
                bold.add_modifier(Modifier::REVERSED),
            ],
        }
    }
}

fn fallback_warning(problem: &str) -> String {
    format!("{problem} (using the dark theme)")
}

/// Reads a theme file, refusing what is not a small regular file.
fn read_theme_file(spec: &str) -> Result<String, String> {
    let path = Path::new(spec);
    use crate::workspace::fsio::{self, ReadError};
    let bytes = fsio::read_capped(path, MAX_THEME_BYTES).map_err(|e| match e {
        ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
            "{spec}: no such theme file and not a built-in theme ({})",
            NAMES.join(", ")
        ),
        ReadError::NotRegular(_) => {
            format!("{spec}: not a theme file (expected a YAML file): it {e}")
        }
        other => format!("{spec}: theme file {other}"),
    })?;
    String::from_utf8(bytes).map_err(|_| format!("{spec}: the theme file is not UTF-8 text"))
}

fn parse_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 8,
            max_aliases: 16,
            max_anchors: 32,
            max_nodes: 2_000,
            max_documents: 1,
            max_total_scalar_bytes: 64 * 1024,
        },
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::Error,
        strict_booleans: true,
        with_snippet: false,
    }
}

/// `SOURCE:LINE:COL: message` on one line.
fn parse_error(e: &serde_saphyr::Error, source: &str) -> String {
    let e = e.without_snippet();
    let rendered = e.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    let first = rendered
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid YAML");
    let message = strip_location_suffix(first);
    let message = match message.split_once(", set DuplicateKeyPolicy") {
        Some((head, _)) => head,
        None => message,
    };
    let message = if message == "expected mapping start" {
        "expected a mapping of style names (name, base, muted, ..., bands)"
    } else {
        message
    };
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match e.location().filter(|l| l.line() > 0) {
        Some(loc) => format!("{source}:{}:{}: {message}", loc.line(), loc.column().max(1)),
        None => format!("{source}: {message}"),
    }
}

/// Drops the trailing " at line N, column M" the parser adds: the prefix already carries it.
fn strip_location_suffix(message: &str) -> &str {
    let Some(i) = message.rfind(" at line ") else {
        return message;
    };
    let tail = &message[i + " at line ".len()..];
    let located = tail.split_once(", column ").is_some_and(|(line, col)| {
        !line.is_empty()
            && !col.is_empty()
            && line.chars().all(|c| c.is_ascii_digit())
            && col.chars().all(|c| c.is_ascii_digit())
    });
    if located { &message[..i] } else { message }
}

/// The file format.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    base: Option<StyleSpec>,
    muted: Option<StyleSpec>,
    header: Option<StyleSpec>,
    title: Option<StyleSpec>,
    border: Option<StyleSpec>,
    selection: Option<StyleSpec>,
    tab: Option<StyleSpec>,
    tab_active: Option<StyleSpec>,
    key: Option<StyleSpec>,
    error: Option<StyleSpec>,
    warning: Option<StyleSpec>,
    ok: Option<StyleSpec>,
    stale: Option<StyleSpec>,
    bands: Option<Vec<StyleSpec>>,
}

impl ThemeFile {
    fn into_theme(self, source: &str, mode: ColorMode) -> Theme {
        let base = self
            .base
            .as_ref()
            .map(|s| s.style(mode))
            .unwrap_or_default();
        let or_base = |s: &Option<StyleSpec>| s.as_ref().map_or(base, |s| s.style(mode));
        let name = self
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| {
                Path::new(source)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| source.to_string())
            });
        Theme {
            name,
            base,
            muted: or_base(&self.muted),
            header: or_base(&self.header),
            title: or_base(&self.title),
            border: or_base(&self.border),
            selection: or_base(&self.selection),
            tab: or_base(&self.tab),
            tab_active: or_base(&self.tab_active),
            key: or_base(&self.key),
            error: or_base(&self.error),
            warning: or_base(&self.warning),
            ok: or_base(&self.ok),
            stale: or_base(&self.stale),
            bands: self
                .bands
                .as_ref()
                .map(|bands| bands.iter().map(|s| s.style(mode)).collect())
                .unwrap_or_default(),
        }
    }
}

/// One style: colours and modifiers; what is left out is not set (inherits when patched).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct StyleSpec {
    #[serde(deserialize_with = "present_color")]
    fg: Option<ColorSpec>,
    #[serde(deserialize_with = "present_color")]
    bg: Option<ColorSpec>,
    bold: bool,
    italic: bool,
    underline: bool,
    reversed: bool,
    dim: bool,
}

impl StyleSpec {
    fn style(&self, mode: ColorMode) -> Style {
        let mut style = Style::new();
        if let Some(fg) = self.fg {
            style = style.fg(fg.color(mode));
        }
        if let Some(bg) = self.bg {
            style = style.bg(bg.color(mode));
        }
        for (on, modifier) in [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
            (self.dim, Modifier::DIM),
        ] {
            if on {
                style = style.add_modifier(modifier);
            }
        }
        style
    }
}

/// A colour key that is present must hold a colour: `fg:` with nothing (or an unquoted `#rrggbb`,
/// which YAML reads as a comment) is an error rather than silently no colour.
fn present_color<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ColorSpec>, D::Error> {
    ColorSpec::deserialize(deserializer).map(Some)
}

/// A colour as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColorSpec {
    Rgb(u8, u8, u8),
    Named(Color),
    Index(u8),
}

impl ColorSpec {
    fn color(self, mode: ColorMode) -> Color {
        match (self, mode) {
            (ColorSpec::Rgb(r, g, b), ColorMode::TrueColor) => Color::Rgb(r, g, b),
            (ColorSpec::Rgb(r, g, b), ColorMode::Palette256) => {
                Color::Indexed(nearest_256(r, g, b))
            }
            (ColorSpec::Named(c), _) => c,
            (ColorSpec::Index(i), _) => Color::Indexed(i),
        }
    }

    fn parse(text: &str) -> Result<ColorSpec, String> {
        let t = text.trim();
        if let Some(hex) = t.strip_prefix('#') {
            if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16);
                if let (Ok(r), Ok(g), Ok(b)) = (channel(0), channel(2), channel(4)) {
                    return Ok(ColorSpec::Rgb(r, g, b));
                }
            }
            return Err(format!("invalid colour \"{t}\": expected \"#rrggbb\""));
        }
        if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
            return t
                .parse::<u8>()
                .map(ColorSpec::Index)
                .map_err(|_| format!("invalid colour index {t}: expected 0-255"));
        }
        let named = match t.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
            "black" => Color::Black,
            "red" => Color::Red,
            "green" => Color::Green,
            "yellow" => Color::Yellow,
            "blue" => Color::Blue,
            "magenta" => Color::Magenta,
            "cyan" => Color::Cyan,
            "gray" | "grey" => Color::Gray,
            "darkgray" | "darkgrey" => Color::DarkGray,
            "white" => Color::White,
            "reset" | "default" => Color::Reset,
            _ => {
                return Err(format!(
                    "unknown colour \"{t}\": use \"#rrggbb\", 0-255, or one of black, red, green, \
                     yellow, blue, magenta, cyan, gray, darkgray, white, default"
                ));
            }
        };
        Ok(ColorSpec::Named(named))
    }
}

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColorVisitor;
        impl Visitor<'_> for ColorVisitor {
            type Value = ColorSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a colour: \"#rrggbb\", a name such as red, or an index 0-255")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ColorSpec, E> {
                ColorSpec::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ColorSpec, E> {
                u8::try_from(v)
                    .map(ColorSpec::Index)
                    .map_err(|_| E::custom(format!("invalid colour index {v}: expected 0-255")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ColorSpec, E> {
                u8::try_from(v)
                    .map(ColorSpec::Index)
                    .map_err(|_| E::custom(format!("invalid colour index {v}: expected 0-255")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ColorSpec, E> {
                Err(E::custom(
                    "missing colour: quote hex colours (\"#rrggbb\"); an unquoted # starts a comment",
                ))
            }
            fn visit_none<E: de::Error>(self) -> Result<ColorSpec, E> {
                self.visit_unit()
            }
        }
        deserializer.deserialize_any(ColorVisitor)
    }
}

/// The nearest xterm-256 entry to an RGB colour, by squared RGB distance, among the 6x6x6 cube
/// (16-231) and the grey ramp (232-255). The first 16 are left out: terminals redefine them.
pub(crate) fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let dist = |(r2, g2, b2): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(r, r2) + d(g, g2) + d(b, b2)
    };
    let cube = (0u8..216).map(|i| {
        let rgb = (
            LEVELS[usize::from(i / 36)],
            LEVELS[usize::from(i / 6 % 6)],
            LEVELS[usize::from(i % 6)],
        );
        (16 + i, rgb)
    });
    let greys = (0u8..24).map(|i| {
        let v = 8 + 10 * i;
        (232 + i, (v, v, v))
    });
    let mut best = (16u8, i32::MAX);
    for (index, rgb) in cube.chain(greys) {
        let d = dist(rgb);
        if d < best.1 {
            best = (index, d);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_styles(t: &Theme) -> Vec<(String, Style)> {
        let mut v = vec![
            ("base".to_string(), t.base),
            ("muted".to_string(), t.muted),
            ("header".to_string(), t.header),
            ("title".to_string(), t.title),
            ("border".to_string(), t.border),
            ("selection".to_string(), t.selection),
            ("tab".to_string(), t.tab),
            ("tab_active".to_string(), t.tab_active),
            ("key".to_string(), t.key),
            ("error".to_string(), t.error),
            ("warning".to_string(), t.warning),
            ("ok".to_string(), t.ok),
            ("stale".to_string(), t.stale),
        ];
        for (i, b) in t.bands.iter().enumerate() {
            v.push((format!("bands[{i}]"), *b));
        }
        v
    }

    #[test]
    fn every_builtin_parses_in_both_modes() {
        for name in Theme::names() {
            for mode in [ColorMode::TrueColor, ColorMode::Palette256] {
                let (text, source) = builtin_text(name).expect("listed name has embedded text");
                let theme = Theme::from_yaml(text, source, mode)
                    .unwrap_or_else(|e| panic!("{name} in {mode:?}: {e}"));
                assert_eq!(theme.name, *name);
                assert_eq!(theme.bands.len(), 4, "{name}: four risk bands");
                let distinct: std::collections::HashSet<String> =
                    theme.bands.iter().map(|b| format!("{b:?}")).collect();
                assert_eq!(distinct.len(), 4, "{name}: bands must be distinguishable");
                assert_ne!(theme.selection, theme.base, "{name}: selection visible");
                assert_eq!(Theme::builtin(name, mode), Some(theme));
            }
        }
        assert_eq!(Theme::names()[0], "dark");
        assert!(Theme::builtin("nope", ColorMode::TrueColor).is_none());
    }

    #[test]
    fn palette_mode_uses_only_indexed_colours_for_hex() {
        for name in ["dark", "light", "high-contrast"] {
            let theme = Theme::builtin(name, ColorMode::Palette256).expect("builtin");
            for (what, s) in all_styles(&theme) {
                for c in [s.fg, s.bg].into_iter().flatten() {
                    assert!(
                        !matches!(c, Color::Rgb(..)),
                        "{name}.{what}: {c:?} in palette mode"
                    );
                }
            }
            let tc = Theme::builtin(name, ColorMode::TrueColor).expect("builtin");
            assert!(
                all_styles(&tc)
                    .iter()
                    .any(|(_, s)| matches!(s.fg, Some(Color::Rgb(..)))),
                "{name}: true colour keeps RGB"
            );
        }
    }

    #[test]
    fn palette_mapping_picks_nearest() {
        assert_eq!(nearest_256(0xff, 0x00, 0x00), 196);
        assert_eq!(nearest_256(0x00, 0x00, 0x00), 16);
        assert_eq!(nearest_256(0xff, 0xff, 0xff), 231);
        assert_eq!(nearest_256(0x80, 0x80, 0x80), 244);
        assert_eq!(nearest_256(0x87, 0xaf, 0xff), 111);
        assert_eq!(nearest_256(0xff, 0x87, 0x00), 208);
        assert_eq!(nearest_256(0x08, 0x08, 0x08), 232);
        assert_eq!(nearest_256(0xee, 0xee, 0xee), 255);
        // Off-grid colours go to the closest entry.
        assert_eq!(nearest_256(0xfa, 0x05, 0x03), 196);
        assert_eq!(nearest_256(0x7f, 0x7f, 0x7f), 244);
        assert_eq!(
            ColorSpec::Rgb(0xff, 0, 0).color(ColorMode::Palette256),
            Color::Indexed(196)
        );
        assert_eq!(
            ColorSpec::Rgb(0xff, 0, 0).color(ColorMode::TrueColor),
            Color::Rgb(0xff, 0, 0)
        );
    }

    #[test]
    fn color_mode_from_colorterm() {
        assert_eq!(color_mode(Some("truecolor")), ColorMode::TrueColor);
        assert_eq!(color_mode(Some("24bit")), ColorMode::TrueColor);
        assert_eq!(color_mode(Some("TrueColor")), ColorMode::TrueColor);
        assert_eq!(color_mode(Some("")), ColorMode::Palette256);
        assert_eq!(color_mode(Some("yes")), ColorMode::Palette256);
        assert_eq!(color_mode(None), ColorMode::Palette256);
    }

    #[test]
    fn monochrome_has_no_colours_and_a_reversed_selection() {
        for theme in [
            Theme::monochrome(),
            Theme::plain(),
            Theme::builtin("monochrome", ColorMode::Palette256).expect("builtin"),
        ] {
            for (what, s) in all_styles(&theme) {
                for c in [s.fg, s.bg, s.underline_color] {
                    assert!(
                        matches!(c, None | Some(Color::Reset)),
                        "monochrome {what}: {c:?}"
                    );
                }
                let allowed = Modifier::BOLD | Modifier::REVERSED | Modifier::UNDERLINED;
                assert!(allowed.contains(s.add_modifier), "monochrome {what}: {s:?}");
            }
            assert!(theme.selection.add_modifier.contains(Modifier::REVERSED));
            assert_eq!(theme.bands.len(), 4);
        }
        assert_eq!(
            Theme::monochrome(),
            Theme::plain(),
            "code fallback matches the file"
        );
    }

    #[test]
    fn colours_names_indexes_and_modifiers() {
        let text = "base: {fg: white, bg: default}\n\
                    muted: {fg: 244, dim: true}\n\
                    header: {fg: DarkGrey, bold: true, italic: true, underline: true, reversed: true}\n\
                    error: {fg: \"#ff0000\"}\n";
        let t = Theme::from_yaml(text, "themes/x.yaml", ColorMode::TrueColor).expect("valid");
        assert_eq!(t.name, "x", "name defaults to the file stem");
        assert_eq!(t.base, Style::new().fg(Color::White).bg(Color::Reset));
        assert_eq!(
            t.muted,
            Style::new()
                .fg(Color::Indexed(244))
                .add_modifier(Modifier::DIM)
        );
        assert_eq!(
            t.header,
            Style::new().fg(Color::DarkGray).add_modifier(
                Modifier::BOLD | Modifier::ITALIC | Modifier::UNDERLINED | Modifier::REVERSED
            )
        );
        assert_eq!(t.error, Style::new().fg(Color::Rgb(255, 0, 0)));
        // Left out: the base style; no bands: band() falls back to base.
        assert_eq!(t.warning, t.base);
        assert_eq!(t.selection, t.base);
        assert!(t.bands.is_empty());
        assert_eq!(t.band(0), t.base);
        assert_eq!(t.band(7), t.base);
    }

    #[test]
    fn band_clamps_to_the_last() {
        let t = Theme::builtin("dark", ColorMode::TrueColor).expect("builtin");
        assert_eq!(t.band(0), t.bands[0]);
        assert_eq!(t.band(3), t.bands[3]);
        assert_eq!(t.band(4), t.bands[3]);
        assert_eq!(t.band(usize::MAX), t.bands[3]);
    }

    fn err(text: &str) -> String {
        Theme::from_yaml(text, "themes/broken.yaml", ColorMode::TrueColor)
            .expect_err("should be rejected")
    }

    fn assert_located(e: &str, line: u32) {
        let prefix = format!("themes/broken.yaml:{line}:");
        assert!(e.starts_with(&prefix), "{e:?} should start with {prefix:?}");
        assert!(!e.contains('\n'), "one line: {e:?}");
        let rest = &e[prefix.len()..];
        let (col, msg) = rest.split_once(": ").expect("col: message");
        assert!(col.parse::<u32>().is_ok_and(|c| c > 0), "{e:?}");
        assert!(!msg.trim().is_empty(), "{e:?}");
    }

    #[test]
    fn broken_themes_name_the_file_and_line() {
        // YAML syntax.
        let e = err("name: x\nbase: {fg: \"#ffffff\"\nmuted: {}\n");
        assert!(e.starts_with("themes/broken.yaml:"), "{e}");
        assert!(!e.contains('\n'), "{e}");
        // Unknown key.
        let e = err("name: x\nbase: {fg: red}\nheadr: {bold: true}\n");
        assert_located(&e, 3);
        assert!(e.contains("headr"), "{e}");
        // Unknown style field.
        let e = err("name: x\nbase: {fg: red, blink: true}\n");
        assert_located(&e, 2);
        assert!(e.contains("blink"), "{e}");
        // Bad colours.
        let e = err("name: x\nbase:\n  fg: \"#12345\"\n");
        assert_located(&e, 3);
        assert!(e.contains("#12345"), "{e}");
        let e = err("name: x\nmuted: {fg: chartreuse}\n");
        assert_located(&e, 2);
        assert!(e.contains("chartreuse"), "{e}");
        let e = err("name: x\n\n\nmuted: {fg: 300}\n");
        assert_located(&e, 4);
        assert!(e.contains("300"), "{e}");
        // An unquoted hex colour is a comment, so the colour is missing.
        let e = err("name: x\nmuted:\n  fg: #808080\n");
        assert_located(&e, 3);
        assert!(e.contains("quote"), "{e}");
        // Wrong type for a modifier.
        let e = err("bands:\n  - {bold: true}\n  - {bold: maybe}\n");
        assert_located(&e, 3);
        // Not a mapping at all.
        let e = err("- dark\n");
        assert_located(&e, 1);
        assert!(e.contains("mapping"), "{e}");
        // Duplicate keys.
        let e = err("base: {}\nbase: {}\n");
        assert_located(&e, 2);
        assert!(
            e.contains("duplicate") && !e.contains("DuplicateKeyPolicy"),
            "{e}"
        );
        // The parser's own " at line N, column M" is not repeated.
        assert!(!e.contains(" at line "), "{e}");
        assert_eq!(strip_location_suffix("bad at line 3, column 7"), "bad");
        assert_eq!(strip_location_suffix("look at line x"), "look at line x");
    }

    #[test]
    fn resolve_builtin_path_and_fallbacks() {
        let (t, w) = Theme::resolve("light", ColorMode::TrueColor);
        assert_eq!(t.name, "light");
        assert!(w.is_none());

        let dark = Theme::builtin("dark", ColorMode::Palette256).expect("builtin");
        let (t, w) = Theme::resolve("/nonexistent/themes/mine.yaml", ColorMode::Palette256);
        assert_eq!(t, dark);
        let w = w.expect("a warning");
        assert!(w.contains("/nonexistent/themes/mine.yaml"), "{w}");
        assert!(w.contains("dark"), "{w}");

        let dir = tempfile::tempdir().expect("tempdir");
        let good = dir.path().join("mine.yaml");
        std::fs::write(&good, "name: mine\nbase: {fg: \"#ff0000\"}\n").expect("write");
        let spec = good.to_string_lossy().into_owned();
        let (t, w) = Theme::resolve(&spec, ColorMode::Palette256);
        assert!(w.is_none(), "{w:?}");
        assert_eq!(t.name, "mine");
        assert_eq!(t.base.fg, Some(Color::Indexed(196)));

        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, "name: bad\nbase: {fg: nope}\n").expect("write");
        let spec = bad.to_string_lossy().into_owned();
        let (t, w) = Theme::resolve(&spec, ColorMode::TrueColor);
        assert_eq!(t.name, "dark");
        let w = w.expect("a warning");
        assert!(w.starts_with(&format!("{spec}:2:")), "{w}");

        let (t, w) = Theme::resolve(&dir.path().to_string_lossy(), ColorMode::TrueColor);
        assert_eq!(t.name, "dark");
        assert!(w.is_some());
    }
}
