//! What a routine's arguments become: user and server parameters, request
//! and reply message fields (XNU's 64-bit layout), in MIG's order.

use crate::lexer::{MigError, Pos};
use crate::parser::{flag, ArgDecl, Dir, RoutineDecl, Spec};
use crate::types::{self, Type, POLY};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    ReqPort,
    ReplyPort,
    WaitTime,
    SendTime,
    MsgOption,
    Seqno,
    SecToken,
    AuditToken,
    CtxToken,
    Data,
}

/// How a data argument is carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Assignable inline value (scalar or struct).
    Scalar,
    /// Fixed inline array (copied with memcpy).
    FixedArray,
    FixedString,
    /// `array[*:N]`: count then elements, packed tight.
    VarArray,
    VarString,
    Port,
    /// `array[N]` / `array[*:N]` of ports: one port descriptor each.
    PortArray,
    Ool,
    OolPorts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dealloc {
    No,
    Yes,
    Maybe,
}

#[derive(Clone, Debug)]
pub struct A {
    pub name: String,
    pub ty: Type,
    pub role: Role,
    pub user: bool,
    pub server: bool,
    /// In the request / in the reply (data arguments).
    pub send: bool,
    pub ret: bool,
    pub flags: u32,
    pub dealloc: Dealloc,
    pub count_in_out: bool,
    /// Takes its count from this (earlier) argument: `samecount`.
    pub same_count: Option<usize>,
    pub pos: Pos,
}

impl A {
    pub fn shape(&self) -> Shape {
        let t = &self.ty;
        if t.port && t.inline {
            if t.multiple_kpd() || t.var_array {
                Shape::PortArray
            } else {
                Shape::Port
            }
        } else if !t.inline {
            if t.port {
                Shape::OolPorts
            } else {
                Shape::Ool
            }
        } else if t.string {
            if t.var_array {
                Shape::VarString
            } else {
                Shape::FixedString
            }
        } else if t.var_array {
            Shape::VarArray
        } else if t.is_struct {
            Shape::Scalar
        } else {
            Shape::FixedArray
        }
    }

    pub fn is_kpd(&self) -> bool {
        self.ty.is_kpd()
    }

    /// The user sees a poly argument (in: supplies it; out: gets it).
    pub fn user_poly(&self) -> bool {
        (self.send && self.ty.in_name == POLY) || (self.ret && self.ty.out_name == POLY)
    }

    pub fn server_poly(&self) -> bool {
        (self.send && self.ty.out_name == POLY) || (self.ret && self.ty.in_name == POLY)
    }

    pub fn is_var(&self) -> bool {
        self.ty.var_array
    }

    /// A `Cnt` argument exists (strings have none, samecount shares one).
    pub fn has_count_param(&self) -> bool {
        self.is_var() && !self.ty.string && self.same_count.is_none()
    }

    pub fn cnt(&self) -> String {
        format!("{}Cnt", self.name)
    }

    pub fn poly(&self) -> String {
        format!("{}Poly", self.name)
    }
}

/// A body field of a message, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A fixed-size value.
    Value(usize),
    /// Variable-sized inline data (with its count, and offset for strings).
    Var(usize),
    /// The count of an out-of-line or port-array argument.
    Count(usize),
    /// The caller's buffer size of a `countinout` out array.
    CountInOut(usize),
}

#[derive(Clone, Debug, Default)]
pub struct Msg {
    pub simple: bool,
    /// Arguments carried by descriptors, in order.
    pub kpds: Vec<usize>,
    pub descriptors: u32,
    pub ndr: bool,
    pub retcode: bool,
    /// Body items with the number of variable items before each.
    pub items: Vec<(Item, usize)>,
    pub nvar: usize,
    /// The largest position: how many shifted message pointers are needed.
    pub maxpos: usize,
}

