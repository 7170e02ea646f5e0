//! A `$ref` is a URI reference, so its fragment, the JSON pointer, may be
//! percent-encoded (RFC 6901, section 6): `#/paths/~1systems~1%7Bid%7D/get`
//! is the pointer `/paths/~1systems~1{id}/get`. Every later stage compares
//! and resolves references as plain pointers, so a reference that resolves
//! only once decoded is rewritten here, first, with a note.

use serde_json::{Map, Value};

use super::Ctx;
use crate::document::{self, pointer};

/// A URI fragment's JSON pointer, its percent-escapes decoded; an escape
/// that is not two hex digits stays as it is.
pub(crate) fn percent_decoded(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| fragment.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes the local references that point at nothing as written and at
/// something once decoded.
pub(super) fn decode(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let mut doc = Value::Object(std::mem::take(root));
    let mut decoded = Vec::new();
    document::walk(&doc, document::Kind::Document, "", &mut |v, node| {
        let Some(reference) = v.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let Some(fragment) = reference.strip_prefix('#').filter(|f| f.contains('%')) else {
            return;
        };
        let new = format!("#{}", percent_decoded(fragment));
        if document::ref_target(&doc, reference).is_none() && document::ref_target(&doc, &new).is_some() {
            decoded.push((pointer(node.at, "$ref"), reference.to_string(), new));
        }
    });
    for (at, reference, new) in decoded {
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = Value::String(new);
            ctx.note(
                &at,
                format!("`{reference}` read with its percent-escapes decoded (RFC 6901, section 6)"),
            );
        }
    }
    if let Value::Object(map) = doc {
        *root = map;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::merge::Origins;
    use crate::normalize::normalize;

    use super::*;

    #[test]
    fn escapes_decode_and_a_bad_one_stays() {
        assert_eq!(percent_decoded("/paths/~1a~1%7Bid%7D"), "/paths/~1a~1{id}");
        assert_eq!(percent_decoded("/a%2"), "/a%2");
        assert_eq!(percent_decoded("/caf%C3%A9"), "/café");
    }

    #[test]
    fn a_reference_that_resolves_only_decoded_is_rewritten_with_a_note() {
        let ok = json!({"200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}}});
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/systems/{systemSymbol}": {"get": {"operationId": "a", "responses": ok}},
            "/copy": {"get": {"operationId": "b", "responses": {
                "200": {"$ref": "#/paths/~1systems~1%7BsystemSymbol%7D/get/responses/200"}
            }}}
        }});
        let n = normalize(doc, &Origins::default()).unwrap_or_else(|e| panic!("{e}"));
        // Decoded, it resolves (and, a reference into another operation,
        // is then copied into components as any such reference is).
        let r = n
            .doc
            .pointer("/paths/~1copy/get/responses/200/$ref")
            .and_then(Value::as_str)
            .expect("a reference");
        assert!(crate::document::ref_target(&n.doc, r).is_some(), "{r}");
        assert!(
            n.notes.iter().any(|x| x.contains("percent-escapes decoded")),
            "{:?}",
            n.notes
        );
    }
}
