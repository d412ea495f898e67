//! The MIG language: statements, type declarations and routines.

use std::collections::HashMap;

use crate::lexer::{Lexer, MigError, Mode, Pos, Tok};
use crate::types::{self, Type};

pub mod flag {
    pub const PHYSICAL_COPY: u32 = 0x01;
    pub const OVERWRITE: u32 = 0x02;
    pub const DEALLOC: u32 = 0x04;
    pub const NOT_DEALLOC: u32 = 0x08;
    pub const MAYBE_DEALLOC: u32 = 0x10;
    pub const SAME_COUNT: u32 = 0x20;
    pub const COUNT_IN_OUT: u32 = 0x40;
    pub const RET_CODE: u32 = 0x80;
    pub const AUTO: u32 = 0x100;
    pub const CONST: u32 = 0x200;
    pub const SERVER_COPY: u32 = 0x400;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    None,
    In,
    Out,
    InOut,
    RequestPort,
    ReplyPort,
    SReplyPort,
    UReplyPort,
    WaitTime,
    SendTime,
    MsgOption,
    MsgSeqno,
    SecToken,
    ServerSecToken,
    UserSecToken,
    AuditToken,
    ServerAuditToken,
    UserAuditToken,
    ServerContextToken,
}

#[derive(Clone, Debug)]
pub struct ArgDecl {
    pub dir: Dir,
    pub name: String,
    pub ty: Type,
    pub flags: u32,
    pub pos: Pos,
}

/// Options in force where a routine is declared.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub server_prefix: String,
    pub user_prefix: String,
    pub wait_time: Option<String>,
    pub send_time: Option<String>,
    pub msg_option: Option<String>,
    pub special_reply_port: bool,
    pub error_proc: Option<String>,
}

#[derive(Clone, Debug)]
pub struct RoutineDecl {
    pub name: String,
    pub simple: bool,
    pub args: Vec<ArgDecl>,
    /// Index in the subsystem: the message id is base + number.
    pub number: u32,
    pub opts: Options,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Both,
    User,
    Server,
    Iheader,
    Dheader,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Routine(Box<RoutineDecl>),
    Import(ImportKind, String),
}

#[derive(Clone, Debug, Default)]
pub struct Spec {
    pub subsystem: String,
    pub base: u32,
    pub kernel_user: bool,
    pub kernel_server: bool,
    pub server_demux: Option<String>,
    pub rcsid: Option<String>,
    pub stmts: Vec<Stmt>,
    /// Routine numbers used (routines and skips).
    pub count: u32,
    /// Final values, used for the subsystem-wide names.
    pub opts: Options,
    pub warnings: Vec<String>,
}

impl Spec {
    pub fn routines(&self) -> impl Iterator<Item = &RoutineDecl> {
        self.stmts.iter().filter_map(|s| match s {
            Stmt::Routine(r) => Some(&**r),
            _ => None,
        })
    }
}

pub struct Parser {
    lx: Lexer,
    peeked: Vec<(Tok, Pos)>,
    last: Pos,
    types: HashMap<String, Type>,
    spec: Spec,
    have_subsystem: bool,
}

fn kw(t: &Tok, word: &str) -> bool {
    matches!(t, Tok::Ident(s) if s.eq_ignore_ascii_case(word))
}

