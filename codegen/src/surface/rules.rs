//! The rules that class a change of a client's surface: what breaks code
//! that compiles against the previous version (`breaking`), what only adds
//! to it (`additive`), and what changes only its documentation
//! (`docs-only`). They are written down, with their reasons, in `RULES.md`
//! beside this file; each has a case in `tests/breaking/`.

use std::collections::BTreeMap;
use std::fmt;

use super::model::{Field, Function, Kind, Surface, TypeDef};

/// How much a change (or a whole API's changes) breaks, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Nothing a user can see changed.
    Unchanged,
    /// Only documentation changed.
    DocsOnly,
    /// There is more to use; code that compiled still compiles.
    Additive,
    /// Code that compiled may not compile, or may behave differently.
    Breaking,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Unchanged => "unchanged",
            Class::DocsOnly => "docs-only",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        })
    }
}

/// One change, with its class and the reason, as `diff` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its class.
    pub class: Class,
    /// What changed, naming the item.
    pub reason: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.reason)
    }
}

/// The class of a list of changes: the most breaking one.
pub fn class_of(changes: &[Change]) -> Class {
    changes.iter().map(|c| c.class).max().unwrap_or(Class::Unchanged)
}

/// Every change from `before` to `after`, in the order of the surface.
pub fn compare(before: &Surface, after: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |class, reason: String| out.push(Change { class, reason });
    if before.error != after.error {
        push(
            Class::Breaking,
            format!("the error type is {} (was {})", after.error, before.error),
        );
    }
    let key = |f: &Function| format!("{}::{}", f.owner, f.name);
    let old: BTreeMap<String, &Function> = before.functions.iter().map(|f| (key(f), f)).collect();
    let new: BTreeMap<String, &Function> = after.functions.iter().map(|f| (key(f), f)).collect();
    for f in &before.functions {
        if !new.contains_key(&key(f)) {
            push(Class::Breaking, format!("{} removed", function_label(f)));
        }
    }
    for f in &after.functions {
        match old.get(&key(f)) {
            None => push(Class::Additive, format!("new {}", function_label(f))),
            Some(was) => function_changes(was, f, &mut push),
        }
    }
    let old: BTreeMap<&str, &TypeDef> = before.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new: BTreeMap<&str, &TypeDef> = after.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, t) in &old {
        if !new.contains_key(name) {
            push(
                Class::Breaking,
                format!("type {name} removed ({})", kind_word(&t.kind)),
            );
        }
    }
    for (name, t) in &new {
        match old.get(name) {
            None => push(
                Class::Additive,
                match &t.feature {
                    Some(feature) => format!("new type {name} ({}, feature {feature})", kind_word(&t.kind)),
                    None => format!("new type {name} ({})", kind_word(&t.kind)),
                },
            ),
            Some(was) => type_changes(was, t, &mut push),
        }
    }
    out
}

fn function_label(f: &Function) -> String {
    match &f.request {
        Some(r) => match &f.feature {
            Some(feature) => format!("operation {} ({r}, feature {feature})", f.name),
            None => format!("operation {} ({r})", f.name),
        },
        None if f.owner.starts_with("headers::") => format!("header accessor {}::{}", f.owner, f.name),
        None => format!("method {}::{}", f.owner, f.name),
    }
}

/// Documentation counts as a change of its own only when nothing else of
/// the item changed (a new or removed member changes its type's docs too).
fn with_docs(
    was_docs: &str,
    now_docs: &str,
    name: &str,
    push: &mut impl FnMut(Class, String),
    changes: impl FnOnce(&mut dyn FnMut(Class, String)),
) {
    let mut any = false;
    changes(&mut |class, reason| {
        any = true;
        push(class, reason);
    });
    if !any && was_docs != now_docs {
        push(Class::DocsOnly, format!("{name}: documentation changed"));
    }
}

fn function_changes(was: &Function, now: &Function, push: &mut impl FnMut(Class, String)) {
    let name = format!("{}::{}", now.owner, now.name);
    with_docs(&was.docs, &now.docs, &name.clone(), push, |push| {
        feature_change(&name, was.feature.as_deref(), now.feature.as_deref(), push);
        function_signature_changes(&name, was, now, push)
    });
}

