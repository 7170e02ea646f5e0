//! multipart/form-data request bodies, which progenitor cannot send: the
//! generated layer fills a [`Form`] from the operation's typed form struct
//! (text fields, and [`FilePart`]s for `format: binary` properties) and
//! turns it into a [`Body`] of bytes, which the [`crate::Call`] attaches,
//! so retries replay it. Built on reqwest's `multipart::Form` (the
//! `multipart` cargo feature, which a generated crate turns on only when
//! its spec has a multipart body).

use bytes::Bytes;
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::extra::{Body, Invalid, scalar};

/// A file in a multipart body: its bytes, and the filename and content
/// type its part declares. `Debug` shows its size, not its bytes.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FilePart {
    bytes: Vec<u8>,
    filename: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes, sent as `application/octet-stream` without a
    /// filename unless told otherwise.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            filename: None,
            content_type: None,
        }
    }

    /// The filename its part declares (`filename="..."`).
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// The content type of its part (default `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// What a form struct's file field holds: one file, an optional one, or a
/// list of them (one part each, all under the field's name).
pub trait Files {
    /// The files, in order.
    fn files(&self) -> Vec<&FilePart>;
}

impl Files for FilePart {
    fn files(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: Files> Files for Option<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.as_ref().map(Files::files).unwrap_or_default()
    }
}

impl<T: Files> Files for Vec<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().flat_map(Files::files).collect()
    }
}

/// A multipart/form-data body being filled.
#[derive(Debug)]
pub struct Form(reqwest::multipart::Form);

impl Default for Form {
    fn default() -> Self {
        Self::new()
    }
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self(reqwest::multipart::Form::new())
    }

    /// A non-file field: a string, number or boolean is one text part; an
    /// array, one part per item; an object, one `application/json` part;
    /// `None`, no part.
    pub fn field(mut self, name: &'static str, value: &impl Serialize) -> Result<Self, Invalid> {
        let value = serde_json::to_value(value).map_err(|e| Invalid {
            name,
            reason: format!("cannot be serialized: {e}"),
        })?;
        let items = match value {
            Value::Null => Vec::new(),
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            self.0 = match item {
                Value::Null => continue,
                Value::Object(_) | Value::Array(_) => {
                    let part = reqwest::multipart::Part::text(item.to_string())
                        .mime_str("application/json")
                        .map_err(|e| Invalid {
                            name,
                            reason: e.to_string(),
                        })?;
                    self.0.part(name, part)
                }
                scalar_value => self.0.text(name, scalar(name, &scalar_value)?),
            };
        }
        Ok(self)
    }

    /// A file field: one part per file, with its filename and content type.
    pub fn files(mut self, name: &'static str, value: &impl Files) -> Result<Self, Invalid> {
        for file in value.files() {
            let mut part = reqwest::multipart::Part::bytes(file.bytes.clone());
            if let Some(filename) = &file.filename {
                part = part.file_name(filename.clone());
            }
            let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
            part = part.mime_str(content_type).map_err(|_| Invalid {
                name,
                reason: format!("the content type {content_type:?} is not a MIME type"),
            })?;
            self.0 = self.0.part(name, part);
        }
        Ok(self)
    }

    /// The form as bytes, with its `multipart/form-data; boundary=...`
    /// content type.
    pub async fn into_body(self) -> Result<Body, Invalid> {
        let content_type = format!("multipart/form-data; boundary={}", self.0.boundary());
        let mut stream = self.0.into_stream();
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk: Bytes = chunk.map_err(|e| Invalid {
                name: "body",
                reason: format!("cannot be encoded: {e}"),
            })?;
            bytes.extend_from_slice(&chunk);
        }
        Ok(Body::new(content_type, bytes))
    }
}
