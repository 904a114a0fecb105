//! Domain values that parse rather than validate: once built, they are known to be well formed.

pub mod codes;
pub mod money;
pub mod project;
pub mod suppression;
pub mod text;
pub mod workshop;
