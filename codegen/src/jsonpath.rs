//! The JSONPath subset that overlay targets use: `$`, `.name`, `['name']`,
//! `.*`, `[*]`, `[N]` and filters `[?(@.a.b == 'v' && @.c != 1)]`.
//! Anything else is refused with the column where it stops making sense.

use serde_json::Value;

/// One concrete step to a matched node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seg {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Child(String),
    Index(usize),
    Wildcard,
    Filter(Vec<Condition>),
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    path: Vec<String>,
    equal: bool,
    value: Value,
}

/// A parsed path expression.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

impl JsonPath {
    /// Parses an expression; the error says what is wrong and at which
    /// (1-based) character.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut p = Parser {
            chars: text.chars().collect(),
            pos: 0,
        };
        p.expect('$')?;
        let mut steps = Vec::new();
        while !p.done() {
            steps.push(p.step()?);
        }
        Ok(Self { steps })
    }

    /// Every location the expression selects in `doc`, in document order.
    pub fn select(&self, doc: &Value) -> Vec<Vec<Seg>> {
        let mut current: Vec<Vec<Seg>> = vec![Vec::new()];
        for step in &self.steps {
            let mut next = Vec::new();
            for loc in &current {
                let Some(node) = get(doc, loc) else { continue };
                for seg in children(node, step) {
                    let mut l = loc.clone();
                    l.push(seg);
                    next.push(l);
                }
            }
            current = next;
        }
        current
    }
}

/// The node at a location.
pub fn get<'a>(doc: &'a Value, loc: &[Seg]) -> Option<&'a Value> {
    loc.iter().try_fold(doc, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Index(i) => v.get(*i),
    })
}

/// The node at a location, mutably.
pub fn get_mut<'a>(doc: &'a mut Value, loc: &[Seg]) -> Option<&'a mut Value> {
    loc.iter().try_fold(doc, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k),
        Seg::Index(i) => v.get_mut(*i),
    })
}

/// A location as a JSON pointer.
pub fn to_pointer(loc: &[Seg]) -> String {
    loc.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", crate::error::escape_segment(k)),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn children(node: &Value, step: &Step) -> Vec<Seg> {
    let all = || -> Vec<(Seg, &Value)> {
        match node {
            Value::Object(m) => m.iter().map(|(k, v)| (Seg::Key(k.clone()), v)).collect(),
            Value::Array(a) => a.iter().enumerate().map(|(i, v)| (Seg::Index(i), v)).collect(),
            _ => Vec::new(),
        }
    };
    match step {
        Step::Child(name) => node
            .get(name)
            .map(|_| vec![Seg::Key(name.clone())])
            .unwrap_or_default(),
        Step::Index(i) => node
            .as_array()
            .filter(|a| *i < a.len())
            .map(|_| vec![Seg::Index(*i)])
            .unwrap_or_default(),
        Step::Wildcard => all().into_iter().map(|(s, _)| s).collect(),
        Step::Filter(conds) => all()
            .into_iter()
            .filter(|(_, v)| conds.iter().all(|c| c.holds(v)))
            .map(|(s, _)| s)
            .collect(),
    }
}

