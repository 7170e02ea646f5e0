//! Generate stage: progenitor turns the validated document into tokens (the
//! types and raw requests), the client layer ([`crate::emit::client`]) goes
//! on top, prettyplease formats the whole, and an `@generated` header names
//! the source. A progenitor panic never reaches the user: it becomes a
//! diagnostic, and costs only the schemas or operations that cause it
//! (`isolate.rs`).

mod isolate;
mod type_names;

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use serde_json::Value;

use crate::error::{Diagnostic, Result};
use crate::manifest::Manifest;
use crate::merge::Origins;

/// A generated client module.
#[derive(Clone)]
pub struct Generated {
    /// The formatted module, without the header.
    pub code: String,
    /// The parsed module, for the API-surface listing.
    pub file: syn::File,
    /// How many types the module defines.
    pub types: usize,
    /// What the client layer left out (security schemes it cannot send),
    /// and what progenitor could not take and became any JSON.
    pub notes: Vec<String>,
    /// Operations progenitor could not take, left out (an error costs
    /// only them).
    pub skipped: Vec<crate::validate::Skipped>,
    /// Its per-tag cargo features, when it is large enough to have them.
    pub features: Option<crate::features::TagFeatures>,
}

/// Parses a normalized document as `openapiv3` does, naming the pointer of
/// the first value it cannot take.
pub fn parse_openapi(doc: &Value, origins: &Origins) -> Result<openapiv3::OpenAPI> {
    let (at, message) = match locate::<openapiv3::OpenAPI>(doc) {
        Ok(spec) => return Ok(spec),
        Err(found) => found,
    };
    // `paths` is a flattened map that hides where inside it deserializing
    // failed; look again item by item for the precise pointer (validation
    // has already refused path items that are references).
    let (at, message) = match doc.get("paths").and_then(Value::as_object) {
        Some(paths) if at == "/paths" => paths
            .iter()
            .find_map(|(path, item)| {
                locate::<openapiv3::PathItem>(item)
                    .err()
                    .map(|(inner, m)| (format!("{}{inner}", crate::document::pointer("/paths", path)), m))
            })
            .unwrap_or((at, message)),
        _ => (at, message),
    };
    Err(Diagnostic::at(
        origins.file_of(&at),
        &at,
        format!("not a valid OpenAPI 3.0 value: {message}"),
    )
    .help("fix the value in the spec or with an overlay action")
    .into())
}

/// Deserializes `T`, or says where (as a JSON pointer) and why it failed.
fn locate<T: serde::de::DeserializeOwned>(value: &Value) -> std::result::Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let at = e
            .path()
            .iter()
            .map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => format!("/{index}"),
                serde_path_to_error::Segment::Map { key } => {
                    format!("/{}", crate::document::escape(key))
                }
                serde_path_to_error::Segment::Enum { variant } => format!("/{variant}"),
                serde_path_to_error::Segment::Unknown => String::new(),
            })
            .collect();
        (at, e.inner().to_string())
    })
}

/// The progenitor settings a manifest implies: positional methods, one
/// `Client`, and hooks the client layer implements with a per-call
/// `usergroup_client_core::Call` as `inner`; the file component of lifted
/// multipart forms is `usergroup_client_core::FilePart`.
pub fn settings(manifest: &Manifest, doc: &Value) -> Result<GenerationSettings> {
    let mut s = GenerationSettings::new();
    s.with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(usergroup_client_core::Call));
    for derive in &manifest.derives {
        s.with_derive(derive);
    }
    for (schema, path) in &manifest.replace {
        s.with_replacement(schema, path, [TypeImpl::Display, TypeImpl::FromStr].into_iter());
    }
    let schemas = doc.pointer("/components/schemas").and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        if schema.get(crate::adapt::LAYER_KEY).and_then(Value::as_str) == Some(crate::adapt::FILE_MARKER) {
            s.with_replacement(name, "usergroup_client_core::FilePart", std::iter::empty());
        }
    }
    Ok(s)
}

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static PANIC_MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET_HOOK: Once = Once::new();