fn builtin(name: &str) -> Option<(u32, u32, u32)> {
    use types::*;
    Some(match name {
        "MACH_MSG_TYPE_UNSTRUCTURED" => (0, 0, 0),
        "MACH_MSG_TYPE_BIT" => (0, 0, 1),
        "MACH_MSG_TYPE_BOOLEAN" => (0, 0, 32),
        "MACH_MSG_TYPE_INTEGER_8" => (9, 9, 8),
        "MACH_MSG_TYPE_INTEGER_16" => (1, 1, 16),
        "MACH_MSG_TYPE_INTEGER_32" => (2, 2, 32),
        "MACH_MSG_TYPE_INTEGER_64" => (3, 3, 64),
        "MACH_MSG_TYPE_REAL_32" => (10, 10, 32),
        "MACH_MSG_TYPE_REAL_64" => (11, 11, 64),
        "MACH_MSG_TYPE_CHAR" => (8, 8, 8),
        "MACH_MSG_TYPE_BYTE" => (9, 9, 8),
        "MACH_MSG_TYPE_STRING" | "MACH_MSG_TYPE_STRING_C" => (12, 12, 0),
        "MACH_MSG_TYPE_MOVE_RECEIVE" => (MOVE_RECEIVE, MOVE_RECEIVE, PORT_BITS),
        "MACH_MSG_TYPE_COPY_SEND" => (COPY_SEND, MOVE_SEND, PORT_BITS),
        "MACH_MSG_TYPE_MAKE_SEND" => (MAKE_SEND, MOVE_SEND, PORT_BITS),
        "MACH_MSG_TYPE_MOVE_SEND" => (MOVE_SEND, MOVE_SEND, PORT_BITS),
        "MACH_MSG_TYPE_MAKE_SEND_ONCE" => (MAKE_SEND_ONCE, MOVE_SEND_ONCE, PORT_BITS),
        "MACH_MSG_TYPE_MOVE_SEND_ONCE" => (MOVE_SEND_ONCE, MOVE_SEND_ONCE, PORT_BITS),
        "MACH_MSG_TYPE_PORT_NAME" => (PORT_NAME, PORT_NAME, PORT_BITS),
        "MACH_MSG_TYPE_PORT_RECEIVE" => (POLY, MOVE_RECEIVE, PORT_BITS),
        "MACH_MSG_TYPE_PORT_SEND" => (POLY, MOVE_SEND, PORT_BITS),
        "MACH_MSG_TYPE_PORT_SEND_ONCE" => (POLY, MOVE_SEND_ONCE, PORT_BITS),
        "MACH_MSG_TYPE_POLYMORPHIC" => (POLY, POLY, PORT_BITS),
        _ if name.eq_ignore_ascii_case("polymorphic") => (POLY, POLY, PORT_BITS),
        _ => return None,
    })
}

fn ipc_flag(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    Some(match l.as_str() {
        "samecount" => flag::SAME_COUNT,
        "retcode" => flag::RET_CODE,
        "physicalcopy" => flag::PHYSICAL_COPY,
        "overwrite" => flag::OVERWRITE,
        "dealloc" => flag::DEALLOC,
        "notdealloc" => flag::NOT_DEALLOC,
        "countinout" => flag::COUNT_IN_OUT,
        "auto" => flag::AUTO,
        "const" => flag::CONST,
        "servercopy" => flag::SERVER_COPY,
        _ => return None,
    })
}

fn direction(s: &str) -> Option<Dir> {
    let l = s.to_ascii_lowercase();
    Some(match l.as_str() {
        "in" => Dir::In,
        "out" => Dir::Out,
        "inout" => Dir::InOut,
        "requestport" => Dir::RequestPort,
        "replyport" => Dir::ReplyPort,
        "sreplyport" => Dir::SReplyPort,
        "ureplyport" => Dir::UReplyPort,
        "waittime" => Dir::WaitTime,
        "sendtime" => Dir::SendTime,
        "msgoption" => Dir::MsgOption,
        "msgseqno" => Dir::MsgSeqno,
        "sectoken" => Dir::SecToken,
        "serversectoken" => Dir::ServerSecToken,
        "usersectoken" => Dir::UserSecToken,
        "audittoken" => Dir::AuditToken,
        "serveraudittoken" => Dir::ServerAuditToken,
        "useraudittoken" => Dir::UserAuditToken,
        "servercontexttoken" => Dir::ServerContextToken,
        _ => return None,
    })
}

type R<T> = Result<T, MigError>;

/// Names a declared type; its C types default to the name (and copies of
/// it keep them, as element types of arrays do).
fn name_type(ty: &mut Type, name: &str) {
    ty.name = Some(name.to_string());
    if ty.user_type.is_none() {
        ty.user_type = Some(name.to_string());
    }
    if ty.server_type.is_none() {
        ty.server_type = Some(name.to_string());
    }
    if ty.trans_type.is_none() {
        ty.trans_type = ty.server_type.clone();
    }
}

