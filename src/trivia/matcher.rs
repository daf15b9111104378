//! Typed-answer matching (being written).
