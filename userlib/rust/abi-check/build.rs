//! Generates the checks of `machipc::sys` against libmach's headers.
//!
//! 1. Parses `../src/sys/**.rs` and collects every public item: constants,
//!    type aliases, structs (with their fields), extern functions and
//!    statics, and the functions that stand for C macros.
//! 2. Writes a C program that includes every header under
//!    `userlib/include`. Type aliases, statics and extern functions become
//!    static assertions that the Rust type, spelled in C, is the type C
//!    gives the same name. The program prints what C says about the
//!    rest: constant values, struct sizes, alignments, field offsets and
//!    sizes, the bytes a bit-field covers, macro results on sample
//!    arguments.
//! 3. Compiles and runs it, and writes `abi_checks.rs` (for `tests/abi.rs`),
//!    which pairs each of those with the Rust side's value and takes the
//!    address of every extern function and static (so whatever libmach
//!    declares but does not define fails to link).
//!
//! An item of a kind it cannot check stops the build: nothing exported
//! goes unchecked.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use quote::ToTokens;
use syn::{Fields, FnArg, ForeignItem, Item, Pat, ReturnType, Type, Visibility};

struct Field {
    name: String,
    ty: Type,
    bitfield: bool,
    /// The C bit-fields a Rust field stands for: those its doc names as
    /// `` `member : width` ``, else the member of its own name.
    cmembers: Vec<String>,
}

struct Struct {
    module: String,
    name: String,
    fields: Vec<Field>,
    /// In C a typedef of an unnamed struct (spelled without `struct`).
    typedef: bool,
}

struct Func {
    module: String,
    name: String,
    cname: String,
    params: Vec<(String, Type)>,
    ret: Option<Type>,
    is_unsafe: bool,
}

#[derive(Default)]
struct Items {
    consts: Vec<(String, String, Type)>,
    aliases: Vec<(String, String, Type)>,
    structs: Vec<Struct>,
    externs: Vec<Func>,
    statics: Vec<(String, String, Type)>,
    helpers: Vec<Func>,
}

fn is_pub(v: &Visibility) -> bool {
    matches!(v, Visibility::Public(_))
}

fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn collect(dir: &Path, module: &str, out: &mut Items) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let sub = if module.is_empty() {
            stem.clone()
        } else {
            format!("{module}::{stem}")
        };
        if path.is_dir() {
            collect(&path, &sub, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let here = if stem == "mod" {
            module.to_string()
        } else {
            sub
        };
        let file = syn::parse_file(&fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for item in file.items {
            items_of(item, &here, out);
        }
    }
}

/// Whether a `#[cfg(...)]` predicate holds for the target (the few forms
/// `sys` uses: `target_arch`, `target_pointer_width`, `target_os`, `not`,
/// `any`, `all`).
fn cfg_holds(meta: &syn::Meta) -> bool {
    match meta {
        syn::Meta::NameValue(nv) => {
            let key = nv
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let want = match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => s.value(),
                _ => panic!("unsupported cfg {}", meta.into_token_stream()),
            };
            let var = format!("CARGO_CFG_{}", key.to_uppercase());
            std::env::var(&var).unwrap_or_else(|_| panic!("unsupported cfg key {key}")) == want
        }
        syn::Meta::List(l) => {
            let args: Vec<syn::Meta> = l
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .unwrap()
                .into_iter()
                .collect();
            match l.path.get_ident().map(|i| i.to_string()).as_deref() {
                Some("not") => !cfg_holds(&args[0]),
                Some("any") => args.iter().any(cfg_holds),
                Some("all") => args.iter().all(cfg_holds),
                _ => panic!("unsupported cfg {}", meta.into_token_stream()),
            }
        }
        syn::Meta::Path(_) => panic!("unsupported cfg {}", meta.into_token_stream()),
    }
}

fn enabled(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .all(|a| cfg_holds(&a.parse_args::<syn::Meta>().unwrap()))
}

fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        _ => &[],
    }
}

