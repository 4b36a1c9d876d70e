//! Characters that cannot be shown safely (issue 8, item 5): every class that
//! `layout::text::is_unshowable` covers is replaced by the placeholder in `printable`,
//! ordinary text in any script stays byte-identical, and `has_unshowable` agrees with
//! `printable` changing the text.

use sdx_keys::layout::text::{PLACEHOLDER, fit, has_unshowable, is_unshowable, printable};

/// One example of each class that must not reach the screen, with what it is.
const UNSHOWABLE: &[(char, &str)] = &[
    ('\u{0007}', "Cc: BEL"),
    ('\u{0009}', "Cc: tab"),
    ('\u{000a}', "Cc: line feed"),
    ('\u{001b}', "Cc: ESC"),
    ('\u{007f}', "Cc: DEL"),
    ('\u{009b}', "Cc: C1 CSI"),
    ('\u{202a}', "Cf: LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202e}', "Cf: RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "Cf: LEFT-TO-RIGHT ISOLATE"),
    ('\u{2069}', "Cf: POP DIRECTIONAL ISOLATE"),
    ('\u{200e}', "Cf: LEFT-TO-RIGHT MARK"),
    ('\u{061c}', "Cf: ARABIC LETTER MARK"),
    ('\u{200b}', "Cf: ZERO WIDTH SPACE"),
    ('\u{200c}', "Cf: ZERO WIDTH NON-JOINER"),
    ('\u{200d}', "Cf: ZERO WIDTH JOINER"),
    ('\u{2060}', "Cf: WORD JOINER"),
    (
        '\u{feff}',
        "Cf: ZERO WIDTH NO-BREAK SPACE (byte-order mark)",
    ),
    ('\u{00ad}', "Cf: SOFT HYPHEN"),
    ('\u{e0001}', "Cf: LANGUAGE TAG"),
    ('\u{e0041}', "Cf: TAG LATIN CAPITAL LETTER A"),
    ('\u{e007f}', "Cf: CANCEL TAG"),
    ('\u{2028}', "Zl: LINE SEPARATOR"),
    ('\u{2029}', "Zp: PARAGRAPH SEPARATOR"),
    ('\u{e000}', "Co: private use"),
    ('\u{f8ff}', "Co: private use"),
    ('\u{f0000}', "Co: supplementary private use"),
    ('\u{0378}', "Cn: unassigned"),
    ('\u{10ffff}', "Cn: noncharacter"),
    ('\u{3164}', "Default_Ignorable: HANGUL FILLER"),
    ('\u{115f}', "Default_Ignorable: HANGUL CHOSEONG FILLER"),
    ('\u{1160}', "Default_Ignorable: HANGUL JUNGSEONG FILLER"),
    ('\u{ffa0}', "Default_Ignorable: HALFWIDTH HANGUL FILLER"),
    ('\u{034f}', "Default_Ignorable: COMBINING GRAPHEME JOINER"),
    ('\u{17b4}', "Default_Ignorable: KHMER VOWEL INHERENT AQ"),
    (
        '\u{180b}',
        "Default_Ignorable: MONGOLIAN FREE VARIATION SELECTOR ONE",
    ),
    ('\u{fe00}', "Default_Ignorable: VARIATION SELECTOR-1"),
    ('\u{fe0f}', "Default_Ignorable: VARIATION SELECTOR-16"),
    ('\u{e0100}', "Default_Ignorable: VARIATION SELECTOR-17"),
    ('\u{e01ef}', "Default_Ignorable: VARIATION SELECTOR-256"),
    ('\u{00a0}', "Zs: NO-BREAK SPACE"),
    ('\u{1680}', "Zs: OGHAM SPACE MARK"),
    ('\u{2000}', "Zs: EN QUAD"),
    ('\u{200a}', "Zs: HAIR SPACE"),
    ('\u{202f}', "Zs: NARROW NO-BREAK SPACE"),
    ('\u{205f}', "Zs: MEDIUM MATHEMATICAL SPACE"),
    ('\u{3000}', "Zs: IDEOGRAPHIC SPACE"),
];

/// Text that must come through unchanged, byte for byte.
const ORDINARY: &[&str] = &[
    "",
    "Überwachung 東京",
    "e\u{301}",
    "ключ",
    "🙂",
    "a b",
    "CI/CD: deploy-1",
    "مفتاح الإنتاج",
    "कुंजी",
    "Ελληνικά ñ ç ß",
    "한국어 키",
    "price: 5€ ~ ¥500 — “quoted” …",
    "a\u{20dd}",
];

#[test]
fn every_class_is_replaced_by_the_placeholder() {
    for &(c, what) in UNSHOWABLE {
        assert!(is_unshowable(c), "{what} (U+{:04X})", c as u32);
        let text = format!("ab{c}cd");
        assert_eq!(
            printable(&text),
            format!("ab{PLACEHOLDER}cd"),
            "{what} (U+{:04X})",
            c as u32
        );
        assert!(has_unshowable(&text), "{what} (U+{:04X})", c as u32);
    }
}

#[test]
fn ordinary_text_stays_byte_identical() {
    for &text in ORDINARY {
        assert_eq!(printable(text), text);
        assert!(!has_unshowable(text), "{text:?}");
        assert!(text.chars().all(|c| !is_unshowable(c)), "{text:?}");
    }
}

#[test]
fn a_spoofed_name_shows_every_hidden_character() {
    // A right-to-left override that would make "prod-key" and "yek-dorp" look alike, a
    // zero-width joiner between emoji, and a name padded with no-break and filler characters.
    assert_eq!(printable("\u{202e}yek-dorp"), "?yek-dorp");
    assert_eq!(printable("👩\u{200d}💻 ops"), "👩?💻 ops");
    assert_eq!(printable("admin\u{a0}\u{3164}"), "admin??");
    assert_eq!(printable("a\u{e0041}\u{e007f}"), "a??");
    // Each character is replaced by one placeholder: the length in characters is kept.
    let hidden = "x\u{200b}\u{200b}y\u{feff}";
    assert_eq!(printable(hidden).chars().count(), hidden.chars().count());
}

#[test]
fn fit_cleans_the_same_characters() {
    assert_eq!(fit("ops\u{2066}admin\u{2069}", 20), "ops?admin?");
    assert_eq!(fit("a\u{a0}b", 20), "a?b");
    assert_eq!(fit("e\u{301}", 20), "e\u{301}");
}

#[test]
fn has_unshowable_agrees_with_printable_on_every_code_point_below_u_30000() {
    // Planes 0 to 2 whole, and the tags, variation selectors and private use of planes 14
    // and 15: `has_unshowable` is true exactly when `printable` changes the text.
    let sample = (0..0x3_0000u32).chain((0xe_0000..0xe_0200).chain(0xf_0000..0xf_0010));
    for c in sample.filter_map(char::from_u32) {
        let text = format!("k{c}y");
        assert_eq!(
            has_unshowable(&text),
            printable(&text) != text,
            "U+{:04X}",
            c as u32
        );
    }
}
