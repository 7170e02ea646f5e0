//! The bad-input catalog (`tests/catalog/`, one file per case) through the
//! xtask's `--specs`/`--out` path. A broken case must exit non-zero with a
//! message naming the file and the place, and leave every generated file as
//! it was; a legal one (circular refs, Rust keywords) must generate code
//! that parses, with the case's operations as client methods returning its
//! types. Every file in the catalog must have an expectation here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use workspace_tests::{files_under, root};

/// What a catalog case must do.
enum Expect {
    /// Exit 2 with a message pointing here, and change no file: the
    /// document as a whole cannot be read.
    Fails(&'static str),
    /// An error that costs only its scope: generate, reporting this line
    /// (a note, or an operation skipped with its pointer); with `--strict`,
    /// exit 2 with a message pointing at the first place and change no
    /// file.
    Costs {
        strict: &'static str,
        reported: &'static str,
    },
    /// Generate, adding these client methods (each with the type its
    /// success response decodes to) and these types to the base's.
    Generates {
        methods: &'static [(&'static str, &'static str)],
        types: &'static [&'static str],
    },
}

use Expect::{Costs, Fails, Generates};

/// What `_base.yaml` alone generates: one method and one type.
const BASE_METHODS: [(&str, &str); 1] = [("get_item", "Item")];
const BASE_TYPES: [&str; 1] = ["Item"];

