//! machipc's MIG: compiles Mach interface definitions (`.defs`) into C
//! client and server stubs in the format XNU's MIG generates.

pub mod gen;
pub mod lexer;
pub mod parser;
pub mod routine;
pub mod types;

pub use gen::{Names, Output};
pub use lexer::MigError;

/// Compiles preprocessed `.defs` text (`file` names it in errors).
pub fn compile(src: &str, file: &str, names: Names) -> Result<Output, MigError> {
    let spec = parser::parse(src, file)?;
    gen::generate(&spec, names)
}
