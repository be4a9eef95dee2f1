//! A JSON document that is not what was expected: where, and what is wrong with it. The JSON
//! reader (`wire::json`) finds these; failures carry them.

use alloc::{borrow::ToOwned, string::String};

use crate::error::facts::{Describe, Facts};
use crate::support::limits::{FOUND_TEXT_LIMIT, SECRET_MARGIN};

/// What went wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// A JSON path such as `$.results[3].state`.
    pub path: String,
    /// Byte offset into the document, and the line and column (bytes since the line's start)
    /// it is on, both from 1.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON at all; the code says what the reader met (`eofValue`, `expectedColon`, ...).
    Syntax(&'static str),
    /// A value of the wrong type: `found` is its kind, `text` its JSON text when it is a scalar.
    Type {
        expected: &'static str,
        found: &'static str,
        text: (usize, usize),
    },
    /// An integer outside the type's range.
    OutOfRange {
        expected: &'static str,
        text: (usize, usize),
    },
    Duplicate {
        field: &'static str,
    },
    Missing {
        field: &'static str,
    },
}

impl Error {
    pub fn is_syntax(&self) -> bool {
        matches!(self.problem, Problem::Syntax(_))
    }

    /// The found value's JSON text in `text`, the document (its first `FOUND_TEXT_LIMIT` bytes and
    /// a margin for scrubbing, which `redact::scrub_failure` then cuts), for a type
    /// or range problem.
    pub fn found_in(&self, text: &str) -> Option<String> {
        let (start, end) = match self.problem {
            Problem::Type { text, .. } | Problem::OutOfRange { text, .. } => text,
            _ => return None,
        };
        // A margin past what is kept, for scrubbing (see `redact`), which then cuts it.
        let limit = FOUND_TEXT_LIMIT.saturating_add(SECRET_MARGIN);
        let mut end = end.min(start.saturating_add(limit));
        while !text.is_char_boundary(end) && end > start {
            end = end.saturating_sub(1);
        }
        text.get(start..end).map(ToOwned::to_owned)
    }

    /// The facts of this error; `found` is the found value's text ([`Error::found_in`]).
    pub fn describe_with(&self, found: Option<&str>, facts: &mut dyn Facts) {
        facts.text("path", &self.path);
        facts.number("line", self.line as f64);
        facts.number("column", self.column as f64);
        let problem = match self.problem {
            Problem::Syntax(code) => {
                facts.text("syntax", code);
                "syntax"
            }
            Problem::Type {
                expected, found, ..
            } => {
                facts.text("expected", expected);
                facts.text("found", found);
                "type"
            }
            Problem::OutOfRange { expected, .. } => {
                facts.text("expected", expected);
                "range"
            }
            Problem::Duplicate { field } => {
                facts.text("field", field);
                "duplicate"
            }
            Problem::Missing { field } => {
                facts.text("field", field);
                "missing"
            }
        };
        facts.text("problem", problem);
        if let Some(found) = found {
            facts.text("foundText", found);
        }
    }
}

impl Describe for Error {
    fn describe(&self, facts: &mut dyn Facts) {
        self.describe_with(None, facts);
    }
}
