//! What `xtask generate` prints of each API besides its counts: the
//! operations that page and those that stream events.

/// The operations that page and those that stream events, one line each
/// (the `adapted` lines below say how).
pub(crate) fn streams(surface: &codegen::surface::model::Surface) -> Vec<String> {
    let named = |names: Vec<String>| {
        let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
        let more = names.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("{} operation(s): {}{tail}", names.len(), shown.join(", "))
    };
    let paged: Vec<String> = surface
        .functions
        .iter()
        .filter(|f| f.pages.is_some())
        .map(|f| f.name.clone())
        .collect();
    let events: Vec<String> = surface
        .functions
        .iter()
        .filter_map(|f| match (&f.stream, f.returns.contains("EventStream<")) {
            (Some(_), _) => Some(format!("{} (.stream())", f.name)),
            (None, true) => Some(f.name.clone()),
            (None, false) => None,
        })
        .collect();
    let mut lines = Vec::new();
    if !paged.is_empty() {
        lines.push(format!("pages: {}", named(paged)));
    }
    if !events.is_empty() {
        lines.push(format!("events: {}", named(events)));
    }
    lines
}
