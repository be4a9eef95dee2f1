//! A strict JSON reader (RFC 8259) that checks a document against a [`Shape`] in one pass and
//! builds nothing: it tells a [`Sink`] the few values the client needs (job ids, the count,
//! link relations, an error's fields) and which spans to cut so the text says exactly what the
//! documented types say (unknown fields and `null`s read as absent). JavaScript's `JSON.parse`
//! then builds the objects the caller gets. Errors carry the JSON path of where it went wrong.

use alloc::borrow::Cow;
use alloc::{boxed::Box, string::String, vec::Vec};

/// Nesting deeper than this is refused: serde_json's limit, which refuses the 128th level.
const MAX_DEPTH: usize = 127;

/// The type a value must have.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    String,
    /// An integer that fits 32 bits (the spec's `int32`).
    Int32,
    /// An integer that fits 64 bits.
    Int64,
    /// Any number.
    Number,
    /// Any JSON value, checked for syntax only.
    Any,
    Array(&'static Shape),
    Object(&'static Object),
}

/// An object type: its fields, each with its shape. Unknown fields are allowed and cut.
#[derive(Debug)]
pub struct Object {
    /// The type's name, as errors say what was expected (`struct ExportJob`).
    pub name: &'static str,
    pub fields: &'static [Field],
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// Non-zero: hand this field's value to the sink under this tag.
    pub tag: u8,
}

impl Field {
    pub const fn optional(name: &'static str, shape: Shape) -> Self {
        Field {
            name,
            shape,
            required: false,
            tag: 0,
        }
    }

    pub const fn required(name: &'static str, shape: Shape) -> Self {
        Field {
            name,
            shape,
            required: true,
            tag: 0,
        }
    }

    pub const fn tagged(self, tag: u8) -> Self {
        Field { tag, ..self }
    }
}

/// What the reader tells its sink.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen<'a> {
    /// A tagged string field's value.
    Text(Cow<'a, str>),
    /// A tagged integer field's value.
    Integer(i64),
    /// A tagged number field's value.
    Number(f64),
    /// A tagged array, object or `Any` field's value: its text spans `start..end`.
    Span(usize, usize),
    /// One element of a tagged array field, spanning `start..end`; told after whatever the
    /// element's own fields told.
    Item(usize, usize),
}

/// Receives what the reader finds, in document order.
pub trait Sink {
    fn seen(&mut self, tag: u8, what: Seen<'_>);
    /// The text `start..end` is to be cut: an unknown field or a `null` read as absent.
    fn cut(&mut self, start: usize, end: usize);
}

pub use crate::error::json::{Error, Problem};

enum Segment<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// A number as written: an integer that fits 64 bits, or anything else.
enum Numeral {
    Integer(i64),
    Float,
}

struct Reader<'a, 's> {
    text: &'a str,
    pos: usize,
    depth: usize,
    path: Vec<Segment<'a>>,
    sink: &'s mut dyn Sink,
    /// Inside an unknown field, which is cut before anyone parses the text: only its grammar is
    /// checked, as serde_json skips one (no depth limit, any number, lone surrogates).
    lenient: bool,
}

/// Checks that all of `text` is one value of `shape`, telling `sink` what it finds.
pub fn check(text: &str, shape: &Shape, sink: &mut dyn Sink) -> Result<(), Box<Error>> {
    let mut reader = Reader {
        text,
        pos: 0,
        depth: 0,
        path: Vec::new(),
        sink,
        lenient: false,
    };
    reader.value(shape, 0)?;
    match reader.peek() {
        None => Ok(()),
        Some(_) => Err(Box::new(reader.syntax_ahead("trailingCharacters"))),
    }
}

/// The spans of the items of `text`, a JSON array, or `None` if it is not one.
pub fn array_items(text: &str) -> Option<Vec<(usize, usize)>> {
    struct Items(Vec<(usize, usize)>);
    impl Sink for Items {
        fn seen(&mut self, _: u8, what: Seen<'_>) {
            if let Seen::Item(start, end) = what {
                self.0.push((start, end));
            }
        }
        fn cut(&mut self, _: usize, _: usize) {}
    }
    let mut items = Items(Vec::new());
    let mut reader = Reader {
        text,
        pos: 0,
        depth: 0,
        path: Vec::new(),
        sink: &mut items,
        lenient: false,
    };
    reader.value(&Shape::Array(&Shape::Any), 1).ok()?;
    reader.peek().is_none().then_some(items.0)
}

impl<'a> Reader<'a, '_> {
    #[inline(always)]
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.byte() {
            self.pos += 1;
        }
        self.byte()
    }

    #[inline(always)]
    fn next_byte(&mut self) -> Option<u8> {
        let byte = self.byte()?;
        self.pos += 1;
        Some(byte)
    }

    // ---- errors --------------------------------------------------------------------------------

    fn error_at(&self, index: usize, problem: Problem) -> Error {
        let before = self.text.as_bytes().get(..index).unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i.saturating_add(1));
        let line = 1usize.saturating_add(before.iter().filter(|&&b| b == b'\n').count());
        let mut path = String::from("$");
        for segment in &self.path {
            match segment {
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    crate::support::text::push_decimal(&mut path, *index as u64);
                    path.push(']');
                }
            }
        }
        Error {
            path,
            offset: index,
            line,
            column: index.saturating_sub(line_start),
            problem,
        }
    }

    /// A syntax error at the last byte read.
    fn syntax(&self, code: &'static str) -> Error {
        self.error_at(self.pos, Problem::Syntax(code))
    }

    /// A syntax error at the next byte, not yet read.
    fn syntax_ahead(&self, code: &'static str) -> Error {
        self.error_at(
            self.pos.saturating_add(1).min(self.text.len()),
            Problem::Syntax(code),
        )
    }

    /// The next value is not `expected`: read it to say what it is.
    fn invalid_type(&mut self, expected: &'static str) -> Error {
        let start = self.pos;
        let found = match self.peek() {
            None => return self.syntax_ahead("eofValue"),
            Some(b'[') => "sequence",
            Some(b'{') => "map",
            Some(b'"') => {
                self.pos += 1;
                if let Err(error) = self.string_body() {
                    return error;
                }
                "string"
            }
            Some(b'n' | b't' | b'f') => match self.literal() {
                Ok(None) => "null",
                Ok(Some(_)) => "boolean",
                Err(error) => return error,
            },
            Some(b'-' | b'0'..=b'9') => match self.numeral() {
                Ok(Numeral::Integer(_)) => "integer",
                Ok(Numeral::Float) => "floating point",
                Err(error) => return error,
            },
            Some(_) => return self.syntax_ahead("expectedValue"),
        };
        let text = if self.pos > start {
            (start, self.pos)
        } else {
            (start, start)
        };
        self.error_at(
            self.pos,
            Problem::Type {
                expected,
                found,
                text,
            },
        )
    }

    // ---- scalars -------------------------------------------------------------------------------

    /// `null`, `true` or `false`, as `None` or the boolean.
    fn literal(&mut self) -> Result<Option<bool>, Error> {
        let (rest, value): (&[u8], _) = match self.next_byte() {
            Some(b'n') => (b"ull", None),
            Some(b't') => (b"rue", Some(true)),
            _ => (b"alse", Some(false)),
        };
        for expected in rest {
            match self.next_byte() {
                None => return Err(self.syntax("eofValue")),
                Some(b) if b != *expected => return Err(self.syntax("expectedIdent")),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    /// A number's text, checked against the grammar, and its value when it is an integer that
    /// fits 64 bits. A float must be finite.
    fn numeral(&mut self) -> Result<Numeral, Error> {
        let start = self.pos;
        let negative = self.byte() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let mut magnitude: Option<u64> = Some(0);
        match self.next_byte() {
            Some(b'0') => {
                if let Some(b'0'..=b'9') = self.byte() {
                    return Err(self.syntax_ahead("invalidNumber"));
                }
            }
            Some(d @ b'1'..=b'9') => {
                magnitude = Some(u64::from(d - b'0'));
                while let Some(d @ b'0'..=b'9') = self.byte() {
                    magnitude = magnitude
                        .and_then(|m| m.checked_mul(10))
                        .and_then(|m| m.checked_add(u64::from(d - b'0')));
                    self.pos += 1;
                }
            }
            None => return Err(self.syntax("eofValue")),
            Some(_) => return Err(self.syntax("invalidNumber")),
        }
        let mut float = false;
        if self.byte() == Some(b'.') {
            float = true;
            self.pos += 1;
            let fraction = self.pos;
            while let Some(b'0'..=b'9') = self.byte() {
                self.pos += 1;
            }
            if self.pos == fraction {
                let code = if self.byte().is_none() {
                    "eofValue"
                } else {
                    "invalidNumber"
                };
                return Err(self.syntax_ahead(code));
            }
        }
        if let Some(b'e' | b'E') = self.byte() {
            float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.byte() {
                self.pos += 1;
            }
            match self.next_byte() {
                Some(b'0'..=b'9') => {}
                None => return Err(self.syntax("eofValue")),
                Some(_) => return Err(self.syntax("invalidNumber")),
            }
            while let Some(b'0'..=b'9') = self.byte() {
                self.pos += 1;
            }
        }
        let integer = magnitude.filter(|_| !float).and_then(|m| {
            if negative {
                // `-0` is a float, as in serde_json.
                (m != 0).then(|| 0i64.checked_sub_unsigned(m)).flatten()
            } else {
                i64::try_from(m).ok()
            }
        });
        match integer {
            Some(value) => Ok(Numeral::Integer(value)),
            None => {
                let text = self.text.get(start..self.pos).unwrap_or_default();
                if !self.lenient && number(text).is_none() {
                    return Err(self.error_at(self.pos, Problem::Syntax("numberOutOfRange")));
                }
                Ok(Numeral::Float)
            }
        }
    }

    /// Most of a body is plain string bytes: goes to the next one that is not (a quote, a
    /// backslash or a control character), eight bytes at a time while none of them ends the run.
    #[inline(always)]
    fn skip_plain(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(word) = bytes.get(self.pos..).and_then(<[u8]>::first_chunk::<8>) {
            if ends_plain_run(u64::from_le_bytes(*word)) {
                break;
            }
            self.pos += 8;
        }
        while let Some(&b) = bytes.get(self.pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            self.pos += 1;
        }
    }

    /// A string's contents, after its opening quote: borrowed unless it has escapes.
    fn string_body(&mut self) -> Result<Cow<'a, str>, Error> {
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            self.skip_plain();
            match self.next_byte() {
                None => return Err(self.syntax("eofString")),
                Some(b'"') => {
                    let tail = self
                        .text
                        .get(run..self.pos.saturating_sub(1))
                        .unwrap_or_default();
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let chunk = self
                        .text
                        .get(run..self.pos.saturating_sub(1))
                        .unwrap_or_default();
                    let c = self.escape()?;
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(chunk);
                    s.push(c);
                    run = self.pos;
                }
                Some(_) => return Err(self.syntax("controlCharacter")),
            }
        }
    }

    /// A string's contents, checked but not kept.
    fn skip_string(&mut self) -> Result<(), Error> {
        loop {
            self.skip_plain();
            match self.next_byte() {
                None => return Err(self.syntax("eofString")),
                Some(b'"') => return Ok(()),
                Some(b'\\') => {
                    self.escape()?;
                }
                Some(_) => return Err(self.syntax("controlCharacter")),
            }
        }
    }

    /// One escape sequence after its backslash.
    fn escape(&mut self) -> Result<char, Error> {
        Ok(match self.next_byte() {
            None => return Err(self.syntax("eofString")),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let high = self.hex4()?;
                if self.lenient {
                    return Ok(char::REPLACEMENT_CHARACTER);
                }
                if (0xDC00..=0xDFFF).contains(&high) {
                    return Err(self.syntax("loneSurrogate"));
                }
                if !(0xD800..=0xDBFF).contains(&high) {
                    return char::from_u32(high).ok_or_else(|| self.syntax("invalidEscape"));
                }
                // The low surrogate must follow at once.
                for expected in [b'\\', b'u'] {
                    match self.next_byte() {
                        None => return Err(self.syntax("eofString")),
                        Some(b) if b != expected => return Err(self.syntax("loneSurrogate")),
                        Some(_) => {}
                    }
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.syntax("loneSurrogate"));
                }
                let code = 0x1_0000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code).ok_or_else(|| self.syntax("invalidEscape"));
            }
            Some(_) => return Err(self.syntax("invalidEscape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(digits) = self
            .text
            .as_bytes()
            .get(self.pos..self.pos.saturating_add(4))
        else {
            self.pos = self.text.len();
            return Err(self.syntax("eofString"));
        };
        self.pos += 4;
        digits
            .iter()
            .try_fold(0, |n, &d| char::from(d).to_digit(16).map(|d| n * 16 + d))
            .ok_or_else(|| self.syntax("invalidEscape"))
    }

    // ---- values of a shape ---------------------------------------------------------------------

    /// A value of `shape`; `tag` non-zero hands it to the sink.
    fn value(&mut self, shape: &Shape, tag: u8) -> Result<(), Error> {
        match shape {
            Shape::String => {
                if self.peek() != Some(b'"') {
                    return Err(self.invalid_type("a string"));
                }
                self.pos += 1;
                if tag == 0 {
                    self.skip_string()
                } else {
                    let text = self.string_body()?;
                    self.sink.seen(tag, Seen::Text(text));
                    Ok(())
                }
            }
            Shape::Int32 | Shape::Int64 => {
                let expected = if matches!(shape, Shape::Int32) {
                    "i32"
                } else {
                    "i64"
                };
                if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
                    return Err(self.invalid_type(expected));
                }
                let start = self.pos;
                match self.numeral()? {
                    Numeral::Integer(value) => {
                        let fits = !matches!(shape, Shape::Int32) || i32::try_from(value).is_ok();
                        if !fits {
                            return Err(self.error_at(
                                self.pos,
                                Problem::OutOfRange {
                                    expected,
                                    text: (start, self.pos),
                                },
                            ));
                        }
                        if tag != 0 {
                            self.sink.seen(tag, Seen::Integer(value));
                        }
                        Ok(())
                    }
                    Numeral::Float => {
                        self.pos = start;
                        Err(self.invalid_type(expected))
                    }
                }
            }
            Shape::Number => {
                if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
                    return Err(self.invalid_type("f64"));
                }
                let start = self.pos;
                self.numeral()?;
                if tag != 0 {
                    let text = self.text.get(start..self.pos).unwrap_or_default();
                    self.sink
                        .seen(tag, Seen::Number(number(text).unwrap_or(0.0)));
                }
                Ok(())
            }
            Shape::Any => {
                let start = self.pos;
                self.skip()?;
                if tag != 0 {
                    self.sink.seen(tag, Seen::Span(start, self.pos));
                }
                Ok(())
            }
            Shape::Array(item) => {
                self.peek();
                let start = self.pos;
                self.open(b'[', "a sequence")?;
                let mut index = 0;
                while self.next_item(index == 0, b']')?.is_some() {
                    self.path.push(Segment::Index(index));
                    let item_start = self.pos;
                    self.value(item, 0)?;
                    if tag != 0 {
                        self.sink.seen(tag, Seen::Item(item_start, self.pos));
                    }
                    self.path.pop();
                    index += 1;
                }
                self.close();
                if tag != 0 {
                    self.sink.seen(tag, Seen::Span(start, self.pos));
                }
                Ok(())
            }
            Shape::Object(object) => {
                self.peek();
                let start = self.pos;
                self.object(object)?;
                if tag != 0 {
                    self.sink.seen(tag, Seen::Span(start, self.pos));
                }
                Ok(())
            }
        }
    }

    /// An object of `object`'s type. Unknown fields and `null`s of optional fields are cut, with
    /// the comma that joins them to a neighbour, so what is left is still JSON.
    fn object(&mut self, object: &Object) -> Result<(), Error> {
        self.open(b'{', object.name)?;
        let mut seen = 0u32;
        let mut last = 0usize;
        // Where the kept members end (after the opening brace at first), and whether the first
        // member was cut, in which case the next kept member's leading comma goes too.
        let mut kept_end = self.pos;
        let mut kept_any = false;
        let mut first = true;
        while let Some(b'"') = self.next_item(first, b'}')? {
            let key_start = self.pos;
            if !first && !kept_any {
                // Everything before this member was cut: so is the comma before it.
                self.sink.cut(kept_end, key_start);
            }
            first = false;
            self.pos += 1;
            let key = self.string_body()?;
            // Atlas sends the fields in the documented order: try the one after the last first.
            let index = match object.fields.get(last.saturating_add(1)) {
                Some(f) if f.name == key => Some(last.saturating_add(1)),
                _ => object.fields.iter().position(|f| f.name == key),
            };
            self.colon()?;
            let keep = match index.and_then(|i| object.fields.get(i).map(|f| (i, f))) {
                Some((i, field)) => {
                    let bit = 1u32.checked_shl(i as u32).unwrap_or(0);
                    if seen & bit != 0 {
                        return Err(
                            self.error_at(self.pos, Problem::Duplicate { field: field.name })
                        );
                    }
                    seen |= bit;
                    last = i;
                    self.path.push(Segment::Key(Cow::Borrowed(field.name)));
                    let present = if !field.required && self.peek() == Some(b'n') {
                        // null: read as absent, so cut.
                        self.literal()?;
                        false
                    } else {
                        self.value(&field.shape, field.tag)?;
                        true
                    };
                    self.path.pop();
                    present
                }
                None => {
                    self.path.push(Segment::Key(key));
                    self.lenient = true;
                    let skipped = self.skip();
                    self.lenient = false;
                    skipped?;
                    self.path.pop();
                    false
                }
            };
            if keep {
                kept_end = self.pos;
                kept_any = true;
            } else if kept_any {
                self.sink.cut(kept_end, self.pos);
            } else {
                self.sink.cut(key_start, self.pos);
            }
        }
        self.close();
        if let Some(missing) = object
            .fields
            .iter()
            .enumerate()
            .find(|(i, f)| f.required && seen & 1u32.checked_shl(*i as u32).unwrap_or(0) == 0)
            .map(|(_, f)| f)
        {
            self.path.push(Segment::Key(Cow::Borrowed(missing.name)));
            return Err(self.error_at(
                self.pos,
                Problem::Missing {
                    field: missing.name,
                },
            ));
        }
        Ok(())
    }

    fn open(&mut self, bracket: u8, expected: &'static str) -> Result<(), Error> {
        match self.peek() {
            None => Err(self.syntax_ahead("eofValue")),
            Some(b) if b == bracket => {
                self.depth = self.depth.saturating_add(1);
                if self.depth > MAX_DEPTH {
                    return Err(self.syntax("recursionLimit"));
                }
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.invalid_type(expected)),
        }
    }

    /// After the last element or field: the closing bracket, which `next_item` has seen.
    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.pos += 1;
    }

    /// Inside an array or object ending in `close`: the first byte of the next item, not consumed
    /// (the comma before it read), or `None` where the container ends.
    fn next_item(&mut self, first: bool, close: u8) -> Result<Option<u8>, Error> {
        let (separator, eof) = if close == b']' {
            ("expectedCommaOrBracket", "eofList")
        } else {
            ("expectedCommaOrBrace", "eofObject")
        };
        let mut peek = self.peek();
        match peek {
            Some(b) if b == close => return Ok(None),
            Some(b',') if !first => {
                self.pos += 1;
                peek = self.peek();
            }
            Some(_) if first => {}
            Some(_) => return Err(self.syntax_ahead(separator)),
            None => return Err(self.syntax_ahead(eof)),
        }
        match peek {
            Some(b) if b == close => Err(self.syntax_ahead("trailingComma")),
            Some(b'"') if close == b'}' => Ok(Some(b'"')),
            Some(_) if close == b'}' => Err(self.syntax_ahead("keyMustBeString")),
            Some(b) => Ok(Some(b)),
            None => Err(self.syntax_ahead("eofValue")),
        }
    }

    fn colon(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.syntax_ahead("expectedColon")),
            None => Err(self.syntax_ahead("eofObject")),
        }
    }

    /// Any JSON value, checked and skipped. Iterative, so no nesting can exhaust the stack.
    fn skip(&mut self) -> Result<(), Error> {
        // The open containers, each with whether its next item is its first.
        let mut open: Vec<(u8, bool)> = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.syntax_ahead("eofValue")),
                Some(b'n' | b't' | b'f') => {
                    self.literal()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.numeral()?;
                }
                Some(b'"') => {
                    self.pos += 1;
                    self.skip_string()?;
                }
                Some(b @ (b'[' | b'{')) => {
                    if !self.lenient && self.depth.saturating_add(open.len()) >= MAX_DEPTH {
                        return Err(self.syntax_ahead("recursionLimit"));
                    }
                    self.pos += 1;
                    open.push((if b == b'[' { b']' } else { b'}' }, true));
                }
                Some(_) => return Err(self.syntax_ahead("expectedValue")),
            }
            // After it: close every level that ends, then find where the next value starts.
            loop {
                let Some(&mut (close, first)) = open.last_mut() else {
                    return Ok(());
                };
                let next = self.next_item(first, close)?;
                if let Some(top) = open.last_mut() {
                    top.1 = false;
                }
                if next.is_some() {
                    if close == b'}' {
                        self.pos += 1;
                        self.skip_string()?;
                        self.colon()?;
                    }
                    break;
                }
                self.pos += 1;
                open.pop();
            }
        }
    }
}

