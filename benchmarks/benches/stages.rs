//! Pipeline time per stage (load, merge, overlay, normalize, adapt,
//! validate, generate, format) on the three APIs and GitHub's 2021
//! description. `cargo bench -p benchmarks --bench stages`; the BENCHMARKS.md
//! writer (`cargo run -p benchmarks --release`) runs it too.

use benchmarks::{INPUTS, Loaded, Staged, folder, load, stage};
use divan::Bencher;

fn main() {
    divan::main();
}

struct Input {
    loaded: Loaded,
    staged: Staged,
    _dir: tempfile::TempDir,
}

fn input(name: &str) -> Input {
    let (dir, tmp) = folder(name).expect("input folder");
    let loaded = load(name, &dir).expect("input loads");
    let staged = stage(&loaded).expect("input goes through the stages");
    Input {
        loaded,
        staged,
        _dir: tmp,
    }
}

#[divan::bench(args = INPUTS, sample_count = 20)]
fn load_stage(bencher: Bencher, name: &str) {
    let i = input(name);
    bencher.bench(|| {
        for (path, shown) in &i.loaded.files {
            divan::black_box(codegen::load::load(path, shown).expect("loads"));
        }
    });
}

#[divan::bench(args = INPUTS, sample_count = 20)]
fn merge(bencher: Bencher, name: &str) {
    let i = input(name);
    bencher
        .with_inputs(|| i.loaded.fragments.clone())
        .bench_values(|f| codegen::merge::merge(f).expect("merges"));
}

#[divan::bench(args = INPUTS, sample_count = 20)]
fn overlay(bencher: Bencher, name: &str) {
    let i = input(name);
    let before = codegen::merge::merge(i.loaded.fragments.clone())
        .expect("merges")
        .doc;
    bencher.with_inputs(|| before.clone()).bench_values(|mut doc| {
        for o in &i.loaded.overlays {
            codegen::overlay::apply(&mut doc, o).expect("applies");
        }
        doc
    });
}

#[divan::bench(args = INPUTS, sample_count = 20)]
fn normalize(bencher: Bencher, name: &str) {
    let i = input(name);
    bencher
        .with_inputs(|| i.staged.merged.doc.clone())
        .bench_values(|doc| {
            codegen::normalize::normalize(doc, &i.staged.merged.origins).expect("normalizes")
        });
}

#[divan::bench(args = INPUTS, sample_count = 20)]
fn adapt(bencher: Bencher, name: &str) {
    let i = input(name);
    let normalized = codegen::normalize::normalize(i.staged.merged.doc.clone(), &i.staged.merged.origins)
        .expect("normalizes")
        .doc;
    bencher
        .with_inputs(|| normalized.clone())
        .bench_values(|mut doc| {
            codegen::adapt::adapt(&mut doc, &i.loaded.manifest.policies);
            doc
        });
}

#[divan::bench(args = INPUTS, sample_count = 20)]
fn validate(bencher: Bencher, name: &str) {
    let i = input(name);
    let strict = i.loaded.manifest.policies.is_strict();
    bencher
        .with_inputs(|| i.staged.ready.clone())
        .bench_values(|mut doc| {
            codegen::validate::validate_scoped(name, &mut doc, &i.staged.merged.origins, strict)
                .expect("validates")
        });
}

#[divan::bench(args = INPUTS, sample_count = 10)]
fn generate(bencher: Bencher, name: &str) {
    let i = input(name);
    bencher.bench(|| {
        codegen::generate::tokens(
            name,
            &i.loaded.manifest,
            &i.staged.ready,
            &i.staged.merged.origins,
        )
        .expect("generates")
    });
}

#[divan::bench(args = INPUTS, sample_count = 10)]
fn format(bencher: Bencher, name: &str) {
    let i = input(name);
    let tokens = codegen::generate::tokens(
        name,
        &i.loaded.manifest,
        &i.staged.ready,
        &i.staged.merged.origins,
    )
    .expect("generates");
    bencher
        .with_inputs(|| tokens.clone())
        .bench_local_values(|t| codegen::generate::format(name, t, name).expect("formats"));
}

#[divan::bench(args = INPUTS, sample_count = 10)]
fn whole_pipeline(bencher: Bencher, name: &str) {
    let (dir, _tmp) = folder(name).expect("input folder");
    bencher.bench(|| codegen::pipeline::build_api(name, &dir, name).expect("builds"));
}