/// An item that moves between per-tag features: always compiled now is
/// more to use; under another feature, a build that picked only the old
/// one loses it.
fn feature_change(name: &str, was: Option<&str>, now: Option<&str>, push: &mut dyn FnMut(Class, String)) {
    match (was, now) {
        (a, b) if a == b => {}
        (Some(a), None) => push(
            Class::Additive,
            format!("{name}: always compiled (was under feature {a})"),
        ),
        (a, Some(b)) => push(
            Class::Breaking,
            format!(
                "{name}: under feature {b} (was {}): a build without it loses it",
                a.map_or("always compiled".to_string(), |a| format!("under feature {a}"))
            ),
        ),
        _ => {}
    }
}

fn function_signature_changes(
    name: &str,
    was: &Function,
    now: &Function,
    push: &mut dyn FnMut(Class, String),
) {
    let names = |f: &Function| f.params.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    let (old_names, new_names) = (names(was), names(now));
    let option = |f: &Function, name: &str| f.options.iter().find(|o| o.name == name).cloned();
    for p in &now.params {
        if old_names.contains(&p.name) {
            continue;
        }
        let reason = match option(was, &p.name) {
            Some(o) => format!(
                "{name}: parameter `{}` became required (`{}`, was a setter taking `{}`)",
                p.name, p.ty, o.ty
            ),
            None => format!(
                "{name}: new required parameter `{}: {}` (every call must pass it)",
                p.name, p.ty
            ),
        };
        push(Class::Breaking, reason);
    }
    for p in &was.params {
        match now.params.iter().find(|q| q.name == p.name) {
            None if option(now, &p.name).is_some() => push(
                Class::Breaking,
                format!(
                    "{name}: parameter `{}` became optional (a setter now; calls passing it no longer compile)",
                    p.name
                ),
            ),
            None => push(Class::Breaking, format!("{name}: parameter `{}` removed", p.name)),
            Some(q) if format!("Option<{}>", q.ty) == p.ty => push(
                Class::Breaking,
                format!(
                    "{name}: parameter `{}` became required (`{}`, was `{}`)",
                    p.name, q.ty, p.ty
                ),
            ),
            Some(q) if q.ty != p.ty => push(
                Class::Breaking,
                format!("{name}: parameter `{}` is `{}` (was `{}`)", p.name, q.ty, p.ty),
            ),
            Some(_) => {}
        }
    }
    for o in &now.options {
        match option(was, &o.name) {
            None if !old_names.contains(&o.name) => push(
                Class::Additive,
                format!(
                    "{name}: new optional parameter `{}: {}` (a setter of its request; calls compile as they are)",
                    o.name, o.ty
                ),
            ),
            Some(old) if old.ty != o.ty => push(
                Class::Breaking,
                format!(
                    "{name}: optional parameter `{}` takes `{}` (was `{}`)",
                    o.name, o.ty, old.ty
                ),
            ),
            _ => {}
        }
    }
    for o in &was.options {
        if option(now, &o.name).is_none() && !new_names.contains(&o.name) {
            push(
                Class::Breaking,
                format!(
                    "{name}: optional parameter `{}` removed (calls setting it no longer compile)",
                    o.name
                ),
            );
        }
    }
    let common = |mine: &[String], other: &[String]| -> Vec<String> {
        mine.iter().filter(|n| other.contains(n)).cloned().collect()
    };
    let (old_order, new_order) = (common(&old_names, &new_names), common(&new_names, &old_names));
    if old_order != new_order {
        push(
            Class::Breaking,
            format!(
                "{name}: parameters reordered: ({}) (was ({}))",
                new_order.join(", "),
                old_order.join(", ")
            ),
        );
    }
    if was.value != now.value {
        let shape = |v: &Option<String>| match v {
            Some(v) => format!("returns the request value `{v}`"),
            None => "is an `async fn`".to_string(),
        };
        push(
            Class::Breaking,
            format!(
                "{name}: {} (was: {}); `.await` on the call still compiles",
                shape(&now.value),
                shape(&was.value)
            ),
        );
    }
    if was.returns != now.returns {
        push(
            Class::Breaking,
            format!("{name}: returns {} (was {})", now.returns, was.returns),
        );
    }
    pages_changes(name, was, now, push);
    match (&was.stream, &now.stream) {
        (None, Some(t)) => push(
            Class::Additive,
            format!("{name}: its request value's `.stream()` gives events: {t}"),
        ),
        (Some(_), None) => push(
            Class::Breaking,
            format!("{name}: `.stream()` removed (the operation no longer answers events)"),
        ),
        (Some(w), Some(n)) if w != n => push(
            Class::Breaking,
            format!("{name}: `.stream()` returns {n} (was {w})"),
        ),
        _ => {}
    }
    if was.request != now.request {
        push(
            Class::Additive,
            format!(
                "{name}: sends {} (was {}): same Rust signature, another endpoint",
                now.request.as_deref().unwrap_or("-"),
                was.request.as_deref().unwrap_or("-")
            ),
        );
    }
}