/// A source file's path without this machine's folders: a crate from the
/// registry keeps `<crate>-<version>/src/...`
/// (`/root/.cargo/registry/src/index.crates.io-xxx/typify-impl-0.8.0/src/convert.rs`
/// -> `typify-impl-0.8.0/src/convert.rs`), any other absolute path its file
/// name; a relative path (already portable) stays as it is.
pub fn portable_place(file: &str) -> &str {
    match file.split_once("crates.io-") {
        Some((_, rest)) => rest.split_once('/').map_or(rest, |(_, in_crate)| in_crate),
        None if file.starts_with('/') => file.rsplit('/').next().unwrap_or(file),
        None => file,
    }
}

/// A panic's message and place, `<message> at <crate file>:<line>`, with no
/// path of this machine ([`portable_place`]).
pub fn panic_message(info: &panic::PanicHookInfo<'_>) -> String {
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    let place = info
        .location()
        .map(|l| format!(" at {}:{}", portable_place(l.file()), l.line()))
        .unwrap_or_default();
    format!("{message}{place}")
}

/// Installs, once, a panic hook that stays silent for panics inside
/// progenitor (they become diagnostics) and defers to the previous hook
/// everywhere else.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let message = panic_message(info);
                PANIC_MESSAGE.with(|m| *m.borrow_mut() = Some(message));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs progenitor on a validated document, puts the client layer on top,
/// then formats the whole module. When progenitor fails, the schemas or
/// operations that make it fail are found and become any JSON (or, when
/// that cannot help, operations are left out) in `doc`, with notes.
pub fn generate(api: &str, manifest: &Manifest, doc: &mut Value, origins: &Origins) -> Result<Generated> {
    let (mut raw, mut isolated) = match tokens(api, manifest, doc, origins) {
        Ok(raw) => (raw, isolate::Isolated::default()),
        Err(failure) => isolate::isolate(manifest, origins, doc, failure, &mut |d| {
            tokens(api, manifest, d, origins).ok()
        })?,
    };
    // A type typify defines twice: rename the component and run again,
    // kept only when it leaves fewer types defined twice.
    let twice = type_names::defined_twice(&raw);
    if !twice.is_empty() {
        let mut trial = doc.clone();
        let renamed = type_names::rename_components(&mut trial, &twice);
        if let (false, Ok(again)) = (renamed.is_empty(), tokens(api, manifest, &trial, origins))
            && type_names::defined_twice(&again).len() < twice.len()
        {
            *doc = trial;
            raw = again;
            isolated.notes.extend(renamed);
        }
    }
    let (module, notes) = layer_costing_operations(api, manifest, doc, origins, raw, &mut isolated)?;
    let features = crate::features::TagFeatures::plan(doc, manifest.policies.tag_features_over.0);
    let module = mark_structs(api, manifest, doc, module, features.as_ref(), origins.file_of(""))?;
    let mut generated = format(api, module, origins.file_of(""))?;
    generated.notes = isolated.notes.into_iter().chain(notes).collect();
    generated.skipped = isolated.skipped;
    generated.features = features;
    Ok(generated)
}

/// The most operations the client layer may leave out of one API.
const MAX_LAYER_SKIPS: usize = 20;

