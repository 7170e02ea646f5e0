//! Spec text in generated docs is inert. A spec is third-party text, and the
//! generator copies its descriptions, summaries and titles into `#[doc]`
//! attributes; rustdoc compiles and runs every fenced code block that is
//! untagged or tagged as Rust, and every indented code block, as a doctest.
//! So before the generated code is printed, every doc string is rewritten:
//!
//! - a fenced block (```` ``` ```` or `~~~`, any length, closed or not) keeps a
//!   language tag rustdoc does not run (`json`, `yaml`, `sh`, ...); an
//!   untagged one, `rust`, or one naming rustdoc's attributes (`ignore`,
//!   `no_run`, `should_panic`, `compile_fail`, `edition2021`, ...) becomes
//!   `text`;
//! - an indented block becomes a ```` ```text ```` fence around the same
//!   lines, inside the same list item or block quote;
//! - nothing else changes: a list's indented continuation lines, or indented
//!   lines that continue a paragraph, are not code and stay as they are.
//!
//! Code blocks are found with pulldown-cmark, the CommonMark parser rustdoc
//! itself uses, with rustdoc's options, so "what is a code block" is decided
//! the way rustdoc decides it, not by guessing from indentation. The result
//! is checked with [`runnable_blocks`]; should a rewrite still leave a
//! runnable block, the whole text becomes one `text` block instead.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use syn::visit_mut::VisitMut;

/// The parser options rustdoc uses for doc comments.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Markdown turned into doc text rustdoc never runs: see the module doc.
pub fn inert(markdown: &str) -> String {
    if !may_hold_code(markdown) {
        return markdown.to_string();
    }
    match rewrite(markdown) {
        Some(text) if runnable_blocks(&text).is_empty() => text,
        _ => fenced_whole(markdown),
    }
}

/// [`inert`] for the value of a `#[doc]` attribute. prettyplease prints a
/// multi-line value as a `/** */` comment, and rustc then strips a leading
/// `*` from every line when all of them have one (`beautify_doc_string`),
/// which can turn list items into an indented block: such a value becomes
/// one `text` block.
pub fn inert_doc(value: &str) -> String {
    let text = inert(value);
    if text.contains('\n') && !runnable_blocks(&beautify_block(&text)).is_empty() {
        return fenced_whole(value);
    }
    text
}

/// Spec text (a title) for a place that holds one line: a `//!` comment
/// line or a `Cargo.toml` string. Line breaks and other control characters
/// would end the comment and start code, so every run of whitespace or
/// control characters becomes one space.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control() || BIDI.contains(&c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Unicode bidirectional controls rustc refuses in comments and string
/// literals (the `text_direction_codepoint_in_*` lints deny them: "Trojan
/// Source").
const BIDI: [char; 9] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// Printed code with every bidirectional control written as a `\u{..}`
/// escape: the same character in a string literal, visible text in a
/// comment, and code that compiles either way. Spec text reaches code only
/// inside literals and comments, so no other place can hold one.
pub fn escape_bidi(code: String) -> String {
    // Each is E2 80 xx or E2 81 xx in UTF-8: look for the lead byte first.
    if !code.as_bytes().contains(&0xE2) || !code.contains(BIDI) {
        return code;
    }
    let mut out = String::with_capacity(code.len() + 32);
    for c in code.chars() {
        if BIDI.contains(&c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Rewrites every `#[doc = "..."]` of a generated module with [`inert_doc`],
/// its line ends made `\n`.
pub fn make_inert(file: &mut syn::File) {
    InertDocs.visit_file_mut(file);
}

struct InertDocs;

impl VisitMut for InertDocs {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::NameValue(nv) = &mut attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &mut nv.value
        {
            let value = s.value();
            // A bare carriage return is an error in a doc comment (VTEX's
            // descriptions have them): every line ends with `\n`.
            let text = inert_doc(&value.replace("\r\n", "\n").replace('\r', "\n"));
            if text != value {
                *s = syn::LitStr::new(&text, s.span());
            }
        }
    }
}

/// The code of every block rustdoc would compile as a doctest, in order: each
/// indented block, and each fenced block whose tag [`runs_as_rust`].
pub fn runnable_blocks(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut parser = Parser::new_ext(markdown, options());
    while let Some(event) = parser.next() {
        if let Event::Start(Tag::CodeBlock(kind)) = event {
            let code = block_text(&mut parser);
            let runs = match kind {
                CodeBlockKind::Indented => true,
                CodeBlockKind::Fenced(info) => runs_as_rust(&info),
            };
            if runs {
                found.push(code);
            }
        }
    }
    found
}

/// The text of a code block, after its start event.
fn block_text<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut code = String::new();
    for event in events {
        match event {
            Event::Text(t) => code.push_str(&t),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    code
}

/// Whether rustdoc would treat a fence with this info string as Rust. It
/// errs on the side of yes: no tag, `rust` anywhere, or any of rustdoc's own
/// attributes anywhere (rustdoc runs ```` ```json,no_run ````).
pub fn runs_as_rust(info: &str) -> bool {
    let mut tokens = tokens(info).peekable();
    tokens.peek().is_none() || tokens.any(|t| rustish(&t))
}

/// The words of an info string, as rustdoc splits them.
fn tokens(info: &str) -> impl Iterator<Item = String> + '_ {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .map(|t| {
            t.trim_matches(|c| matches!(c, '{' | '}' | '.'))
                .to_ascii_lowercase()
        })
        .filter(|t| !t.is_empty())
}

