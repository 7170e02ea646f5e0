//! `multipart/mixed` request bodies (RFC 2046), which progenitor cannot
//! send: OpenAPI 3.2 describes them as a tuple of leading parts
//! (`prefixItems`, each with its `prefixEncoding` content type) and any
//! number of parts after them (`items` or `itemSchema`, with
//! `itemEncoding`). The generated layer adds the parts in order, each typed
//! (JSON), text or bytes, and [`Mixed::into_body`] writes them with a
//! boundary that none of them holds. The boundary is derived from the parts'
//! bytes, so the same parts give the same body: a retry sends it again.
//! No dependency beyond the crate's own: the format is a few lines of
//! framing, and reqwest's multipart support writes form-data only.

use std::hash::{Hash as _, Hasher as _};

use serde::Serialize;

use crate::extra::{Body, Invalid};

/// A `multipart/mixed` body being built, part by part.
#[derive(Debug, Clone, Default)]
pub struct Mixed {
    parts: Vec<(String, Vec<u8>)>,
}

impl Mixed {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A part holding `value` as JSON, declared as `content_type`.
    pub fn json(
        &mut self,
        name: &'static str,
        content_type: &str,
        value: &impl Serialize,
    ) -> Result<(), Invalid> {
        let bytes = serde_json::to_vec(value).map_err(|e| Invalid {
            name,
            reason: format!("cannot be serialized: {e}"),
        })?;
        self.parts.push((content_type.to_string(), bytes));
        Ok(())
    }

    /// A part holding this text or these bytes as they are.
    pub fn bytes(&mut self, content_type: &str, bytes: impl AsRef<[u8]>) {
        self.parts
            .push((content_type.to_string(), bytes.as_ref().to_vec()));
    }

    /// The body: each part after a boundary line, with its `Content-Type`,
    /// then the closing boundary. The boundary is one that no part holds.
    pub fn into_body(self) -> Body {
        let boundary = self.boundary();
        let mut out = Vec::new();
        for (content_type, bytes) in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Body::new(format!("multipart/mixed; boundary={boundary}"), out)
    }

    /// A boundary none of the parts (nor their content types) holds:
    /// a hash of the parts, changed until it is absent.
    fn boundary(&self) -> String {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.parts.hash(&mut hasher);
        first_free(hasher.finish(), |boundary| {
            self.parts.iter().any(|(content_type, bytes)| {
                content_type.contains(boundary) || contains(bytes, boundary.as_bytes())
            })
        })
    }
}

/// The first boundary from `seed` on that `held` does not refuse.
fn first_free(mut seed: u64, held: impl Fn(&str) -> bool) -> String {
    loop {
        let boundary = format!("usergroup-{seed:016x}");
        if !held(&boundary) {
            return boundary;
        }
        seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_in_order_with_their_types_and_a_boundary_none_holds() {
        let mut m = Mixed::new();
        m.json("meta", "application/json", &serde_json::json!({"count": 2}))
            .unwrap();
        m.bytes("image/jpeg", [0xFF, 0xD8, 0x00]);
        let body = m.clone().into_body();
        let boundary = body
            .content_type
            .strip_prefix("multipart/mixed; boundary=")
            .unwrap()
            .to_string();
        let mut expected = format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n{{\"count\":2}}\r\n--{boundary}\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes();
        expected.extend_from_slice(&[0xFF, 0xD8, 0x00]);
        expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        assert_eq!(body.bytes.as_ref(), expected.as_slice());
        // The same parts, the same body.
        assert_eq!(m.into_body().bytes, body.bytes);
    }

    #[test]
    fn a_boundary_a_part_holds_is_passed_over() {
        let taken = "usergroup-0000000000000007";
        let chosen = first_free(7, |b| b == taken);
        assert_ne!(chosen, taken);
        assert!(chosen.starts_with("usergroup-"));
        let mut m = Mixed::new();
        m.bytes("text/plain", "x");
        let b = m.boundary();
        assert!(m.parts.iter().all(|(_, bytes)| !contains(bytes, b.as_bytes())));
    }
}