/// A paginated operation's `.pages()` and `.into_stream()`: gone, new, a
/// new item type, or another way of paging behind the same signature.
fn pages_changes(name: &str, was: &Function, now: &Function, push: &mut dyn FnMut(Class, String)) {
    let item = |p: &str| p.split_once(" (").map_or(p, |(item, _)| item).to_string();
    match (&was.pages, &now.pages) {
        (None, Some(p)) => push(
            Class::Additive,
            format!(
                "{name}: now pages: `.pages()` and `.into_stream()` of `{}`",
                item(p)
            ),
        ),
        (Some(_), None) => push(
            Class::Breaking,
            format!("{name}: no longer pages (`.pages()` and `.into_stream()` removed)"),
        ),
        (Some(w), Some(n)) if item(w) != item(n) => push(
            Class::Breaking,
            format!("{name}: `.into_stream()` gives `{}` (was `{}`)", item(n), item(w)),
        ),
        (Some(w), Some(n)) if w != n => {
            let how = |p: &str| {
                let rest = p[item(p).len()..].trim();
                rest.strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .unwrap_or(rest)
                    .to_string()
            };
            push(
                Class::Additive,
                format!(
                    "{name}: pages {} (was {}): same Rust signature, another way of paging",
                    how(n),
                    how(w)
                ),
            );
        }
        _ => {}
    }
}

fn kind_word(k: &Kind) -> &'static str {
    match k {
        Kind::Struct { .. } => "struct",
        Kind::Enum { open: true, .. } => "open enum",
        Kind::Enum { open: false, .. } => "closed enum",
        Kind::Newtype { .. } => "newtype",
        Kind::Alias { .. } => "alias",
    }
}

fn type_changes(was: &TypeDef, now: &TypeDef, push: &mut impl FnMut(Class, String)) {
    with_docs(&was.docs, &now.docs, &now.name, push, |push| {
        feature_change(&now.name, was.feature.as_deref(), now.feature.as_deref(), push);
        type_shape_changes(was, now, push)
    });
}

