//! The MIG language: every statement, type form, argument kind and flag is
//! accepted, and malformed input gives `file:line: message` errors.

mod common;

use common::{compile_err, compile_ok};
use mig::parser::{self, flag, Dir, ImportKind, Stmt};
use mig::types::POLY;

const PRELUDE: &str = "subsystem s 500;\n\
type int = MACH_MSG_TYPE_INTEGER_32;\n\
type mach_port_t = MACH_MSG_TYPE_COPY_SEND;\n";

fn parse(body: &str) -> parser::Spec {
    parser::parse(&format!("{PRELUDE}{body}"), "t.defs").unwrap_or_else(|e| panic!("{e}"))
}

fn err(body: &str) -> String {
    compile_err(&format!("{PRELUDE}{body}"))
}

#[test]
fn subsystem_with_kernel_modifiers() {
    let s = parser::parse("subsystem KernelUser KernelServer foo 1234;", "t.defs").unwrap();
    assert_eq!((s.subsystem.as_str(), s.base), ("foo", 1234));
    assert!(s.kernel_user && s.kernel_server);
}

#[test]
fn keywords_are_case_insensitive() {
    let s = parser::parse(
        "SubSystem foo 1; Type int = MACH_MSG_TYPE_INTEGER_32; ROUTINE r(p : int);",
        "t",
    )
    .unwrap();
    assert_eq!(s.routines().count(), 1);
}

#[test]
fn routine_simpleroutine_and_skip_number_the_ids() {
    let s = parse("routine a(p : mach_port_t);\nskip;\nsimpleroutine b(p : mach_port_t);\nskip;\n");
    let r: Vec<_> = s
        .routines()
        .map(|r| (r.name.clone(), r.number, r.simple))
        .collect();
    assert_eq!(r, vec![("a".into(), 0, false), ("b".into(), 2, true)]);
    assert_eq!(s.count, 4);
}

