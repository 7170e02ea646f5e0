//! What the generated layer adds to a request where progenitor cannot:
//! query parameters in the styles progenitor does not serialize
//! (`deepObject`, and `explode: false`, `pipeDelimited` and
//! `spaceDelimited` arrays and objects) and a request body it builds itself
//! (multipart/form-data, [`crate::multipart`]), and header and cookie
//! parameters progenitor cannot type (nullable, arrays, objects; cookies at
//! all). An [`Extra`] rides on the
//! [`crate::Call`]: its `pre` hook attaches it before the endpoint check, so
//! the check sees every key, and as bytes, so a retry replays the body.
//!
//! Every key and value is form-encoded by the `url` crate when attached, so
//! a value (`]&x=`, `=`, `#`) stays inside its parameter. A deepObject
//! property name with `[` or `]` is refused: it would read as another
//! level of nesting on the server. A header value with a control character
//! (`\r\n`) is refused, and a cookie value is percent-encoded (all but
//! RFC 3986's unreserved characters), so it cannot add a header or a cookie.

use bytes::Bytes;
use percent_encoding::utf8_percent_encode;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use crate::endpoint::UNRESERVED;
use crate::error::Error;

/// A caller's value that cannot be sent as its parameter's style says,
/// refused before anything is sent: [`Error::InvalidArgument`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The parameter.
    pub name: &'static str,
    /// Why.
    pub reason: String,
}

impl<V> From<Invalid> for Error<V> {
    fn from(e: Invalid) -> Self {
        Error::InvalidArgument {
            name: e.name,
            reason: e.reason,
        }
    }
}

/// A request body the layer built, with its content type.
#[derive(Clone, PartialEq, Eq)]
pub struct Body {
    pub(crate) content_type: String,
    pub(crate) bytes: Bytes,
}

impl Body {
    /// A body of these bytes, sent with this `Content-Type`.
    pub fn new(content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }

    /// The `Content-Type` it is sent with.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The bytes sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// The query pairs and body a generated method adds to its request.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    /// The whole query string (OpenAPI 3.2's `in: querystring`), in place
    /// of any other query.
    pub(crate) query_string: Option<QueryString>,
}

/// A whole query string, as its media type writes it.
#[derive(Debug, Clone)]
pub(crate) enum QueryString {
    /// `application/x-www-form-urlencoded`: pairs, each key and value
    /// form-encoded when the URL is written.
    Pairs(Vec<(String, String)>),
    /// Any other media type: the serialized value, percent-encoded whole,
    /// so none of its characters adds a parameter or ends the query.
    Text(String),
}

