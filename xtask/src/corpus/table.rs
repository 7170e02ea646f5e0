//! The corpus table of `corpus/README.md`: per spec, the operations its
//! file declares, how many the client has and how many of those take every
//! input the spec documents, what was skipped or refused and
//! why, how many adaptations and notes, the lines of its generated module,
//! how long generating it and its `cargo clippy` took, and (for a client with per-tag
//! features) how long with its largest tag alone.
//! Written between two markers, so the rest of the README stays by hand.

use std::collections::BTreeMap;

use workspace_tests::corpus::portable;

use super::Checked;

const BEGIN: &str = "<!-- corpus-table: begin (cargo xtask corpus --table) -->";
const END: &str = "<!-- corpus-table: end -->";

/// At most this many distinct reasons are named per spec.
const REASONS: usize = 3;

/// The table, as Markdown, naming the commit and the date it was measured
/// at.
pub fn render(checked: &[Checked], commit: &str, date: &str) -> String {
    let mut out = String::from(
        "| Spec | Operations | Generated | Every input | Skipped | Refused or skipped because | Adapted, notes | Lines | Generate | `cargo clippy` | One tag alone |\n|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|\n",
    );
    let mut total = 0.0;
    for c in checked {
        let spec = &c.entry.file_name;
        let check = match c.check {
            None => "n/a".to_string(),
            Some(Err(())) => "**does not compile**".to_string(),
            Some(Ok(d)) => {
                total += d.as_secs_f64();
                format!("{:.1} s", d.as_secs_f64())
            }
        };
        // The largest tag's feature alone, against the whole client.
        let one_tag = match (&c.tag_check, c.check) {
            (Some((tag, Ok(d))), Some(Ok(full))) => format!(
                "`{tag}`: {:.1} s ({:.0}%)",
                d.as_secs_f64(),
                100.0 * d.as_secs_f64() / full.as_secs_f64().max(f64::EPSILON)
            ),
            (Some((tag, Err(()))), _) => format!("`{tag}`: **does not compile**"),
            (Some((tag, Ok(d))), _) => format!("`{tag}`: {:.1} s", d.as_secs_f64()),
            (None, _) => "—".to_string(),
        };
        let lines = c.lines.map_or("n/a".to_string(), |n| n.to_string());
        let generated_in = format!("{:.1} s", c.generated_in.as_secs_f64());
        let row = match &c.run.built {
            Ok((api, _)) => format!(
                "{} | {} | {} | {} | {} | {lines} | {generated_in} | {} | {one_tag}",
                api.operations,
                api.operations - lost_input(api),
                api.skipped.len(),
                reasons(
                    api.skipped
                        .iter()
                        .flat_map(|s| s.reasons.iter().map(String::as_str))
                ),
                api.adaptations.len() + api.notes.len(),
                check
            ),
            Err(e) => format!(
                "**0** (refused) | n/a | n/a | {} | n/a | n/a | {generated_in} | {check} | —",
                reasons(e.diagnostics().iter().map(|d| d.message.as_str()))
            ),
        };
        // A client CI leaves to `cargo xtask corpus --all`.
        let long = if c.entry.source.in_ci { "" } else { " (`--all`)" };
        out.push_str(&format!("| `{spec}`{long} | {} | {row} |\n", c.run.declared));
    }
    out.push_str(&format!(
        "\nMeasured by `cargo xtask corpus --table` on {date}, at commit `{commit}`. Generate: loading, checking and generating the spec in `cargo xtask`'s build (the debug profile, its dependencies at `opt-level = 1`), on one of 2 cores. CI (`cargo xtask corpus`) checks every client but those marked (`--all`), which `cargo xtask corpus --all` checks too. `cargo clippy -- -D warnings` of each client alone, after their shared dependencies (a warning fails it): {total:.1} s in all. A client of more than 150 operations has a cargo feature per tag (`full`, the default, is all of them); \"One tag alone\" is `cargo clippy` of it with its largest tag's feature alone, and its share of the whole client's time.\n"
    ));
    out
}

/// The generated operations that can no longer be called with every input
/// their spec documents (an adaptation dropped one): generated, but not
/// covered.
fn lost_input(api: &codegen::pipeline::ApiOutput) -> usize {
    let ops: std::collections::BTreeSet<&str> = api
        .adaptations
        .iter()
        .filter(|a| a.loses_input)
        .map(|a| a.operation.as_str())
        .collect();
    ops.len()
}

/// The distinct reasons, most frequent first, with their counts.
fn reasons<'a>(all: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for reason in all {
        *counts.entry(cell(reason)).or_default() += 1;
    }
    let mut sorted: Vec<_> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut named: Vec<String> = sorted
        .iter()
        .take(REASONS)
        .map(|(reason, n)| format!("{n}× {reason}"))
        .collect();
    if sorted.len() > REASONS {
        named.push(format!("{} more kinds", sorted.len() - REASONS));
    }
    if named.is_empty() {
        return "—".to_string();
    }
    named.join("; ")
}

/// A message made fit for one table cell (and the same on any machine).
fn cell(text: &str) -> String {
    portable(text.lines().next().unwrap_or("")).replace('|', "\\|")
}

/// The README with the table between its markers replaced.
pub fn splice(readme: &str, table: &str) -> Result<String, String> {
    let missing = || format!("corpus/README.md: the markers `{BEGIN}` and `{END}` are missing");
    let start = readme.find(BEGIN).ok_or_else(missing)? + BEGIN.len();
    let end = readme[start..].find(END).ok_or_else(missing)? + start;
    Ok(format!("{}\n{table}{}", &readme[..start], &readme[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_counted_most_frequent_first() {
        let all = ["b", "a", "b", "c|d\nmore", "e", "a", "b"];
        assert_eq!(reasons(all.into_iter()), "3× b; 2× a; 1× c\\|d; 1 more kinds");
    }

    #[test]
    fn splice_replaces_only_between_the_markers() {
        let readme = format!("intro\n{BEGIN}\nold\n{END}\nend\n");
        assert_eq!(
            splice(&readme, "new\n").unwrap(),
            format!("intro\n{BEGIN}\nnew\n{END}\nend\n")
        );
        assert!(splice("no markers", "x").is_err());
    }
}