/// Powers of ten as f64, exactly as the literals round.
#[rustfmt::skip]
static POW10: [f64; 23] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/// The value of a JSON number's text, or `None` when it is not a JSON number or is too large for
/// an f64. Simple arithmetic: the significand's first 19 digits times powers of ten, which is
/// exact for the integers and short decimals Atlas sends (`expires_in`, a parameter's seconds)
/// and close for anything else. Rust's exact float parser would add 10 KB of tables.
pub fn number(text: &str) -> Option<f64> {
    let mut bytes = text.bytes().peekable();
    let negative = bytes.next_if_eq(&b'-').is_some();
    let (mut significand, mut exponent) = (0u64, 0i64);
    let mut digits = 0u32;
    let push = |significand: &mut u64, exponent: &mut i64, d: u8, fraction: bool| {
        match significand
            .checked_mul(10)
            .and_then(|s| s.checked_add(u64::from(d - b'0')))
        {
            Some(next) => {
                *significand = next;
                if fraction {
                    *exponent = exponent.saturating_sub(1);
                }
            }
            // Past what a u64 holds, digits only scale the number (or, after the point, vanish).
            None if !fraction => *exponent = exponent.saturating_add(1),
            None => {}
        }
    };
    while let Some(d) = bytes.next_if(u8::is_ascii_digit) {
        push(&mut significand, &mut exponent, d, false);
        digits = digits.saturating_add(1);
    }
    if digits == 0 {
        return None;
    }
    if bytes.next_if_eq(&b'.').is_some() {
        let mut fraction = 0;
        while let Some(d) = bytes.next_if(u8::is_ascii_digit) {
            push(&mut significand, &mut exponent, d, true);
            fraction += 1;
        }
        if fraction == 0 {
            return None;
        }
    }
    if bytes.next_if(|b| matches!(b, b'e' | b'E')).is_some() {
        let positive = !matches!(bytes.next_if(|b| matches!(b, b'+' | b'-')), Some(b'-'));
        let mut exp: i64 = 0;
        let mut exp_digits = 0;
        while let Some(d) = bytes.next_if(u8::is_ascii_digit) {
            exp = exp.saturating_mul(10).saturating_add(i64::from(d - b'0'));
            exp_digits += 1;
        }
        if exp_digits == 0 {
            return None;
        }
        exponent = if positive {
            exponent.saturating_add(exp)
        } else {
            exponent.saturating_sub(exp)
        };
    }
    if bytes.next().is_some() {
        return None;
    }
    let mut f = significand as f64;
    let mut remaining = exponent;
    while remaining != 0 && f != 0.0 {
        let step = remaining.clamp(-22, 22);
        let pow = POW10
            .get(step.unsigned_abs() as usize)
            .copied()
            .unwrap_or(1.0);
        if step > 0 {
            f *= pow;
        } else {
            f /= pow;
        }
        if f.is_infinite() {
            return None;
        }
        remaining = remaining.saturating_sub(step);
    }
    Some(if negative { -f } else { f })
}