const CASES: [(&str, Expect); 69] = [
    ("truncated.json", Fails("truncated.json:1:")),
    ("invalid.yaml", Fails("invalid.yaml:5:")),
    (
        "not-openapi.json",
        Fails("not-openapi.json#: not an OpenAPI document"),
    ),
    (
        "dangling-ref.yaml",
        Costs {
            strict: "dangling-ref.yaml#/paths/~1dangling/get/responses/200/content/application~1json/schema/$ref",
            reported: "note: #/paths/~1dangling/get/responses/200/content/application~1json/schema: `$ref: #/components/schemas/Nowhere` points at nothing: any JSON (`serde_json::Value`)",
        },
    ),
    (
        "circular-ref.yaml",
        Generates {
            methods: &[("get_tree", "Node")],
            types: &["Node"],
        },
    ),
    (
        // The base has `getItem` first; this case's second one is renamed.
        "duplicate-operation-id.yaml",
        Generates {
            methods: &[("get_item_2", "?")],
            types: &[],
        },
    ),
    (
        "conflicting-component.yaml",
        Fails("conflicting-component.yaml#/components/schemas/Item"),
    ),
    (
        // Declared for the vendor, as a string (ClickSend).
        "undeclared-path-param.yaml",
        Generates {
            methods: &[("list_owner_items", "?")],
            types: &[],
        },
    ),
    (
        // Keywords get a trailing `_`; the schema `self` collides with
        // `Self` and is renamed `self2`; `match`'s enum values collide as
        // Rust names, so it is a string newtype.
        "rust-keywords.yaml",
        Generates {
            methods: &[
                ("crate_", "Crate"),
                ("match_", "Match"),
                ("self_", "Self_"),
                ("type_", "Type"),
            ],
            types: &["Crate", "Match", "Self2", "Self_", "Type"],
        },
    ),
    ("deep-nesting.json", Fails("deep-nesting.json:1:")),
    (
        "dangling-overlay.overlay.yaml",
        Fails("dangling-overlay.overlay.yaml#/actions/0/target"),
    ),
    ("unknown-key.manifest.toml", Fails("manifest.toml:1:1")),
    (
        "pagination-unknown-param.manifest.toml",
        Fails(
            "manifest.toml: [pagination.getItem]: `param = \"after\"` is not one of the operation's query parameters",
        ),
    ),
    (
        // Numbers past 64 bits and in double form (an AI vendor): the YAML
        // loader refused the API.
        "big-numbers.yaml",
        Generates {
            methods: &[("create_completion", "Item")],
            types: &["CompletionRequest"],
        },
    ),
    (
        // A nullable array body with `minItems` (Discord): did not compile.
        "optional-array-body.yaml",
        Generates {
            methods: &[
                ("bulk_update_lobby_members", "Item"),
                ("replace_lobby_members", "Item"),
            ],
            types: &[],
        },
    ),
    (
        // Properties apart only by case (an identity server): a field
        // twice did not compile.
        "case-colliding-fields.yaml",
        Generates {
            methods: &[("introspect_token", "Introspection")],
            types: &["Introspection"],
        },
    ),
    (
        // Operations named like the raw client's hooks (`post`): E0061.
        "hook-method-names.yaml",
        Generates {
            methods: &[
                ("exec_op", "Item"),
                ("new_op", "Item"),
                ("post_op", "Item"),
                ("pre_op", "Item"),
            ],
            types: &[],
        },
    ),
    (
        // An `enum` narrowing an `allOf` reference: typify 0.8 panicked
        // (`defaults.rs:325`) and the whole API was refused.
        "enum-narrowing-reference.yaml",
        Generates {
            methods: &[("get_button", "Button")],
            types: &["Button", "ButtonType", "ComponentType"],
        },
    ),
    (
        // Schemas named like the prelude's and the client's items.
        "prelude-type-names.yaml",
        Generates {
            methods: &[("get_result", "Result")],
            types: &[
                "Box",
                "ByteStream",
                "Client",
                "Error",
                "Option",
                "ResponseValue",
                "Result",
                "String",
                "Vec",
            ],
        },
    ),
    (
        // An array path parameter (DaniWeb): did not compile.
        "path-param-array.yaml",
        Generates {
            methods: &[("get_audiences", "Item")],
            types: &[],
        },
    ),
    (
        // Bare carriage returns in descriptions (VTEX): did not compile.
        "doc-carriage-return.yaml",
        Generates {
            methods: &[("list_orders", "Order")],
            types: &["Order"],
        },
    ),
    (
        // A form's `encoding` (British Columbia): dropped with a note.
        "multipart-encoding.yaml",
        Generates {
            methods: &[("create_posting", "Item")],
            types: &["CreatePostingForm"],
        },
    ),
    (
        // A text body of no type (Orthanc): progenitor refused it.
        "text-body-without-type.yaml",
        Generates {
            methods: &[("create_archive", "Item")],
            types: &[],
        },
    ),
    (
        // A multipart form that may be null (Stream).
        "nullable-multipart-form.yaml",
        Generates {
            methods: &[("upload_file", "Item")],
            types: &["FileUploadRequest", "FileUploadRequestInner", "UploadFileForm"],
        },
    ),
    (
        // An integer enum written as strings (Bungie): typify refused it
        // with no place.
        "enum-values-as-strings.yaml",
        Generates {
            methods: &[("list_fireteams", "Item")],
            types: &["DateRange"],
        },
    ),
    (
        // Enum values apart by a sign only (Jira): typify panicked.
        "enum-sign-collision.yaml",
        Generates {
            methods: &[("list_dashboards", "Item")],
            types: &["Style"],
        },
    ),
    (
        // deepObject on arrays and unions (Stripe): sent by the layer.
        "deep-object-shapes.yaml",
        Generates {
            methods: &[("list_charges", "Item")],
            types: &[
                "ListChargesCreated",
                "ListChargesExpand",
                "ListChargesLines",
                "ListChargesLinesItem",
            ],
        },
    ),
    (
        // Inline merges back to their holder (AWS) are hoisted and boxed.
        "recursive-inline-merge.yaml",
        Generates {
            methods: &[("put_filter", "Filter")],
            types: &["Filter", "FilterAnd", "FilterOrItem", "Tag"],
        },
    ),
    (
        // typify panicked on a `format` on an object; it is dropped.
        "format-on-object.yaml",
        Generates {
            methods: &[("get_links", "Links")],
            types: &["Links"],
        },
    ),
    (
        // A 101 beside a raw 200 (the 200's bytes are returned), a tar
        // body and a plain-string octet-stream body: each was refused.
        "docker-streams.yaml",
        Generates {
            methods: &[
                ("attach", "?"),
                ("create_image", "?"),
                ("load_image", "?"),
                ("session", "?"),
            ],
            types: &[],
        },
    ),
    (
        // progenitor panicked on a path and a query parameter of one name;
        // an OPTIONS operation did not compile.
        "parameter-name-clash.yaml",
        Generates {
            methods: &[("proxy", "Item"), ("proxy_options", "Item")],
            types: &[],
        },
    ),
    (
        // typify panicked on it (`defaults.rs:620`); a nullable reference now.
        "null-union-default.yaml",
        Generates {
            methods: &[("post_filter", "Filter")],
            types: &["Filter", "IsAnonymous"],
        },
    ),
    (
        // Both failed to compile: typify defined `Stop` twice, progenitor
        // declared `sort_direction` twice.
        "nullable-root-and-name-clash.yaml",
        Generates {
            methods: &[("list_prompts", "Completion")],
            types: &[
                "Completion",
                "ListPromptsFilter",
                "ListPromptsSortDirection",
                "Stop",
                "StopInner",
            ],
        },
    ),
    (
        "defs-relative-ref.yaml",
        Generates {
            methods: &[("get_speech", "GetSpeechResponse")],
            types: &["DefsDone", "DefsUsage", "GetSpeechResponse"],
        },
    ),
    (
        // Any JSON and no body decode to no `types::` type (`?`).
        "sloppy-vendor.yaml",
        Generates {
            methods: &[
                ("delete_sloppy", "?"),
                ("get_event", "EventAllOf0"),
                ("get_sloppy", "?"),
            ],
            types: &["Event", "EventAllOf0", "GetSloppyOrder"],
        },
    ),
    (
        "path-param-shadowed.yaml",
        Generates {
            methods: &[("get_proxy", "?")],
            types: &[],
        },
    ),
    // `$ref` chains that never reach a value: progenitor looped for ever on
    // the first six and typify panicked on the last (issue 32). Each is an
    // error naming the chain, found within the xtask's deadline below.
    (
        "ref-cycle-response-self.yaml",
        Costs {
            strict: "ref-cycle-response-self.yaml#/components/responses/Looping/$ref",
            reported: "skipped GET /loop (get_loop): #/components/responses/Looping/$ref: this response refers to itself and never reaches one: #/components/responses/Looping → #/components/responses/Looping",
        },
    ),
    (
        "ref-cycle-response-mutual.yaml",
        Costs {
            strict: "ref-cycle-response-mutual.yaml#/components/responses/Ping/$ref",
            reported: "skipped GET /loop (get_loop): #/components/responses/Ping/$ref: this response refers to itself and never reaches one: #/components/responses/Ping → #/components/responses/Pong → #/components/responses/Ping",
        },
    ),
    (
        "ref-cycle-parameter-self.yaml",
        Costs {
            strict: "ref-cycle-parameter-self.yaml#/components/parameters/Looping/$ref",
            reported: "skipped GET /loop (get_loop): #/components/parameters/Looping/$ref: this parameter refers to itself and never reaches one: #/components/parameters/Looping → #/components/parameters/Looping",
        },
    ),
    (
        "ref-cycle-parameter-mutual.yaml",
        Costs {
            strict: "ref-cycle-parameter-mutual.yaml#/components/parameters/Ping/$ref",
            reported: "skipped GET /loop (get_loop): #/components/parameters/Ping/$ref: this parameter refers to itself and never reaches one: #/components/parameters/Ping → #/components/parameters/Pong → #/components/parameters/Ping",
        },
    ),
    (
        "ref-cycle-request-body-self.yaml",
        Costs {
            strict: "ref-cycle-request-body-self.yaml#/components/requestBodies/Looping/$ref",
            reported: "skipped POST /loop (post_loop): #/components/requestBodies/Looping/$ref: this request body refers to itself and never reaches one: #/components/requestBodies/Looping → #/components/requestBodies/Looping",
        },
    ),
    (
        "ref-cycle-request-body-mutual.yaml",
        Costs {
            strict: "ref-cycle-request-body-mutual.yaml#/components/requestBodies/Ping/$ref",
            reported: "skipped POST /loop (post_loop): #/components/requestBodies/Ping/$ref: this request body refers to itself and never reaches one: #/components/requestBodies/Ping → #/components/requestBodies/Pong → #/components/requestBodies/Ping",
        },
    ),
    (
        "ref-cycle-header-self.yaml",
        Costs {
            strict: "ref-cycle-header-self.yaml#/components/headers/Looping/$ref",
            reported: "skipped GET /loop (get_loop): #/components/headers/Looping/$ref: this header refers to itself and never reaches one: #/components/headers/Looping → #/components/headers/Looping",
        },
    ),
    (
        "ref-cycle-header-mutual.yaml",
        Costs {
            strict: "ref-cycle-header-mutual.yaml#/components/headers/Ping/$ref",
            reported: "skipped GET /loop (get_loop): #/components/headers/Ping/$ref: this header refers to itself and never reaches one: #/components/headers/Ping → #/components/headers/Pong → #/components/headers/Ping",
        },
    ),
    (
        "ref-cycle-inline-response.yaml",
        Costs {
            strict: "ref-cycle-inline-response.yaml#/paths/~1loop/get/responses/200/$ref",
            reported: "skipped GET /loop (get_loop): #/paths/~1loop/get/responses/200/$ref: `$ref: #/paths/~1loop/get/responses/200` is not a response: a response reference names one of components/responses; #/paths/~1loop/get/responses/200/$ref: this response refers to itself and never reaches one: #/paths/~1loop/get/responses/200 → #/paths/~1loop/get/responses/200",
        },
    ),
    (
        "ref-cycle-inline-parameter.yaml",
        Costs {
            strict: "ref-cycle-inline-parameter.yaml#/paths/~1loop/get/parameters/0/$ref",
            reported: "skipped GET /loop (get_loop): #/paths/~1loop/get/parameters/0/$ref: `$ref: #/paths/~1loop/get/parameters/0` is not a parameter: a parameter reference names one of components/parameters; #/paths/~1loop/get/parameters/0/$ref: this parameter refers to itself and never reaches one: #/paths/~1loop/get/parameters/0 → #/paths/~1loop/get/parameters/0",
        },
    ),
    (
        "ref-cycle-inline-parameter-schema.yaml",
        Costs {
            strict: "ref-cycle-inline-parameter-schema.yaml#/paths/~1loop/get/parameters/0/schema/$ref",
            reported: "note: #/paths/~1loop/get/parameters/0/schema: `$ref: #/paths/~1loop/get/parameters/0/schema` is not a schema: a schema reference names one of components/schemas: any JSON (`serde_json::Value`)",
        },
    ),
    // Found by `cargo xtask fuzz` (issue 32).
    (
        "ref-to-component-map.yaml",
        Costs {
            strict: "ref-to-component-map.yaml#/components/requestBodies/Upload/$ref",
            reported: "skipped POST /upload (post_upload): #/components/requestBodies/Upload/$ref: `$ref: #/components/requestBodies` is not a request body: a request body reference names one of components/requestBodies",
        },
    ),
    (
        "ref-to-another-operation.yaml",
        Generates {
            methods: &[("list_other_things", "Thing"), ("list_things", "Thing")],
            types: &["Thing"],
        },
    ),
    (
        "type-not-a-string.yaml",
        Costs {
            strict: "type-not-a-string.yaml#/paths/~1groups/get/parameters/0/schema/type",
            reported: "note: #/paths/~1groups/get/parameters/0/schema: `type: null` is not an OpenAPI 3.0 schema type: any JSON (`serde_json::Value`)",
        },
    ),
    (
        "percent-encoded-ref.yaml",
        Generates {
            methods: &[("get_system", "Item"), ("list_systems", "Item")],
            types: &[],
        },
    ),
    (
        "json-media-variants.yaml",
        Generates {
            methods: &[("get_legacy", "Item"), ("post_legacy", "Item")],
            types: &[],
        },
    ),
    (
        // A string with a length bound is a newtype.
        "min-length-zero.yaml",
        Generates {
            methods: &[("get_note", "Note")],
            types: &["Note", "NoteText"],
        },
    ),
    (
        "v32-query-method.yaml",
        Generates {
            methods: &[("create_item", "Item"), ("search_items", "Item")],
            types: &["ItemQuery"],
        },
    ),
    (
        "v32-additional-operations.yaml",
        Generates {
            methods: &[("link_cache", "?"), ("purge_cache", "?"), ("read_cache", "Item")],
            types: &[],
        },
    ),
    (
        // The inline form object gets a type of its own, named after the
        // operation and the parameter.
        "v32-querystring.yaml",
        Generates {
            methods: &[("find_items", "Item"), ("select_items", "Item")],
            types: &["FindItemsFilter"],
        },
    ),
    (
        "v32-item-schema.yaml",
        Generates {
            methods: &[
                ("export_items", "ItemStream<Item>"),
                ("export_sequence", "ItemStream<Item>"),
                ("get_bundle", "ItemStream<Item>"),
                ("get_raw_bundle", "?"),
                ("watch_changes", "EventStream<Item>"),
            ],
            types: &[],
        },
    ),
    (
        "v32-item-schema-request.yaml",
        Generates {
            methods: &[("import_items", "?"), ("import_names", "?")],
            types: &[],
        },
    ),
    (
        "x-oai-item-schema.yaml",
        Generates {
            methods: &[("export_items", "ItemStream<Item>")],
            types: &[],
        },
    ),
    (
        // The inline metadata part gets a type of its own.
        "v32-multipart-mixed-request.yaml",
        Generates {
            methods: &[("upload_observations", "?")],
            types: &["UploadObservationsPart1"],
        },
    ),
    (
        "v32-self-and-media-types.yaml",
        Generates {
            methods: &[
                ("get_first", "Item"),
                ("get_second", "Item"),
                ("get_third", "Item"),
            ],
            types: &[],
        },
    ),
    (
        "v32-documentation.yaml",
        Generates {
            methods: &[("get_shape", "Shape")],
            types: &["Circle", "Shape", "Square"],
        },
    ),
    (
        "v32-querystring-with-query.yaml",
        Costs {
            strict: "v32-querystring-with-query.yaml#/paths/~1search/get/parameters/1",
            reported: "skipped GET /search (search): #/paths/~1search/get/parameters/1: `GET /search` has an `in: querystring` parameter (/paths/~1search/get/parameters/0), which is the whole query string, and the `in: query` parameter `page` beside it",
        },
    ),
    (
        "v32-item-schema-not-sequential.yaml",
        Costs {
            strict: "v32-item-schema-not-sequential.yaml#/paths/~1export/get/responses/200/content/application~1json/itemSchema",
            reported: "skipped GET /export (export): #/paths/~1export/get/responses/200/content/application~1json/itemSchema: `itemSchema` describes the items of a sequential media type (text/event-stream, application/jsonl, application/x-ndjson, application/json-seq, multipart/mixed); `application/json` is not one",
        },
    ),
    (
        "v32-method-not-a-token.yaml",
        Costs {
            strict: "v32-method-not-a-token.yaml#/paths/~1cache/additionalOperations/PURGE ALL",
            reported: "skipped PURGE ALL /cache (purgeAll): #/paths/~1cache/additionalOperations/PURGE ALL: `PURGE ALL` is not an HTTP method: a method is a token (letters, digits and !#$%&'*+-.^_`|~)",
        },
    ),
    (
        "schema-null.yaml",
        Generates {
            methods: &[("get_status", "?")],
            types: &[],
        },
    ),
    (
        "untyped-number-format.yaml",
        Generates {
            methods: &[("get_team", "?")],
            types: &[],
        },
    ),
    (
        // Each way of paging, and a list look-alike that must not page
        // (`PAGED` below).
        "pagination-styles.yaml",
        Generates {
            methods: &[
                ("get_health", "GetHealthResponse"),
                ("list_channels", "ListChannelsResponse"),
                ("list_commits", "?"),
                ("list_labels", "ListLabelsResponse"),
                ("list_messages", "ListMessagesResponse"),
                ("list_pods", "ListPodsResponse"),
                ("list_repos", "?"),
                ("list_tags", "TagList"),
            ],
            types: &[
                "GetHealthResponse",
                "ListChannelsResponse",
                "ListChannelsResponseResponseMetadata",
                "ListLabelsResponse",
                "ListMessagesResponse",
                "ListMessagesResponseMeta",
                "ListPodsResponse",
                "ListPodsResponseMetadata",
                "Repo",
                "TagList",
            ],
        },
    ),
    (
        "parameter-enum-mixed-types.yaml",
        Generates {
            methods: &[("list_levels", "Level")],
            types: &["Level"],
        },
    ),
];

