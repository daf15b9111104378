//! Rendezvous
