// Links libmach.a, built by `make lib` (LIBMACH_DIR overrides where).
fn main() {
    let dir = std::env::var("LIBMACH_DIR").unwrap_or_else(|_| {
        let here = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
        format!("{here}/../../build/userlib")
    });
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static=mach");
    println!("cargo:rerun-if-env-changed=LIBMACH_DIR");
    println!("cargo:rerun-if-changed={dir}/libmach.a");
}