fn items_of(item: Item, module: &str, out: &mut Items) {
    let m = module.to_string();
    if !enabled(item_attrs(&item)) {
        return;
    }
    match item {
        Item::Const(c) if is_pub(&c.vis) => {
            let name = c.ident.to_string();
            if name != "_" {
                out.consts.push((m, name, *c.ty));
            }
        }
        Item::Type(t) if is_pub(&t.vis) => out.aliases.push((m, t.ident.to_string(), *t.ty)),
        Item::Struct(s) if is_pub(&s.vis) => {
            let Fields::Named(named) = s.fields else {
                panic!(
                    "{module}::{}: only structs with named fields are checked",
                    s.ident
                )
            };
            let fields = named
                .named
                .into_iter()
                .filter(|f| enabled(&f.attrs))
                .map(|f| {
                    let doc = docs(&f.attrs).join(" ");
                    let name = f.ident.unwrap().to_string();
                    let mut cmembers = bitfield_members(&doc);
                    if cmembers.is_empty() {
                        cmembers.push(cfield(&name).to_string());
                    }
                    Field {
                        name,
                        bitfield: doc.contains("C bit-field"),
                        cmembers,
                        ty: f.ty,
                    }
                })
                .collect();
            out.structs.push(Struct {
                module: m,
                name: s.ident.to_string(),
                fields,
                typedef: docs(&s.attrs)
                    .iter()
                    .any(|d| d.contains("typedef of an unnamed struct")),
            });
        }
        Item::ForeignMod(fm) => {
            for fi in fm.items {
                let attrs = match &fi {
                    ForeignItem::Fn(f) => &f.attrs,
                    ForeignItem::Static(s) => &s.attrs,
                    _ => &Vec::new(),
                };
                if !enabled(attrs) {
                    continue;
                }
                match fi {
                    ForeignItem::Fn(f) if is_pub(&f.vis) => {
                        out.externs.push(func(&m, &f.sig, &f.attrs));
                    }
                    ForeignItem::Static(s) if is_pub(&s.vis) => {
                        out.statics.push((m.clone(), s.ident.to_string(), *s.ty));
                    }
                    ForeignItem::Fn(_) | ForeignItem::Static(_) => {}
                    other => panic!(
                        "{module}: unsupported foreign item {}",
                        other.into_token_stream()
                    ),
                }
            }
        }
        Item::Fn(f) if is_pub(&f.vis) => out.helpers.push(func(&m, &f.sig, &f.attrs)),
        Item::Union(u) if is_pub(&u.vis) => panic!("{module}::{}: unions are not checked", u.ident),
        Item::Enum(e) if is_pub(&e.vis) => panic!("{module}::{}: enums are not checked", e.ident),
        Item::Static(s) if is_pub(&s.vis) => {
            panic!("{module}::{}: Rust statics are not checked", s.ident)
        }
        _ => {}
    }
}

fn func(module: &str, sig: &syn::Signature, attrs: &[syn::Attribute]) -> Func {
    let name = sig.ident.to_string();
    let cname = docs(attrs)
        .iter()
        .find_map(|d| d.trim().strip_prefix("C: ").map(|s| s.trim().to_string()))
        .unwrap_or_else(|| name.clone());
    let params = sig
        .inputs
        .iter()
        .map(|a| match a {
            FnArg::Typed(pt) => {
                let n = match &*pt.pat {
                    Pat::Ident(i) => i.ident.to_string(),
                    _ => "_".into(),
                };
                (n, (*pt.ty).clone())
            }
            FnArg::Receiver(_) => panic!("{module}::{name}: methods are not checked"),
        })
        .collect();
    let ret = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, t) => Some((**t).clone()),
    };
    Func {
        module: module.into(),
        name,
        cname,
        params,
        ret,
        is_unsafe: sig.unsafety.is_some(),
    }
}

struct Ctx {
    aliases: HashMap<String, Type>,
    /// Struct names; true for a C typedef of an unnamed struct.
    structs: HashMap<String, bool>,
}

fn last_ident(p: &syn::TypePath) -> String {
    p.path.segments.last().unwrap().ident.to_string()
}