/// Whether any of the eight bytes in `word` is a quote, a backslash or a control character
/// (the classic "has a zero byte" test, applied to each of those three conditions).
#[inline(always)]
fn ends_plain_run(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let quote = has_zero(word ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
    // A byte below 0x20; bytes of 0x80 and above (UTF-8) never count, being masked by `!word`.
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control != 0
}

/// The `span` of `text` with the `cuts` (in any order, possibly nested or overlapping) taken out.
pub fn without(text: &str, span: (usize, usize), mut cuts: Vec<(usize, usize)>) -> String {
    // Cuts come nearly in order, so an insertion sort is quick, and far smaller than the
    // standard library's sort in the .wasm.
    for i in 1..cuts.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (cuts.get(j - 1), cuts.get(j)) else {
                break;
            };
            if a <= b {
                break;
            }
            cuts.swap(j - 1, j);
            j -= 1;
        }
    }
    let (start, end) = span;
    let mut out = String::with_capacity(end.saturating_sub(start));
    let mut at = start;
    for (from, to) in cuts {
        let (from, to) = (from.max(start), to.min(end));
        if to <= at || from >= to {
            continue;
        }
        if from > at {
            out.push_str(text.get(at..from).unwrap_or_default());
        }
        at = to;
    }
    out.push_str(text.get(at..end).unwrap_or_default());
    out
}
