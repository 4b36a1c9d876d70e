//! The key list as JSON for `sdx-keys list --json`: the API's own key objects, byte for byte
//! and in the API's order, as one compact array. The body is only scanned (each element kept
//! as a slice of it), never built into keys and written out again, which is what keeps the
//! command close to `curl`. Each element must still be an object with an `id` member, so a
//! body that is not a key list is refused; that check reads the element's text once more
//! without parsing it (a second parse would cost as much as the first).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::caps::MAX_KEYS;
use super::models::DecodeError;

const WRONG_SHAPE: &str = "the key list is neither an array nor an object with a `data` array";

/// `text` (one valid JSON value) is an object with an `"id": "..."` member. A nested object
/// with an `id` would satisfy it too; this is a check of shape, not of every key.
fn has_string_id(text: &str) -> bool {
    if !text.starts_with('{') {
        return false;
    }
    let mut rest = text;
    while let Some(at) = rest.find("\"id\"") {
        rest = &rest[at + 4..];
        let after = rest.trim_start();
        if let Some(value) = after.strip_prefix(':') {
            return value.trim_start().starts_with('"') && !value.trim_start().starts_with("\"\"");
        }
    }
    false
}

/// The list response (a bare array, or an object whose `data` is one) as a compact JSON
/// array of the API's key objects, at most [`MAX_KEYS`] of them; the count left out is
/// returned beside it.
pub fn key_list_json(body: &[u8]) -> Result<(Vec<u8>, usize), DecodeError> {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        data: Option<Vec<&'a RawValue>>,
    }
    let elements: Vec<&RawValue> = match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => serde_json::from_slice(body)
            .map_err(|e| DecodeError::from_json("the key list is not valid JSON", e))?,
        Some(b'{') => match serde_json::from_slice::<Envelope>(body) {
            Ok(Envelope { data: Some(keys) }) => keys,
            Ok(Envelope { data: None }) => return Err(DecodeError(WRONG_SHAPE.into())),
            Err(e) => return Err(DecodeError::from_json("the key list is not valid JSON", e)),
        },
        Some(_) => return Err(DecodeError(WRONG_SHAPE.into())),
        None => return Err(DecodeError("the key list is empty".into())),
    };
    let dropped = elements.len().saturating_sub(MAX_KEYS);
    let mut out = Vec::with_capacity(body.len() + 2);
    out.push(b'[');
    for (i, element) in elements.iter().take(MAX_KEYS).enumerate() {
        let text = element.get();
        if !has_string_id(text) {
            return Err(DecodeError(format!(
                "a key in the list is malformed: element {i} is not an object with an id"
            )));
        }
        if i > 0 {
            out.push(b',');
        }
        push_escaped(&mut out, text);
    }
    out.extend_from_slice(b"]\n");
    Ok((out, dropped))
}

/// Appends `json` (one valid JSON value) with every character that cannot be shown safely
/// (bidi controls, zero-width characters, DEL...; see [`crate::layout::text::is_unshowable`])
/// written as a `\\uXXXX` escape: the data stays exact, and nothing reaches a terminal that
/// could make a name look like another. Valid JSON holds such characters only inside strings,
/// where an escape means the same character. ASCII runs are copied whole; only the rare
/// non-ASCII characters (and DEL) are decoded, found with a search the compiler vectorises.
fn push_escaped(out: &mut Vec<u8>, json: &str) {
    let bytes = json.as_bytes();
    let (mut i, mut start) = (0, 0);
    while let Some(skip) = bytes[i..].iter().position(|&b| b >= 0x7F) {
        i += skip;
        let Some(c) = json[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if crate::layout::text::is_unshowable(c) {
            out.extend_from_slice(&bytes[start..i]);
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
            }
            start = i + len;
        }
        i += len;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: &str) -> Result<String, String> {
        key_list_json(body.as_bytes())
            .map(|(out, _)| String::from_utf8(out).unwrap())
            .map_err(|e| e.0)
    }

    #[test]
    fn the_apis_objects_pass_through_in_order() {
        let body = r#" {"data": [ {"id":"b","name":"x","extra":{"a":1}} , {"id":"a"} ]} "#;
        assert_eq!(
            text(body).unwrap(),
            "[{\"id\":\"b\",\"name\":\"x\",\"extra\":{\"a\":1}},{\"id\":\"a\"}]\n"
        );
        assert_eq!(text("[]").unwrap(), "[]\n");
        assert_eq!(
            text("[{\"id\":\"k\\u0041\"}]").unwrap(),
            "[{\"id\":\"k\\u0041\"}]\n"
        );
    }

    #[test]
    fn invisible_characters_are_escaped_and_ordinary_text_is_kept() {
        let body = "[{\"id\":\"k\",\"name\":\"ci\u{202E}nimda \u{200D}\u{E0041}東京 é\"}]";
        let out = text(body).unwrap();
        assert_eq!(
            out,
            "[{\"id\":\"k\",\"name\":\"ci\\u202enimda \\u200d\\udb40\\udc41東京 é\"}]\n"
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value[0]["name"], "ci\u{202E}nimda \u{200D}\u{E0041}東京 é");
    }

    #[test]
    fn what_is_not_a_key_list_is_refused() {
        assert!(text("[1]").unwrap_err().contains("malformed"));
        assert!(
            text("[{\"name\":\"no id\"}]")
                .unwrap_err()
                .contains("malformed")
        );
        assert!(text("[{\"id\":\"\"}]").unwrap_err().contains("malformed"));
        assert!(text("[{\"id\": 5}]").unwrap_err().contains("malformed"));
        assert!(
            text("[{\"name\":\"id\"}]")
                .unwrap_err()
                .contains("malformed")
        );
        assert_eq!(
            text("[{\"x\":\"id\", \"id\" : \"k\"}]").unwrap(),
            "[{\"x\":\"id\", \"id\" : \"k\"}]\n"
        );
        assert!(text("{\"keys\":[]}").unwrap_err().contains("neither"));
        assert!(
            text("[{\"id\":\"a\"}")
                .unwrap_err()
                .contains("not valid JSON")
        );
        assert!(text("\"x\"").unwrap_err().contains("neither"));
        assert!(text("  ").unwrap_err().contains("empty"));
    }
}