/// `rust` (and `rs`), or one of rustdoc's code-block attributes.
fn rustish(token: &str) -> bool {
    let error_code =
        token.len() > 1 && token.starts_with('e') && token[1..].bytes().all(|b| b.is_ascii_digit());
    token == "rs"
        || token.starts_with("rust")
        || token.starts_with("ignore")
        || token.starts_with("edition")
        || error_code
        || matches!(
            token,
            "should_panic"
                | "no_run"
                | "compile_fail"
                | "test_harness"
                | "standalone_crate"
                | "allow_fail"
                | "custom"
        )
}

/// The tag a fenced block keeps: its first word when that is a plain
/// language name and nothing in the info string is Rust; else `text`.
fn safe_tag(info: &str) -> String {
    let plain = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_alphabetic())
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '#' | '.'))
    };
    match info
        .split(|c: char| c == ',' || c.is_whitespace())
        .find(|w| !w.is_empty())
    {
        Some(first) if plain(first) && !runs_as_rust(info) => first.to_string(),
        _ => "text".to_string(),
    }
}

/// Cheap test: without a fence or four columns of indentation there is no
/// code block.
fn may_hold_code(text: &str) -> bool {
    text.contains("```") || text.contains("~~~") || text.contains("    ") || text.contains('\t')
}

/// The code-block edits, applied; `None` when a block is not where the
/// parser said (then the caller falls back to [`fenced_whole`]).
fn rewrite(text: &str) -> Option<String> {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            continue;
        };
        let code = block_text(parser.by_ref().map(|(e, _)| e));
        match kind {
            CodeBlockKind::Fenced(info) => {
                let at = info_range(text, range.start)?;
                let tag = safe_tag(&info);
                if text[at.clone()].trim() != tag {
                    edits.push((at, tag));
                }
            }
            CodeBlockKind::Indented => edits.push(fence_indented(text, range, &code)?),
        }
    }
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut done = 0;
    for (range, replacement) in edits {
        out.push_str(text.get(done..range.start)?);
        out.push_str(&replacement);
        done = range.end;
    }
    out.push_str(text.get(done..)?);
    Some(out)
}

/// Where the info string of the fence opening at `start` is: the rest of
/// the line after the run of fence characters.
fn info_range(text: &str, start: usize) -> Option<Range<usize>> {
    let rest = text.get(start..)?;
    let fence = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = rest.chars().take_while(|&c| c == fence).count();
    let line = rest.find('\n').unwrap_or(rest.len());
    let end = if rest[..line].ends_with('\r') {
        line - 1
    } else {
        line
    };
    (run >= 3 && run <= end).then_some(start + run..start + end)
}

