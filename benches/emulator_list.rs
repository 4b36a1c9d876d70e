//! Placeholder: replaced by the emulator list benchmark.
fn main() {}
