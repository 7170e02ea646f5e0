//! A Swagger 2.0 file in a specs folder just works: the load stage converts
//! it, and the client has every operation with typed bodies and responses.
//! (`.ci/run` compiles the generated crate.)

use codegen::pipeline::build_api;
use workspace_tests::root;

#[test]
fn a_swagger_2_file_generates_a_client() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("petstore");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::copy(
        root().join("tests/fixtures/swagger2/petstore.yaml"),
        dir.join("petstore.yaml"),
    )
    .expect("copy");
    let (api, code) = build_api("petstore", &dir, "specs/petstore").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.operations, 4);
    assert!(api.skipped.is_empty());
    assert_eq!(api.normalized["openapi"], "3.0.3");
    assert_eq!(
        api.normalized["servers"][0]["url"],
        "https://petstore.example.com/v2"
    );
    let file = syn::parse_file(&code).expect("generated code parses");
    assert!(
        file.items
            .iter()
            .any(|i| matches!(i, syn::Item::Struct(s) if s.ident == "Client"))
    );
    for method in [
        "add_pet",
        "find_pets_by_status",
        "get_pet_by_id",
        "update_pet_with_form",
    ] {
        assert!(
            code.contains(&format!("pub async fn {method}")),
            "{method} missing"
        );
    }
    assert!(code.contains("pub nickname: ::std::option::Option<::std::string::String>"));
    // The JSON body was kept of application/json and application/xml.
    assert!(
        api.adaptations
            .iter()
            .any(|a| a.operation == "add_pet" && a.detail.contains("application/xml"))
    );
}
