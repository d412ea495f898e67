//! Every item of `machipc::sys` against libmach's headers (see the build
//! script): constant values, type sizes, struct layouts and bit-fields,
//! macro results, and that every extern function and static links.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/abi_checks.rs"));
}

/// The size of a field, from a closure reading it (works for packed
/// structs, whose fields cannot be borrowed).
fn field_size<T, F>(_: fn(&T) -> F) -> usize {
    core::mem::size_of::<F>()
}

#[test]
fn sys_matches_the_c_headers() {
    let mut bad = Vec::new();
    let values = generated::values();
    for (what, rust, c) in &values {
        match c {
            Some(c) if c == rust => {}
            Some(c) => bad.push(format!("{what}: Rust {rust:#x}, C {c:#x}")),
            None => bad.push(format!("{what}: the C value does not fit the Rust type")),
        }
    }
    let bitfields = generated::bitfields();
    for (what, rust, c) in &bitfields {
        if rust != c {
            bad.push(format!("{what}: Rust covers {rust:?}, C {c:?}"));
        }
    }
    let linked = generated::linked();
    for (what, addr) in &linked {
        if *addr == 0 {
            bad.push(format!("{what}: no address"));
        }
    }
    for (kind, n) in generated::COUNTS {
        println!("checked {n} {kind}");
    }
    println!(
        "{} values, {} bit-fields, {} symbols linked",
        values.len(),
        bitfields.len(),
        linked.len()
    );
    assert!(
        bad.is_empty(),
        "machipc::sys differs from the headers:\n{}",
        bad.join("\n")
    );
}
