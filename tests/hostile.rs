//! The hostile-spec catalog (`tests/hostile/`): spec text with `*/`, quotes,
//! backslashes, `#[`, braces, `r#`, newlines, `</doc>`, bidirectional
//! controls, Rust keywords and prelude names, and Rust code blocks, in every
//! place where spec text reaches Rust. It must generate, parse, define only
//! the items the spec declares, and leave no doc text rustdoc would run.
//! `.ci/run` compiles the crate and runs its doctests (`exit(3)` would fail).
//!
//! Also: every description and summary of the real specs in `corpus/` is
//! inert after `codegen::docs::inert`.

use codegen::docs::{beautify_block, inert, runnable_blocks};
use serde_json::Value;
use workspace_tests::{copy_tree, root};

/// The top-level items of the generated module, as `kind name` (impls are
/// checked apart: each must be for a type listed here).
/// The client layer's items: nothing named after spec text.
const LAYER: &[&str] = &[
    "use self :: raw :: types",
    "use usergroup_client_core :: { ByteStream , ConfigError , Event , EventStream , HeaderError , ItemStream , Items , Link , Links , Pages , Response , RetryAfter , RetryPolicy , Secret , Token , TokenError , TokenProvider , }",
    "type Error",
    "type VendorError",
    "const SERVERS",
    "static API",
    "struct ClientBuilder",
    "struct Client",
    "mod requests",
    "mod errors",
    "mod headers",
    "mod mock",
    "other usergroup_client_core :: impl_client_hooks ! (raw :: Client) ;",
    "mod raw",
];

/// The request values, one per operation (`requests`): an operation named
/// like a keyword or a prelude type gets a type named apart (`Self_`,
/// `Result_`), so no request type hides what the generated code names.
const REQUESTS: &[&str] = &[
    "use super :: *",
    "struct Result_",
    "struct Crate",
    "struct Self_",
    "struct Option_",
];

/// progenitor's items, inside the private `raw` module.
const TOP_LEVEL: &[&str] = &[
    "use progenitor_client :: { ByteStream , ClientInfo , Error , ResponseValue }",
    "use progenitor_client :: { encode_path , ClientHooks , OperationInfo , RequestBuilderExt }",
    "mod types",
    "struct Client",
    "const _",
    "mod prelude",
];

/// The named items of its `types` module: the six schemas (`Result`,
/// `Option`, `Client`, `Error`, `std`, `core`), the enum of the `Option`
/// property, the pattern-checked `pattern` property, and the pattern-checked
/// path parameter of each operation on that path; `defaults` and `error` are
/// typify's own.
const TYPES: &[&str] = &[
    "struct Client",
    "struct Core",
    "struct CrateId",
    "enum Error",
    "struct Option",
    "enum OptionOption",
    "struct Result",
    "struct ResultId",
    "struct ResultPattern",
    "struct Std",
    "mod defaults",
    "mod error",
];

/// Plans the hostile API folder on a temp specs tree; its generated module.
fn generated() -> (codegen::Plan, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let specs = tmp.path().join("specs");
    copy_tree(&root().join("tests/hostile"), &specs.join("hostile")).expect("copy the catalog");
    let plan = codegen::plan(&codegen::Options {
        specs,
        out: tmp.path().join("out"),
        strict: false,
    })
    .unwrap_or_else(|e| panic!("the hostile spec must generate:\n{e}"));
    let code = plan
        .files
        .iter()
        .find(|f| f.shown.ends_with("hostile/src/generated.rs"))
        .map(|f| f.contents.clone())
        .expect("a generated module");
    (plan, code)
}

/// `kind name` of an item; impls as `impl Trait for Type`.
fn describe(item: &syn::Item) -> String {
    let tokens = |t: &dyn quote::ToTokens| t.to_token_stream().to_string();
    match item {
        syn::Item::Struct(i) => format!("struct {}", i.ident),
        syn::Item::Enum(i) => format!("enum {}", i.ident),
        syn::Item::Fn(i) => format!("fn {}", i.sig.ident),
        syn::Item::Mod(i) => format!("mod {}", i.ident),
        syn::Item::Trait(i) => format!("trait {}", i.ident),
        syn::Item::Type(i) => format!("type {}", i.ident),
        syn::Item::Const(i) => format!("const {}", i.ident),
        syn::Item::Static(i) => format!("static {}", i.ident),
        syn::Item::Use(i) => format!("use {}", tokens(&i.tree)),
        syn::Item::Impl(i) => match &i.trait_ {
            Some((_, path, _)) => format!("impl {} for {}", tokens(path), tokens(&i.self_ty)),
            None => format!("impl {}", tokens(&i.self_ty)),
        },
        other => format!("other {}", tokens(other)),
    }
}

