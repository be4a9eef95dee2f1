//! A strict JSON reader (RFC 8259) for the few documents this client decodes, which knows the JSON
//! path of where it is. Documents are read through [`read_all`]; `decode` and the token endpoint
//! describe their types with it field by field. It replaces serde_json's derived deserializers
//! wrapped in serde_path_to_error, which were two fifths of the `.wasm`, and keeps their errors:
//! the same paths, the same wording (`invalid type: integer `3`, expected a string at line 1
//! column 57`).

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

/// serde_json's limit on nested arrays and objects.
const MAX_DEPTH: usize = 128;

/// What went wrong, and where: a JSON path such as `$.results[3].state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub path: String,
    pub message: String,
    /// The text is not JSON at all (as opposed to JSON of the wrong shape).
    pub syntax: bool,
}

enum Segment<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// A number as written: an integer that fits 64 bits, or anything else (a float).
enum Numeral {
    Integer { negative: bool, magnitude: u64 },
    Float,
}

/// Reads one JSON document from the start, value by value.
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    path: Vec<Segment<'a>>,
    /// Inside a value being skipped, whose inner keys are not tracked.
    skipping: bool,
    /// Whether everything read so far decodes to exactly what the text says: no field was
    /// skipped as unknown and no `null` was read as absent.
    pub exact: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
            path: Vec::new(),
            skipping: false,
            exact: true,
        }
    }

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

    /// An error at byte `index`, positioned as serde_json positions it (column = bytes since the
    /// line's start).
    fn error_at(&self, index: usize, message: &str, syntax: bool) -> Error {
        let before = self.text.as_bytes().get(..index).unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let mut path = String::from("$");
        for segment in &self.path {
            match segment {
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        Error {
            path,
            message: format!(
                "{message} at line {line} column {}",
                index.saturating_sub(line_start)
            ),
            syntax,
        }
    }

    /// A syntax error at the last byte read.
    fn syntax(&self, message: &str) -> Error {
        self.error_at(self.pos, message, true)
    }

    /// A syntax error at the next byte, not yet read.
    fn syntax_ahead(&self, message: &str) -> Error {
        self.error_at((self.pos + 1).min(self.text.len()), message, true)
    }

    /// A value of the wrong shape.
    fn mismatch(&self, message: &str) -> Error {
        self.error_at(self.pos, message, false)
    }

    /// The next value is not `expected`: read it (a scalar) to say what it is.
    fn invalid_type(&mut self, expected: &str) -> Error {
        let start = self.pos;
        let found = match self.peek() {
            None => return self.syntax_ahead("EOF while parsing a value"),
            Some(b'[') => "sequence".to_owned(),
            Some(b'{') => "map".to_owned(),
            Some(b'"') => {
                self.pos += 1;
                match self.string_body() {
                    Ok(s) => format!("string {s:?}"),
                    Err(error) => return error,
                }
            }
            Some(b'n' | b't' | b'f') => match self.literal() {
                Ok(None) => "null".to_owned(),
                Ok(Some(b)) => format!("boolean `{b}`"),
                Err(error) => return error,
            },
            Some(b'-' | b'0'..=b'9') => match self.numeral(true) {
                Ok(Numeral::Integer {
                    negative,
                    magnitude,
                }) => format!("integer `{}{magnitude}`", if negative { "-" } else { "" }),
                Ok(Numeral::Float) => {
                    // serde prints the float with a decimal point (`-0.0`); the text is close.
                    let text = self.text.get(start..self.pos).unwrap_or_default();
                    let point = if text.contains(['.', 'e', 'E']) {
                        ""
                    } else {
                        ".0"
                    };
                    format!("floating point `{text}{point}`")
                }
                Err(error) => return error,
            },
            Some(_) => return self.syntax_ahead("expected value"),
        };
        self.mismatch(&format!("invalid type: {found}, expected {expected}"))
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
                None => return Err(self.syntax("EOF while parsing a value")),
                Some(b) if b != *expected => return Err(self.syntax("expected ident")),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    /// A number's text, checked against the grammar, and whether it is a 64-bit integer. A
    /// `typed` read (not a skip) also makes sure a float is finite, and words a number cut short
    /// as serde_json's typed reads do.
    fn numeral(&mut self, typed: bool) -> Result<Numeral, Error> {
        let start = self.pos;
        let cut_short = if typed {
            "EOF while parsing a value"
        } else {
            "invalid number"
        };
        let negative = self.byte() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let digits_start = self.pos;
        match self.next_byte() {
            Some(b'0') => {
                if let Some(b'0'..=b'9') = self.byte() {
                    return Err(self.syntax_ahead("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.byte() {
                    self.pos += 1;
                }
            }
            None => return Err(self.syntax(cut_short)),
            Some(_) => return Err(self.syntax("invalid number")),
        }
        let digits = self.text.get(digits_start..self.pos).unwrap_or_default();
        let mut float = false;
        if self.byte() == Some(b'.') {
            float = true;
            self.pos += 1;
            let fraction = self.pos;
            while let Some(b'0'..=b'9') = self.byte() {
                self.pos += 1;
            }
            if self.pos == fraction {
                let problem = if self.byte().is_none() {
                    cut_short
                } else {
                    "invalid number"
                };
                return Err(self.syntax_ahead(problem));
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
                None => return Err(self.syntax(cut_short)),
                Some(_) => return Err(self.syntax("invalid number")),
            }
            while let Some(b'0'..=b'9') = self.byte() {
                self.pos += 1;
            }
        }
        let magnitude = digits.parse::<u64>().ok().filter(|_| !float);
        match magnitude {
            // serde_json reads `-0` and integers beyond 64 bits as floats.
            Some(magnitude) if !negative || (magnitude != 0 && magnitude <= 1 << 63) => {
                Ok(Numeral::Integer {
                    negative,
                    magnitude,
                })
            }
            _ if typed => self.number_value(start).map(|_| Numeral::Float),
            _ => Ok(Numeral::Float),
        }
    }

    /// Most of a body is plain string bytes: goes to the next one that is not (a quote, a
    /// backslash or a control character). Inlined, like the byte reads: the size profile would
    /// otherwise make every byte a call.
    #[inline(always)]
    fn skip_plain(&mut self) {
        let bytes = self.text.as_bytes();
        // Eight bytes at a time while none of them ends the run: most strings are ids, dates and
        // URLs with nothing to unescape.
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
                None => return Err(self.syntax("EOF while parsing a string")),
                Some(b'"') => {
                    let tail = self.text.get(run..self.pos - 1).unwrap_or_default();
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let chunk = self.text.get(run..self.pos - 1).unwrap_or_default();
                    let c = self.escape()?;
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(chunk);
                    s.push(c);
                    run = self.pos;
                }
                Some(0..=0x1f) => {
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                Some(_) => {}
            }
        }
    }

    /// One escape sequence after its backslash.
    fn escape(&mut self) -> Result<char, Error> {
        Ok(match self.next_byte() {
            None => return Err(self.syntax("EOF while parsing a string")),
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
                if (0xDC00..=0xDFFF).contains(&high) {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                if !(0xD800..=0xDBFF).contains(&high) {
                    return char::from_u32(high).ok_or_else(|| self.syntax("invalid escape"));
                }
                // The low surrogate must follow at once.
                for expected in [b'\\', b'u'] {
                    match self.next_byte() {
                        None => return Err(self.syntax("EOF while parsing a string")),
                        Some(b) if b != expected => {
                            return Err(self.syntax("unexpected end of hex escape"))
                        }
                        Some(_) => {}
                    }
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                let code = 0x1_0000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code).ok_or_else(|| self.syntax("invalid escape"));
            }
            Some(_) => return Err(self.syntax("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(digits) = self.text.as_bytes().get(self.pos..self.pos + 4) else {
            self.pos = self.text.len();
            return Err(self.syntax("EOF while parsing a string"));
        };
        self.pos += 4;
        digits
            .iter()
            .try_fold(0, |n, &d| char::from(d).to_digit(16).map(|d| n * 16 + d))
            .ok_or_else(|| self.syntax("invalid escape"))
    }

    // ---- typed values --------------------------------------------------------------------------

    /// `null` (read as absent: `None`) or what `read` reads. Inlined, so that the generic part
    /// is a branch in each caller rather than a copy of `null` per type.
    #[inline(always)]
    pub fn option<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        if self.null()? {
            return Ok(None);
        }
        read(self).map(Some)
    }

    /// Whether the next value is `null`, which is then read.
    fn null(&mut self) -> Result<bool, Error> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal()?;
        self.exact = false;
        Ok(true)
    }

    pub fn string(&mut self) -> Result<String, Error> {
        if self.peek() != Some(b'"') {
            return Err(self.invalid_type("a string"));
        }
        self.pos += 1;
        self.string_body().map(Cow::into_owned)
    }

    pub fn i32(&mut self) -> Result<i32, Error> {
        self.integer("i32", |negative, magnitude| {
            let value = i64::try_from(magnitude).ok()?;
            i32::try_from(if negative { -value } else { value }).ok()
        })
    }

    pub fn i64(&mut self) -> Result<i64, Error> {
        self.integer("i64", |negative, magnitude| {
            if negative {
                0i64.checked_sub_unsigned(magnitude)
            } else {
                i64::try_from(magnitude).ok()
            }
        })
    }

    fn integer<T>(
        &mut self,
        expected: &str,
        convert: impl FnOnce(bool, u64) -> Option<T>,
    ) -> Result<T, Error> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.invalid_type(expected));
        }
        let start = self.pos;
        match self.numeral(true)? {
            Numeral::Integer {
                negative,
                magnitude,
            } => convert(negative, magnitude).ok_or_else(|| {
                let sign = if negative { "-" } else { "" };
                self.mismatch(&format!(
                    "invalid value: integer `{sign}{magnitude}`, expected {expected}"
                ))
            }),
            Numeral::Float => {
                self.pos = start;
                Err(self.invalid_type(expected))
            }
        }
    }

    /// Any number, as a float.
    pub fn f64(&mut self) -> Result<f64, Error> {
        self.peek();
        let start = self.pos;
        if !matches!(self.byte(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.invalid_type("f64"));
        }
        self.numeral(true)?;
        self.number_value(start)
    }

    fn number_value(&self, start: usize) -> Result<f64, Error> {
        self.text
            .get(start..self.pos)
            .and_then(number)
            .ok_or_else(|| self.syntax("number out of range"))
    }

    /// An array: `item` reads each element, with its index in the path.
    pub fn array<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        self.elements(&mut |r| {
            items.push(item(r)?);
            Ok(())
        })?;
        Ok(items)
    }

    // Not generic, like `object`: one copy in the .wasm, not one per element type.
    fn elements(
        &mut self,
        each: &mut dyn FnMut(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.open(b'[', "a sequence")?;
        let mut index = 0;
        while self.next_element(index == 0)? {
            self.path.push(Segment::Index(index));
            each(self)?;
            self.path.pop();
            index += 1;
        }
        self.close();
        Ok(())
    }

    /// An object of the fields named in `fields`: `field` reads the value of `fields[i]` (with its
    /// name in the path); a field not listed is skipped. Returns which fields were present, one
    /// bit each. A field given twice is an error, as in serde.
    pub fn object(
        &mut self,
        expected: &str,
        fields: &[&'static str],
        field: &mut dyn FnMut(&mut Self, usize) -> Result<(), Error>,
    ) -> Result<u32, Error> {
        self.open(b'{', expected)?;
        let mut seen = 0u32;
        let mut first = true;
        while let Some(key) = self.next_key(first)? {
            first = false;
            // Atlas sends the fields in the documented order: try the one after the last first.
            let expected_next = (seen.checked_ilog2().map_or(0, |last| last + 1)) as usize;
            let index = match fields.get(expected_next) {
                Some(f) if *f == key => Some(expected_next),
                _ => fields.iter().position(|f| *f == key),
            };
            if let Some(i) = index {
                if seen & (1 << i) != 0 {
                    return Err(self.mismatch(&format!("duplicate field `{key}`")));
                }
                // Written out again, the fields would come in the documented order.
                if seen >> i != 0 {
                    self.exact = false;
                }
                seen |= 1 << i;
            }
            self.colon()?;
            match index {
                Some(i) => {
                    self.path.push(Segment::Key(Cow::Borrowed(
                        fields.get(i).copied().unwrap_or_default(),
                    )));
                    field(self, i)?;
                }
                None => {
                    self.exact = false;
                    self.path.push(Segment::Key(key));
                    self.skip()?;
                }
            }
            self.path.pop();
        }
        self.close();
        Ok(seen)
    }

    /// Fails unless `fields[i]` was among the `seen` ones: "missing field", named in the path.
    pub fn require(&mut self, seen: u32, fields: &[&'static str], i: usize) -> Result<(), Error> {
        if seen & (1 << i) != 0 {
            return Ok(());
        }
        let name = fields.get(i).copied().unwrap_or_default();
        let mut error = self.mismatch(&format!("missing field `{name}`"));
        error.path = format!("{}.{name}", error.path);
        Err(error)
    }

    fn open(&mut self, bracket: u8, expected: &str) -> Result<(), Error> {
        match self.peek() {
            None => Err(self.syntax_ahead("EOF while parsing a value")),
            Some(b) if b == bracket => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.syntax("recursion limit exceeded"));
                }
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.invalid_type(expected)),
        }
    }

    /// After the last element or field: the closing bracket, which `next_*` has seen.
    fn close(&mut self) {
        self.depth -= 1;
        self.pos += 1;
    }

    /// Whether another element follows (its comma read), or the array ends here.
    fn next_element(&mut self, first: bool) -> Result<bool, Error> {
        let next = self.next_item(
            first,
            b']',
            "expected `,` or `]`",
            "EOF while parsing a list",
        )?;
        Ok(next.is_some())
    }

    /// The next key, or `None` where the object ends. A failure to read one is placed at an
    /// unknown key (`$.?`), as serde_path_to_error places it.
    fn next_key(&mut self, first: bool) -> Result<Option<Cow<'a, str>>, Error> {
        self.key_or_end(first).map_err(|mut error| {
            if !self.skipping {
                error.path.push_str(".?");
            }
            error
        })
    }

    fn key_or_end(&mut self, first: bool) -> Result<Option<Cow<'a, str>>, Error> {
        let next = self.next_item(
            first,
            b'}',
            "expected `,` or `}`",
            "EOF while parsing an object",
        )?;
        match next {
            None => Ok(None),
            Some(b'"') => {
                self.pos += 1;
                self.string_body().map(Some)
            }
            Some(_) => Err(self.syntax_ahead("key must be a string")),
        }
    }

    /// Inside an array or object ending in `close`: the first byte of the next item, not consumed
    /// (the comma before it read), or `None` where the container ends.
    fn next_item(
        &mut self,
        first: bool,
        close: u8,
        expected_separator: &str,
        eof: &str,
    ) -> Result<Option<u8>, Error> {
        let mut peek = self.peek();
        match peek {
            Some(b) if b == close => return Ok(None),
            Some(b',') if !first => {
                self.pos += 1;
                peek = self.peek();
            }
            Some(_) if first => {}
            Some(_) => return Err(self.syntax_ahead(expected_separator)),
            None => return Err(self.syntax_ahead(eof)),
        }
        match peek {
            Some(b) if b == close => Err(self.syntax_ahead("trailing comma")),
            Some(b) => Ok(Some(b)),
            None => Err(self.syntax_ahead("EOF while parsing a value")),
        }
    }

    fn colon(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.syntax_ahead("expected `:`")),
            None => Err(self.syntax_ahead("EOF while parsing an object")),
        }
    }

    /// Any JSON value, checked and skipped. Iterative, so no nesting can exhaust the stack.
    fn skip(&mut self) -> Result<(), Error> {
        self.skipping = true;
        let skipped = self.skip_value();
        self.skipping = false;
        skipped
    }

    fn skip_value(&mut self) -> Result<(), Error> {
        let mut open: Vec<(u8, bool)> = Vec::new();
        loop {
            // A value: scalars are read whole, brackets open a level.
            match self.peek() {
                None => return Err(self.syntax_ahead("EOF while parsing a value")),
                Some(b'n' | b't' | b'f') => {
                    self.literal()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.numeral(false)?;
                }
                Some(b'"') => {
                    self.pos += 1;
                    self.skip_string()?;
                }
                Some(b @ (b'[' | b'{')) => {
                    self.pos += 1;
                    open.push((b, true));
                }
                Some(_) => return Err(self.syntax_ahead("expected value")),
            }
            // After it: close every level that ends, then find where the next value starts.
            loop {
                let Some((bracket, first)) = open.last_mut() else {
                    return Ok(());
                };
                let bracket = *bracket;
                let more = if bracket == b'[' {
                    self.next_element(*first)?
                } else {
                    match self.next_key(*first)? {
                        Some(_) => {
                            self.colon()?;
                            true
                        }
                        None => false,
                    }
                };
                if let Some(top) = open.last_mut() {
                    top.1 = false;
                }
                if more {
                    break;
                }
                self.pos += 1;
                open.pop();
            }
        }
    }

    /// A string's contents, checked (escapes need only their hex digits, as in serde_json).
    fn skip_string(&mut self) -> Result<(), Error> {
        loop {
            self.skip_plain();
            match self.next_byte() {
                None => return Err(self.syntax("EOF while parsing a string")),
                Some(b'"') => return Ok(()),
                Some(b'\\') => match self.next_byte() {
                    None => return Err(self.syntax("EOF while parsing a string")),
                    Some(b'u') => {
                        self.hex4()?;
                    }
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {}
                    Some(_) => return Err(self.syntax("invalid escape")),
                },
                Some(0..=0x1f) => {
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                Some(_) => {}
            }
        }
    }

    /// Any JSON value, kept as a `serde_json::Value` (a repeated key keeps its last value).
    pub fn value(&mut self) -> Result<Value, Error> {
        let peek = self.peek();
        let start = self.pos;
        Ok(match peek {
            None => return Err(self.syntax_ahead("EOF while parsing a value")),
            Some(b'n' | b't' | b'f') => self.literal()?.map_or(Value::Null, Value::Bool),
            Some(b'"') => {
                self.pos += 1;
                Value::String(self.string_body()?.into_owned())
            }
            Some(b'-' | b'0'..=b'9') => match self.numeral(true)? {
                Numeral::Integer {
                    negative: false,
                    magnitude,
                } => Value::Number(Number::from(magnitude)),
                Numeral::Integer { magnitude, .. } => {
                    Value::Number(Number::from(0i64.wrapping_sub_unsigned(magnitude)))
                }
                Numeral::Float => {
                    Number::from_f64(self.number_value(start)?).map_or(Value::Null, Value::Number)
                }
            },
            Some(b'[') => Value::Array(self.array(Self::value)?),
            Some(b'{') => {
                self.open(b'{', "a map")?;
                let mut map = Map::new();
                let mut first = true;
                while let Some(key) = self.next_key(first)? {
                    first = false;
                    self.colon()?;
                    self.path.push(Segment::Key(key.clone()));
                    map.insert(key.into_owned(), self.value()?);
                    self.path.pop();
                }
                self.close();
                Value::Object(map)
            }
            Some(_) => return Err(self.syntax_ahead("expected value")),
        })
    }

    /// The document ends here, but for whitespace.
    fn end(&mut self) -> Result<(), Error> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax_ahead("trailing characters")),
        }
    }

    /// The text of the value at the reader's position, which is skipped.
    pub fn raw(&mut self) -> Result<&'a str, Error> {
        self.peek();
        let start = self.pos;
        self.skip()?;
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }
}