/// [`client_layer`], where an operation the layer cannot wrap (its form
/// is no struct in typify's code, say) costs that operation, not the API:
/// it is left out of the document, recorded as skipped, and progenitor run
/// again, for at most [`MAX_LAYER_SKIPS`] operations. Under the strict
/// policy the error refuses the API, as does one at no operation.
fn layer_costing_operations(
    api: &str,
    manifest: &Manifest,
    doc: &mut Value,
    origins: &Origins,
    mut raw: proc_macro2::TokenStream,
    isolated: &mut isolate::Isolated,
) -> Result<(proc_macro2::TokenStream, Vec<String>)> {
    for _ in 0..MAX_LAYER_SKIPS {
        let failure = match client_layer(api, manifest, doc, origins, raw) {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        let at = match failure.diagnostics() {
            [d] if !manifest.policies.is_strict() => match &d.place {
                crate::error::Place::Pointer(at) => Some((at.clone(), d.message.clone())),
                _ => None,
            },
            _ => None,
        };
        let Some((at, message)) = at else {
            return Err(failure);
        };
        let reason = format!("#{at}: the client layer cannot wrap it: {message}");
        let Some(skipped) = crate::validate::scope::remove_operation(doc, &at, vec![reason]) else {
            return Err(failure);
        };
        isolated.skipped.push(skipped);
        raw = tokens(api, manifest, doc, origins)?;
    }
    client_layer(api, manifest, doc, origins, raw)
}

/// Structs become `#[non_exhaustive]`, and the ones requests reach get a
/// constructor and setters ([`crate::emit::additive`]), which needs the
/// whole module to know which structs requests reach; then a large API's
/// operations and the types only they reach go behind their tags'
/// features ([`crate::features::gate`]).
fn mark_structs(
    api: &str,
    manifest: &Manifest,
    doc: &Value,
    module: proc_macro2::TokenStream,
    features: Option<&crate::features::TagFeatures>,
    file: &str,
) -> Result<proc_macro2::TokenStream> {
    let mut tree: syn::File = syn::parse2(module).map_err(|e| {
        Diagnostic::file(file, format!("the client layer does not parse: {e}"))
            .context(format!("api `{api}`"))
    })?;
    let surface = crate::surface::model::read(&tree, doc, manifest);
    crate::emit::additive::mark_types(&mut tree, &surface);
    if let Some(plan) = features {
        let methods: Vec<String> = crate::document::operations(doc)
            .iter()
            .filter_map(|o| {
                o.op.get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let types = crate::emit::request::type_names(methods.iter().map(String::as_str));
        let ops = crate::features::gate::Operations {
            plan,
            by_type: types.iter().map(ToString::to_string).zip(methods).collect(),
        };
        crate::features::gate::gate(&mut tree, &ops);
    }
    Ok(quote!(#tree))
}

/// The client layer stage: progenitor's tokens inside a private `raw`
/// module, under the layer every API gets. Returns the module's tokens and
/// the layer's notes.
pub fn client_layer(
    api: &str,
    manifest: &Manifest,
    doc: &Value,
    origins: &Origins,
    raw: proc_macro2::TokenStream,
) -> Result<(proc_macro2::TokenStream, Vec<String>)> {
    let file = origins.file_of("");
    let mut raw: syn::File = syn::parse2(raw).map_err(|e| {
        Diagnostic::file(file, format!("progenitor produced code that does not parse: {e}"))
            .context(format!("api `{api}`"))
    })?;
    let fixed = crate::emit::raw_fixes::apply(&mut raw);
    crate::emit::discriminators::apply(&mut raw, doc);
    let (tokens, notes) = crate::emit::client::module(&crate::emit::client::Input {
        manifest,
        doc,
        raw: &raw,
        file,
    })?;
    Ok((tokens, fixed.into_iter().chain(notes).collect()))
}

/// The generate stage proper: progenitor's tokens for the document.
pub fn tokens(
    api: &str,
    manifest: &Manifest,
    doc: &Value,
    origins: &Origins,
) -> Result<proc_macro2::TokenStream> {
    let spec = parse_openapi(doc, origins)?;
    let settings = settings(manifest, doc)?;
    install_quiet_hook();
    CAPTURING.with(|c| c.set(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut generator = Generator::new(&settings);
        generator.generate_tokens(&spec)
    }));
    CAPTURING.with(|c| c.set(false));
    let here = origins.file_of("");
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(
            Diagnostic::file(here, format!("progenitor cannot generate a client: {e}"))
                .context(format!("api `{api}`"))
                .help("adjust the spec with an overlay; if validation should have caught this, report it")
                .into(),
        ),
        Err(_) => {
            let message = PANIC_MESSAGE.with(|m| m.borrow_mut().take()).unwrap_or_default();
            Err(Diagnostic::file(here, format!("a generator limitation: progenitor panicked: {message}"))
                .context(format!("api `{api}`"))
                .help("validation missed a construct progenitor cannot take: adjust the spec with an overlay, and report it so validation learns it")
                .into())
        }
    }
}

/// The format stage: tokens to a syntax tree to prettyplease's text, with a
/// blank line between items. `file` names the source in errors.
pub fn format(api: &str, tokens: proc_macro2::TokenStream, file: &str) -> Result<Generated> {
    let mut tree: syn::File = syn::parse2(tokens).map_err(|e| {
        Diagnostic::file(file, format!("progenitor produced code that does not parse: {e}"))
            .context(format!("api `{api}`"))
    })?;
    crate::docs::make_inert(&mut tree);
    let code = progenitor_impl::space_out_items(prettyplease::unparse(&tree))
        .map(crate::docs::escape_bidi)
        .map_err(|e| {
            Diagnostic::file(file, format!("cannot lay out the generated code: {e}"))
                .context(format!("api `{api}`"))
        })?;
    let types = count_types(&tree.items);
    Ok(Generated {
        code,
        file: tree,
        types,
        notes: Vec::new(),
        skipped: Vec::new(),
        features: None,
    })
}

/// The structs and enums in the `types` module (inside `raw` once the
/// client layer is on top).
fn count_types(items: &[syn::Item]) -> usize {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| {
                items
                    .iter()
                    .filter(|i| matches!(i, syn::Item::Struct(_) | syn::Item::Enum(_)))
                    .count()
            }),
            syn::Item::Mod(m) if m.ident == "raw" => m.content.as_ref().map(|(_, items)| count_types(items)),
            _ => None,
        })
        .unwrap_or(0)
}