/// The cases whose operations page: each method with the item type its
/// request value's `.into_stream()` gives. Every other case pages nothing.
const PAGED: [(&str, &[(&str, &str)]); 1] = [(
    "pagination-styles.yaml",
    &[
        ("list_channels", "types::Repo"),
        ("list_commits", "String"),
        ("list_labels", "String"),
        ("list_messages", "types::Repo"),
        ("list_pods", "types::Repo"),
        ("list_repos", "types::Repo"),
        ("list_tags", "String"),
    ],
)];

/// What a legal case's generated code (`src/generated.rs`, then
/// `surface.txt`, then the generate report) must hold besides its methods
/// and types: the method an operation is sent with, what the client layer
/// does, what the docs say, what was adapted.
const HOLDS: [(&str, &[&str]); 18] = [
    (
        "optional-array-body.yaml",
        &[
            "if body.is_some_and(|b| b.len() < 1usize) {",
            "if body.len() < 1usize {",
        ],
    ),
    ("path-param-array.yaml", &["ids: &'a str,"]),
    (
        "big-numbers.yaml",
        &[
            // -2^63..2^63 is i64's range; `1e3` is the integer 1000 and
            // `10.0` the integer 10; a default past i64 widens to u64.
            "pub seed: ::std::option::Option<i64>,",
            "default_nzu64::<::std::num::NonZeroU64, 1000>",
            "default_u64::<i64, 10>",
            "pub quota: u64,",
            "left out `.inf`: JSON has no such number",
            "#/components/schemas/CompletionRequest/properties/quota: an integer that holds 18446744073709551615: `u64` (`format: uint64`)",
        ],
    ),
    (
        "enum-narrowing-reference.yaml",
        &[
            "enum` narrows `allOf` [\"#/components/schemas/ComponentType\"]: the values are kept, the references dropped",
        ],
    ),
    (
        "case-colliding-fields.yaml",
        &[
            "pub auth_time: ::std::option::Option<i64>,",
            "rename = \"AUTH_TIME\",",
            "pub auth_time_2: ::std::option::Option<i64>,",
            "rename = \"Auth-Time\",",
            "pub auth_time_3: ::std::option::Option<::std::string::String>,",
            "`AUTH_TIME` is `auth_time_2`, `Auth-Time` is `auth_time_3`",
        ],
    ),
    (
        "hook-method-names.yaml",
        &["self.post(&result, &info).await?;", "operation_id: \"post_op\","],
    ),
    (
        "enum-values-as-strings.yaml",
        &["pub struct DateRange(u8);", "[0_u8, 1_u8, 2_u8]"],
    ),
    (
        "deep-object-shapes.yaml",
        &[
            "extra.deep_object(\"expand\", &expand)?;",
            "extra.deep_object(\"created\", &created)?;",
            "extra.deep_object(\"lines\", &lines)?;",
        ],
    ),
    (
        "v32-query-method.yaml",
        &[
            "request QUERY /items",
            "request POST /items",
            ".carried_by(\"PUT\")",
        ],
    ),
    (
        "v32-additional-operations.yaml",
        &[
            "request PURGE /cache/{key}",
            "request LINK /cache/{key}",
            "request GET /cache/{key}",
        ],
    ),
    (
        "v32-querystring.yaml",
        &[
            "extra.query_string(\"filter\", \"application/x-www-form-urlencoded\", &filter)?",
            "extra.query_string(\"selector\", \"application/jsonpath\", &selector)?",
        ],
    ),
    (
        "v32-item-schema.yaml",
        &["Framing::Lines", "Framing::RecordSeparated", "Framing::Multipart"],
    ),
    ("x-oai-item-schema.yaml", &["Framing::Lines"]),
    ("min-length-zero.yaml", &["value.chars().count() > 10usize"]),
    // The body is sent as declared: the operation table carries `text/json`.
    (
        "json-media-variants.yaml",
        &["content_type: ::std::option::Option::Some(\"text/json\")"],
    ),
    (
        "v32-item-schema-request.yaml",
        &[
            "items: &'a [types::Item]",
            "items: &'a [::std::string::String]",
            "\"application/jsonl\"",
            "\"application/json-seq\"",
        ],
    ),
    (
        "v32-multipart-mixed-request.yaml",
        &[
            "upload_observations_part1: &'a types::UploadObservationsPart1",
            "parts: &'a [::std::vec::Vec<u8>]",
            // (prettyplease breaks the call over lines: its pieces.)
            ".json(",
            "\"upload_observations_part1\",",
            "mixed.bytes(\"image/jpeg\", item)",
        ],
    ),
    (
        "v32-documentation.yaml",
        &[
            "Group: Shapes › Round shapes.",
            "OAuth 2.0 device authorization (RFC 8628): device authorization `https://auth.catalog.example.test/device`",
            "#[deprecated(note = \"the vendor marks this security scheme deprecated\")]",
            "`https://api.catalog.example.test` (production)",
            "A value whose `kind` the mapping does not list, or that has none, is a `Circle`.",
            "impl<'de> ::serde::Deserialize<'de> for Shape",
            "- `200`: The shape.",
        ],
    ),
];

