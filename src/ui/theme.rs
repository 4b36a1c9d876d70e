//! Styles: the 16 ANSI colours and modifiers only, and with colours off (`NO_COLOR`) only
//! modifiers. Every meaning carried by a colour is also carried by text or a modifier, so
//! the screen reads the same in monochrome.

use ratatui::style::{Color, Modifier, Style};

use crate::app::notice::Severity;
use crate::catalogue::Risk;
use crate::config::BandColor;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, style: Style, color: Color) -> Style {
        if self.color { style.fg(color) } else { style }
    }

    pub fn plain(&self) -> Style {
        Style::default()
    }

    pub fn product(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// The DEMO badge: reverse video, so it stands out in monochrome too.
    pub fn demo(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            Color::Yellow,
        )
    }

    /// The profile's name in its band colour (bold, and reversed without colours or band).
    pub fn band(&self, band: BandColor) -> Style {
        let color = match band {
            BandColor::None => None,
            BandColor::Red => Some(Color::Red),
            BandColor::Yellow => Some(Color::Yellow),
            BandColor::Green => Some(Color::Green),
            BandColor::Blue => Some(Color::Blue),
            BandColor::Magenta => Some(Color::Magenta),
            BandColor::Cyan => Some(Color::Cyan),
        };
        let bold = Style::default().add_modifier(Modifier::BOLD);
        match color {
            Some(color) if self.color => bold.bg(color).fg(Color::Black),
            _ => bold.add_modifier(Modifier::REVERSED),
        }
    }

    /// Something the operator should notice (the token going to a host the profile does not
    /// name): bold yellow, bold alone without colours.
    pub fn warning(&self) -> Style {
        self.notice(Severity::Warning)
    }

    pub fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    pub fn border(&self) -> Style {
        Style::default()
    }

    pub fn focused_border(&self) -> Style {
        self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn column_header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// The selected row: reverse video (plus a `>` marker drawn by the list).
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn status_word(&self, status: &str) -> Style {
        if status.eq_ignore_ascii_case("active") {
            self.fg(Style::default(), Color::Green)
        } else {
            self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Yellow)
        }
    }

    pub fn risk(&self, risk: Risk) -> Style {
        match risk {
            Risk::Read => self.fg(Style::default(), Color::Green),
            Risk::Write => self.fg(Style::default(), Color::Yellow),
            Risk::Admin => self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Red),
        }
    }

    pub fn unknown_scope(&self) -> Style {
        self.fg(
            Style::default().add_modifier(Modifier::ITALIC),
            Color::Magenta,
        )
    }

    pub fn notice(&self, severity: Severity) -> Style {
        match severity {
            Severity::Info => self.fg(Style::default(), Color::Cyan),
            Severity::Warning => {
                self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Yellow)
            }
            Severity::Error => self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Red),
        }
    }

    pub fn error(&self) -> Style {
        self.notice(Severity::Error)
    }

    pub fn key_hint(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn spinner(&self) -> Style {
        self.fg(Style::default(), Color::Cyan)
    }
}