fn ffi_prim(name: &str) -> Option<&'static str> {
    Some(match name {
        "c_char" | "c_schar" | "i8" => "i8",
        "c_uchar" | "u8" => "u8",
        "c_short" | "i16" => "i16",
        "c_ushort" | "u16" => "u16",
        "c_int" | "i32" => "i32",
        "c_uint" | "u32" => "u32",
        "c_long" | "c_longlong" | "i64" => "i64",
        "c_ulong" | "c_ulonglong" | "u64" => "u64",
        "usize" => "usize",
        "isize" => "isize",
        "bool" => "bool",
        _ => return None,
    })
}

impl Ctx {
    /// The primitive integer (or `bool`) behind a type, through aliases.
    fn prim(&self, t: &Type) -> Option<&'static str> {
        match t {
            Type::Path(p) if p.qself.is_none() => {
                let n = last_ident(p);
                ffi_prim(&n).or_else(|| self.aliases.get(&n).and_then(|t| self.prim(t)))
            }
            Type::Paren(p) => self.prim(&p.elem),
            Type::Group(g) => self.prim(&g.elem),
            _ => None,
        }
    }

    /// The type behind aliases.
    fn resolve<'t>(&'t self, t: &'t Type) -> &'t Type {
        match t {
            Type::Path(p) if p.qself.is_none() => match self.aliases.get(&last_ident(p)) {
                Some(a) => self.resolve(a),
                None => t,
            },
            _ => t,
        }
    }

    fn is_option(&self, t: &Type) -> bool {
        match t {
            Type::Path(p) => {
                let n = last_ident(p);
                n == "Option" || self.aliases.get(&n).is_some_and(|t| self.is_option(t))
            }
            _ => false,
        }
    }

    /// A Rust type spelled as a C type name.
    fn c(&self, t: &Type) -> String {
        match t {
            Type::Path(p) => {
                let seg = p.path.segments.last().unwrap();
                let n = seg.ident.to_string();
                if n == "Option" {
                    if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                        if let Some(syn::GenericArgument::Type(inner)) = a.args.first() {
                            return self.c(inner);
                        }
                    }
                    panic!("unsupported Option type {}", t.into_token_stream());
                }
                let prim = match n.as_str() {
                    "c_char" => "char",
                    "c_schar" => "signed char",
                    "c_uchar" => "unsigned char",
                    "c_short" => "short",
                    "c_ushort" => "unsigned short",
                    "c_int" => "int",
                    "c_uint" => "unsigned int",
                    "c_long" => "long",
                    "c_ulong" => "unsigned long",
                    "c_longlong" => "long long",
                    "c_ulonglong" => "unsigned long long",
                    "c_void" => "void",
                    "u8" => "uint8_t",
                    "u16" => "uint16_t",
                    "u32" => "uint32_t",
                    "u64" => "uint64_t",
                    "i8" => "int8_t",
                    "i16" => "int16_t",
                    "i32" => "int32_t",
                    "i64" => "int64_t",
                    "usize" => "uintptr_t",
                    "isize" => "intptr_t",
                    "bool" => "int",
                    _ => "",
                };
                if !prim.is_empty() {
                    prim.into()
                } else if self.structs.get(&n) == Some(&false) && !n.ends_with("_t") {
                    format!("struct {n}")
                } else {
                    n
                }
            }
            Type::Ptr(p) => {
                let inner = self.c(&p.elem);
                if p.const_token.is_some() {
                    format!("const {inner} *")
                } else {
                    format!("{inner} *")
                }
            }
            Type::Array(a) => format!("{}[{}]", self.c(&a.elem), c_len(&a.len)),
            Type::BareFn(f) => {
                let ret = match &f.output {
                    ReturnType::Default => "void".into(),
                    ReturnType::Type(_, t) => self.c(t),
                };
                let args: Vec<_> = f.inputs.iter().map(|a| self.c(&a.ty)).collect();
                let args = if args.is_empty() {
                    "void".into()
                } else {
                    args.join(", ")
                };
                format!("{ret} (*)({args})")
            }
            Type::Paren(p) => self.c(&p.elem),
            Type::Group(g) => self.c(&g.elem),
            _ => panic!("unsupported type {}", t.into_token_stream()),
        }
    }

    fn fn_type(&self, f: &Func) -> String {
        let ret = f.ret.as_ref().map_or("void".into(), |t| self.c(t));
        let args: Vec<_> = f.params.iter().map(|(_, t)| self.c(t)).collect();
        let args = if args.is_empty() {
            "void".into()
        } else {
            args.join(", ")
        };
        format!("{ret} (*)({args})")
    }
}

