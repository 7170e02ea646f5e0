//! `$ref` chains that reach no value: a response, parameter, request body,
//! header or schema that refers to itself, directly or through others
//! (`R -> S -> R`), or a chain longer than the resolver's bound. progenitor
//! follows such a chain for ever (its `util::item`), so each is an error
//! that lists the chain. One error per cycle, at the member of the cycle
//! that comes first in the document: under an operation it costs that
//! operation (`unsupported = "skip"`); in `components` it is the
//! document's. A component schema that is only an alias of itself is
//! `check_recursion`'s to report. A dangling `$ref` is `check_ref`'s.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Checker;
use crate::document::{Broken, Kind, MAX_REF_CHAIN, follow, is_component, pointer, walk};

/// Reports every `$ref` chain of the document that reaches no value.
pub(super) fn check_ref_chains(c: &mut Checker) {
    let mut found = Vec::new();
    let mut seen_cycles = BTreeSet::new();
    walk(c.doc, Kind::Document, "", &mut |node, place| {
        if node.get("$ref").and_then(Value::as_str).is_none()
            || (place.kind == Kind::Schema && is_component(place.at, "schemas"))
        {
            return;
        }
        let here = format!("#{}", place.at);
        let what = place.kind.noun();
        match follow(c.doc, node) {
            Err(Broken::Cycle(chain)) => {
                let repeated = chain.last().cloned().unwrap_or_default();
                let start = chain.iter().position(|r| *r == repeated).unwrap_or(0);
                let members: BTreeSet<String> = chain[start..].iter().cloned().collect();
                // Reported once, by the member that comes first in the
                // document; a reference into the cycle is not a member.
                if !members.contains(&here) || !seen_cycles.insert(members) {
                    return;
                }
                // From here round the cycle, back to here.
                let mut shown = vec![here.as_str()];
                for r in &chain {
                    shown.push(r);
                    if *r == here {
                        break;
                    }
                }
                found.push((
                    pointer(place.at, "$ref"),
                    format!("this {what} refers to itself and never reaches one: {}", shown.join(" → ")),
                    format!("point one of these `$ref`s at a {what} that is written out, or replace it with one, in an overlay"),
                ));
            }
            Err(Broken::TooLong(chain)) => found.push((
                pointer(place.at, "$ref"),
                format!(
                    "this {what}'s `$ref` chain is longer than {MAX_REF_CHAIN} references (from {})",
                    chain.first().map_or("", String::as_str)
                ),
                format!("point the `$ref` at the {what} the chain ends at, in an overlay"),
            )),
            Err(Broken::Dangling(_)) | Ok(_) => {}
        }
    });
    for (at, message, help) in found {
        c.report(&at, None, message, &help);
    }
}