fn type_shape_changes(was: &TypeDef, now: &TypeDef, push: &mut dyn FnMut(Class, String)) {
    let name = &now.name;
    match (&was.kind, &now.kind) {
        (
            Kind::Struct {
                fields: old,
                non_exhaustive: old_ne,
                builder: old_b,
            },
            Kind::Struct {
                fields: new,
                non_exhaustive,
                builder,
            },
        ) => {
            if !old_ne && *non_exhaustive {
                push(
                    Class::Breaking,
                    format!("{name} became #[non_exhaustive]: struct literals no longer compile"),
                );
            }
            if *old_ne && !non_exhaustive {
                push(Class::Additive, format!("{name} is no longer #[non_exhaustive]"));
            }
            if *old_b && !builder {
                push(
                    Class::Breaking,
                    format!("{name} lost its constructor and setters"),
                );
            }
            if !old_b && *builder {
                push(Class::Additive, format!("{name} has a constructor and setters"));
            }
            let literal_safe = *non_exhaustive || *builder;
            for f in old {
                if !new.iter().any(|g| g.name == f.name) {
                    push(Class::Breaking, format!("{name}.{} removed", f.name));
                }
            }
            for f in new {
                match old.iter().find(|g| g.name == f.name) {
                    None => new_field(name, f, now, literal_safe, &mut *push),
                    Some(g) => field_change(name, g, f, now.roles.request, &mut *push),
                }
            }
        }
        (
            Kind::Enum {
                open: was_open,
                non_exhaustive: was_ne,
                variants: old,
            },
            Kind::Enum {
                open,
                non_exhaustive,
                variants: new,
            },
        ) if was_open == open => {
            if !was_ne && *non_exhaustive {
                push(
                    Class::Breaking,
                    format!("{name} became #[non_exhaustive]: exhaustive matches no longer compile"),
                );
            }
            if *was_ne && !non_exhaustive {
                push(Class::Additive, format!("{name} is no longer #[non_exhaustive]"));
            }
            for v in old {
                if !new.contains(v) {
                    if *open {
                        push(
                            Class::Additive,
                            format!("{name}: value `{v}` no longer listed (the open enum keeps its variant)"),
                        );
                    } else {
                        push(Class::Breaking, format!("{name}: variant `{v}` removed"));
                    }
                }
            }
            for v in new {
                if !old.contains(v) {
                    if *open {
                        push(
                            Class::Additive,
                            format!(
                                "{name}: new value `{v}` of an open enum (decoded before too, as an unknown value)"
                            ),
                        );
                    } else if *non_exhaustive {
                        push(
                            Class::Additive,
                            format!(
                                "{name}: new variant `{v}` (the enum is #[non_exhaustive]: matches have a `_` arm)"
                            ),
                        );
                    } else {
                        push(
                            Class::Breaking,
                            format!(
                                "{name}: new variant `{v}` of a closed enum (exhaustive matches no longer compile)"
                            ),
                        );
                    }
                }
            }
        }
        (Kind::Newtype { inner: old }, Kind::Newtype { inner: new })
        | (Kind::Alias { target: old }, Kind::Alias { target: new }) => {
            if old != new {
                push(Class::Breaking, format!("{name} wraps {new} (was {old})"));
            }
        }
        (old, new) => push(
            Class::Breaking,
            format!("{name} is a {} (was a {})", kind_word(new), kind_word(old)),
        ),
    }
}

fn new_field(
    name: &str,
    f: &Field,
    owner: &TypeDef,
    literal_safe: bool,
    push: &mut dyn FnMut(Class, String),
) {
    let what = if f.required { "required" } else { "optional" };
    if !owner.roles.request {
        push(
            Class::Additive,
            format!(
                "{name}.{}: new {what} field `{}` in a response type",
                f.name, f.ty
            ),
        );
    } else if f.required {
        push(
            Class::Breaking,
            format!(
                "{name}.{}: new required field `{}` in a request type",
                f.name, f.ty
            ),
        );
    } else if literal_safe {
        push(
            Class::Additive,
            format!(
                "{name}.{}: new optional field `{}` (the type is built without literals)",
                f.name, f.ty
            ),
        );
    } else {
        push(
            Class::Breaking,
            format!(
                "{name}.{}: new optional field `{}` in a request type (struct literals must name it)",
                f.name, f.ty
            ),
        );
    }
}