/// The doc strings of every item, field, variant and impl member, one list
/// per attribute list: rustdoc joins each list into one Markdown text.
fn doc_groups(items: &[syn::Item], out: &mut Vec<Vec<String>>) {
    for item in items {
        let (attrs, inner): (&[syn::Attribute], Vec<&[syn::Attribute]>) = match item {
            syn::Item::Struct(i) => (&i.attrs, i.fields.iter().map(|f| f.attrs.as_slice()).collect()),
            syn::Item::Enum(i) => (
                &i.attrs,
                i.variants
                    .iter()
                    .flat_map(|v| {
                        std::iter::once(v.attrs.as_slice()).chain(v.fields.iter().map(|f| f.attrs.as_slice()))
                    })
                    .collect(),
            ),
            syn::Item::Impl(i) => (
                &i.attrs,
                i.items
                    .iter()
                    .map(|m| match m {
                        syn::ImplItem::Fn(f) => f.attrs.as_slice(),
                        syn::ImplItem::Const(c) => c.attrs.as_slice(),
                        syn::ImplItem::Type(t) => t.attrs.as_slice(),
                        _ => &[],
                    })
                    .collect(),
            ),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    doc_groups(items, out);
                }
                (&m.attrs, Vec::new())
            }
            syn::Item::Fn(f) => (&f.attrs, Vec::new()),
            syn::Item::Trait(t) => (&t.attrs, Vec::new()),
            syn::Item::Type(t) => (&t.attrs, Vec::new()),
            syn::Item::Const(c) => (&c.attrs, Vec::new()),
            syn::Item::Use(u) => (&u.attrs, Vec::new()),
            _ => (&[], Vec::new()),
        };
        for list in std::iter::once(attrs).chain(inner) {
            let docs: Vec<String> = list.iter().filter_map(doc_value).collect();
            if !docs.is_empty() {
                out.push(docs);
            }
        }
    }
}

fn doc_value(attr: &syn::Attribute) -> Option<String> {
    match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// An independent look at fences, line by line: every line that opens a
/// fence names a language, and not Rust. Container markers (`>`, `*`, `-`,
/// `1.`) and indentation before a fence are skipped.
fn fence_openers_without_a_safe_tag(doc: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for line in doc.lines() {
        let body = line.trim_start_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_digit() || matches!(c, '>' | '*' | '-' | '+' | '.' | ')')
        });
        let Some(fence) = body.chars().next().filter(|c| matches!(c, '`' | '~')) else {
            continue;
        };
        let run = body.chars().take_while(|&c| c == fence).count();
        if run < 3 {
            continue;
        }
        let tag = body[run..].trim();
        match open {
            Some((c, n)) if c == fence && run >= n && tag.is_empty() => open = None,
            Some(_) => {}
            None => {
                let first = tag.split([',', ' ']).next().unwrap_or("").to_ascii_lowercase();
                if first.is_empty() || first.contains("rust") || first == "ignore" || first == "no_run" {
                    bad.push(line.to_string());
                }
                open = Some((fence, run));
            }
        }
    }
    bad
}