impl Extra {
    /// Nothing to add yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The query pairs, in the order they are sent (not yet encoded).
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// A `style: deepObject` query parameter: each property of the object
    /// becomes `name[property]=value` (an array of scalars, one pair per
    /// item; a nested object, `name[a][b]=value`; an array of objects,
    /// `name[a][0][b]=value`); `None` and null properties are left out.
    /// OpenAPI defines the style for objects only; the other shapes a
    /// vendor gives it are sent as Stripe and Rails read them: an array,
    /// `name[]=item` per item (`name[0][b]=value` for objects), and a
    /// scalar (one branch of an `anyOf`) as `name=value`.
    pub fn deep_object(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Invalid> {
        match to_value(name, value)? {
            Value::Null => Ok(()),
            Value::Object(map) => {
                for (key, v) in map {
                    self.deep_pairs(name, name.to_string(), &key, v)?;
                }
                Ok(())
            }
            Value::Array(items) if items.iter().any(Value::is_object) => {
                self.deep_items(name, name.to_string(), items)
            }
            Value::Array(items) => {
                for item in items {
                    let text = scalar(name, &item)?;
                    self.query.push((format!("{name}[]"), text));
                }
                Ok(())
            }
            other => {
                let text = scalar(name, &other)?;
                self.query.push((name.to_string(), text));
                Ok(())
            }
        }
    }

    /// An array holding objects, each item under its index.
    fn deep_items(&mut self, name: &'static str, at: String, items: Vec<Value>) -> Result<(), Invalid> {
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::Object(map) => {
                    for (k, v) in map {
                        self.deep_pairs(name, format!("{at}[{i}]"), &k, v)?;
                    }
                }
                other => {
                    let text = scalar(name, &other)?;
                    self.query.push((format!("{at}[{i}]"), text));
                }
            }
        }
        Ok(())
    }

    fn deep_pairs(&mut self, name: &'static str, prefix: String, key: &str, v: Value) -> Result<(), Invalid> {
        if key.contains(['[', ']']) {
            return Err(Invalid {
                name,
                reason: format!(
                    "the property name {key:?} has `[` or `]`, which would read as another level of the object"
                ),
            });
        }
        let at = format!("{prefix}[{key}]");
        match v {
            Value::Null => {}
            Value::Object(map) => {
                for (k, v) in map {
                    self.deep_pairs(name, at.clone(), &k, v)?;
                }
            }
            Value::Array(items) if items.iter().any(Value::is_object) => self.deep_items(name, at, items)?,
            Value::Array(items) => {
                for item in items {
                    let text = scalar(name, &item)?;
                    self.query.push((at.clone(), text));
                }
            }
            other => {
                let text = scalar(name, &other)?;
                self.query.push((at, text));
            }
        }
        Ok(())
    }

    /// A query parameter whose array items (or object keys and values) are
    /// joined into one value by `delimiter`: `,` for `explode: false`, `|`
    /// for `pipeDelimited`, ` ` for `spaceDelimited`. A scalar is sent as
    /// is, `None` not at all.
    pub fn delimited(
        &mut self,
        name: &'static str,
        delimiter: &str,
        value: &impl Serialize,
    ) -> Result<(), Invalid> {
        if let Some(text) = joined(name, delimiter, value)? {
            self.query.push((name.to_string(), text));
        }
        Ok(())
    }

    /// A query parameter in `style: form` with `explode: true`, sent by the
    /// layer because another parameter has its Rust name: a scalar is one
    /// `name=value` pair, an array one pair per item, `None` none. An
    /// object, which this style spreads over keys of its own, is refused.
    pub fn form(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Invalid> {
        match to_value(name, value)? {
            Value::Null => {}
            Value::Array(items) => {
                for item in &items {
                    self.query.push((name.to_string(), scalar(name, item)?));
                }
            }
            Value::Object(_) => {
                return Err(Invalid {
                    name,
                    reason: "an object cannot be sent in this parameter's style".into(),
                });
            }
            other => self.query.push((name.to_string(), scalar(name, &other)?)),
        }
        Ok(())
    }

    /// A header parameter (`style: simple`): a scalar as is, array items
    /// or object keys and values joined by `,`; `None` not at all. A value
    /// a header cannot hold (a control character such as `\r\n`) is
    /// refused.
    pub fn header(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Invalid> {
        let Some(text) = joined(name, ",", value)? else {
            return Ok(());
        };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Invalid {
            name,
            reason: "is not a valid header name".into(),
        })?;
        let value = HeaderValue::from_str(&text).map_err(|_| Invalid {
            name,
            reason: "has a character a header value cannot hold (a control character or a line break)".into(),
        })?;
        self.headers.push((header, value));
        Ok(())
    }

    /// A cookie parameter (`style: form`): the value (array items joined by
    /// `,`) percent-encoded, so `;` or `=` in it cannot add a cookie.
    pub fn cookie(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Invalid> {
        if let Some(text) = joined(name, ",", value)? {
            self.cookies
                .push((name, utf8_percent_encode(&text, UNRESERVED).to_string()));
        }
        Ok(())
    }

    /// The body, replacing progenitor's (which has none).
    pub fn body(&mut self, body: Body) {
        self.body = Some(body);
    }

    /// An OpenAPI 3.2 `in: querystring` parameter: the whole query string,
    /// serialized by its media type. `application/x-www-form-urlencoded`
    /// takes an object: each property a `key=value` pair (an array, one
    /// pair per item; `None` and null left out; a nested object refused).
    /// Any other media type takes the value as text (a string as it is,
    /// anything else as JSON), percent-encoded whole. `None` sends no query.
    pub fn query_string(
        &mut self,
        name: &'static str,
        media: &str,
        value: &impl Serialize,
    ) -> Result<(), Invalid> {
        let value = to_value(name, value)?;
        if value.is_null() {
            return Ok(());
        }
        let form = media
            .split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
        self.query_string = Some(if form {
            let Value::Object(map) = value else {
                return Err(Invalid {
                    name,
                    reason: "a form-encoded query string takes an object".into(),
                });
            };
            let mut pairs = Vec::new();
            for (key, v) in map {
                match v {
                    Value::Null => {}
                    Value::Array(items) => {
                        for item in &items {
                            pairs.push((key.clone(), scalar(name, item)?));
                        }
                    }
                    other => pairs.push((key, scalar(name, &other)?)),
                }
            }
            QueryString::Pairs(pairs)
        } else {
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            QueryString::Text(utf8_percent_encode(&text, UNRESERVED).to_string())
        });
        Ok(())
    }

    /// Whether the query is a whole query string ([`Extra::query_string`]).
    pub(crate) fn has_query_string(&self) -> bool {
        self.query_string.is_some()
    }

    /// Writes the whole query string, if there is one, in place of the
    /// URL's query.
    pub(crate) fn put_query_string(&self, url: &mut url::Url) {
        match &self.query_string {
            None => {}
            Some(QueryString::Text(text)) => {
                url.set_query(Some(text).filter(|t| !t.is_empty()).map(String::as_str))
            }
            Some(QueryString::Pairs(pairs)) => {
                url.set_query(None);
                if !pairs.is_empty() {
                    url.query_pairs_mut().extend_pairs(pairs);
                }
            }
        }
    }
}

/// A value as one text: a scalar as is, array items (or object keys and
/// values) joined by `delimiter`; `None` for null.
fn joined(name: &'static str, delimiter: &str, value: &impl Serialize) -> Result<Option<String>, Invalid> {
    Ok(Some(match to_value(name, value)? {
        Value::Null => return Ok(None),
        Value::Array(items) => items
            .iter()
            .map(|i| scalar(name, i))
            .collect::<Result<Vec<_>, _>>()?
            .join(delimiter),
        Value::Object(map) => {
            let mut parts = Vec::new();
            for (k, v) in &map {
                if v.is_null() {
                    continue;
                }
                parts.push(k.clone());
                parts.push(scalar(name, v)?);
            }
            parts.join(delimiter)
        }
        other => scalar(name, &other)?,
    }))
}

fn to_value(name: &'static str, value: &impl Serialize) -> Result<Value, Invalid> {
    serde_json::to_value(value).map_err(|e| Invalid {
        name,
        reason: format!("cannot be serialized: {e}"),
    })
}

/// A scalar's text on the wire: a string as is, a number or a boolean as
/// JSON writes it.
pub(crate) fn scalar(name: &'static str, v: &Value) -> Result<String, Invalid> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Invalid {
            name,
            reason: "a nested array or object cannot be sent in this parameter's style".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    #[test]
    fn a_deep_object_becomes_bracketed_pairs() {
        let mut e = Extra::new();
        e.deep_object(
            "filter",
            &json!({"status": "open", "tags": ["a", "b"], "n": 2, "gone": null, "range": {"from": 1}}),
        )
        .unwrap();
        assert_eq!(
            e.query(),
            [
                ("filter[n]".to_string(), "2".to_string()),
                ("filter[range][from]".into(), "1".into()),
                ("filter[status]".into(), "open".into()),
                ("filter[tags]".into(), "a".into()),
                ("filter[tags]".into(), "b".into()),
            ]
        );
    }

    /// Stripe's deepObject parameters that are not objects: `expand`
    /// (an array of strings), `created` (an object or an integer), and
    /// arrays of objects.
    #[test]
    fn deep_object_shapes_beyond_objects_are_sent_as_stripe_reads_them() {
        let mut e = Extra::new();
        e.deep_object("expand", &json!(["customer", "invoice"])).unwrap();
        e.deep_object("created", &json!(1_700_000_000)).unwrap();
        e.deep_object("range", &json!({"gte": 5})).unwrap();
        e.deep_object("items", &json!([{"price": "p1", "quantity": 2}, {"price": "p2"}]))
            .unwrap();
        e.deep_object("filter", &json!({"lines": [{"id": "l1"}]}))
            .unwrap();
        e.deep_object("none", &json!(null)).unwrap();
        assert_eq!(
            e.query(),
            [
                ("expand[]".to_string(), "customer".to_string()),
                ("expand[]".into(), "invoice".into()),
                ("created".into(), "1700000000".into()),
                ("range[gte]".into(), "5".into()),
                ("items[0][price]".into(), "p1".into()),
                ("items[0][quantity]".into(), "2".into()),
                ("items[1][price]".into(), "p2".into()),
                ("filter[lines][0][id]".into(), "l1".into()),
            ]
        );
    }

    #[test]
    fn a_bracket_in_a_property_name_is_refused() {
        for key in ["a]&x=", "[", "a]b"] {
            let mut e = Extra::new();
            let value: BTreeMap<&str, &str> = [(key, "v")].into();
            let err = e.deep_object("filter", &value).unwrap_err();
            assert_eq!(err.name, "filter");
            assert!(e.query().is_empty());
        }
        let mut e = Extra::new();
        let value: BTreeMap<&str, &str> = [("a&x=1", "]&y=2")].into();
        e.deep_object("filter", &value).unwrap();
        assert_eq!(e.query(), [("filter[a&x=1]".to_string(), "]&y=2".to_string())]);
    }

    #[test]
    fn delimited_styles_join_items() {
        let mut e = Extra::new();
        e.delimited("fields", ",", &["a", "b"]).unwrap();
        e.delimited("ids", "|", &[1, 2]).unwrap();
        e.delimited("none", ",", &Option::<Vec<String>>::None).unwrap();
        e.delimited("obj", ",", &json!({"k": "v"})).unwrap();
        assert_eq!(
            e.query(),
            [
                ("fields".to_string(), "a,b".to_string()),
                ("ids".into(), "1|2".into()),
                ("obj".into(), "k,v".into()),
            ]
        );
        assert!(e.delimited("x", ",", &json!([[1]])).is_err());
    }

    #[test]
    fn form_parameters_send_a_pair_per_value() {
        let mut e = Extra::new();
        e.form("sort_direction", &"asc").unwrap();
        e.form("ids", &[1, 2]).unwrap();
        e.form("none", &Option::<String>::None).unwrap();
        e.form("flag", &Some(true)).unwrap();
        assert_eq!(
            e.query(),
            [
                ("sort_direction".to_string(), "asc".to_string()),
                ("ids".into(), "1".into()),
                ("ids".into(), "2".into()),
                ("flag".into(), "true".into()),
            ]
        );
        assert!(e.form("obj", &json!({"k": "v"})).is_err());
        assert!(e.form("nested", &json!([[1]])).is_err());
    }

    #[test]
    fn a_query_string_is_written_whole_by_its_media_type() {
        let url = |e: &Extra| {
            let mut u = url::Url::parse("https://api.test/search?stale=1").unwrap();
            e.put_query_string(&mut u);
            u.query().map(str::to_string)
        };
        let mut e = Extra::new();
        e.query_string(
            "filter",
            "application/x-www-form-urlencoded",
            &json!({"q": "a&b=c #1", "tag": ["x", "y"], "gone": null, "n": 2}),
        )
        .unwrap();
        assert!(e.has_query_string());
        assert_eq!(url(&e).as_deref(), Some("n=2&q=a%26b%3Dc+%231&tag=x&tag=y"));
        let mut e = Extra::new();
        e.query_string("q", "application/jsonpath", &"$.a[?(@.b=='&')]")
            .unwrap();
        assert_eq!(
            url(&e).as_deref(),
            Some("%24.a%5B%3F%28%40.b%3D%3D%27%26%27%29%5D")
        );
        let mut e = Extra::new();
        e.query_string("q", "application/json", &json!({"a": [1]}))
            .unwrap();
        assert_eq!(url(&e).as_deref(), Some("%7B%22a%22%3A%5B1%5D%7D"));
        let mut e = Extra::new();
        e.query_string("q", "application/x-www-form-urlencoded", &Option::<String>::None)
            .unwrap();
        assert!(!e.has_query_string());
        assert!(
            e.query_string("q", "application/x-www-form-urlencoded", &"text")
                .is_err()
        );
        assert!(
            e.query_string("q", "application/x-www-form-urlencoded", &json!({"a": {"b": 1}}))
                .is_err()
        );
    }

    #[test]
    fn headers_refuse_line_breaks_and_cookies_are_encoded() {
        let mut e = Extra::new();
        let err = e.header("x-trace", &"a\r\nx-admin: 1").unwrap_err();
        assert_eq!(err.name, "x-trace");
        e.header("x-tags", &["a", "b"]).unwrap();
        e.header("x-none", &Option::<String>::None).unwrap();
        assert_eq!(e.headers.len(), 1);
        assert_eq!(e.headers[0].1, "a,b");
        e.cookie("hint", &"a; admin=1").unwrap();
        assert_eq!(e.cookies, [("hint", "a%3B%20admin%3D1".to_string())]);
    }
}