/// A field's change; `built`: users build its struct (a request reaches
/// it), so its constructor takes the required fields.
fn field_change(name: &str, was: &Field, now: &Field, built: bool, push: &mut dyn FnMut(Class, String)) {
    let field = format!("{name}.{}", now.name);
    if was.required != now.required && was.ty == now.ty && !built {
        // `#[serde(default)]` came or went: the Rust type is the same, and
        // nobody builds the struct.
        let became = if now.required { "required" } else { "optional" };
        push(
            Class::Additive,
            format!("{field} became {became} in JSON (the same `{}` in Rust)", now.ty),
        );
    } else if was.required != now.required && built {
        let became = if now.required { "required" } else { "optional" };
        push(
            Class::Breaking,
            format!("{field} became {became} (`{}`, was `{}`)", now.ty, was.ty),
        );
    } else if was.ty != now.ty {
        push(
            Class::Breaking,
            format!("{field} is `{}` (was `{}`)", now.ty, was.ty),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::Roles;
    use super::*;

    fn strukt(name: &str, fields: &[(&str, &str)], non_exhaustive: bool, request: bool) -> TypeDef {
        TypeDef {
            name: name.into(),
            kind: Kind::Struct {
                fields: fields
                    .iter()
                    .map(|(n, ty)| Field {
                        name: (*n).into(),
                        ty: (*ty).into(),
                        required: !ty.starts_with("Option<"),
                    })
                    .collect(),
                non_exhaustive,
                builder: false,
            },
            roles: Roles {
                request,
                response: !request,
            },
            docs: String::new(),
            feature: None,
        }
    }

    fn surface(types: Vec<TypeDef>) -> Surface {
        Surface {
            types,
            ..Surface::default()
        }
    }

    fn lines(before: Vec<TypeDef>, after: Vec<TypeDef>) -> Vec<String> {
        compare(&surface(before), &surface(after))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_new_optional_field_is_additive_only_where_no_literal_can_name_the_type() {
        let before = strukt("R", &[("a", "String")], true, true);
        let after = strukt("R", &[("a", "String"), ("b", "Option<String>")], true, true);
        assert_eq!(
            lines(vec![before], vec![after]),
            ["additive: R.b: new optional field `Option<String>` (the type is built without literals)"]
        );
        let before = strukt("R", &[("a", "String")], false, true);
        let after = strukt("R", &[("a", "String"), ("b", "Option<String>")], false, true);
        assert_eq!(
            lines(vec![before], vec![after]),
            [
                "breaking: R.b: new optional field `Option<String>` in a request type (struct literals must name it)"
            ]
        );
    }

    #[test]
    fn a_new_item_says_its_feature() {
        let mut t = strukt("R", &[("a", "String")], true, false);
        t.feature = Some("orders".into());
        assert_eq!(
            lines(vec![], vec![t]),
            ["additive: new type R (struct, feature orders)"]
        );
    }

    #[test]
    fn moving_between_tag_features_breaks_a_build_that_picked_the_old_one() {
        let with = |feature: Option<&str>| {
            let mut t = strukt("R", &[("a", "String")], true, false);
            t.feature = feature.map(str::to_string);
            t
        };
        assert_eq!(
            lines(vec![with(Some("orders"))], vec![with(Some("admin"))]),
            ["breaking: R: under feature admin (was under feature orders): a build without it loses it"]
        );
        assert_eq!(
            lines(vec![with(None)], vec![with(Some("admin"))]),
            ["breaking: R: under feature admin (was always compiled): a build without it loses it"]
        );
        assert_eq!(
            lines(vec![with(Some("orders"))], vec![with(None)]),
            ["additive: R: always compiled (was under feature orders)"]
        );
    }

    #[test]
    fn becoming_non_exhaustive_breaks_literals() {
        let before = strukt("R", &[("a", "String")], false, true);
        let after = strukt("R", &[("a", "String")], true, false);
        assert_eq!(
            lines(vec![before.clone()], vec![after.clone()]),
            ["breaking: R became #[non_exhaustive]: struct literals no longer compile"]
        );
        assert_eq!(
            lines(vec![after], vec![before]),
            ["additive: R is no longer #[non_exhaustive]"]
        );
    }

    #[test]
    fn newtypes_aliases_and_kinds() {
        let newtype = |inner: &str| TypeDef {
            name: "N".into(),
            kind: Kind::Newtype { inner: inner.into() },
            roles: Roles::default(),
            docs: "1".into(),
            feature: None,
        };
        assert_eq!(
            lines(vec![newtype("String")], vec![newtype("i64")]),
            ["breaking: N wraps i64 (was String)"]
        );
        let mut documented = newtype("String");
        documented.docs = "2".into();
        assert_eq!(
            lines(vec![newtype("String")], vec![documented]),
            ["docs-only: N: documentation changed"]
        );
        assert_eq!(
            lines(vec![newtype("String")], vec![strukt("N", &[], false, false)]),
            ["breaking: N is a struct (was a newtype)"]
        );
    }

    #[test]
    fn the_class_is_the_most_breaking_change() {
        let change = |class| Change {
            class,
            reason: String::new(),
        };
        assert_eq!(class_of(&[]), Class::Unchanged);
        assert_eq!(
            class_of(&[
                change(Class::DocsOnly),
                change(Class::Breaking),
                change(Class::Additive)
            ]),
            Class::Breaking
        );
    }
}
