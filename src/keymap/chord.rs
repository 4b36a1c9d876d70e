//! Key chords: one key plus ctrl/alt/shift, read from and written as text (`ctrl-c`,
//! `shift-s`, `shift-tab`, `pgdn`, `f5`, `?`) for the keybinding vocabulary, and built from
//! crossterm key events with the terminals' disagreements on SHIFT smoothed out, so every
//! chord that parses is one a key press can produce.

use std::fmt;
use std::str::FromStr;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key with its modifiers. For character keys the SHIFT modifier is folded into the
/// character (`shift-s` is `S`), because terminals disagree on whether they report it; for
/// the same reason `shift-tab` is always the back-tab key (crossterm's `BackTab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_lowercase() {
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Chord { code, mods }
    }

    pub fn from_event(event: &KeyEvent) -> Chord {
        Chord::new(event.code, event.modifiers)
    }

    /// A printable character typed without ctrl or alt, if this chord is one.
    pub fn text_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !self
                    .mods
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && !c.is_control() =>
            {
                Some(c)
            }
            _ => None,
        }
    }
}

/// Why a chord's text could not be read: the text, and in the message the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a key; write keys like x, R, ctrl-r, alt-x, shift-tab, enter, esc, space, \
     delete, pgdn, home, up, f5"
)]
pub struct ChordParseError(pub String);

impl FromStr for Chord {
    type Err = ChordParseError;

    fn from_str(text: &str) -> Result<Chord, ChordParseError> {
        let err = || ChordParseError(text.to_owned());
        let mut rest = text;
        let mut mods = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, flag) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            if rest.len() == prefix.len() {
                break; // `ctrl-` alone: the key is `-` handled below only if a char follows
            }
            mods |= flag;
            rest = &rest[prefix.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "space" => KeyCode::Char(' '),
                name => {
                    let n = name
                        .strip_prefix('f')
                        .and_then(|n| n.parse::<u8>().ok())
                        .filter(|n| (1..=24).contains(n))
                        .ok_or_else(err)?;
                    KeyCode::F(n)
                }
            },
        };
        Ok(Chord::new(code, mods))
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_parse_and_format() {
        for (text, shown) in [
            ("ctrl-c", "ctrl-c"),
            ("shift-s", "S"),
            ("S", "S"),
            ("pgdn", "pgdn"),
            ("f5", "f5"),
            ("?", "?"),
            ("-", "-"),
            ("ctrl--", "ctrl--"),
            ("space", "space"),
            ("Enter", "enter"),
            ("shift-tab", "shift-tab"),
            ("backtab", "shift-tab"),
        ] {
            let chord: Chord = text.parse().unwrap();
            assert_eq!(chord.to_string(), shown, "{text}");
            assert_eq!(shown.parse::<Chord>().unwrap(), chord);
        }
        assert!("hyper-x".parse::<Chord>().is_err());
        assert!("f99".parse::<Chord>().is_err());
        assert!("".parse::<Chord>().is_err());
    }

    #[test]
    fn shift_is_folded_into_characters() {
        let event = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(&event), "S".parse().unwrap());
        let event = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(&event), "S".parse().unwrap());
    }

    #[test]
    fn shift_tab_is_the_back_tab_key_however_it_is_reported() {
        let shift_tab: Chord = "shift-tab".parse().unwrap();
        for event in [
            KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
            KeyEvent::new(KeyCode::BackTab, KeyModifiers::NONE),
            KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT),
        ] {
            assert_eq!(Chord::from_event(&event), shift_tab, "{event:?}");
        }
    }

    #[test]
    fn a_bad_chord_names_itself_and_the_accepted_forms() {
        let err = "hyper-x".parse::<Chord>().unwrap_err().to_string();
        assert!(err.contains("`hyper-x` is not a key"), "{err}");
        assert!(err.contains("ctrl-r") && err.contains("f5"), "{err}");
    }
}