/// All of `text` as one value read by `read` (content after it is as wrong as a cut-off value),
/// and whether the value is exactly the text (see [`Reader::exact`]).
pub fn read_all<'a, T>(
    text: &'a str,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, Error>,
) -> Result<(T, bool), Error> {
    let mut reader = Reader::new(text);
    let value = read(&mut reader)?;
    reader.end()?;
    Ok((value, reader.exact))
}

/// Powers of ten as f64, exactly as the literals round.
#[rustfmt::skip]
static POW10: [f64; 309] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76, 1e77, 1e78, 1e79, 1e80, 1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91, 1e92, 1e93, 1e94, 1e95, 1e96, 1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, 1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209, 1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239, 1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287, 1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308];

/// The value of a JSON number's text, or `None` when it is not a JSON number or is too large for
/// an f64. The same arithmetic as serde_json's (without `float_roundtrip`), so every number reads
/// as it did: the significand's first 19 or 20 digits times a power of ten from a table. Rust's
/// exact float parser would add 10 KB of tables to the .wasm.
pub fn number(text: &str) -> Option<f64> {
    // `overflow!(a * 10 + b, c)` of serde_json.
    let overflows = |a: u64, b: u64| a >= u64::MAX / 10 && (a > u64::MAX / 10 || b > u64::MAX % 10);
    let mut bytes = text.bytes().peekable();
    let negative = bytes.next_if_eq(&b'-').is_some();
    let (mut significand, mut exponent) = (0u64, 0i32);
    let mut digits = 0;
    let mut long = false;
    while let Some(d) = bytes.next_if(u8::is_ascii_digit) {
        let d = u64::from(d - b'0');
        // From the first digit past what a u64 holds, digits only scale the number.
        long = long || overflows(significand, d);
        if long {
            exponent = exponent.saturating_add(1);
        } else {
            significand = significand * 10 + d;
        }
        digits += 1;
    }
    if digits == 0 {
        return None;
    }
    if bytes.next_if_eq(&b'.').is_some() {
        let mut fraction = 0;
        let mut overflowed = false;
        while let Some(d) = bytes.next_if(u8::is_ascii_digit) {
            let d = u64::from(d - b'0');
            fraction += 1;
            // Once the significand is full, further fraction digits are dropped.
            if overflowed || overflows(significand, d) {
                overflowed = true;
                continue;
            }
            significand = significand * 10 + d;
            exponent -= 1;
        }
        if fraction == 0 {
            return None;
        }
    }
    if bytes.next_if(|b| matches!(b, b'e' | b'E')).is_some() {
        let positive_exp = !matches!(bytes.next_if(|b| matches!(b, b'+' | b'-')), Some(b'-'));
        let mut exp: i32 = 0;
        let mut exp_digits = 0;
        while let Some(d) = bytes.next_if(u8::is_ascii_digit) {
            let d = i32::from(d - b'0');
            exp_digits += 1;
            if exp >= i32::MAX / 10 && (exp > i32::MAX / 10 || d > i32::MAX % 10) {
                // An exponent beyond i32: infinity (refused) or zero.
                if significand != 0 && positive_exp {
                    return None;
                }
                return Some(if negative { -0.0 } else { 0.0 });
            }
            exp = exp * 10 + d;
        }
        if exp_digits == 0 {
            return None;
        }
        exponent = if positive_exp {
            exponent.saturating_add(exp)
        } else {
            exponent.saturating_sub(exp)
        };
    }
    if bytes.next().is_some() {
        return None;
    }
    let mut f = significand as f64;
    loop {
        match POW10.get(exponent.unsigned_abs() as usize) {
            Some(&pow) => {
                if exponent >= 0 {
                    f *= pow;
                    if f.is_infinite() {
                        return None;
                    }
                } else {
                    f /= pow;
                }
                break;
            }
            None => {
                if f == 0.0 {
                    break;
                }
                if exponent >= 0 {
                    return None;
                }
                f /= 1e308;
                exponent += 308;
            }
        }
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