impl Condition {
    fn holds(&self, v: &Value) -> bool {
        let found = self.path.iter().try_fold(v, |v, k| v.get(k));
        match found {
            Some(found) => (found == &self.value) == self.equal,
            None => !self.equal,
        }
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn done(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at character {}", self.pos + 1))
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(&format!("expected `{c}`"))
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '$')
        {
            self.pos += 1;
        }
        if start == self.pos {
            return self.err("expected a member name");
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    fn quoted(&mut self) -> Result<String, String> {
        let Some(quote) = self.peek().filter(|c| *c == '\'' || *c == '"') else {
            return self.err("expected a quoted string");
        };
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return self.err("unterminated string"),
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c) => out.push(c),
                        None => return self.err("unterminated string"),
                    }
                }
                Some(c) if c == quote => break,
                Some(c) => out.push(c),
            }
            self.pos += 1;
        }
        self.pos += 1;
        Ok(out)
    }

    fn step(&mut self) -> Result<Step, String> {
        match self.peek() {
            Some('.') => {
                self.pos += 1;
                match self.peek() {
                    Some('*') => {
                        self.pos += 1;
                        Ok(Step::Wildcard)
                    }
                    Some('.') => self.err("recursive descent `..` is not supported"),
                    _ => Ok(Step::Child(self.name()?)),
                }
            }
            Some('[') => {
                self.pos += 1;
                self.skip_ws();
                let step = match self.peek() {
                    Some('*') => {
                        self.pos += 1;
                        Step::Wildcard
                    }
                    Some('\'' | '"') => Step::Child(self.quoted()?),
                    Some('?') => {
                        self.pos += 1;
                        self.skip_ws();
                        let paren = self.peek() == Some('(');
                        if paren {
                            self.pos += 1;
                        }
                        let conds = self.conditions()?;
                        if paren {
                            self.skip_ws();
                            self.expect(')')?;
                        }
                        Step::Filter(conds)
                    }
                    Some(c) if c.is_ascii_digit() => {
                        let start = self.pos;
                        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                            self.pos += 1;
                        }
                        let digits: String = self.chars[start..self.pos].iter().collect();
                        Step::Index(
                            digits
                                .parse()
                                .map_err(|_| format!("index too large at character {}", start + 1))?,
                        )
                    }
                    _ => return self.err("expected `*`, a quoted name, an index or a filter `?(...)`"),
                };
                self.skip_ws();
                self.expect(']')?;
                Ok(step)
            }
            _ => self.err("expected `.` or `[`"),
        }
    }

    fn conditions(&mut self) -> Result<Vec<Condition>, String> {
        let mut conds = vec![self.condition()?];
        loop {
            self.skip_ws();
            if self.chars[self.pos..].starts_with(&['&', '&']) {
                self.pos += 2;
                conds.push(self.condition()?);
            } else {
                return Ok(conds);
            }
        }
    }

    fn condition(&mut self) -> Result<Condition, String> {
        self.skip_ws();
        self.expect('@')?;
        let mut path = Vec::new();
        while self.peek() == Some('.') {
            self.pos += 1;
            path.push(self.name()?);
        }
        if path.is_empty() {
            return self.err("expected `@.member`");
        }
        self.skip_ws();
        let equal = if self.chars[self.pos..].starts_with(&['=', '=']) {
            true
        } else if self.chars[self.pos..].starts_with(&['!', '=']) {
            false
        } else {
            return self.err("expected `==` or `!=`");
        };
        self.pos += 2;
        self.skip_ws();
        let value = match self.peek() {
            Some('\'' | '"') => Value::String(self.quoted()?),
            _ => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '.')
                {
                    self.pos += 1;
                }
                let word: String = self.chars[start..self.pos].iter().collect();
                match serde_json::from_str::<Value>(&word) {
                    Ok(v) if !v.is_object() && !v.is_array() => v,
                    _ => return self.err("expected a string, number, true, false or null"),
                }
            }
        };
        Ok(Condition { path, equal, value })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pointers(path: &str, doc: &Value) -> Vec<String> {
        JsonPath::parse(path)
            .unwrap()
            .select(doc)
            .iter()
            .map(|l| to_pointer(l))
            .collect()
    }

    #[test]
    fn selects_by_name_quoted_name_wildcard_and_index() {
        let doc = json!({"paths": {"/a/{b}": {"put": {"parameters": [{"name": "x"}, {"name": "y"}]}}}});
        assert_eq!(pointers("$.paths['/a/{b}'].put", &doc), ["/paths/~1a~1{b}/put"]);
        assert_eq!(
            pointers("$.paths[*].put.parameters[1]", &doc),
            ["/paths/~1a~1{b}/put/parameters/1"]
        );
        assert_eq!(pointers("$.paths.*", &doc), ["/paths/~1a~1{b}"]);
        assert_eq!(pointers("$", &doc), [""]);
    }

    #[test]
    fn filters_compare_members() {
        let doc = json!({"p": [{"name": "a", "in": "path"}, {"name": "b", "in": "header"}, {"name": "a", "in": "query"}]});
        assert_eq!(pointers("$.p[?(@.name == 'a')]", &doc), ["/p/0", "/p/2"]);
        assert_eq!(
            pointers("$.p[?(@.name == 'a' && @.in == \"query\")]", &doc),
            ["/p/2"]
        );
        assert_eq!(pointers("$.p[?@.in != 'path']", &doc), ["/p/1", "/p/2"]);
    }

    #[test]
    fn no_match_is_empty() {
        assert!(pointers("$.nope.deeper", &json!({})).is_empty());
    }

    #[test]
    fn unsupported_syntax_names_the_character() {
        assert_eq!(
            JsonPath::parse("$..x").unwrap_err(),
            "recursive descent `..` is not supported at character 3"
        );
        assert!(JsonPath::parse("paths").unwrap_err().contains("character 1"));
        assert!(JsonPath::parse("$.a[").is_err());
        assert!(JsonPath::parse("$.a[?(@.x == )]").is_err());
    }
}