impl Parser {
    pub fn new(src: &str, file: &str) -> Parser {
        let lx = Lexer::new(src, file);
        let last = lx.pos();
        Parser {
            lx,
            peeked: Vec::new(),
            last,
            types: HashMap::new(),
            spec: Spec::default(),
            have_subsystem: false,
        }
    }

    fn err<T>(&self, pos: &Pos, msg: impl Into<String>) -> R<T> {
        Err(MigError {
            pos: pos.clone(),
            msg: msg.into(),
        })
    }

    fn next_mode(&mut self, mode: Mode) -> R<(Tok, Pos)> {
        if let Some(t) = self.peeked.pop() {
            self.last = t.1.clone();
            return Ok(t);
        }
        let t = self.lx.next(mode)?;
        self.last = t.1.clone();
        Ok(t)
    }

    fn next(&mut self) -> R<(Tok, Pos)> {
        self.next_mode(Mode::Normal)
    }

    fn peek(&mut self) -> R<&Tok> {
        if self.peeked.is_empty() {
            let t = self.lx.next(Mode::Normal)?;
            self.peeked.push(t);
        }
        Ok(&self.peeked.last().unwrap().0)
    }

    /// The token after the next one.
    fn peek2(&mut self) -> R<Tok> {
        self.peek()?;
        if self.peeked.len() < 2 {
            let first = self.peeked.pop().unwrap();
            let second = self.lx.next(Mode::Normal)?;
            self.peeked.push(second);
            self.peeked.push(first);
        }
        Ok(self.peeked[0].0.clone())
    }

    fn peek_pos(&mut self) -> R<Pos> {
        self.peek()?;
        Ok(self.peeked.last().unwrap().1.clone())
    }

    fn expect_sym(&mut self, c: char) -> R<()> {
        let (t, p) = self.next()?;
        if t == Tok::Sym(c) {
            Ok(())
        } else {
            self.err(&p, format!("syntax error: expected '{c}', found {t}"))
        }
    }

    fn ident(&mut self, what: &str) -> R<(String, Pos)> {
        let (t, p) = self.next()?;
        match t {
            Tok::Ident(s) => Ok((s, p)),
            t => self.err(&p, format!("syntax error: expected {what}, found {t}")),
        }
    }

    fn number(&mut self) -> R<u32> {
        let (t, p) = self.next()?;
        match t {
            Tok::Number(n) => Ok(n),
            t => self.err(&p, format!("syntax error: expected a number, found {t}")),
        }
    }

    fn warn(&mut self, pos: &Pos, msg: impl Into<String>) {
        self.spec
            .warnings
            .push(format!("{pos}: warning: {}", msg.into()));
    }

    pub fn parse(mut self) -> R<Spec> {
        loop {
            let (t, p) = self.next()?;
            match t {
                Tok::Eof => break,
                Tok::Sym(';') => continue,
                Tok::Ident(ref s) => {
                    self.statement(s.clone(), &p)?;
                    self.expect_sym(';')?;
                }
                t => return self.err(&p, format!("syntax error: unexpected {t}")),
            }
        }
        if !self.have_subsystem {
            return self.err(&self.last.clone(), "no SubSystem declaration");
        }
        Ok(self.spec)
    }

    fn string_operand(&mut self, what: &str) -> R<String> {
        let (t, p) = self.next_mode(Mode::Str)?;
        match t {
            Tok::Str(s) => Ok(s),
            t => self.err(&p, format!("syntax error: expected {what}, found {t}")),
        }
    }