#[test]
fn imports_of_every_kind() {
    let s =
        parse("import <a.h>;\nuimport \"b.h\";\nsimport <c.h>;\niimport <d.h>;\ndimport <e.h>;\n");
    let v: Vec<_> = s
        .stmts
        .iter()
        .filter_map(|st| {
            if let Stmt::Import(k, f) = st {
                Some((*k, f.clone()))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        v,
        vec![
            (ImportKind::Both, "<a.h>".into()),
            (ImportKind::User, "\"b.h\"".into()),
            (ImportKind::Server, "<c.h>".into()),
            (ImportKind::Iheader, "<d.h>".into()),
            (ImportKind::Dheader, "<e.h>".into()),
        ]
    );
}

#[test]
fn prefixes_demux_and_options_apply_to_later_routines() {
    let s = parse(
        "userprefix u_;\nserverprefix s_;\nserverdemux my_demux;\nWaitTime 1000;\nMsgOption MACH_SEND_TIMEOUT;\n\
         UseSpecialReplyPort 1;\nConsumeOnSendError Timeout;\nUserTypeLimit 16;\nOnStackLimit 64;\nrcsid \"$Id$\";\n\
         error my_error;\nroutine r(p : mach_port_t);\nNoWaitTime;\nMsgOption MACH_MSG_OPTION_NONE;\nroutine q(p : mach_port_t);\n",
    );
    let r: Vec<_> = s.routines().collect();
    assert_eq!(r[0].opts.user_prefix, "u_");
    assert_eq!(r[0].opts.server_prefix, "s_");
    assert_eq!(r[0].opts.wait_time.as_deref(), Some("1000"));
    assert_eq!(r[0].opts.msg_option.as_deref(), Some("MACH_SEND_TIMEOUT"));
    assert!(r[0].opts.special_reply_port);
    assert_eq!(r[0].opts.error_proc.as_deref(), Some("my_error"));
    assert_eq!(r[1].opts.wait_time, None);
    assert_eq!(r[1].opts.msg_option, None);
    assert_eq!(s.server_demux.as_deref(), Some("my_demux"));
    assert_eq!(s.rcsid.as_deref(), Some("\"$Id$\""));
}

fn arg_type(decl: &str) -> mig::types::Type {
    let s = parse(&format!("{decl}\nroutine r(p : mach_port_t; x : t);\n"));
    let r = s.routines().next().unwrap();
    r.args[1].ty.clone()
}

#[test]
fn base_types_and_the_long_form() {
    let t = arg_type("type t = MACH_MSG_TYPE_INTEGER_64;");
    assert_eq!((t.size, t.number, t.type_size()), (64, 1, 8));
    let t = arg_type("type t = (MACH_MSG_TYPE_INTEGER_16, 16);");
    assert_eq!((t.size, t.type_size(), t.pad_size()), (16, 2, 2));
    let t = arg_type("type t = (MACH_MSG_TYPE_BYTE, 8, dealloc);");
    assert_eq!(t.type_size(), 1);
    let t = arg_type("type t = (2|2, 32);");
    assert_eq!((t.in_name, t.size), (2, 32));
    let t = arg_type("type t = MACH_MSG_TYPE_MAKE_SEND|MACH_MSG_TYPE_PORT_SEND;");
    assert!(t.port && t.in_name == 20 && t.out_name == 17);
    for (name, bits) in [
        ("MACH_MSG_TYPE_BIT", 1),
        ("MACH_MSG_TYPE_BOOLEAN", 32),
        ("MACH_MSG_TYPE_INTEGER_8", 8),
        ("MACH_MSG_TYPE_REAL_32", 32),
        ("MACH_MSG_TYPE_REAL_64", 64),
        ("MACH_MSG_TYPE_CHAR", 8),
        ("MACH_MSG_TYPE_PORT_NAME", 32),
    ] {
        assert_eq!(arg_type(&format!("type t = {name};")).size, bits, "{name}");
    }
}

#[test]
fn port_types_of_every_disposition() {
    for (name, i, o) in [
        ("MACH_MSG_TYPE_MOVE_RECEIVE", 16, 16),
        ("MACH_MSG_TYPE_MOVE_SEND", 17, 17),
        ("MACH_MSG_TYPE_MOVE_SEND_ONCE", 18, 18),
        ("MACH_MSG_TYPE_COPY_SEND", 19, 17),
        ("MACH_MSG_TYPE_MAKE_SEND", 20, 17),
        ("MACH_MSG_TYPE_MAKE_SEND_ONCE", 21, 18),
        ("MACH_MSG_TYPE_PORT_RECEIVE", POLY, 16),
        ("MACH_MSG_TYPE_PORT_SEND", POLY, 17),
        ("MACH_MSG_TYPE_PORT_SEND_ONCE", POLY, 18),
        ("polymorphic", POLY, POLY),
        ("MACH_MSG_TYPE_POLYMORPHIC", POLY, POLY),
    ] {
        let t = arg_type(&format!("type t = {name};"));
        assert!(t.port, "{name}");
        assert_eq!((t.in_name, t.out_name), (i, o), "{name}");
    }
}

#[test]
fn arrays_structs_strings_and_out_of_line() {
    let t = arg_type("type t = array[10] of int;");
    assert!(t.inline && !t.var_array && !t.is_struct && t.type_size() == 40);
    let t = arg_type("type t = array[*:10] of int;");
    assert!(t.inline && t.var_array && t.max_count() == 10);
    let t = arg_type("type t = array[] of int;");
    assert!(!t.inline && t.mig_inline && t.var_array);
    let t = arg_type("type t = array[*] of int;");
    assert!(t.mig_inline);
    let t = arg_type("type t = ^array[] of int;");
    assert!(!t.inline && !t.mig_inline && t.var_array);
    let t = arg_type("type t = ^array[4] of int;");
    assert!(!t.inline && !t.var_array && t.ool_fixed_bytes() == 16);
    let t = arg_type("type t = struct[3] of int;");
    assert!(t.is_struct && t.type_size() == 12);
    let t = arg_type("type t = c_string[40];");
    assert!(t.string && !t.var_array && t.number == 40);
    let t = arg_type("type t = c_string[*:40];");
    assert!(t.string && t.var_array);
    let t = arg_type("type t = array[2*(3+1)] of int;");
    assert_eq!(t.type_size(), 32);
    let t = arg_type("type t = array[] of mach_port_t;");
    assert!(t.port && !t.inline);
    let t = arg_type("type t = array[3] of mach_port_t;");
    assert!(t.port && t.inline && t.kpd_number == 3);
}

#[test]
fn c_types_and_translations() {
    let t = arg_type("type t = int ctype: my_t;");
    assert_eq!((t.user(), t.server()), ("my_t".into(), "my_t".into()));
    let t = arg_type("type t = int cusertype: u_t cservertype: s_t;");
    assert_eq!((t.user(), t.server()), ("u_t".into(), "s_t".into()));
    let t = arg_type(
        "type t = mach_port_t intran: obj_t port_to_obj(mach_port_t) outtran: mach_port_t obj_to_port(obj_t) destructor: obj_release(obj_t);",
    );
    assert_eq!(t.in_tran.as_deref(), Some("port_to_obj"));
    assert_eq!(t.out_tran.as_deref(), Some("obj_to_port"));
    assert_eq!(t.destructor.as_deref(), Some("obj_release"));
    assert_eq!(t.trans(), "obj_t");
    assert_eq!(t.server(), "mach_port_t");
}

#[test]
fn argument_kinds() {
    let s = parse(
        "type audit_token_t = struct[8] of int;\ntype security_token_t = struct[2] of int;\n\
         type mach_port_make_send_once_t = MACH_MSG_TYPE_MAKE_SEND_ONCE;\n\
         routine r(\n requestport p : mach_port_t;\n replyport rp : mach_port_make_send_once_t;\n in a : int;\n out b : int;\n inout c : int;\n\
         waittime w : int;\n msgoption o : int;\n msgseqno q : int;\n ServerAuditToken at : audit_token_t;\n UserSecToken us : security_token_t;\n\
         ServerSecToken ss : security_token_t;\n sreplyport srp : mach_port_make_send_once_t;\n ureplyport urp : mach_port_make_send_once_t;\n\
         SendTime st : int;\n d : int);\n",
    );
    let dirs: Vec<Dir> = s
        .routines()
        .next()
        .unwrap()
        .args
        .iter()
        .map(|a| a.dir)
        .collect();
    assert_eq!(
        dirs,
        vec![
            Dir::RequestPort,
            Dir::ReplyPort,
            Dir::In,
            Dir::Out,
            Dir::InOut,
            Dir::WaitTime,
            Dir::MsgOption,
            Dir::MsgSeqno,
            Dir::ServerAuditToken,
            Dir::UserSecToken,
            Dir::ServerSecToken,
            Dir::SReplyPort,
            Dir::UReplyPort,
            Dir::SendTime,
            Dir::None
        ]
    );
}

#[test]
fn flags_of_every_kind() {
    let s = parse(
        "type d = ^array[] of int;\ntype v = array[*:4] of int;\n\
         routine r(p : mach_port_t; a : d, dealloc; b : d, notdealloc; c : d, dealloc[]; e : d, servercopy;\n\
         f : d, physicalcopy; out g : v, CountInOut; h : v; i : v, samecount; j : d, auto, const);\n",
    );
    let f: Vec<u32> = s
        .routines()
        .next()
        .unwrap()
        .args
        .iter()
        .map(|a| a.flags)
        .collect();
    assert_eq!(
        &f[1..],
        &[
            flag::DEALLOC,
            flag::NOT_DEALLOC,
            flag::MAYBE_DEALLOC,
            flag::SERVER_COPY,
            flag::PHYSICAL_COPY,
            flag::COUNT_IN_OUT,
            0,
            flag::SAME_COUNT,
            flag::AUTO | flag::CONST
        ]
    );
}

#[test]
fn inline_type_declaration_in_an_argument() {
    let s = parse("routine r(p : mach_port_t; x : foo_t = array[*:8] of int);\n");
    let a = &s.routines().next().unwrap().args[1];
    assert_eq!(a.ty.name.as_deref(), Some("foo_t"));
    assert!(a.ty.var_array);
}

#[test]
fn cpp_line_markers_name_the_original_file() {
    let src = "# 1 \"a.defs\"\nsubsystem s 1;\n# 1 \"inc.defs\" 1\n\ntype x = frob;\n";
    assert_eq!(compile_err(src), "inc.defs:2: type 'frob' not defined");
}

#[test]
fn error_undefined_type() {
    assert_eq!(
        err("\nroutine r(p : mach_port_t; x : nosuch_t);\n"),
        "t.defs:5: type 'nosuch_t' not defined"
    );
}

#[test]
fn error_missing_semicolon() {
    assert_eq!(
        err("routine r(p : mach_port_t)\nroutine q(p : mach_port_t);\n"),
        "t.defs:5: syntax error: expected ';', found 'routine'"
    );
}

#[test]
fn error_no_subsystem() {
    assert_eq!(
        compile_err("type int = MACH_MSG_TYPE_INTEGER_32;\n"),
        "t.defs:2: no SubSystem declaration"
    );
}

#[test]
fn error_unknown_statement_and_flag() {
    assert_eq!(
        err("frobnicate;\n"),
        "t.defs:4: syntax error: unknown statement 'frobnicate'"
    );
    assert_eq!(
        err("routine r(p : mach_port_t;\n x : int, sometimes);\n"),
        "t.defs:5: syntax error: unknown IPC flag 'sometimes'"
    );
    assert_eq!(
        err("routine r(bogus p : mach_port_t);\n"),
        "t.defs:4: syntax error: unknown argument kind 'bogus'"
    );
}

#[test]
fn error_simpleroutine_with_out_argument() {
    assert_eq!(
        err("\n\nsimpleroutine r(p : mach_port_t; out x : int);\n"),
        "t.defs:6: SimpleRoutine r has OUT argument"
    );
}

#[test]
fn error_no_request_port() {
    assert_eq!(
        err("routine r();\n"),
        "t.defs:4: Routine r doesn't have a server port argument"
    );
    assert_eq!(
        err("routine r(p : int);\n"),
        "t.defs:4: argument p isn't a proper request port"
    );
}

#[test]
fn error_inout_variable_array() {
    assert_eq!(
        err("type v = array[*:4] of int;\nroutine r(p : mach_port_t;\n inout x : v);\n"),
        "t.defs:6: x: Inline variable-sized arguments can't be InOut"
    );
}

#[test]
fn error_bad_waittime_and_tokens() {
    assert_eq!(
        err("type v = array[4] of int;\nroutine r(p : mach_port_t; waittime w : v);\n"),
        "t.defs:5: argument w isn't a proper integer"
    );
    assert_eq!(
        err("routine r(p : mach_port_t; ServerAuditToken t : int);\n"),
        "t.defs:4: argument t isn't a proper Token"
    );
}

#[test]
fn error_too_complicated_types() {
    assert_eq!(
        err("type t = ^^array[] of int;\n"),
        "t.defs:4: IPC type decl is already defined to be Out-Of-Line"
    );
    assert_eq!(
        err("type a = array[*:4] of int;\ntype t = array[3] of a;\n"),
        "t.defs:5: IPC type decl is too complicated"
    );
    assert_eq!(
        err("type t = MACH_MSG_TYPE_STRING;\n"),
        "t.defs:4: must use full IPC type decl"
    );
    assert_eq!(
        err("type t = array[4/0] of int;\n"),
        "t.defs:4: division by zero"
    );
}

#[test]
fn error_translating_a_variable_array() {
    assert_eq!(
        err("type t = array[*:4] of int intran: x_t f(int);\n"),
        "t.defs:4: t: can't translate variable-sized arrays"
    );
}

#[test]
fn error_native_types_and_implicit_args_are_refused_clearly() {
    assert_eq!(
        err("type t = PointerTo(int);\n"),
        "t.defs:4: PointerTo: native C types are not supported by this mig"
    );
    assert_eq!(
        err("routine r(p : mach_port_t; serverimpl x : int);\n"),
        "t.defs:4: serverimpl: implicit trailer arguments are not supported; use ServerAuditToken, ServerSecToken or MsgSeqno"
    );
}

#[test]
fn error_illegal_directive_and_characters() {
    assert_eq!(
        compile_err("subsystem s 1;\n#foo\n"),
        "t.defs:2: illegal # directive"
    );
    assert_eq!(
        compile_err("subsystem s 1;\n\n  @\n"),
        "t.defs:3: unexpected character '@'"
    );
    assert_eq!(
        compile_err("subsystem s 1;\nimport nothing;\n"),
        "t.defs:2: syntax error: expected a file name, found 'nothing'"
    );
}

#[test]
fn warnings_keep_going() {
    let out = compile_ok(&format!(
        "{PRELUDE}type int = MACH_MSG_TYPE_INTEGER_32;\nroutine r(p : mach_port_t; x : int, dealloc);\n"
    ));
    assert!(out
        .warnings
        .iter()
        .any(|w| w.contains("overriding previous definition of int")));
    assert!(out
        .warnings
        .iter()
        .any(|w| w.contains("Dealloc is ignored")));
}
