//! Trivia: question generation from the knowledge base (randomness injected), the typed-answer matcher, and the
//! game as a state machine with no I/O (`answer(user, choice, now)`, `tick(now)`).

pub mod game;
pub mod matcher;
pub mod question;
pub mod render;
