//! Links libmach (`libmach.a`, the C library of machipc). Where from, in
//! order: `LIBMACH_DIR`; the tree's build output (`make lib` puts it in
//! `build/userlib`) when the crate is built inside the machipc tree; else
//! the linker's default search path (an installed `libmach.a`).
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=LIBMACH_DIR");
    let here = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let in_tree = format!("{here}/../../build/userlib");
    let dir = std::env::var("LIBMACH_DIR").ok().or_else(|| {
        Path::new(&in_tree)
            .join("libmach.a")
            .exists()
            .then_some(in_tree)
    });
    if let Some(dir) = dir {
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rerun-if-changed={dir}/libmach.a");
    }
    // Not bundled into the rlib: it is needed only at the final link (so the
    // crate builds, e.g. for its docs, where libmach is not installed).
    println!("cargo:rustc-link-lib=static:-bundle=mach");
}
