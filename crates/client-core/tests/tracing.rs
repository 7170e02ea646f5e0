//! The `tracing` span of each request: one per attempt, named `request`,
//! with the operation, method, path template, attempt, status (or the kind
//! of failure) and duration, a `retrying` event between attempts, and never
//! a credential or a path value, in any span or event the call produces.
//! A hand-written subscriber records them, so no subscriber crate is needed.

mod support;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use support::{GET, PUT, builder, builder_at, call};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use usergroup_client_core::{Credential, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

type Fields = BTreeMap<String, String>;

/// Every span (name, target, fields as finally recorded) and event.
#[derive(Default)]
struct Recorded {
    spans: Mutex<Vec<(String, String, Fields)>>,
    events: Mutex<Vec<(String, Fields)>>,
}

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

#[derive(Clone, Default)]
struct Recorder(Arc<Recorded>);

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = Fields::new();
        attrs.record(&mut Visitor(&mut fields));
        let mut spans = self.0.spans.lock().unwrap();
        spans.push((
            attrs.metadata().name().to_string(),
            attrs.metadata().target().to_string(),
            fields,
        ));
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.0.spans.lock().unwrap();
        if let Some((_, _, fields)) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Visitor(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Visitor(&mut fields));
        self.0
            .events
            .lock()
            .unwrap()
            .push((event.metadata().target().to_string(), fields));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl Recorder {
    /// The `request` spans of the runtime.
    fn requests(&self) -> Vec<Fields> {
        self.0
            .spans
            .lock()
            .unwrap()
            .iter()
            .filter(|(name, target, _)| name == "request" && target.starts_with("usergroup_client_core"))
            .map(|(_, _, fields)| fields.clone())
            .collect()
    }

    /// Everything recorded, as text.
    fn everything(&self) -> String {
        format!(
            "{:?} {:?}",
            self.0.spans.lock().unwrap(),
            self.0.events.lock().unwrap()
        )
    }
}

#[tokio::test]
async fn each_attempt_has_a_span_with_the_operation_status_attempt_and_duration_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .with_priority(2)
        .mount(&server)
        .await;
    let conn = {
        let mut b = builder(&server);
        b.credential(0, Credential::Token("bearer-SECRET-1".into()));
        b.credential(1, Credential::Token("query-SECRET-2".into()));
        b.build().unwrap()
    };

    let recorder = Recorder::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()));
    call(&conn, PUT, Some(&json!({"name": "body-SECRET-3"})))
        .await
        .expect("the second attempt succeeds");

    let spans = recorder.requests();
    assert_eq!(spans.len(), 2, "{spans:#?}");
    for (i, (span, status)) in spans.iter().zip(["503", "200"]).enumerate() {
        assert_eq!(span["operation"], "put_thing");
        assert_eq!(span["method"], "PUT");
        assert_eq!(span["path"], "/things/{id}", "the template, not the values");
        assert_eq!(span["attempt"], (i + 1).to_string());
        assert_eq!(span["status"], status);
        let ms: f64 = span["duration_ms"].parse().expect("a duration in ms");
        assert!((0.0..5_000.0).contains(&ms), "{ms}");
    }
    let events = recorder.0.events.lock().unwrap().clone();
    let retrying: Vec<_> = events
        .iter()
        .filter(|(_, fields)| fields.get("message").map(String::as_str) == Some("retrying"))
        .collect();
    assert_eq!(retrying.len(), 1, "{events:#?}");
    assert_eq!(retrying[0].1["wait_ms"], "0");
    let everything = recorder.everything();
    for secret in ["SECRET", "t-1"] {
        assert!(!everything.contains(secret), "`{secret}` in {everything}");
    }
}

#[tokio::test]
async fn a_failed_connection_records_the_kind_of_failure() {
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port())
    };
    let conn = {
        let mut b = builder_at(&refused);
        b.retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_attempts(2),
        );
        b.build().unwrap()
    };
    let recorder = Recorder::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()));
    call(&conn, GET, None).await.expect_err("nothing listens");
    let spans = recorder.requests();
    assert_eq!(spans.len(), 2, "{spans:#?}");
    for span in &spans {
        assert_eq!(span["operation"], "get_thing");
        assert_eq!(span["error"], "connect");
        assert!(!span.contains_key("status"), "{span:?}");
    }
    assert!(!recorder.everything().contains(&refused));
}