fn catalog() -> PathBuf {
    root().join("tests/catalog")
}

/// The base a case is added to: fragments of one API share their OpenAPI
/// version, so a 3.1 case goes with `_base-3.1.yaml`, a 3.2 one with
/// `_base-3.2.yaml`.
fn base_for(case: &str) -> &'static str {
    let text = std::fs::read_to_string(catalog().join(case)).unwrap_or_default();
    if text.lines().any(|l| l.starts_with("openapi: 3.1")) {
        "_base-3.1.yaml"
    } else if text.lines().any(|l| l.starts_with("openapi: 3.2")) {
        "_base-3.2.yaml"
    } else {
        "_base.yaml"
    }
}

/// How long one generate of a case may take before it counts as a hang (a
/// debug build on a busy machine; a case takes well under a second).
const DEADLINE: Duration = Duration::from_secs(30);

fn xtask(specs: &Path, out: &Path) -> Output {
    xtask_with(specs, out, &[])
}

fn xtask_with(specs: &Path, out: &Path, flags: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("generate")
        .args(flags)
        .arg("--specs")
        .arg(specs)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xtask runs");
    let started = Instant::now();
    while child.try_wait().expect("xtask waits").is_none() {
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!(
                "xtask generate hung on {} (killed after {DEADLINE:?})",
                specs.display()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("xtask output")
}

/// Every catalog file has an expectation, and every expectation a file.
#[test]
fn every_catalog_file_is_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir(catalog())
        .expect("catalog")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_') && n != "README.md")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// Every case is run, and every failing case reported together: one
/// broken case does not hide the others.
#[test]
fn each_case_fails_precisely_or_generates() {
    let mut failed = Vec::new();
    for (case, expected) in CASES {
        if let Err(panic) = std::panic::catch_unwind(|| check_case(case, &expected)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(format!("{case}: {message}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failed.len(),
        CASES.len(),
        failed.join("\n\n")
    );
}

/// One case: added to its base, it fails precisely or generates.
fn check_case(case: &str, expected: &Expect) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (specs, out) = (tmp.path().join("specs"), tmp.path().join("out"));
    let api = specs.join("catalog");
    std::fs::create_dir_all(&api).expect("mkdir");
    let base = base_for(case);
    std::fs::copy(catalog().join(base), api.join(base)).expect("copy base");
    let first = xtask(&specs, &out);
    assert!(
        first.status.success(),
        "the base must generate: {}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = files_under(&out);

    let target = match case.strip_suffix(".manifest.toml") {
        Some(_) => "manifest.toml".to_string(),
        None => case.to_string(),
    };
    std::fs::copy(catalog().join(case), api.join(&target)).expect("copy case");
    let run = xtask(&specs, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    match expected {
        Fails(place) => refused(case, &run, place, &before, &out),
        Costs { strict, reported } => {
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(run.status.success(), "{case} must generate the rest:\n{stderr}");
            assert!(
                stdout.lines().any(|l| l.trim() == *reported),
                "{case}: expected the line `{reported}` in:\n{stdout}"
            );
            // What the default run wrote stays as it is when --strict refuses.
            let before = files_under(&out);
            let strict_run = xtask_with(&specs, &out, &["--strict"]);
            refused(case, &strict_run, strict, &before, &out);
        }
        Generates { methods, types } => {
            assert!(run.status.success(), "{case} must generate:\n{stderr}");
            let code = std::fs::read_to_string(out.join("catalog/src/generated.rs")).expect("generated");
            let file = syn::parse_file(&code)
                .unwrap_or_else(|e| panic!("{case}: generated code does not parse: {e}"));
            let mut expected_methods: Vec<(String, String)> = BASE_METHODS
                .iter()
                .chain(methods.iter())
                .map(|(m, t)| (m.to_string(), t.to_string()))
                .collect();
            expected_methods.sort();
            assert_eq!(client_methods(&file), expected_methods, "{case}: client methods");
            let mut expected_types: Vec<String> = BASE_TYPES
                .iter()
                .chain(types.iter())
                .map(|t| t.to_string())
                .collect();
            expected_types.sort();
            assert_eq!(type_names(&file), expected_types, "{case}: types");
            let paged = PAGED
                .iter()
                .find(|(c, _)| *c == case)
                .map_or(&[][..], |(_, m)| *m);
            let paged: Vec<(String, String)> = paged
                .iter()
                .map(|(m, t)| (m.to_string(), t.to_string()))
                .collect();
            assert_eq!(paged_methods(&file), paged, "{case}: paginated methods");
            let surface = std::fs::read_to_string(out.join("catalog/surface.txt")).expect("surface");
            let holds = HOLDS
                .iter()
                .find(|(c, _)| *c == case)
                .map_or(&[][..], |(_, h)| *h);
            let report = String::from_utf8_lossy(&run.stdout);
            for text in holds {
                assert!(
                    code.contains(text) || surface.contains(text) || report.contains(text),
                    "{case}: neither the generated code nor the report holds `{text}`"
                );
            }
            // A bound every value meets is no check (the compiler would warn).
            assert!(!code.contains("< 0usize"), "{case}: a check that is never true");
            // An example's values are data: never code.
            assert!(
                !code.contains("serializedValue") && !code.contains("dataValue"),
                "{case}"
            );
            let stdout = String::from_utf8_lossy(&run.stdout);
            if !paged.is_empty() {
                let listed = format!("pages: {} operation(s): {}", paged.len(), paged[0].0);
                assert!(
                    stdout.contains(&listed),
                    "{case}: `generate` reports `{listed}`:\n{stdout}"
                );
            }
        }
    }
}

/// A refusal: exit 2, a message naming `place` with a help line and no
/// panic, and no generated file changed.
fn refused(case: &str, run: &Output, place: &str, before: &[(PathBuf, Vec<u8>)], out: &Path) {
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{case}: {stderr}");
    assert!(stderr.contains(place), "{case}: expected `{place}` in:\n{stderr}");
    assert!(stderr.contains("help:"), "{case}: no help line:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    assert_eq!(
        before,
        files_under(out).as_slice(),
        "{case}: generated files changed"
    );
}

/// The operation methods of `impl Client` (each returns its request value,
/// `requests::<Op>`), each with the type in `types` its request's `send`
/// decodes a success to (`Result<ResponseValue<types::T>, _>`).
fn client_methods(file: &syn::File) -> Vec<(String, String)> {
    // What each request value's `send` returns, by the value's name.
    let sends: Vec<(String, String)> = request_fns(file, "send")
        .into_iter()
        .map(|(owner, f)| (owner, success_type(&f.sig.output)))
        .collect();
    let mut methods: Vec<(String, String)> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() && is_named(&i.self_ty, "Client") => Some(i),
            _ => None,
        })
        .flat_map(|i| &i.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) => match &f.sig.output {
                syn::ReturnType::Type(_, ty) => match &**ty {
                    syn::Type::Path(p)
                        if p.path.segments.len() == 2 && p.path.segments[0].ident == "requests" =>
                    {
                        let value = p.path.segments[1].ident.to_string();
                        let sent = sends.iter().find(|(v, _)| *v == value).map(|(_, t)| t.clone());
                        Some((f.sig.ident.to_string(), sent.unwrap_or_else(|| "no send".into())))
                    }
                    _ => None,
                },
                syn::ReturnType::Default => None,
            },
            _ => None,
        })
        .collect();
    methods.sort();
    methods
}

/// The operations whose request value has `into_stream`, by method name
/// (the request value's name in snake case), with the item type.
fn paged_methods(file: &syn::File) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = request_fns(file, "into_stream")
        .into_iter()
        .filter_map(|(owner, f)| {
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                return None;
            };
            let syn::Type::Path(p) = &**ty else { return None };
            let syn::PathArguments::AngleBracketed(a) = &p.path.segments.last()?.arguments else {
                return None;
            };
            let item = a.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(syn::Type::Path(t)) => {
                    let names: Vec<String> = t.path.segments.iter().map(|s| s.ident.to_string()).collect();
                    Some(names.join("::").trim_start_matches("std::string::").to_string())
                }
                _ => None,
            })?;
            Some((snake(&owner), item))
        })
        .collect();
    out.sort();
    out
}

