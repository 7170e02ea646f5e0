//! Diagnostics: every failure names the file, the place in it (line:column or
//! JSON pointer) and what to do about it.

use std::fmt;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Nowhere more precise than the file itself.
    File,
    /// A 1-based line and column, for syntax errors.
    LineCol(usize, usize),
    /// A JSON pointer (RFC 6901) into the document.
    Pointer(String),
}

/// One problem, with enough context to fix it without reading our code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it (relative paths stay relative).
    pub file: String,
    /// The place in the file.
    pub place: Place,
    /// The API and operation concerned, when known.
    pub context: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            place: Place::File,
            context: None,
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a JSON pointer in a file.
    pub fn at(file: impl Into<String>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            place: Place::Pointer(pointer.into()),
            ..Self::file(file, message)
        }
    }

    /// A problem at a line and column in a file.
    pub fn line_col(file: impl Into<String>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self {
            place: Place::LineCol(line, col),
            ..Self::file(file, message)
        }
    }

    /// Adds what to do about it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the API and operation concerned.
    pub fn context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Place::File => write!(f, "{}", self.file)?,
            Place::LineCol(line, col) => write!(f, "{}:{line}:{col}", self.file)?,
            Place::Pointer(p) => write!(f, "{}#{p}", self.file)?,
        }
        if let Some(context) = &self.context {
            write!(f, " ({context})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The pipeline's error: one or more diagnostics, all reported at once so a
/// spec author can fix everything in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// Collects diagnostics; `None` when there are none.
    pub fn from_all(diagnostics: Vec<Diagnostic>) -> Option<Self> {
        (!diagnostics.is_empty()).then_some(Self { diagnostics })
    }

    /// The diagnostics, in the order they were found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Self { diagnostics: vec![d] }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The pipeline's result type.
pub type Result<T> = std::result::Result<T, Error>;