#[derive(Clone, Debug)]
pub struct Rt {
    pub name: String,
    pub user_name: String,
    pub server_name: String,
    pub id: u32,
    pub oneway: bool,
    pub args: Vec<A>,
    pub req: Msg,
    pub rep: Msg,
    pub req_port: usize,
    /// Explicit reply-port argument.
    pub reply_port: Option<usize>,
    pub wait_time: Option<String>,
    pub send_time: Option<String>,
    pub msg_option: String,
    pub special_reply_port: bool,
    pub server_trailer: bool,
    pub user_trailer: bool,
    pub pos: Pos,
}

fn err<T>(pos: &Pos, msg: impl Into<String>) -> Result<T, MigError> {
    Err(MigError {
        pos: pos.clone(),
        msg: msg.into(),
    })
}

fn check_int(a: &ArgDecl) -> Result<(), MigError> {
    let t = &a.ty;
    if t.port || !t.inline || t.var_array || t.number != 1 || t.size != 32 || !t.is_struct {
        return err(
            &a.pos,
            format!("argument {} isn't a proper integer", a.name),
        );
    }
    Ok(())
}

fn check_port(a: &ArgDecl, what: &str, allow_zero: bool) -> Result<(), MigError> {
    let t = &a.ty;
    let ok_name = [types::MOVE_SEND, types::MOVE_SEND_ONCE, POLY].contains(&t.out_name)
        || (allow_zero && t.out_name == 0);
    if !ok_name
        || t.number != 1
        || t.size != types::PORT_BITS
        || !t.inline
        || !t.is_struct
        || t.var_array
    {
        return err(
            &a.pos,
            format!("argument {} isn't a proper {what} port", a.name),
        );
    }
    Ok(())
}

fn check_token(a: &ArgDecl, bytes: u32) -> Result<(), MigError> {
    let t = &a.ty;
    if t.string || !t.inline || !t.is_struct || t.var_array || t.port || t.type_size() != bytes {
        return err(&a.pos, format!("argument {} isn't a proper Token", a.name));
    }
    Ok(())
}