/// The methods named `name` of the request values (`requests::<Op>`),
/// each with its request value's name.
fn request_fns<'f>(file: &'f syn::File, name: &str) -> Vec<(String, &'f syn::ImplItemFn)> {
    module(&file.items, "requests")
        .unwrap_or_default()
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() => Some(i),
            _ => None,
        })
        .flat_map(|i| {
            let owner = match &*i.self_ty {
                syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            i.items.iter().filter_map(move |item| match item {
                syn::ImplItem::Fn(f) if f.sig.ident == name => Some((owner.clone()?, f)),
                _ => None,
            })
        })
        .collect()
}

/// `ListRepos` as `list_repos`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident(name))
}

fn success_type(output: &syn::ReturnType) -> String {
    let first_argument = |ty: &syn::Type| match ty {
        syn::Type::Path(p) => match &p.path.segments.last()?.arguments {
            syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let syn::ReturnType::Type(_, result) = output else {
        return "?".into();
    };
    let type_name = |t: &syn::Type| match t {
        syn::Type::Path(p) if p.path.segments.len() == 2 && p.path.segments[0].ident == "types" => {
            Some(p.path.segments[1].ident.to_string())
        }
        _ => None,
    };
    first_argument(result)
        .and_then(|response| first_argument(&response))
        .and_then(|t| {
            // A stream of items or events: `ItemStream<T>`, `EventStream<T>`.
            let stream = match &t {
                syn::Type::Path(p) => p
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .filter(|s| s == "ItemStream" || s == "EventStream"),
                _ => None,
            };
            match stream {
                Some(s) => first_argument(&t)
                    .and_then(|i| type_name(&i))
                    .map(|i| format!("{s}<{i}>")),
                None => type_name(&t),
            }
        })
        .unwrap_or_else(|| "?".into())
}

/// The items of the module `name` among `items`.
fn module<'f>(items: &'f [syn::Item], name: &str) -> Option<&'f [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items.as_slice()),
        _ => None,
    })
}

