//! Checks every item `machipc::sys` exports against libmach's C headers.
//!
//! The build script reads the sources of `machipc::sys` (with `syn`),
//! writes a C program that includes every header of `userlib/include` and
//! compiles it: static assertions check that each type alias, static and
//! function has the C type of the same name (`__builtin_types_compatible_p`
//! on the Rust type spelled in C), and the program prints, for each
//! constant, struct, field and macro-like function, what C says it is
//! (values, sizes, alignments, offsets, the bytes a bit-field covers,
//! results on sample arguments). The test `abi` compares those with the
//! Rust items and takes the address of every function and static, so a
//! declaration libmach does not define fails to link.
