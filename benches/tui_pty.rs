//! Placeholder: replaced by the TUI pty benchmark.
fn main() {}