/// The structs and enums directly in `mod types` (inside progenitor's
/// `raw` module, which the client layer re-exports it from).
fn type_names(file: &syn::File) -> Vec<String> {
    let mut names: Vec<String> = module(&file.items, "raw")
        .and_then(|raw| module(raw, "types"))
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => Some(s.ident.to_string()),
                    syn::Item::Enum(e) => Some(e.ident.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A dangling `$ref` costs its schema by default (the `Costs` case above);
/// with `--strict` it fails with a help line holding the overlay action
/// that fixes it: pasted into an overlay file, the API generates, strict
/// or not. `dangling_refs = "any"` in the manifest makes it any JSON
/// under `--strict` too.
#[test]
fn a_dangling_ref_is_fixed_by_its_help_or_by_the_policy() {
    let setup = || {
        let tmp = tempfile::tempdir().expect("temp dir");
        let api = tmp.path().join("specs/catalog");
        std::fs::create_dir_all(&api).expect("mkdir");
        for f in ["_base.yaml", "dangling-ref.yaml"] {
            std::fs::copy(catalog().join(f), api.join(f)).expect("copy");
        }
        (tmp, api)
    };
    let (tmp, api) = setup();
    let run = xtask_with(&tmp.path().join("specs"), &tmp.path().join("out"), &["--strict"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    let action = stderr
        .split("action `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no overlay action in:\n{stderr}"));
    assert!(action.contains(r#"update: {"Nowhere": {}}"#), "{action}");
    std::fs::write(
        api.join("fix.yaml"),
        format!("overlay: 1.0.0\ninfo: {{title: fix, version: '1'}}\nactions:\n  {action}\n"),
    )
    .expect("write overlay");
    let run = xtask_with(&tmp.path().join("specs"), &tmp.path().join("out"), &["--strict"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let (tmp, api) = setup();
    std::fs::write(api.join("manifest.toml"), "[policies]\ndangling_refs = \"any\"\n").expect("manifest");
    let run = xtask_with(&tmp.path().join("specs"), &tmp.path().join("out"), &["--strict"]);
    let output = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        output.contains("`$ref: #/components/schemas/Nowhere` points at nothing: any JSON"),
        "{output}"
    );
}

/// A parameter whose enum mixes types (progenitor refused it with no
/// place, and isolation made the operation's parameters strings) loses its
/// enum and keeps its type, with a note naming the place; the operation's
/// body keeps its type too (the `Generates` case above).
#[test]
fn a_parameter_enum_of_mixed_types_costs_only_the_enum() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let api = tmp.path().join("specs/catalog");
    std::fs::create_dir_all(&api).expect("mkdir");
    for f in ["_base.yaml", "parameter-enum-mixed-types.yaml"] {
        std::fs::copy(catalog().join(f), api.join(f)).expect("copy");
    }
    let run = xtask(&tmp.path().join("specs"), &tmp.path().join("out"));
    let output = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        output.contains(
            "note: #/paths/~1levels/get/parameters/0/schema/enum: dropped: its values are not all `integer`s"
        ),
        "{output}"
    );
    let code = std::fs::read_to_string(tmp.path().join("out/catalog/src/generated.rs")).expect("generated");
    assert!(
        code.contains("level: Option<i64>,"),
        "level is an integer:\n{code}"
    );
}