/// The header of every generated Rust file.
pub fn rust_header(source: &str) -> String {
    format!(
        "// @generated by `cargo xtask generate` from {source}.\n// Do not edit by hand: change the spec or its overlay, then run `cargo xtask generate`.\n\n"
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_progenitor_panic_costs_only_the_property_that_causes_it() {
        // typify 0.8 hits `todo!` on a schema with a format and no type;
        // validation does not know that construct, so this is the backstop.
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "get_a", "responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}}}}}}},
            "components": {"schemas": {
                "S": {"type": "object", "properties": {"n": {"format": "int64"}}},
                "T": {"type": "object", "properties": {"s": {"$ref": "#/components/schemas/S"}, "k": {"type": "string"}}}
            }}
        });
        let generated =
            generate("t", &Manifest::defaults("t"), &mut doc, &Origins::default()).expect("generates");
        assert_eq!(
            generated.notes,
            [
                "#/components/schemas/S/properties/n: progenitor cannot generate this schema (progenitor panicked: not yet implemented: invalid (or unexpected) schema (typify-impl-0.8.0/src/convert.rs:788)): any JSON (`serde_json::Value`)"
            ]
        );
        assert_eq!(
            doc.pointer("/components/schemas/S/properties/n"),
            Some(&json!({}))
        );
        assert!(generated.code.contains("pub struct S"), "S stays a struct");
        assert!(generated.code.contains("pub struct T"), "T stays a struct");
        assert!(generated.code.contains("fn get_a"), "the operation stays");
    }

    /// Discord's component type tags, given to the generate stage as they
    /// are (the adapt stage drops the reference first, `narrow_references`):
    /// typify 0.8 checks the enum's values against a reference it has not
    /// resolved and reaches `unreachable!` (`defaults.rs:325`; the code's
    /// own TODO says so, and no upstream issue names it yet; the closest is
    /// typify#790, the same kind of panic at `defaults.rs:617`). The panic
    /// costs the one property, and the note names its pointer and typify's
    /// message.
    #[test]
    fn typifys_panic_on_an_enum_narrowing_a_reference_costs_only_that_property() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/c": {"get": {"operationId": "get_c", "responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Checkbox"}}}}}}}},
            "components": {"schemas": {
                "ComponentTypes": {"type": "integer", "enum": [1, 23]},
                "Checkbox": {"type": "object", "properties": {
                    "type": {"type": "integer", "enum": [23], "allOf": [{"$ref": "#/components/schemas/ComponentTypes"}]},
                    "label": {"type": "string"}
                }}
            }}
        });
        let generated =
            generate("t", &Manifest::defaults("t"), &mut doc, &Origins::default()).expect("generates");
        let [note] = generated.notes.as_slice() else {
            panic!("one note: {:?}", generated.notes)
        };
        assert!(
            note.starts_with("#/components/schemas/Checkbox/properties/type: progenitor cannot generate this schema (progenitor panicked: internal error: entered unreachable code (typify-impl-0.8.0/src/defaults.rs:325)"),
            "{note}"
        );
        assert!(
            generated.code.contains("pub struct Checkbox"),
            "Checkbox stays a struct"
        );
        assert!(generated.code.contains("fn get_c"), "the operation stays");
    }

    /// An operation openapiv3 cannot read costs that operation; under the
    /// strict policy it refuses the API, naming the pointer.
    #[test]
    fn an_operation_that_is_not_openapi_costs_only_itself_unless_strict() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"get": {"responses": 7}},
            "/b": {"get": {"operationId": "b", "responses": {"204": {"description": "none"}}}}}});
        let generated = generate(
            "t",
            &Manifest::defaults("t"),
            &mut doc.clone(),
            &Origins::default(),
        )
        .expect("generates the rest");
        let [skipped] = generated.skipped.as_slice() else {
            panic!("one operation left out: {:?}", generated.skipped);
        };
        assert_eq!(skipped.operation, "GET /a");
        assert!(
            skipped.reasons[0].contains("not a valid OpenAPI 3.0 value"),
            "{skipped:?}"
        );
        assert!(generated.code.contains("fn b("), "the other operation stays");
        let mut strict = Manifest::defaults("t");
        strict.policies.strict = true;
        let err = generate("t", &strict, &mut doc.clone(), &Origins::default())
            .err()
            .expect("generation fails");
        let text = err.to_string();
        assert!(text.contains("#/paths/~1a/get"), "{text}");
        assert!(text.contains("not a valid OpenAPI 3.0 value"), "{text}");
        assert!(text.contains("help: without `strict`"), "{text}");
    }

    /// An operation the client layer cannot wrap costs that operation:
    /// progenitor's code has no struct for its multipart form (typify made
    /// OpenAI's image forms any JSON), so the layer has nothing to fill; the
    /// operation is left out and progenitor runs again. Under the strict
    /// policy the API is refused.
    #[test]
    fn an_operation_the_layer_cannot_wrap_costs_only_itself_unless_strict() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/images/variations": {"post": {"operationId": "create_variation",
                "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {
                    "type": "object",
                    "properties": {"image": {"type": "string", "format": "binary"}, "model": {"type": "string"}}
                }}}},
                "responses": {"204": {"description": "none"}}}},
            "/b": {"get": {"operationId": "b", "responses": {"204": {"description": "none"}}}}}});
        let mut manifest = Manifest::defaults("t");
        crate::adapt::adapt(&mut doc, &manifest.policies);
        // progenitor's code as typify wrote it for OpenAI: the form is any JSON.
        let mut as_typify_saw_it = doc.clone();
        *as_typify_saw_it
            .pointer_mut("/components/schemas/CreateVariationForm")
            .expect("the lifted form") = json!({});
        let origins = Origins::default();
        let raw = || tokens("t", &manifest, &as_typify_saw_it, &origins).expect("tokens");
        let mut isolated = isolate::Isolated::default();
        let (module, _) =
            layer_costing_operations("t", &manifest, &mut doc.clone(), &origins, raw(), &mut isolated)
                .expect("the rest is wrapped");
        let [skipped] = isolated.skipped.as_slice() else {
            panic!("one skipped: {:?}", isolated.skipped)
        };
        assert_eq!(skipped.operation, "POST /images/variations (create_variation)");
        assert!(
            skipped.reasons[0].starts_with("#/paths/~1images~1variations/post: the client layer cannot wrap it: POST /images/variations: typify generated no struct `CreateVariationForm`"),
            "{skipped:?}"
        );
        let module = module.to_string();
        assert!(module.contains("fn b"), "the other operation stays");
        assert!(!module.contains("create_variation"), "the operation is left out");
        manifest.policies.strict = true;
        let mut isolated = isolate::Isolated::default();
        let raw = tokens("t", &manifest, &as_typify_saw_it, &origins).expect("tokens");
        let err = layer_costing_operations("t", &manifest, &mut doc, &origins, raw, &mut isolated)
            .expect_err("refused");
        assert!(err.to_string().contains("typify generated no struct"), "{err}");
    }

    #[test]
    fn a_document_openapiv3_cannot_read_names_the_pointer() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": 7}}}});
        let err = parse_openapi(&doc, &Origins::default()).expect_err("not OpenAPI");
        assert!(err.to_string().contains("#/paths/~1a/get/responses"), "{err}");
    }
}
