//! A vendor's spec history, replayed: each update's class under today's
//! rules, its class in the positional shape the clients had before 0.2 (every
//! optional parameter a positional `Option` argument, request structs and
//! enums open to literals and exhaustive matches), and, for each break that
//! remains, its cause. `cargo xtask diff --history` prints it.

use std::fmt;

use super::model::{Function, Kind, Param, Surface};
use super::rules::{Change, Class, class_of, compare};

/// Why a change breaks code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// Something users named is gone: an operation, parameter, field, variant or type.
    Removal,
    /// A type changed: a parameter's, a field's, a return type, a type's kind.
    TypeChange,
    /// A new input every call or constructor must pass; or an optional one became required.
    NewRequiredInput,
    /// Anything else (an order, the shape of the surface itself).
    Other,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cause::Removal => "removal",
            Cause::TypeChange => "type change",
            Cause::NewRequiredInput => "new required input",
            Cause::Other => "other",
        })
    }
}

/// The cause of a breaking change, from the rule that made it (the rules'
/// reasons in `rules.rs`).
pub fn cause(change: &Change) -> Cause {
    let r = change.reason.as_str();
    if r.contains("new required") || r.contains("became required") {
        Cause::NewRequiredInput
    } else if r.contains(" removed") || r.contains("lost its") {
        Cause::Removal
    } else if r.contains(" is `")
        || r.contains(" takes `")
        || r.contains(": returns ")
        || r.contains("the error type is")
        || r.contains(" is a ")
        || r.contains("became optional")
    {
        Cause::TypeChange
    } else {
        Cause::Other
    }
}

/// A surface as the positional shape would have had it: the options as
/// trailing `Option` parameters of the method, no request values, and
/// request structs and enums without `#[non_exhaustive]` or constructors.
pub fn positional(surface: &Surface) -> Surface {
    let mut s = surface.clone();
    for f in &mut s.functions {
        let Function {
            params,
            options,
            value,
            ..
        } = f;
        params.extend(options.drain(..).map(|o| Param {
            name: o.name,
            ty: format!("Option<{}>", o.ty),
        }));
        *value = None;
    }
    for t in &mut s.types {
        match &mut t.kind {
            Kind::Struct {
                non_exhaustive,
                builder,
                ..
            } if t.roles.request => {
                *non_exhaustive = false;
                *builder = false;
            }
            Kind::Enum { non_exhaustive, .. } => *non_exhaustive = false,
            _ => {}
        }
    }
    s
}

/// One update of a history.
#[derive(Debug, Clone)]
pub struct Update {
    /// Its class under today's rules.
    pub class: Class,
    /// Its class in the positional shape.
    pub positional: Class,
    /// Today's breaking changes, each with its cause.
    pub breaks: Vec<(Cause, Change)>,
}

/// Compares two consecutive versions' surfaces.
pub fn update(before: &Surface, after: &Surface) -> Update {
    let changes = compare(before, after);
    let positional = class_of(&compare(&positional(before), &positional(after)));
    Update {
        class: class_of(&changes),
        positional,
        breaks: changes
            .into_iter()
            .filter(|c| c.class == Class::Breaking)
            .map(|c| (cause(&c), c))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::model::{Field, Roles, TypeDef};

    fn op(params: &[(&str, &str)], options: &[(&str, &str)]) -> Function {
        let p = |l: &[(&str, &str)]| {
            l.iter()
                .map(|(n, t)| Param {
                    name: n.to_string(),
                    ty: t.to_string(),
                })
                .collect()
        };
        Function {
            owner: "Client".into(),
            name: "list".into(),
            request: Some("GET /a".into()),
            params: p(params),
            value: Some("requests::List".into()),
            options: p(options),
            returns: "Result<ResponseValue<types::A>, Error>".into(),
            pages: None,
            stream: None,
            docs: String::new(),
            feature: None,
        }
    }

    fn request_struct(fields: &[(&str, bool)]) -> TypeDef {
        TypeDef {
            name: "Body".into(),
            kind: Kind::Struct {
                fields: fields
                    .iter()
                    .map(|(n, required)| Field {
                        name: n.to_string(),
                        ty: if *required {
                            "String".into()
                        } else {
                            "Option<String>".into()
                        },
                        required: *required,
                    })
                    .collect(),
                non_exhaustive: true,
                builder: true,
            },
            roles: Roles {
                request: true,
                response: false,
            },
            docs: String::new(),
            feature: None,
        }
    }

    fn surface(f: Function, t: TypeDef) -> Surface {
        Surface {
            error: "types::E".into(),
            functions: vec![f],
            types: vec![t],
        }
    }

    #[test]
    fn optional_additions_broke_the_positional_shape_and_no_longer_do() {
        let before = surface(op(&[("id", "&str")], &[]), request_struct(&[("a", true)]));
        let after = surface(
            op(&[("id", "&str")], &[("since", "&str")]),
            request_struct(&[("a", true), ("b", false)]),
        );
        let u = update(&before, &after);
        assert_eq!(u.class, Class::Additive);
        assert_eq!(u.positional, Class::Breaking);
        assert!(u.breaks.is_empty());
    }

    #[test]
    fn each_remaining_break_has_its_cause() {
        let before = surface(
            op(&[("id", "&str")], &[("since", "&str")]),
            request_struct(&[("a", true)]),
        );
        let after = surface(
            op(&[("id", "i64"), ("scope", "&str")], &[]),
            request_struct(&[("a", true), ("c", true)]),
        );
        let u = update(&before, &after);
        assert_eq!(u.class, Class::Breaking);
        let causes: Vec<(Cause, String)> = u.breaks.iter().map(|(c, ch)| (*c, ch.reason.clone())).collect();
        assert_eq!(
            causes,
            [
                (
                    Cause::NewRequiredInput,
                    "Client::list: new required parameter `scope: &str` (every call must pass it)"
                        .to_string()
                ),
                (
                    Cause::TypeChange,
                    "Client::list: parameter `id` is `i64` (was `&str`)".to_string()
                ),
                (
                    Cause::Removal,
                    "Client::list: optional parameter `since` removed (calls setting it no longer compile)"
                        .to_string()
                ),
                (
                    Cause::NewRequiredInput,
                    "Body.c: new required field `String` in a request type".to_string()
                ),
            ]
        );
    }
}
