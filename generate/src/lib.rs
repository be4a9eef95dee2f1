//! What the npm package states about the core, written when the package is built: the TypeScript
//! declarations ([`declarations`]) and the protocol's facts as a JavaScript module ([`facts`]),
//! so that no JavaScript restates what the core knows.

pub mod declarations;
pub mod facts;