    fn statement(&mut self, word: String, p: &Pos) -> R<()> {
        let l = word.to_ascii_lowercase();
        match l.as_str() {
            "subsystem" => {
                if self.have_subsystem {
                    self.warn(
                        p,
                        format!(
                            "previous Subsystem decl (of {}) will be ignored",
                            self.spec.subsystem
                        ),
                    );
                    self.spec.kernel_user = false;
                    self.spec.kernel_server = false;
                }
                loop {
                    let t = self.peek()?.clone();
                    if kw(&t, "KernelUser") {
                        self.next()?;
                        self.spec.kernel_user = true;
                    } else if kw(&t, "KernelServer") {
                        self.next()?;
                        self.spec.kernel_server = true;
                    } else {
                        break;
                    }
                }
                self.spec.subsystem = self.ident("a subsystem name")?.0;
                self.spec.base = self.number()?;
                self.have_subsystem = true;
            }
            "waittime" => self.spec.opts.wait_time = Some(self.string_operand("a WaitTime value")?),
            "nowaittime" => self.spec.opts.wait_time = None,
            "sendtime" => self.spec.opts.send_time = Some(self.string_operand("a SendTime value")?),
            "nosendtime" => self.spec.opts.send_time = None,
            "msgoption" => {
                let s = self.string_operand("a MsgOption value")?;
                self.spec.opts.msg_option = if s == "MACH_MSG_OPTION_NONE" {
                    None
                } else {
                    Some(s)
                };
            }
            "usespecialreplyport" => self.spec.opts.special_reply_port = self.number()? != 0,
            "consumeonsenderror" => {
                let s = self.string_operand("None, Timeout or Any")?;
                if !["none", "timeout", "any"].contains(&s.to_ascii_lowercase().as_str()) {
                    return self.err(
                        p,
                        "syntax error: ConsumeOnSendError takes None, Timeout or Any",
                    );
                }
            }
            "usertypelimit" | "onstacklimit" => {
                self.number()?;
            }
            "error" => self.spec.opts.error_proc = Some(self.ident("an error procedure")?.0),
            "serverprefix" => self.spec.opts.server_prefix = self.ident("a prefix")?.0,
            "userprefix" => self.spec.opts.user_prefix = self.ident("a prefix")?.0,
            "serverdemux" => self.spec.server_demux = Some(self.ident("a demux name")?.0),
            "rcsid" => {
                let (t, p2) = self.next_mode(Mode::QStr)?;
                match t {
                    Tok::QStr(s) => self.spec.rcsid = Some(s),
                    t => {
                        return self.err(
                            &p2,
                            format!("syntax error: expected a quoted string, found {t}"),
                        )
                    }
                }
            }
            "import" | "uimport" | "simport" | "iimport" | "dimport" => {
                let kind = match l.as_str() {
                    "import" => ImportKind::Both,
                    "uimport" => ImportKind::User,
                    "simport" => ImportKind::Server,
                    "iimport" => ImportKind::Iheader,
                    _ => ImportKind::Dheader,
                };
                let (t, p2) = self.next_mode(Mode::FileName)?;
                match t {
                    Tok::FileName(f) => self.spec.stmts.push(Stmt::Import(kind, f)),
                    t => {
                        return self.err(
                            &p2,
                            format!("syntax error: expected a file name, found {t}"),
                        )
                    }
                }
            }
            "type" => {
                let (name, tp) = self.ident("a type name")?;
                self.expect_sym('=')?;
                let mut ty = self.trans_type_spec()?;
                name_type(&mut ty, &name);
                self.check_decl(&name, &ty, &tp)?;
                if self.types.contains_key(&name) {
                    self.warn(&tp, format!("overriding previous definition of {name}"));
                }
                self.types.insert(name, ty);
            }
            "routine" | "simpleroutine" => {
                let (name, np) = self.ident("a routine name")?;
                let args = self.arguments()?;
                let mut opts = self.spec.opts.clone();
                opts.special_reply_port &= l == "routine";
                let r = RoutineDecl {
                    name,
                    simple: l == "simpleroutine",
                    args,
                    number: self.spec.count,
                    opts,
                    pos: np,
                };
                self.spec.count += 1;
                self.spec.stmts.push(Stmt::Routine(Box::new(r)));
            }
            "skip" => self.spec.count += 1,
            _ => return self.err(p, format!("syntax error: unknown statement '{word}'")),
        }
        Ok(())
    }

    fn check_decl(&self, name: &str, ty: &Type, p: &Pos) -> R<()> {
        if ty.var_array && (ty.in_tran.is_some() || ty.out_tran.is_some()) {
            return self.err(p, format!("{name}: can't translate variable-sized arrays"));
        }
        if ty.var_array && ty.destructor.is_some() {
            return self.err(p, format!("{name}: can't destroy variable-sized array"));
        }
        Ok(())
    }

