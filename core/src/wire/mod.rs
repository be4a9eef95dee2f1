//! What crosses the network: the request, the JSON reader, the decoders of pages and errors, the
//! spec's model and the facts a response's headers state.

pub mod decode;
pub mod headers;
pub mod json;
pub mod model;
pub mod request;
pub mod response_info;
pub mod route;
