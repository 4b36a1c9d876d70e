//! The profile in use as the model sees it ([`ProfileInfo`]: its name, band, mode, reveal
//! policy and the start of its equivalent commands), and the keys it allows.

use crate::keymap::Keymap;

/// The profile in use, as the screens need it.
#[derive(Debug, Clone)]
pub struct ProfileInfo {
    /// Shown in every frame (`default` for the top level of the config file).
    pub name: String,
    /// The header band's colour.
    pub band: crate::config::BandColor,
    /// `--base-url` or `SDX_KEYS_BASE_URL` replaced the profile's base URL: the header shows
    /// the host as a warning.
    pub host_overridden: bool,
    pub access: crate::config::Access,
    pub reveal: crate::config::RevealPolicy,
    /// The start of the equivalent CLI commands (`sdx-keys --profile prod`).
    pub prefix: crate::equivalent::CommandPrefix,
}

impl Default for ProfileInfo {
    /// The implicit profile `default`, with nothing limited.
    fn default() -> ProfileInfo {
        ProfileInfo {
            name: crate::config::DEFAULT_PROFILE.to_owned(),
            band: crate::config::BandColor::None,
            host_overridden: false,
            access: crate::config::Access::Normal,
            reveal: crate::config::RevealPolicy::Show,
            prefix: crate::equivalent::CommandPrefix::default(),
        }
    }
}

/// The keys a profile allows: a read-only profile has no create, rotate or delete; `reveal =
/// "copy"` has no show/hide, and `"sink-only"` no show/hide and no clipboard. What no key does,
/// neither the footer nor the help offers.
pub(super) fn for_profile(keymap: Keymap, profile: &ProfileInfo) -> Keymap {
    use crate::config::RevealPolicy;
    use crate::keymap::Command;
    let mut dropped = Vec::new();
    if !profile.access.allows_writes() {
        dropped.extend([
            Command::Create,
            Command::CloneKey,
            Command::RotateKey,
            Command::DeleteKey,
        ]);
    }
    match profile.reveal {
        RevealPolicy::Show => {}
        RevealPolicy::Copy => dropped.push(Command::ToggleSecret),
        RevealPolicy::SinkOnly => dropped.extend([
            Command::ToggleSecret,
            Command::CopySecret,
            Command::ConfirmPasted,
        ]),
    }
    keymap.without(&dropped)
}
