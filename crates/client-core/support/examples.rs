//! Shared by the client crates' examples (included with `#[path]`, not built
//! on its own): prints each request a local server received, credentials
//! redacted.

#![allow(dead_code)]

/// Headers whose values are credentials.
const SECRET_HEADERS: [&str; 3] = ["authorization", "sessiontoken", "x-cap-api-oauth-token"];

/// Prints every request the server received.
pub async fn print_exchange(server: &wiremock::MockServer) {
    for request in server.received_requests().await.unwrap_or_default() {
        let query = request.url.query().map(|q| format!("?{q}")).unwrap_or_default();
        println!(">>> {} {}{}", request.method, request.url.path(), query);
        let mut headers: Vec<_> = request.headers.iter().collect();
        headers.sort_by_key(|(name, _)| name.as_str().to_string());
        for (name, value) in headers {
            let shown = if SECRET_HEADERS.contains(&name.as_str()) {
                "[redacted]".to_string()
            } else {
                value.to_str().unwrap_or("<binary>").to_string()
            };
            println!(">>> {name}: {shown}");
        }
        if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) {
            println!(">>> {}", serde_json::to_string_pretty(&body).unwrap_or_default());
        }
    }
}