/// An array length in C (`N as usize` is `N`).
fn c_len(e: &syn::Expr) -> String {
    match e {
        syn::Expr::Cast(c) => c_len(&c.expr),
        syn::Expr::Paren(p) => c_len(&p.expr),
        _ => e.to_token_stream().to_string(),
    }
}

/// The C members named `` `member : width` `` in a doc.
fn bitfield_members(doc: &str) -> Vec<String> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|code| {
            let (member, width) = code.split_once(':')?;
            let member = member.trim();
            (!member.is_empty()
                && member
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && width.trim().parse::<u32>().is_ok())
            .then(|| member.to_string())
        })
        .collect()
}

fn cfield(name: &str) -> &str {
    // `type_` mirrors the C member `type` (a Rust keyword).
    name.strip_suffix('_').unwrap_or(name)
}

fn samples(param: &str) -> Vec<i128> {
    match param {
        "right" => (0..=5).collect(),
        "y" => [0, 1, 2, 3, 4, 5, 7, 8, 15]
            .iter()
            .map(|e| (e << 24) | 0x13)
            .collect(),
        "bits" | "other" | "err" | "error" | "errno" | "name" | "index" | "gen" => {
            vec![
                0,
                1,
                17,
                0x1f13,
                0x8000_1312,
                0x1000_4003,
                0x3f1f_1f1f,
                0xffff_ffff,
            ]
        }
        _ => vec![0, 1, 2, 3, 7, 15, 16, 17, 21, 22, 31],
    }
}