/// An indented block, from the start of its first line to its end, as a
/// `text` fence holding the same lines in the same container.
fn fence_indented(text: &str, range: Range<usize>, code: &str) -> Option<(Range<usize>, String)> {
    let line_start = text.get(..range.start)?.rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..range.start];
    // The lead is the containers' markers (`> `, `- `, `1. `) and then the
    // block's own four columns of indentation.
    let first = match lead.strip_suffix('\t') {
        Some(rest) => rest,
        None => {
            let spaces = lead.len() - lead.trim_end_matches(' ').len();
            &lead[..lead.len() - spaces.min(4)]
        }
    };
    // Later lines continue the containers: list markers become spaces.
    let rest: String = first
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect();
    let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
    let mut out = format!("{first}{fence}text\n");
    for line in code.split_inclusive('\n') {
        out.push_str(&rest);
        out.push_str(line);
    }
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&rest);
    out.push_str(&fence);
    if text.get(..range.end)?.ends_with('\n') {
        out.push('\n');
    }
    Some((line_start..range.end, out))
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// The whole text as one `text` block, fenced longer than any run of
/// backticks in it so nothing inside can close it.
fn fenced_whole(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}text\n{text}{newline}{fence}")
}

/// What rustc makes of a `/** ... */` doc comment's text: a port of
/// `rustc_ast::util::comments::beautify_doc_string` for block comments
/// (first and last lines of stars dropped, a common `*` column stripped).
pub fn beautify_block(data: &str) -> String {
    if !data.contains('\n') {
        return data.to_string();
    }
    let all: Vec<&str> = data.lines().collect();
    let mut i = 0;
    let mut j = all.len();
    if all.first().is_some_and(|l| l.chars().all(|c| c == '*')) {
        i += 1;
    }
    if j > i && !all[j - 1].is_empty() && all[j - 1].chars().all(|c| c == '*') {
        j -= 1;
    }
    let changed_vertically = i != 0 || j != all.len();
    let mut lines: Vec<&str> = all[i..j].to_vec();
    let Some(horizontal) = horizontal_trim(&lines) else {
        return if changed_vertically {
            lines.join("\n")
        } else {
            data.to_string()
        };
    };
    for line in &mut lines {
        if let Some(rest) = line.strip_prefix(horizontal.as_str()) {
            *line = rest;
            if *line == "*" || line.starts_with("* ") || line.starts_with("**") {
                *line = &line[1..];
            }
        }
    }
    lines.join("\n")
}