pub fn analyze(spec: &Spec, r: &RoutineDecl) -> Result<(Rt, Vec<String>), MigError> {
    let mut warnings = Vec::new();
    let mut args: Vec<A> = Vec::new();
    let mut req_port = None;
    let mut reply_port = None;
    let mut wait_time = r.opts.wait_time.clone();
    let mut send_time = r.opts.send_time.clone();
    let mut msg_option_arg: Option<String> = None;
    let mut prev_var: Option<usize> = None;

    for a in &r.args {
        let base = |role, user, server| A {
            name: a.name.clone(),
            ty: a.ty.clone(),
            role,
            user,
            server,
            send: false,
            ret: false,
            flags: a.flags,
            dealloc: Dealloc::No,
            count_in_out: false,
            same_count: None,
            pos: a.pos.clone(),
        };
        let dir = if a.dir == Dir::None && req_port.is_none() {
            Dir::RequestPort
        } else {
            a.dir
        };
        let arg = match dir {
            Dir::RequestPort => {
                if req_port.is_some() {
                    warnings.push(format!(
                        "{}: warning: multiple RequestPort args in {}",
                        a.pos, r.name
                    ));
                }
                check_port(a, "request", false)?;
                req_port = Some(args.len());
                let mut x = base(Role::ReqPort, true, true);
                x.send = true;
                x
            }
            Dir::ReplyPort | Dir::SReplyPort | Dir::UReplyPort => {
                check_port(a, "reply", true)?;
                reply_port = Some(args.len());
                base(
                    Role::ReplyPort,
                    dir != Dir::SReplyPort,
                    dir != Dir::UReplyPort,
                )
            }
            Dir::WaitTime | Dir::SendTime => {
                check_int(a)?;
                if dir == Dir::WaitTime {
                    wait_time = Some(a.name.clone());
                    base(Role::WaitTime, true, false)
                } else {
                    send_time = Some(a.name.clone());
                    base(Role::SendTime, true, false)
                }
            }
            Dir::MsgOption => {
                check_int(a)?;
                msg_option_arg = Some(a.name.clone());
                base(Role::MsgOption, true, false)
            }
            Dir::MsgSeqno => {
                check_int(a)?;
                base(Role::Seqno, false, true)
            }
            Dir::SecToken | Dir::ServerSecToken | Dir::UserSecToken => {
                check_token(a, 8)?;
                base(
                    Role::SecToken,
                    dir != Dir::ServerSecToken,
                    dir != Dir::UserSecToken,
                )
            }
            Dir::AuditToken | Dir::ServerAuditToken | Dir::UserAuditToken => {
                check_token(a, 32)?;
                base(
                    Role::AuditToken,
                    dir != Dir::ServerAuditToken,
                    dir != Dir::UserAuditToken,
                )
            }
            Dir::ServerContextToken => {
                check_token(a, 8)?;
                base(Role::CtxToken, false, true)
            }
            Dir::None | Dir::In | Dir::Out | Dir::InOut => {
                let mut x = base(Role::Data, true, true);
                x.send = matches!(dir, Dir::None | Dir::In | Dir::InOut);
                x.ret = matches!(dir, Dir::Out | Dir::InOut);
                let t = &a.ty;
                // Dealloc flags.
                let mut f = a.flags;
                if f & flag::MAYBE_DEALLOC != 0 {
                    f &= !(flag::DEALLOC | flag::NOT_DEALLOC);
                }
                if f & (flag::DEALLOC | flag::NOT_DEALLOC) == flag::DEALLOC | flag::NOT_DEALLOC {
                    warnings.push(format!(
                        "{}: warning: {}: Dealloc and NotDealloc cancel out",
                        a.pos, a.name
                    ));
                    f &= !(flag::DEALLOC | flag::NOT_DEALLOC);
                }
                if f & (flag::MAYBE_DEALLOC | flag::DEALLOC) != 0 {
                    if t.inline && !t.port {
                        warnings.push(format!(
                            "{}: warning: {}: Dealloc is ignored: it is meaningless for that type of argument",
                            a.pos, a.name
                        ));
                        f &= !(flag::MAYBE_DEALLOC | flag::DEALLOC);
                    } else if t.inline {
                        return err(
                            &a.pos,
                            format!("{}: Dealloc is not supported on inline ports", a.name),
                        );
                    } else {
                        x.dealloc = if f & flag::MAYBE_DEALLOC != 0 {
                            Dealloc::Maybe
                        } else {
                            Dealloc::Yes
                        };
                    }
                }
                if f & flag::COUNT_IN_OUT != 0 {
                    if !x.ret || !t.var_array || !t.inline {
                        warnings.push(format!(
                            "{}: warning: {}: CountInOut is ignored: argument must be an Out variable inline array",
                            a.pos, a.name
                        ));
                        f &= !flag::COUNT_IN_OUT;
                    } else {
                        x.count_in_out = true;
                    }
                }
                if f & flag::PHYSICAL_COPY != 0 && (t.inline || t.port) {
                    warnings.push(format!(
                        "{}: warning: {}: PhysicalCopy is ignored",
                        a.pos, a.name
                    ));
                    f &= !flag::PHYSICAL_COPY;
                }
                if f & flag::RET_CODE != 0 {
                    warnings.push(format!(
                        "{}: warning: {}: RetCode is ignored",
                        a.pos, a.name
                    ));
                    f &= !flag::RET_CODE;
                }
                if f & flag::OVERWRITE != 0 {
                    warnings.push(format!(
                        "{}: warning: {}: Overwrite is ignored: out-of-line data always arrives in fresh memory",
                        a.pos, a.name
                    ));
                    f &= !flag::OVERWRITE;
                }
                if f & flag::SAME_COUNT != 0 {
                    match prev_var {
                        Some(p)
                            if t.var_array && args[p].send == x.send && args[p].ret == x.ret =>
                        {
                            x.same_count = Some(args[p].same_count.unwrap_or(p));
                        }
                        _ => {
                            warnings.push(format!(
                                "{}: warning: {}: SameCount is ignored",
                                a.pos, a.name
                            ));
                            f &= !flag::SAME_COUNT;
                        }
                    }
                }
                x.flags = f;
                if x.send && x.ret && t.is_var_inline() {
                    return err(
                        &a.pos,
                        format!("{}: Inline variable-sized arguments can't be InOut", a.name),
                    );
                }
                if t.port
                    && t.inline
                    && t.var_array
                    && t.multiple_kpd()
                    && t.element.as_ref().is_some_and(|e| e.var_array)
                {
                    return err(
                        &a.pos,
                        format!("{}: arrays of variable arrays are not supported", a.name),
                    );
                }
                if !t.inline && t.multiple_kpd() {
                    return err(
                        &a.pos,
                        format!(
                            "{}: arrays of out-of-line regions are not supported",
                            a.name
                        ),
                    );
                }
                if t.var_array {
                    prev_var = Some(args.len());
                }
                x
            }
        };
        args.push(arg);
    }

    let Some(req_port) = req_port else {
        return err(
            &r.pos,
            format!("{} {} doesn't have a server port argument", kind(r), r.name),
        );
    };
    let oneway = r.simple;
    if oneway
        && args
            .iter()
            .any(|a| a.ret || (a.role != Role::Data && a.user && is_token(a.role)))
    {
        return err(&r.pos, format!("{} {} has OUT argument", kind(r), r.name));
    }
    if (spec.kernel_server || spec.kernel_user) && args.iter().any(|a| is_trailer(a.role)) {
        return err(
            &r.pos,
            "Implicit data is not supported in the KernelUser and KernelServer modes",
        );
    }

    let server_trailer = args.iter().any(|a| a.server && is_trailer(a.role));
    let user_trailer = args.iter().any(|a| a.user && is_token(a.role));
    let mut msg_option = msg_option_arg
        .or_else(|| r.opts.msg_option.clone())
        .unwrap_or_else(|| "MACH_MSG_OPTION_NONE".into());
    if user_trailer {
        let elems = if args.iter().any(|a| a.user && a.role == Role::AuditToken) {
            "MACH_RCV_TRAILER_AUDIT"
        } else {
            "MACH_RCV_TRAILER_SENDER"
        };
        msg_option = format!("{msg_option}|MACH_RCV_TRAILER_ELEMENTS({elems})");
    }
    let special_reply_port =
        r.opts.special_reply_port && !oneway && reply_port.map(|i| !args[i].user).unwrap_or(true);
    if special_reply_port {
        msg_option = format!("{msg_option}|__MigSpecialReplyPortMsgOption");
    }

    let req = layout(&args, true, false);
    let rep = if oneway {
        Msg {
            simple: true,
            ..Msg::default()
        }
    } else {
        layout(&args, false, true)
    };

    let rt = Rt {
        name: r.name.clone(),
        user_name: format!("{}{}", r.opts.user_prefix, r.name),
        server_name: format!("{}{}", r.opts.server_prefix, r.name),
        id: spec.base + r.number,
        oneway,
        args,
        req,
        rep,
        req_port,
        reply_port,
        wait_time,
        send_time,
        msg_option,
        special_reply_port,
        server_trailer,
        user_trailer,
        pos: r.pos.clone(),
    };
    Ok((rt, warnings))
}

