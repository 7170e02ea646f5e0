//! What each API of the directory did, and the counts by class: generated
//! whole or in part, refused (by the cause its first error names), and the
//! failures (a panic, a hang). Causes are error messages with their
//! particulars (names, pointers, numbers) taken out, so that one cause is
//! one row however many APIs it meets.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use codegen::validate::Skipped;

use super::fetch;

/// One API's run.
pub struct Ran {
    /// Its path in the directory, without `.json`.
    pub name: String,
    /// The operations its document declares.
    pub declared: usize,
    pub outcome: Outcome,
    pub seconds: f64,
}

pub enum Outcome {
    /// A client, with the operations it has and those it left out.
    Generated {
        operations: usize,
        skipped: Vec<Skipped>,
    },
    /// Refused, with every error's message.
    Refused(Vec<String>),
    /// The pipeline panicked, with this message.
    Panicked(String),
    Hung(Duration),
    /// The file could not be laid out.
    Unreadable(String),
}

impl Ran {
    /// A refusal whose explanation is a panic, a panic, or a hang.
    pub fn failure(&self) -> Option<String> {
        match &self.outcome {
            Outcome::Refused(messages) => messages
                .iter()
                .find(|m| m.contains("panicked"))
                .map(|m| format!("refused with a panic as the explanation: {m}")),
            Outcome::Panicked(m) => Some(format!("panicked: {m}")),
            Outcome::Hung(after) => Some(format!("hung: still running after {} s", after.as_secs())),
            _ => None,
        }
    }

    /// One line for the progress output.
    pub fn line(&self) -> String {
        let what = match &self.outcome {
            Outcome::Generated { operations, skipped } if skipped.is_empty() => {
                format!("{operations} of {} operations", self.declared)
            }
            Outcome::Generated { operations, skipped } => {
                format!(
                    "{operations} of {} operations, {} left out",
                    self.declared,
                    skipped.len()
                )
            }
            Outcome::Refused(messages) => format!("refused: {}", messages.first().map_or("", String::as_str)),
            Outcome::Panicked(m) => format!("PANICKED: {m}"),
            Outcome::Hung(_) => "HUNG".into(),
            Outcome::Unreadable(e) => format!("unreadable: {e}"),
        };
        format!("{} ({:.1} s): {what}", self.name, self.seconds)
    }
}

/// A message without its particulars: backquoted and quoted text, JSON
/// pointers and numbers become `…`, and one line of at most 140 characters.
pub fn cause(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                out.push('…');
            }
            '#' if chars.peek() == Some(&'/') => {
                while chars
                    .peek()
                    .is_some_and(|d| !d.is_whitespace() && !matches!(d, ',' | ')' | ':'))
                {
                    chars.next();
                }
                out.push('…');
            }
            c if c.is_ascii_digit() => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('N');
            }
            c => out.push(c),
        }
    }
    if out.chars().count() > 140 {
        out = out.chars().take(139).collect::<String>() + "…";
    }
    out
}

/// Counts for one cause.
#[derive(Default)]
struct Row {
    apis: usize,
    operations: usize,
    example: String,
}

/// The compile sample's result.
pub struct Compiled {
    pub seed: u64,
    pub apis: usize,
    pub seconds: f64,
    pub counted: crate::corpus::Counted,
}

impl Compiled {
    /// One line: how many, how long, what cargo said.
    fn line(&self) -> String {
        format!(
            "{} APIs (seed {}) in {:.0} s, {} errors and {} warnings, {} crates with either",
            self.apis,
            self.seed,
            self.seconds,
            self.counted.errors(),
            self.counted.warnings(),
            self.counted.crates_with_any()
        )
    }
}

/// The whole run, counted.
#[derive(Default)]
pub struct Report {
    apis: usize,
    declared: usize,
    whole: usize,
    in_part: usize,
    generated_operations: usize,
    refused: BTreeMap<String, Row>,
    left_out: BTreeMap<String, Row>,
    failures: Vec<(String, String)>,
    slowest: Vec<(f64, String)>,
    pub seconds: f64,
    pub compiled: Option<Compiled>,
}

impl Report {
    pub fn new(ran: &[Ran]) -> Self {
        let mut r = Report {
            apis: ran.len(),
            ..Report::default()
        };
        for one in ran {
            r.declared += one.declared;
            if let Some(why) = one.failure() {
                r.failures.push((one.name.clone(), why));
            }
            match &one.outcome {
                Outcome::Generated { operations, skipped } => {
                    r.generated_operations += operations;
                    if skipped.is_empty() && *operations >= one.declared {
                        r.whole += 1;
                    } else {
                        r.in_part += 1;
                    }
                    let mut seen = std::collections::BTreeSet::new();
                    for s in skipped {
                        let why = cause(s.reasons.first().map_or("", String::as_str));
                        let row = r.left_out.entry(why.clone()).or_default();
                        row.operations += 1;
                        if seen.insert(why) {
                            row.apis += 1;
                            if row.example.is_empty() {
                                row.example = one.name.clone();
                            }
                        }
                    }
                }
                Outcome::Refused(messages) => {
                    let why = cause(messages.first().map_or("", String::as_str));
                    r.count_refused(why, one);
                }
                Outcome::Panicked(_) => r.count_refused("a panic".into(), one),
                Outcome::Hung(_) => r.count_refused("a hang".into(), one),
                Outcome::Unreadable(e) => r.count_refused(cause(e), one),
            }
        }
        let mut slowest: Vec<(f64, String)> = ran.iter().map(|r| (r.seconds, r.name.clone())).collect();
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        slowest.truncate(5);
        r.slowest = slowest;
        r
    }

