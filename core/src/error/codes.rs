//! Every failure the core can describe, as the facts that choose its message: the `AtlasError`
//! kind, then the code and any finer fact (`rule`, `syntax`, `reason`, `limit`). The package's
//! generated `facts.js` lists them, and a test gives each one to the message writer
//! (`src/js/messages.js`), so a code without a message fails the build's tests. The core's own
//! test (`core/tests/codes.rs`) holds this list to what the failures' `describe` can emit.

use alloc::{vec, vec::Vec};

/// The facts that select one message: `(kind, [(fact, value), ...])`.
pub type Code = (&'static str, &'static [(&'static str, &'static str)]);

/// The rules a `pattern` validation failure names.
pub const PATTERN_RULES: [&str; 7] = [
    "groupId",
    "clusterName",
    "apiVersion",
    "authType",
    "token",
    "exportJobId",
    "until",
];

/// The rules a `baseUrl` validation failure names.
pub const BASE_URL_RULES: [&str; 8] = [
    "absolute", "relative", "userInfo", "spaces", "query", "scheme", "host", "insecure",
];

/// What the JSON reader reports of a body that is not JSON (`syntax` of a decode failure).
pub const SYNTAX_CODES: [&str; 20] = [
    "emptyBody",
    "notUtf8",
    "eofValue",
    "eofString",
    "eofList",
    "eofObject",
    "expectedValue",
    "expectedIdent",
    "expectedColon",
    "expectedCommaOrBracket",
    "expectedCommaOrBrace",
    "keyMustBeString",
    "trailingComma",
    "trailingCharacters",
    "invalidNumber",
    "numberOutOfRange",
    "invalidEscape",
    "controlCharacter",
    "loneSurrogate",
    "recursionLimit",
];

/// The codes that need no finer fact, by kind.
pub const CODES: &[Code] = &[
    ("validation", &[("code", "required")]),
    ("validation", &[("code", "notAnObject")]),
    ("validation", &[("code", "unknownKey")]),
    ("validation", &[("code", "wrongType")]),
    ("validation", &[("code", "notInteger")]),
    ("validation", &[("code", "outOfRange")]),
    ("validation", &[("code", "tooLong")]),
    ("validation", &[("code", "conflict")]),
    ("validation", &[("code", "repeated")]),
    ("validation", &[("code", "noAuth")]),
    ("validation", &[("code", "unreadable")]),
    ("validation", &[("code", "notInThisBuild")]),
    ("api", &[("code", "redirect")]),
    ("api", &[("code", "atlas")]),
    ("api", &[("code", "foreign")]),
    ("api", &[("code", "empty")]),
    ("decode", &[("problem", "type")]),
    ("decode", &[("problem", "range")]),
    ("decode", &[("problem", "duplicate")]),
    ("decode", &[("problem", "missing")]),
    ("paging", &[("reason", "maxPages")]),
    ("paging", &[("reason", "maxItems")]),
    ("paging", &[("reason", "samePage")]),
    ("paging", &[("reason", "noNewJobs")]),
    ("paging", &[("reason", "tooManyPages")]),
    ("auth", &[("code", "tokenRefused")]),
    ("auth", &[("code", "noAccessToken")]),
    ("auth", &[("code", "tokenRedirect")]),
    ("auth", &[("code", "providerFailed")]),
    ("auth", &[("code", "providerBadToken")]),
    ("auth", &[("code", "secretInBrowser")]),
    ("auth", &[("code", "revokeRefused")]),
    ("network", &[("code", "failed")]),
    ("network", &[("code", "notAResponse")]),
    ("network", &[("code", "refusedHeader")]),
    ("timeout", &[("limit", "timeoutMs")]),
    ("timeout", &[("limit", "deadlineMs")]),
    ("aborted", &[]),
    ("tooLarge", &[]),
    ("internal", &[("code", "state")]),
    ("internal", &[("code", "idle")]),
    ("internal", &[("code", "helper")]),
    ("internal", &[("code", "function")]),
];

/// The codes of following jobs over time (`watchExportJobs`, `waitForExportJob`).
#[cfg(feature = "watch")]
pub const WATCH_CODES: &[Code] = &[
    ("validation", &[("code", "count")]),
    ("timeout", &[("code", "notFinished")]),
    ("notFound", &[("code", "neverListed")]),
    ("notFound", &[("code", "removed")]),
];

/// Every code with its finer facts spelled out: [`CODES`], then each pattern rule, base URL
/// rule and syntax code under its own code.
pub fn all() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    let mut codes: Vec<_> = CODES
        .iter()
        .map(|(kind, facts)| (*kind, facts.to_vec()))
        .collect();
    #[cfg(feature = "watch")]
    codes.extend(
        WATCH_CODES
            .iter()
            .map(|(kind, facts)| (*kind, facts.to_vec())),
    );
    for rule in PATTERN_RULES {
        codes.push(("validation", vec![("code", "pattern"), ("rule", rule)]));
    }
    for rule in BASE_URL_RULES {
        codes.push(("validation", vec![("code", "baseUrl"), ("rule", rule)]));
    }
    for code in SYNTAX_CODES {
        codes.push(("decode", vec![("problem", "syntax"), ("syntax", code)]));
    }
    codes
}