fn kind(r: &RoutineDecl) -> &'static str {
    if r.simple {
        "SimpleRoutine"
    } else {
        "Routine"
    }
}

fn is_trailer(r: Role) -> bool {
    matches!(
        r,
        Role::Seqno | Role::SecToken | Role::AuditToken | Role::CtxToken
    )
}

fn is_token(r: Role) -> bool {
    matches!(r, Role::SecToken | Role::AuditToken)
}

/// The request (`send`) or reply (`ret`) layout.
fn layout(args: &[A], send: bool, ret: bool) -> Msg {
    let mut m = Msg::default();
    let mut items = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if a.role != Role::Data {
            continue;
        }
        let carried = (send && a.send) || (ret && a.ret);
        if carried {
            if a.is_kpd() {
                m.kpds.push(i);
                m.descriptors += a.ty.kpd_number.max(1);
                if a.is_var() && a.same_count.is_none() {
                    items.push(Item::Count(i));
                }
            } else if a.ty.is_var_inline() {
                items.push(Item::Var(i));
            } else {
                items.push(Item::Value(i));
            }
        } else if send && a.count_in_out {
            items.push(Item::CountInOut(i));
        }
    }
    m.simple = m.kpds.is_empty();
    m.retcode = ret && m.simple;
    m.ndr = !items.is_empty() || m.retcode;
    let mut nvar = 0;
    for it in items {
        let var = matches!(it, Item::Var(_));
        m.items.push((it, nvar));
        if var {
            nvar += 1;
        }
    }
    m.nvar = nvar;
    m.maxpos = m.items.iter().map(|(_, p)| *p).max().unwrap_or(0);
    m
}

