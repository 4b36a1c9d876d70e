//! The `sdx-keys` binary: a thin shell over the library.

fn main() {}