    fn int_exp(&mut self) -> R<u32> {
        let mut v = self.int_term()?;
        loop {
            let t = self.peek()?.clone();
            match t {
                Tok::Sym('+') => {
                    self.next()?;
                    v = v.wrapping_add(self.int_term()?);
                }
                Tok::Sym('-') => {
                    self.next()?;
                    v = v.wrapping_sub(self.int_term()?);
                }
                _ => return Ok(v),
            }
        }
    }

    fn int_term(&mut self) -> R<u32> {
        let mut v = self.int_atom()?;
        loop {
            let t = self.peek()?.clone();
            match t {
                Tok::Sym('*') => {
                    self.next()?;
                    v = v.wrapping_mul(self.int_atom()?);
                }
                Tok::Sym('/') => {
                    let p = self.peek_pos()?;
                    self.next()?;
                    let d = self.int_atom()?;
                    if d == 0 {
                        return self.err(&p, "division by zero");
                    }
                    v /= d;
                }
                _ => return Ok(v),
            }
        }
    }

    fn int_atom(&mut self) -> R<u32> {
        let (t, p) = self.next()?;
        match t {
            Tok::Number(n) => Ok(n),
            Tok::Sym('(') => {
                let v = self.int_exp()?;
                self.expect_sym(')')?;
                Ok(v)
            }
            t => self.err(&p, format!("syntax error: expected a number, found {t}")),
        }
    }

    /// A type spec followed by its translation and C-type clauses.
    fn trans_type_spec(&mut self) -> R<Type> {
        let mut ty = self.type_spec()?.reset_trans();
        loop {
            let t = self.peek()?.clone();
            let p = self.peek_pos()?;
            if kw(&t, "intran") {
                self.next()?;
                self.expect_sym(':')?;
                let tt = self.ident("a type")?.0;
                let f = self.ident("a function")?.0;
                self.expect_sym('(')?;
                let st = self.ident("a type")?.0;
                self.expect_sym(')')?;
                ty.trans_type = Some(tt);
                ty.in_tran = Some(f);
                ty.server_type = Some(st);
            } else if kw(&t, "outtran") {
                self.next()?;
                self.expect_sym(':')?;
                let st = self.ident("a type")?.0;
                let f = self.ident("a function")?.0;
                self.expect_sym('(')?;
                let tt = self.ident("a type")?.0;
                self.expect_sym(')')?;
                ty.server_type = Some(st);
                ty.out_tran = Some(f);
                ty.trans_type = Some(tt);
            } else if kw(&t, "destructor") {
                self.next()?;
                self.expect_sym(':')?;
                let f = self.ident("a function")?.0;
                self.expect_sym('(')?;
                let tt = self.ident("a type")?.0;
                self.expect_sym(')')?;
                ty.destructor = Some(f);
                ty.trans_type = Some(tt);
            } else if kw(&t, "ctype") || kw(&t, "cusertype") || kw(&t, "cservertype") {
                self.next()?;
                self.expect_sym(':')?;
                let c = self.ident("a C type")?.0;
                if !kw(&t, "cservertype") {
                    ty.user_type = Some(c.clone());
                }
                if !kw(&t, "cusertype") {
                    ty.server_type = Some(c);
                }
            } else {
                let _ = p;
                return Ok(ty);
            }
        }
    }