/// Bytes a variable item takes at most (data plus padding).
pub fn var_max_bytes(a: &A) -> u32 {
    a.ty.type_size() + a.ty.pad_size()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse;

    const STD: &str = "subsystem s 1000;\n\
        type int = MACH_MSG_TYPE_INTEGER_32;\n\
        type mach_port_t = MACH_MSG_TYPE_COPY_SEND;\n\
        type pointer_t = ^array[] of MACH_MSG_TYPE_BYTE ctype: vm_offset_t;\n";

    fn rt(body: &str) -> Rt {
        let spec = parse(&format!("{STD}{body}"), "t.defs").unwrap();
        let r = spec.routines().next().unwrap().clone();
        analyze(&spec, &r).unwrap().0
    }

    #[test]
    fn first_argument_is_the_request_port() {
        let r = rt("routine f(p : mach_port_t; x : int; out y : int);");
        assert_eq!(r.req_port, 0);
        assert_eq!(r.id, 1000);
        assert!(r.req.simple && r.req.ndr);
        assert_eq!(r.req.items, vec![(Item::Value(1), 0)]);
        assert!(r.rep.retcode && r.rep.ndr);
        assert_eq!(r.rep.items, vec![(Item::Value(2), 0)]);
    }

    #[test]
    fn ool_goes_to_a_descriptor_with_its_count_in_the_body() {
        let r = rt("routine f(p : mach_port_t; d : pointer_t; q : mach_port_t);");
        assert!(!r.req.simple);
        assert_eq!(r.req.kpds, vec![1, 2]);
        assert_eq!(r.req.items, vec![(Item::Count(1), 0)]);
        assert!(r.req.ndr);
        let r = rt("routine f(p : mach_port_t; out q : mach_port_t);");
        assert!(!r.rep.simple && !r.rep.retcode && !r.rep.ndr);
    }

    #[test]
    fn variable_arrays_shift_later_fields() {
        let r = rt("routine f(p : mach_port_t; a : array[*:4] of int; b : int; c : array[*:8] of int; d : int);");
        assert_eq!(
            r.req.items,
            vec![
                (Item::Var(1), 0),
                (Item::Value(2), 1),
                (Item::Var(3), 1),
                (Item::Value(4), 2)
            ]
        );
        assert_eq!(r.req.nvar, 2);
    }

    #[test]
    fn simpleroutine_with_out_is_an_error() {
        let spec = parse(
            &format!("{STD}\n\nsimpleroutine f(p : mach_port_t; out x : int);"),
            "t.defs",
        )
        .unwrap();
        let r = spec.routines().next().unwrap().clone();
        let e = analyze(&spec, &r).unwrap_err();
        assert_eq!(e.to_string(), "t.defs:7: SimpleRoutine f has OUT argument");
    }

    #[test]
    fn countinout_sends_the_buffer_size() {
        let r = rt("routine f(p : mach_port_t; out a : array[*:4] of int, CountInOut);");
        assert_eq!(r.req.items, vec![(Item::CountInOut(1), 0)]);
        assert!(r.args[1].count_in_out);
    }
}