#[test]
fn the_hostile_spec_generates_only_what_it_declares() {
    let (_, code) = generated();
    let file =
        syn::parse_file(&code).unwrap_or_else(|e| panic!("the generated module must parse: {e}\n{code}"));
    let module = |items: &'static [syn::Item], name: &str| -> &'static [syn::Item] {
        items
            .iter()
            .find_map(|i| match i {
                syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items.as_slice()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("a `{name}` module"))
    };
    let file: &'static syn::File = Box::leak(Box::new(file));
    let raw = module(&file.items, "raw");
    let types = module(raw, "types");
    assert_eq!(named(&file.items), LAYER);
    assert_eq!(named(module(&file.items, "requests")), REQUESTS);
    // The documented errors (only `crate` documents one) and every
    // operation's headers type are named as its request value is.
    assert_eq!(
        named(module(&file.items, "errors")),
        ["use super :: *", "enum Crate"]
    );
    let headers: Vec<String> = named(module(&file.items, "headers"))
        .iter()
        .skip(1)
        .map(|h| h.rsplit("] ").next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(headers, ["Result_) ;", "Crate) ;", "Self_) ;", "Option_) ;"]);
    // The mock's expectations and answers are named as the request values
    // are, with `When` and `Then`.
    let mock: Vec<String> = named(module(&file.items, "mock"))
        .into_iter()
        .filter(|n| n.starts_with("struct "))
        .collect();
    let mut expected = vec!["struct MockServer".to_string(), "struct On".to_string()];
    for r in REQUESTS.iter().filter_map(|r| r.strip_prefix("struct ")) {
        expected.push(format!("struct {r}When"));
        expected.push(format!("struct {r}Then"));
    }
    assert_eq!(mock, expected);
    assert_eq!(named(raw), TOP_LEVEL);
    assert_eq!(named(types), TYPES);
}

/// The items that are not impls, as `kind name`; every impl must name one
/// of them (`impl From<Client> for Vec<Error>` names `Client`).
fn named(items: &[syn::Item]) -> Vec<String> {
    let names: Vec<String> = items
        .iter()
        .filter(|i| !matches!(i, syn::Item::Impl(_)))
        .map(describe)
        .collect();
    for item in items {
        if matches!(item, syn::Item::Impl(_)) {
            let header = describe(item);
            assert!(
                header
                    .split(' ')
                    .any(|word| names.iter().any(|n| n.split(' ').nth(1) == Some(word))),
                "an impl for an undeclared type: {}",
                describe(item)
            );
        }
    }
    names
}

#[test]
fn the_hostile_spec_keeps_its_notes_and_title() {
    let (plan, _) = generated();
    let api = &plan.apis[0];
    assert_eq!(api.operations, 4);
    // The two invalid patterns are dropped with a note, not a refusal.
    let dropped: Vec<&String> = api
        .notes
        .iter()
        .filter(|n| n.contains("dropped `pattern`"))
        .collect();
    assert_eq!(dropped.len(), 2, "{:#?}", api.notes);
    // The title reaches `//!` lines and Cargo.toml as one line.
    assert!(!api.title.contains('\n'), "{}", api.title);
}

#[test]
fn no_doc_text_of_the_hostile_spec_would_run() {
    let (_, code) = generated();
    let file = syn::parse_file(&code).expect("parses");
    let mut groups = Vec::new();
    doc_groups(&file.items, &mut groups);
    assert!(groups.len() > 20, "the walk finds the docs: {}", groups.len());
    let mut fenced = 0;
    for group in &groups {
        let joined = group.join("\n");
        fenced += joined.matches("```text").count();
        assert_eq!(
            runnable_blocks(&joined),
            Vec::<String>::new(),
            "runnable:\n{joined}"
        );
        for doc in group {
            // As a `/** */` comment, rustc strips leading stars first.
            assert_eq!(
                runnable_blocks(&beautify_block(doc)),
                Vec::<String>::new(),
                "runnable once beautified:\n{doc}"
            );
        }
        assert_eq!(
            fence_openers_without_a_safe_tag(&joined),
            Vec::<String>::new(),
            "in:\n{joined}"
        );
    }
    assert!(
        fenced > 10,
        "the spec's code blocks reach the docs as text blocks: {fenced}"
    );
    assert!(
        code.contains("std::process::exit(3);"),
        "the text is kept, as text"
    );
    assert!(!code.contains('\u{202E}'), "bidirectional controls are escaped");
}

/// Every description and summary of the real specs of `corpus/`.
#[test]
fn every_corpus_description_becomes_inert() {
    let mut runnable_before = 0;
    let mut texts = 0;
    for entry in workspace_tests::corpus::entries().unwrap_or_else(|e| panic!("{e}")) {
        let path = &entry.stored;
        let doc = entry.document().unwrap_or_else(|e| panic!("{e}"));
        let mut strings = Vec::new();
        descriptions(&doc, &mut strings);
        for s in strings {
            texts += 1;
            runnable_before += runnable_blocks(s).len();
            let out = inert(s);
            assert_eq!(
                runnable_blocks(&out),
                Vec::<String>::new(),
                "{}:\n{s}",
                path.display()
            );
            assert_eq!(
                fence_openers_without_a_safe_tag(&out),
                Vec::<String>::new(),
                "{}:\n{out}",
                path.display()
            );
        }
    }
    assert!(texts > 10_000, "{texts}");
    // GitHub's untagged JSON fences and Kubernetes' indented lines, among others.
    assert!(runnable_before > 80, "{runnable_before}");
}

fn descriptions<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("description" | "summary" | "title", Value::String(s)) => out.push(s),
                    _ => descriptions(child, out),
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|c| descriptions(c, out)),
        _ => {}
    }
}