    fn prim_ipc_type(&mut self) -> R<Option<(u32, u32, u32)>> {
        let t = self.peek()?.clone();
        match t {
            Tok::Number(n) => {
                self.next()?;
                Ok(Some((n, n, 0)))
            }
            Tok::Ident(s) => match builtin(&s) {
                Some(b) => {
                    self.next()?;
                    Ok(Some(b))
                }
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// `prim` or `prim | prim`.
    fn ipc_type(&mut self, p: &Pos) -> R<Option<(u32, u32, u32)>> {
        let Some(a) = self.prim_ipc_type()? else {
            return Ok(None);
        };
        if self.peek()? != &Tok::Sym('|') {
            return Ok(Some(a));
        }
        self.next()?;
        let Some(b) = self.prim_ipc_type()? else {
            let (t, p2) = self.next()?;
            return self.err(
                &p2,
                format!("syntax error: expected an IPC type, found {t}"),
            );
        };
        let size = if a.2 == b.2 || b.2 == 0 {
            a.2
        } else if a.2 == 0 {
            b.2
        } else {
            return self.err(
                p,
                format!("sizes in IPCTypes ({}, {}) aren't equal", a.2, b.2),
            );
        };
        Ok(Some((a.0, b.1, size)))
    }

    fn short(&self, p: &Pos, (i, o, size): (u32, u32, u32)) -> R<Type> {
        if size == 0 {
            return self.err(p, "must use full IPC type decl");
        }
        Ok(Type::short(i, o, size))
    }

    fn array_head(&mut self) -> R<(bool, u32)> {
        // after "array": [ ] | [ * ] | [ * : N ] | [ N ], then "of"
        self.expect_sym('[')?;
        let r = match self.peek()?.clone() {
            Tok::Sym(']') => {
                self.next()?;
                (true, 0)
            }
            Tok::Sym('*') => {
                self.next()?;
                if self.peek()? == &Tok::Sym(':') {
                    self.next()?;
                    let n = self.int_exp()?;
                    self.expect_sym(']')?;
                    (true, n)
                } else {
                    self.expect_sym(']')?;
                    (true, 0)
                }
            }
            _ => {
                let n = self.int_exp()?;
                self.expect_sym(']')?;
                (false, n)
            }
        };
        let (t, p) = self.next()?;
        if !kw(&t, "of") {
            return self.err(&p, format!("syntax error: expected 'of', found {t}"));
        }
        Ok(r)
    }

    fn type_spec(&mut self) -> R<Type> {
        let p = self.peek_pos()?;
        let t = self.peek()?.clone();
        let wrap = |s: &Self, r: Result<Type, String>| r.or_else(|m| s.err(&p, m));
        if t == Tok::Sym('^') {
            self.next()?;
            let inner = self.type_spec()?;
            return wrap(self, types::pointer(inner));
        }
        if t == Tok::Sym('(') {
            // The long form (IPCType, bits [, flags]).
            self.next()?;
            let Some(b) = self.ipc_type(&p)? else {
                let (t, p2) = self.next()?;
                return self.err(
                    &p2,
                    format!("syntax error: expected an IPC type, found {t}"),
                );
            };
            self.expect_sym(',')?;
            let bits = self.int_exp()?;
            while self.peek()? == &Tok::Sym(',') {
                self.next()?;
                let (f, fp) = self.ident("an IPC flag")?;
                if ipc_flag(&f).is_none() {
                    return self.err(&fp, format!("syntax error: unknown IPC flag '{f}'"));
                }
            }
            self.expect_sym(')')?;
            return self.short(&p, (b.0, b.1, bits));
        }
        if let Some(b) = self.ipc_type(&p)? {
            return self.short(&p, b);
        }
        let Tok::Ident(word) = t else {
            let (t, p2) = self.next()?;
            return self.err(&p2, format!("syntax error: expected a type, found {t}"));
        };
        if kw(&Tok::Ident(word.clone()), "array") {
            self.next()?;
            let (var, n) = self.array_head()?;
            let elem = self.type_spec()?;
            return if var {
                wrap(self, types::var_array(n, &elem))
            } else {
                wrap(self, types::fixed_array(n, &elem))
            };
        }
        if kw(&Tok::Ident(word.clone()), "struct") {
            self.next()?;
            self.expect_sym('[')?;
            let n = self.int_exp()?;
            self.expect_sym(']')?;
            let (t2, p2) = self.next()?;
            if !kw(&t2, "of") {
                return self.err(&p2, format!("syntax error: expected 'of', found {t2}"));
            }
            let elem = self.type_spec()?;
            return wrap(self, types::struct_of(n, &elem));
        }
        if kw(&Tok::Ident(word.clone()), "c_string") {
            self.next()?;
            self.expect_sym('[')?;
            let varying = if self.peek()? == &Tok::Sym('*') {
                self.next()?;
                self.expect_sym(':')?;
                true
            } else {
                false
            };
            let n = self.int_exp()?;
            self.expect_sym(']')?;
            return Ok(types::c_string(n, varying));
        }
        if word == "PointerTo" || word == "PointerToIfNot" || word == "ValueOf" {
            return self.err(
                &p,
                format!("{word}: native C types are not supported by this mig"),
            );
        }
        self.next()?;
        match self.types.get(&word) {
            Some(old) => Ok(Type::copy_of(old)),
            None => self.err(&p, format!("type '{word}' not defined")),
        }
    }

    fn arguments(&mut self) -> R<Vec<ArgDecl>> {
        self.expect_sym('(')?;
        let mut args = Vec::new();
        if self.peek()? == &Tok::Sym(')') {
            self.next()?;
            return Ok(args);
        }
        loop {
            args.push(self.argument()?);
            let (t, p) = self.next()?;
            match t {
                Tok::Sym(';') => {
                    if self.peek()? == &Tok::Sym(')') {
                        self.next()?;
                        return Ok(args);
                    }
                }
                Tok::Sym(')') => return Ok(args),
                t => return self.err(&p, format!("syntax error: expected ';' or ')', found {t}")),
            }
        }
    }

    fn argument(&mut self) -> R<ArgDecl> {
        let pos = self.peek_pos()?;
        let t = self.peek()?.clone();
        let mut dir = Dir::None;
        if let Tok::Ident(s) = &t {
            let second = self.peek2()?;
            let is_dir = matches!(second, Tok::Ident(_));
            if is_dir {
                if s.eq_ignore_ascii_case("serverimpl") || s.eq_ignore_ascii_case("userimpl") {
                    return self.err(&pos, format!("{s}: implicit trailer arguments are not supported; use ServerAuditToken, ServerSecToken or MsgSeqno"));
                }
                match direction(s) {
                    Some(d) => {
                        self.next()?;
                        dir = d;
                    }
                    None => {
                        return self.err(&pos, format!("syntax error: unknown argument kind '{s}'"))
                    }
                }
            }
        }
        let (name, np) = self.ident("an argument name")?;
        self.expect_sym(':')?;
        // ArgumentType: a type name, or "name = spec".
        let ty = match (self.peek()?.clone(), self.peek2()?) {
            (Tok::Ident(tn), Tok::Sym('=')) if builtin(&tn).is_none() => {
                self.next()?;
                self.next()?;
                let mut ty = self.trans_type_spec()?;
                name_type(&mut ty, &tn);
                self.check_decl(&tn, &ty, &np)?;
                ty
            }
            (Tok::Ident(tn), _)
                if builtin(&tn).is_none()
                    && !["array", "struct", "c_string"]
                        .iter()
                        .any(|k| tn.eq_ignore_ascii_case(k)) =>
            {
                self.next()?;
                match self.types.get(&tn) {
                    Some(t) => t.clone(),
                    None => return self.err(&np, format!("type '{tn}' not defined")),
                }
            }
            _ => {
                // An anonymous type spec (accepted, as GNU MIG does).
                self.trans_type_spec()?
            }
        };
        let mut flags = 0;
        while self.peek()? == &Tok::Sym(',') {
            self.next()?;
            let (f, fp) = self.ident("an IPC flag")?;
            let Some(bit) = ipc_flag(&f) else {
                return self.err(&fp, format!("syntax error: unknown IPC flag '{f}'"));
            };
            let mut bit = bit;
            if self.peek()? == &Tok::Sym('[') {
                self.next()?;
                self.expect_sym(']')?;
                if bit != flag::DEALLOC {
                    self.warn(&fp, "only Dealloc is variable");
                } else {
                    bit = flag::MAYBE_DEALLOC;
                }
            }
            if flags & bit != 0 {
                self.warn(&fp, "redundant IPC flag ignored");
            }
            flags |= bit;
        }
        Ok(ArgDecl {
            dir,
            name,
            ty,
            flags,
            pos: np,
        })
    }
}

/// Parses preprocessed `.defs` text.
pub fn parse(src: &str, file: &str) -> Result<Spec, MigError> {
    Parser::new(src, file).parse()
}