/// A C string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let sys = manifest.join("../src/sys");
    let include = manifest.join("../../include");
    let uapi = manifest.join("../../../uapi");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-env-changed=CC");
    let mut items = Items::default();
    collect(&sys, "", &mut items);
    let mut headers = Vec::new();
    find_headers(&include, &include, &mut headers);
    headers.sort();

    let ctx = Ctx {
        aliases: items
            .aliases
            .iter()
            .map(|(_, n, t)| (n.clone(), t.clone()))
            .collect(),
        structs: items
            .structs
            .iter()
            .map(|s| (s.name.clone(), s.typedef))
            .collect(),
    };

    // What the C program prints, in order: one line per check.
    let mut c_asserts = String::new();
    let mut c_main = String::new();
    // The Rust side of each printed line, in the same order.
    let mut rust_vals: Vec<(String, String)> = Vec::new();
    // Byte images of bit-fields: (what, rust expression).
    let mut rust_bytes: Vec<(String, String)> = Vec::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();

    let mut print_val = |c_main: &mut String, what: String, rust: String, c_expr: String| {
        let i = rust_vals.len();
        writeln!(c_main, "\t{{ {c_expr} printf(\"%d %s\\n\", {i}, buf); }}").unwrap();
        rust_vals.push((what, rust));
    };

    for (m, n, t) in &items.consts {
        let what = format!("const {m}::{n}");
        let rust = format!("machipc::sys::{m}::{n}");
        if ctx.is_option(t) {
            print_val(
                &mut c_main,
                what,
                format!("i128::from({rust}.is_some())"),
                format!("char buf[8]; snprintf(buf, sizeof buf, \"%d\", ({n}) != 0);"),
            );
        } else if matches!(ctx.resolve(t), Type::Ptr(_)) {
            print_val(
                &mut c_main,
                what,
                format!("{rust} as usize as i128"),
                format!(
                    "char buf[32]; snprintf(buf, sizeof buf, \"%llu\", (unsigned long long)(uintptr_t)({n}));"
                ),
            );
        } else if ctx.prim(t).is_some_and(|p| p != "bool") {
            let ct = ctx.c(t);
            print_val(
                &mut c_main,
                what,
                format!("{rust} as i128"),
                format!(
                    "char buf[32]; typedef {ct} rt; rt v = (rt)({n}); \
                     if (sizeof({n}) > sizeof(rt) && (long long)v != (long long)({n})) \
                     snprintf(buf, sizeof buf, \"none\"); \
                     else if ((rt)-1 > 0) snprintf(buf, sizeof buf, \"%llu\", (unsigned long long)v); \
                     else snprintf(buf, sizeof buf, \"%lld\", (long long)v);"
                ),
            );
        } else {
            panic!(
                "{what}: constants of type {} are not checked",
                t.into_token_stream()
            );
        }
        *counts.entry("constants").or_default() += 1;
    }

    for (m, n, t) in &items.aliases {
        writeln!(
            c_asserts,
            "_Static_assert(__builtin_types_compatible_p({n}, {}), {});",
            ctx.c(t),
            lit(&format!("type {m}::{n} is not the C type {n}"))
        )
        .unwrap();
        print_val(
            &mut c_main,
            format!("size of type {m}::{n}"),
            format!("core::mem::size_of::<machipc::sys::{m}::{n}>() as i128"),
            format!("char buf[32]; snprintf(buf, sizeof buf, \"%zu\", sizeof({n}));"),
        );
        *counts.entry("type aliases").or_default() += 1;
    }

    for s in &items.structs {
        let cs = ctx.c(&syn::parse_str::<Type>(&s.name).unwrap());
        let rs = format!("machipc::sys::{}::{}", s.module, s.name);
        print_val(
            &mut c_main,
            format!("size of struct {}::{}", s.module, s.name),
            format!("core::mem::size_of::<{rs}>() as i128"),
            format!("char buf[32]; snprintf(buf, sizeof buf, \"%zu\", sizeof({cs}));"),
        );
        print_val(
            &mut c_main,
            format!("alignment of struct {}::{}", s.module, s.name),
            format!("core::mem::align_of::<{rs}>() as i128"),
            format!("char buf[32]; snprintf(buf, sizeof buf, \"%zu\", _Alignof({cs}));"),
        );
        for f in &s.fields {
            let cf = cfield(&f.name);
            let what = format!("field {}::{}.{}", s.module, s.name, f.name);
            if f.bitfield {
                // The bytes the C bit-fields cover: set every other bit,
                // clear the fields', invert.
                let clear: String = f.cmembers.iter().map(|m| format!("t.{m} = 0; ")).collect();
                print_val(
                    &mut c_main,
                    format!("{what} (bit-field bytes)"),
                    String::new(),
                    format!(
                        "char buf[1024] = \"\"; {cs} t; unsigned char *b = (unsigned char *)&t; \
                         memset(&t, 0xff, sizeof t); {clear}\
                         for (size_t k = 0; k < sizeof t; k++) \
                         snprintf(buf + strlen(buf), sizeof buf - strlen(buf), \"%s%u\", k ? \",\" : \"\", (unsigned)(b[k] ^ 0xff));"
                    ),
                );
                let ones = match &f.ty {
                    Type::Array(a) => format!("[!0; {}]", a.len.to_token_stream()),
                    _ => "!0".into(),
                };
                rust_bytes.push((
                    format!("{what} (bit-field bytes)"),
                    format!(
                        "{{ let mut v: {rs} = unsafe {{ core::mem::zeroed() }}; v.{} = {ones}; \
                         unsafe {{ core::slice::from_raw_parts(&v as *const {rs} as *const u8, core::mem::size_of::<{rs}>()) }}.to_vec() }}",
                        f.name
                    ),
                ));
            } else {
                writeln!(
                    c_asserts,
                    "_Static_assert(__builtin_types_compatible_p(__typeof__((({cs} *)0)->{cf}), {}), {});",
                    ctx.c(&f.ty),
                    lit(&format!("{what} does not have the type of the C member"))
                )
                .unwrap();
                print_val(
                    &mut c_main,
                    format!("offset of {what}"),
                    format!("core::mem::offset_of!({rs}, {}) as i128", f.name),
                    format!(
                        "char buf[32]; snprintf(buf, sizeof buf, \"%zu\", offsetof({cs}, {cf}));"
                    ),
                );
                print_val(
                    &mut c_main,
                    format!("size of {what}"),
                    format!("crate::field_size(|v: &{rs}| v.{}) as i128", f.name),
                    format!(
                        "char buf[32]; snprintf(buf, sizeof buf, \"%zu\", sizeof((({cs} *)0)->{cf}));"
                    ),
                );
            }
            *counts.entry("struct fields").or_default() += 1;
        }
        *counts.entry("structs").or_default() += 1;
    }

    for f in &items.externs {
        writeln!(
            c_asserts,
            "_Static_assert(__builtin_types_compatible_p(__typeof__(&{}), {}), {});",
            f.cname,
            ctx.fn_type(f),
            lit(&format!(
                "fn {}::{} does not have the signature of the C function",
                f.module, f.name
            ))
        )
        .unwrap();
        links.push((
            format!("fn {}::{}", f.module, f.name),
            format!(
                "machipc::sys::{}::{} as *const () as usize",
                f.module, f.name
            ),
        ));
        *counts.entry("extern functions").or_default() += 1;
    }

    for (m, n, t) in &items.statics {
        writeln!(
            c_asserts,
            "_Static_assert(__builtin_types_compatible_p(__typeof__({n}), {}), {});",
            ctx.c(t),
            lit(&format!("static {m}::{n} does not have the C type"))
        )
        .unwrap();
        links.push((
            format!("static {m}::{n}"),
            format!("(&raw const machipc::sys::{m}::{n}) as usize"),
        ));
        *counts.entry("extern statics").or_default() += 1;
    }

    for f in &items.helpers {
        // The C macro (or function) it stands for must exist.
        writeln!(c_main, "#ifndef {0}\n\t(void)&{0};\n#endif", f.cname).unwrap();
        let ints: Option<Vec<_>> = f.params.iter().map(|(_, t)| ctx.prim(t)).collect();
        let ret = f.ret.as_ref().and_then(|t| ctx.prim(t));
        match (ints, ret) {
            // Safe ones are pure (macros over integers): compare results.
            (Some(ps), Some(_)) if !ps.is_empty() && !f.is_unsafe => {
                let sets: Vec<Vec<i128>> = f.params.iter().map(|(n, _)| samples(n)).collect();
                let rounds = sets.iter().map(Vec::len).max().unwrap();
                let rt = ctx.c(f.ret.as_ref().unwrap());
                for k in 0..rounds {
                    let args: Vec<i128> = sets.iter().map(|s| s[k % s.len()]).collect();
                    let rust_args: Vec<String> = args
                        .iter()
                        .zip(&ps)
                        .map(|(a, p)| format!("{a}i128 as {p}"))
                        .collect();
                    let c_args: Vec<String> = args
                        .iter()
                        .zip(&f.params)
                        .map(|(a, (_, t))| format!("(({}){a}ULL)", ctx.c(t)))
                        .collect();
                    let call = format!(
                        "machipc::sys::{}::{}({})",
                        f.module,
                        f.name,
                        rust_args.join(", ")
                    );
                    print_val(
                        &mut c_main,
                        format!("{}::{}({})", f.module, f.name, args.iter().map(|a| format!("{a:#x}")).collect::<Vec<_>>().join(", ")),
                        format!("{call} as i128"),
                        format!(
                            "char buf[32]; typedef {rt} rt; rt v = (rt)({}({})); \
                             if ((rt)-1 > 0) snprintf(buf, sizeof buf, \"%llu\", (unsigned long long)v); \
                             else snprintf(buf, sizeof buf, \"%lld\", (long long)v);",
                            f.cname,
                            c_args.join(", ")
                        ),
                    );
                }
                *counts.entry("macro functions (values)").or_default() += 1;
            }
            _ => *counts.entry("macro functions (existence)").or_default() += 1,
        }
    }

    // The C program.
    let mut c = String::from("/* Generated by machipc-abi-check's build script. */\n");
    c.push_str("#define _GNU_SOURCE\n#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n");
    for h in &headers {
        writeln!(c, "#include <{h}>").unwrap();
    }
    c.push_str(&c_asserts);
    c.push_str("int main(void)\n{\n");
    c.push_str(&c_main);
    c.push_str("\treturn 0;\n}\n");
    let c_path = out_dir.join("abi_check.c");
    fs::write(&c_path, &c).unwrap();
    let exe = out_dir.join("abi_check");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let st = Command::new(&cc)
        .args(["-std=gnu11", "-O0", "-w", "-o"])
        .arg(&exe)
        .arg(&c_path)
        .arg("-I")
        .arg(&include)
        .arg("-I")
        .arg(&uapi)
        .output()
        .unwrap_or_else(|e| panic!("running {cc}: {e}"));
    if !st.status.success() {
        panic!(
            "machipc::sys does not match libmach's headers (C compiler on {}):\n{}",
            c_path.display(),
            String::from_utf8_lossy(&st.stderr)
        );
    }
    let run = Command::new(&exe)
        .output()
        .expect("running the generated C program");
    assert!(run.status.success(), "the generated C program failed");
    let text = String::from_utf8(run.stdout).unwrap();
    let mut c_vals = vec![String::new(); rust_vals.len()];
    for line in text.lines() {
        let (i, v) = line.split_once(' ').unwrap();
        c_vals[i.parse::<usize>().unwrap()] = v.to_string();
    }

    // The Rust side.
    let mut r = String::from("// Generated by machipc-abi-check's build script.\n\n");
    r.push_str("/// (what, Rust value, C value) of every scalar check.\n");
    r.push_str("#[allow(clippy::unnecessary_cast, clippy::identity_op)]\npub fn values() -> Vec<(&'static str, i128, Option<i128>)> {\n    vec![\n");
    let mut bytes_c = Vec::new();
    for ((what, rust), cv) in rust_vals.iter().zip(&c_vals) {
        if rust.is_empty() {
            bytes_c.push(cv.clone());
            continue;
        }
        let cv = if cv == "none" {
            "None".into()
        } else {
            format!("Some({cv}i128)")
        };
        writeln!(r, "        ({}, {rust}, {cv}),", lit(what)).unwrap();
    }
    r.push_str("    ]\n}\n\n");
    r.push_str("/// (what, Rust bytes, C bytes) of every bit-field.\npub fn bitfields() -> Vec<(&'static str, Vec<u8>, Vec<u8>)> {\n    vec![\n");
    for ((what, rust), cb) in rust_bytes.iter().zip(&bytes_c) {
        writeln!(r, "        ({}, {rust}, vec![{cb}]),", lit(what)).unwrap();
    }
    r.push_str("    ]\n}\n\n");
    r.push_str("/// The address of every extern function and static.\npub fn linked() -> Vec<(&'static str, usize)> {\n    vec![\n");
    for (what, e) in &links {
        writeln!(r, "        ({}, {e}),", lit(what)).unwrap();
    }
    r.push_str("    ]\n}\n\n");
    r.push_str(
        "/// How many items of each kind are checked.\npub const COUNTS: &[(&str, usize)] = &[\n",
    );
    for (k, n) in &counts {
        writeln!(r, "    ({}, {n}),", lit(k)).unwrap();
    }
    r.push_str("];\n");
    fs::write(out_dir.join("abi_checks.rs"), r).unwrap();
    println!("cargo:rerun-if-changed={}", include.display());
    println!("cargo:rerun-if-changed={}", uapi.display());
}

fn find_headers(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            find_headers(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "h") {
            println!("cargo:rerun-if-changed={}", p.display());
            out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
    }
}
