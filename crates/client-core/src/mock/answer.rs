//! What a mocked operation answers: a status, headers and a body, a
//! delay, or a transport failure. The generated `<Op>Then` constructors
//! build one from the operation's typed responses (and check it against
//! the spec first); [`Answer`] itself checks nothing.

use std::time::Duration;

use serde::Serialize;

use crate::sequence::Framing;

/// One answer of the mock server.
#[derive(Debug, Clone)]
pub struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) delay: Option<Duration>,
    /// The connection is closed without an answer.
    pub(crate) failure: bool,
}

impl Answer {
    /// A status without a body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: None,
            failure: false,
        }
    }

    /// A body of this content type, as these bytes.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut answer = Self::empty(status);
        answer.body = body.into();
        answer.header("content-type", content_type)
    }

    /// `value` as JSON (`application/json`). A value that cannot be
    /// serialized (a map with non-string keys) is a bug in the test: it
    /// panics, naming it.
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        let body = serde_json::to_vec(value)
            .unwrap_or_else(|e| panic!("the mock's answer cannot be serialized as JSON: {e}"));
        Self::bytes(status, "application/json", body)
    }

    /// A `text/event-stream` body: one event per data text, in order.
    pub fn events(status: u16, data: impl IntoIterator<Item = String>) -> Self {
        let mut body = String::new();
        for text in data {
            for line in text.split('\n') {
                body.push_str("data: ");
                body.push_str(line);
                body.push('\n');
            }
            body.push('\n');
        }
        Self::bytes(status, "text/event-stream", body)
    }

    /// A body of JSON items in `framing` (JSON Lines, a JSON text sequence,
    /// `multipart/mixed` parts), declared as `content_type`: written by
    /// the same code as a request body of items.
    pub fn items<T: Serialize>(status: u16, framing: Framing, content_type: &str, items: &[T]) -> Self {
        let body = match framing {
            Framing::Multipart => {
                let mut mixed = crate::mixed::Mixed::new();
                for item in items {
                    mixed
                        .json("items", "application/json", item)
                        .unwrap_or_else(|e| panic!("the mock's answer cannot be serialized: {}", e.reason));
                }
                mixed.into_body()
            }
            lines => crate::sequence::body(lines, content_type, "items", items)
                .unwrap_or_else(|e| panic!("the mock's answer cannot be serialized: {}", e.reason)),
        };
        Self::bytes(status, body.content_type(), body.bytes().to_vec())
    }

    /// No answer at all: the server closes the connection, as a network
    /// failure would (the client sees a transport error, and retries it
    /// as it would a real one).
    pub fn failure() -> Self {
        let mut answer = Self::empty(0);
        answer.failure = true;
        answer
    }

    /// Adds a header (replacing one of the same name).
    pub fn header(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_string()));
        self
    }

    /// Answers only after this delay (a slow vendor, a timeout test).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The status (0 for a transport failure).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether it is a transport failure.
    pub fn is_failure(&self) -> bool {
        self.failure
    }

    /// The response wiremock sends.
    pub(crate) fn template(&self) -> wiremock::ResponseTemplate {
        let mut template = wiremock::ResponseTemplate::new(self.status);
        for (name, value) in &self.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        let content_type = self
            .headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map_or("application/octet-stream", |(_, v)| v.as_str());
        if !self.body.is_empty() {
            template = template.set_body_raw(self.body.clone(), content_type);
        }
        match self.delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_multi_line_data_and_items_use_the_request_framing() {
        let answer = Answer::events(200, ["a\nb".to_string(), "{}".to_string()]);
        assert_eq!(answer.body(), b"data: a\ndata: b\n\ndata: {}\n\n");
        let lines = Answer::items(200, Framing::Lines, "application/jsonl", &[1, 2]);
        assert_eq!(lines.body(), b"1\n2\n");
        let seq = Answer::items(200, Framing::RecordSeparated, "application/json-seq", &[1]);
        assert_eq!(seq.body(), b"\x1e1\n");
        let header = Answer::empty(204).header("X-A", 1).header("x-a", 2);
        assert_eq!(header.headers, vec![("x-a".to_string(), "2".to_string())]);
    }
}