/// The whitespace before a `*` column that every line of a block comment
/// shares, if there is one (rustc's `get_horizontal_trim`).
fn horizontal_trim(lines: &[&str]) -> Option<String> {
    let mut start = lines
        .first()
        .map_or(0, |l| if l.trim_start().starts_with('*') { 0 } else { 1 });
    let mut end = lines.len();
    while start < end && lines[start].trim().is_empty() {
        start += 1;
    }
    while end > start && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let lines = &lines[start..end];
    let mut column = usize::MAX;
    let mut first = true;
    for line in lines {
        for (j, c) in line.chars().enumerate() {
            if j > column || !"* \t".contains(c) {
                return None;
            }
            if c == '*' {
                if first {
                    column = j;
                    first = false;
                } else if column != j {
                    return None;
                }
                break;
            }
        }
        if column >= line.len() {
            return None;
        }
    }
    let first = lines.first()?;
    first.get(..column).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rewrite, asserted inert.
    fn check(markdown: &str) -> String {
        let out = inert(markdown);
        assert!(runnable_blocks(&out).is_empty(), "still runnable:\n{out}");
        out
    }

    #[test]
    fn an_untagged_fence_becomes_text() {
        assert_eq!(
            check("a\n\n```\n{\"x\": 1}\n```\nb"),
            "a\n\n```text\n{\"x\": 1}\n```\nb"
        );
    }

    #[test]
    fn a_rust_fence_becomes_text() {
        let md = "Run:\n\n```rust\nstd::process::exit(3);\n```\n";
        assert_eq!(runnable_blocks(md), ["std::process::exit(3);\n"]);
        assert_eq!(check(md), "Run:\n\n```text\nstd::process::exit(3);\n```\n");
    }

    #[test]
    fn rustdoc_attributes_become_text() {
        for info in [
            "ignore",
            "no_run",
            "should_panic",
            "compile_fail",
            "edition2021",
            "rust,no_run",
            "json,no_run",
            "ignore-wasm32",
            "E0308",
            "test_harness",
            "Rust",
            "{.rust}",
            " rust ",
        ] {
            let md = format!("```{info}\nfn main() {{}}\n```\n");
            assert_eq!(check(&md), "```text\nfn main() {}\n```\n", "{info}");
        }
    }

    #[test]
    fn other_languages_keep_their_tag() {
        for tag in ["json", "yaml", "sh", "text", "http", "c++", "shell-session"] {
            let md = format!("```{tag}\nx\n```\n");
            assert_eq!(check(&md), md, "{tag}");
        }
        // Only the language is kept of a longer info string.
        assert_eq!(check("```json title=\"a\"\n{}\n```"), "```json\n{}\n```");
    }

    #[test]
    fn tilde_and_long_fences_keep_their_shape() {
        assert_eq!(check("~~~\nx\n~~~\n"), "~~~text\nx\n~~~\n");
        assert_eq!(check("~~~~rust\nx\n~~~~\n"), "~~~~text\nx\n~~~~\n");
        assert_eq!(
            check("````\n```\nx\n```\n````\n"),
            "````text\n```\nx\n```\n````\n"
        );
        assert_eq!(check("  ```\n  x\n  ```"), "  ```text\n  x\n  ```");
    }

    #[test]
    fn an_unclosed_fence_becomes_text() {
        assert_eq!(check("a\n\n```\nexit(3);\nmore"), "a\n\n```text\nexit(3);\nmore");
        assert_eq!(check("```rust"), "```text");
    }

    #[test]
    fn an_indented_block_after_a_blank_line_is_fenced() {
        let md = "Example:\n\n    {\"a\": 1}\n      nested\n\nafter";
        assert_eq!(runnable_blocks(md).len(), 1);
        assert_eq!(
            check(md),
            "Example:\n\n```text\n{\"a\": 1}\n  nested\n```\n\nafter"
        );
    }

    #[test]
    fn indented_lines_that_continue_a_paragraph_are_not_code() {
        let md = "A paragraph\n    that goes on indented\n    and on.";
        assert!(runnable_blocks(md).is_empty());
        assert_eq!(check(md), md);
    }

    #[test]
    fn list_continuation_lines_are_not_code() {
        let md = "- first item\n  continues here\n\n  second paragraph\n- next\n    lazily indented\n\n1. one\n   more of one";
        assert!(runnable_blocks(md).is_empty());
        assert_eq!(check(md), md);
    }

    #[test]
    fn an_indented_block_inside_a_list_item_stays_in_it() {
        let md = "- item\n\n      code()\n      more()\n\n- next";
        assert_eq!(
            check(md),
            "- item\n\n  ```text\n  code()\n  more()\n  ```\n\n- next"
        );
        // A block that starts the item keeps the item's marker on its first line.
        assert_eq!(check("-     code()\n"), "- ```text\n  code()\n  ```\n");
    }

    #[test]
    fn an_indented_block_inside_a_quote_stays_in_it() {
        assert_eq!(
            check("> q\n>\n>     code()\n"),
            "> q\n>\n> ```text\n> code()\n> ```\n"
        );
    }

    #[test]
    fn a_tab_indented_block_is_fenced() {
        assert_eq!(check("\tcode()\n"), "```text\ncode()\n```\n");
    }

    #[test]
    fn fences_nested_in_lists_become_text() {
        let md = "1. step\n\n   ```\n   exit(3);\n   ```\n2. then\n   ~~~rust\n   x\n   ~~~";
        assert_eq!(
            check(md),
            "1. step\n\n   ```text\n   exit(3);\n   ```\n2. then\n   ~~~text\n   x\n   ~~~"
        );
    }

    #[test]
    fn a_fence_inside_an_indented_block_cannot_close_the_new_fence() {
        let out = check("para\n\n    ```\n    exit(3);\n    ```\n");
        assert_eq!(out, "para\n\n````text\n```\nexit(3);\n```\n````\n");
    }

    #[test]
    fn text_without_code_is_untouched() {
        for md in [
            "plain",
            "*emphasis*, `code`, [link](http://x), <b>html</b>",
            "# Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "inline ``` in a line",
            "",
        ] {
            assert_eq!(check(md), md);
        }
    }

    #[test]
    fn windows_line_ends_are_kept() {
        assert_eq!(check("```rust\r\nx\r\n```\r\n"), "```text\r\nx\r\n```\r\n");
    }

    #[test]
    fn escaped_tags_are_read_as_the_parser_reads_them() {
        // `&#114;ust` is `rust` to CommonMark.
        assert_eq!(check("```&#114;ust\nx\n```"), "```text\nx\n```");
    }

    #[test]
    fn the_whole_text_is_fenced_as_a_last_resort() {
        let md = "``` x\n````";
        let out = fenced_whole(md);
        assert!(runnable_blocks(&out).is_empty());
        assert!(out.starts_with("`````text\n"), "{out}");
    }

    #[test]
    fn star_stripping_of_block_comments_cannot_make_code() {
        // Every line after the first starts with `*`: as a `/** */` comment,
        // rustc strips one star from each, and `**     x` becomes a list item
        // holding an indented block.
        let value = "Intro\n* a\n*\n**     std::process::exit(3);";
        assert!(runnable_blocks(&inert(value)).is_empty());
        assert!(!runnable_blocks(&beautify_block(value)).is_empty());
        let out = inert_doc(value);
        assert!(runnable_blocks(&out).is_empty());
        assert!(runnable_blocks(&beautify_block(&out)).is_empty());
    }

    #[test]
    fn beautify_matches_rustc_on_plain_cases() {
        assert_eq!(beautify_block("a\nb"), "a\nb");
        assert_eq!(beautify_block("\n * a\n * b\n"), " a\n b");
        assert_eq!(beautify_block("**\nx\n**"), "x");
    }

    #[test]
    fn one_line_cannot_end_a_comment_line() {
        assert_eq!(
            one_line(" A\n}\nfn evil() {}\r\u{2028}x\t "),
            "A } fn evil() {} x"
        );
    }

    #[test]
    fn bidi_controls_are_escaped() {
        assert_eq!(
            escape_bidi("let s = \"a\u{202E}b\";".into()),
            "let s = \"a\\u{202e}b\";"
        );
        assert_eq!(one_line("a\u{2066}b"), "a b");
    }

    #[test]
    fn doc_attributes_of_a_syntax_tree_are_rewritten() {
        let mut file: syn::File = syn::parse_quote! {
            #[doc = "```\nexit(3);\n```"]
            pub mod m {
                #[doc = "plain"]
                #[doc = "one\r\ntwo\rthree"]
                pub struct S {
                    #[doc = "    indented()"]
                    pub f: u8,
                }
            }
        };
        make_inert(&mut file);
        let printed = prettyplease::unparse(&file);
        assert!(printed.contains("```text\nexit(3);\n```"), "{printed}");
        assert!(printed.contains("```text\nindented()\n```"), "{printed}");
        assert!(printed.contains("///plain"), "{printed}");
        // A bare carriage return does not compile in a doc comment.
        assert!(!printed.contains('\r'), "{printed:?}");
        assert!(printed.contains("one\ntwo\nthree"), "{printed}");
    }
}