    fn count_refused(&mut self, why: String, one: &Ran) {
        let row = self.refused.entry(why).or_default();
        row.apis += 1;
        row.operations += one.declared;
        if row.example.is_empty() {
            row.example = one.name.clone();
        }
    }

    pub fn failures(&self) -> usize {
        self.failures.len()
    }

    fn refused_apis(&self) -> usize {
        self.refused.values().map(|r| r.apis).sum()
    }

    fn share(part: usize, whole: usize) -> String {
        format!("{:.1}%", 100.0 * part as f64 / whole.max(1) as f64)
    }

    /// The counts, for the terminal.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "directory: {} APIs, {} operations declared, in {:.0} s",
            self.apis, self.declared, self.seconds
        );
        let _ = writeln!(
            s,
            "  generated: {} APIs ({}), {} whole and {} in part; {} operations ({})",
            self.whole + self.in_part,
            Self::share(self.whole + self.in_part, self.apis),
            self.whole,
            self.in_part,
            self.generated_operations,
            Self::share(self.generated_operations, self.declared)
        );
        let _ = writeln!(s, "  refused: {} APIs", self.refused_apis());
        for (why, row) in rows(&self.refused) {
            let _ = writeln!(
                s,
                "    {:>4} APIs {:>6} ops  {why}  (e.g. {})",
                row.apis, row.operations, row.example
            );
        }
        let _ = writeln!(s, "  operations left out, by cause:");
        for (why, row) in rows(&self.left_out) {
            let _ = writeln!(
                s,
                "    {:>4} APIs {:>6} ops  {why}  (e.g. {})",
                row.apis, row.operations, row.example
            );
        }
        for (name, why) in &self.failures {
            let _ = writeln!(s, "  FAILURE {name}: {why}");
        }
        if let Some(c) = &self.compiled {
            let _ = writeln!(s, "  compiled: {}", c.line());
        }
        s
    }

    /// `corpus/DIRECTORY.md`.
    pub fn markdown(&self, commit: &str, date: &str) -> String {
        let mut s = String::new();
        let generated = self.whole + self.in_part;
        let _ = write!(
            s,
            "# The APIs.guru directory\n\n\
             Every API of npm's `{package}` {version} (APIs.guru's directory, converted to OpenAPI 3 and bundled),\n\
             generated alone with the default policies and no manifest, as a new user would drop it into\n\
             `specs/`. Written by `cargo xtask directory --compile 200 --table` on {date}, at commit `{commit}`.\n\
             The package is fetched with npm and checked against the registry's SHA-512 (`xtask/src/directory/fetch.rs`).\n\n\
             | | APIs | operations |\n|---|---:|---:|\n\
             | in the directory | {apis} | {declared} |\n\
             | generated | {generated} ({gshare}) | {gops} ({oshare}) |\n\
             | generated whole | {whole} | |\n\
             | generated in part | {in_part} | |\n\
             | refused whole | {refused} | {lost} |\n\
             | refused with a panic as the explanation, a panic or a hang | {failures} | |\n\n",
            package = fetch::PACKAGE,
            version = fetch::VERSION,
            apis = self.apis,
            declared = self.declared,
            gshare = Self::share(generated, self.apis),
            gops = self.generated_operations,
            oshare = Self::share(self.generated_operations, self.declared),
            whole = self.whole,
            in_part = self.in_part,
            refused = self.refused_apis(),
            lost = self.refused.values().map(|r| r.operations).sum::<usize>(),
            failures = self.failures.len(),
        );
        let table = |s: &mut String, title: &str, map: &BTreeMap<String, Row>| {
            let _ = write!(
                s,
                "## {title}\n\n| Cause | APIs | operations | for example |\n|---|---:|---:|---|\n"
            );
            for (why, row) in rows(map) {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | `{}` |",
                    why.replace('|', "\\|"),
                    row.apis,
                    row.operations,
                    row.example
                );
            }
            s.push('\n');
        };
        table(&mut s, "Refused whole, by cause", &self.refused);
        table(&mut s, "Operations left out, by cause", &self.left_out);
        if let Some(c) = &self.compiled {
            let _ = write!(
                s,
                "## Compiled\n\nA fixed-seed sample of the generated APIs, checked by `cargo clippy` in one invocation: {}.\n\n",
                c.line()
            );
            for line in c.counted.worst(10) {
                let _ = writeln!(s, "- {line}");
            }
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "The whole run took {:.0} s on this machine. The slowest APIs:\n",
            self.seconds
        );
        for (seconds, name) in &self.slowest {
            let _ = writeln!(s, "- `{name}`: {seconds:.1} s");
        }
        s
    }
}

/// Rows with the most operations first.
fn rows(map: &BTreeMap<String, Row>) -> Vec<(&String, &Row)> {
    let mut rows: Vec<_> = map.iter().collect();
    rows.sort_by(|a, b| b.1.operations.cmp(&a.1.operations).then(b.1.apis.cmp(&a.1.apis)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_has_no_particulars() {
        assert_eq!(
            cause("#/paths/~1a/get: request media type `text/xml` is not supported (3 of them)"),
            "…: request media type … is not supported (N of them)"
        );
        assert_eq!(cause("a \"quoted\" name\nsecond line"), "a … name");
    }
}
