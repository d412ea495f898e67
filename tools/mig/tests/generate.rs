//! The generator: for a `.defs` using every construct, the four outputs
//! compile warning-free with -Wall -Wextra -Werror, and carry MIG's
//! names, ids, bits, checks and tables.

mod common;

use common::{cc, compile_ok, generate, scratch};

const EVERYTHING: &str = r#"
subsystem every 7000;
userprefix u_;
serverprefix s_;
serverdemux every_demux;
MsgOption MACH_SEND_NOIMPORTANCE;
#include <mach/std_types.defs>
#include <mach/mach_types.defs>
import "every_types.h";
uimport "every_types.h";
simport "every_types.h";
rcsid "$Id: every.defs$";

type short_t = (MACH_MSG_TYPE_INTEGER_16, 16);
type ints4_t = array[4] of int;
type ints_t = array[*:32] of int;
type bytes_t = ^array[] of MACH_MSG_TYPE_BYTE ctype: vm_offset_t;
type fixed_ool_t = ^array[4] of int ctype: int4p_t;
type ool_ints_t = array[] of int ctype: intp_t;
type name_t = c_string[32];
type text_t = c_string[*:128];
type triple_t = struct[3] of int;
type port2_t = array[2] of mach_port_copy_send_t;
type portv_t = array[*:4] of mach_port_copy_send_t;
type obj_t = mach_port_t
	intran: obj_ref_t port_to_obj(mach_port_t)
	outtran: mach_port_t obj_to_port(obj_ref_t)
	destructor: obj_release(obj_ref_t);
type uv_t = int cusertype: user_int_t cservertype: server_int_t;

routine scal(server : mach_port_t; a : short_t; b : triple_t; inout c : uint64_t; out d : uv_t);
routine arrs(server : mach_port_t; a : ints4_t; b : ints_t, const; c : ints_t, SameCount; out d : ints_t, CountInOut; out e : ints4_t);
routine strs(server : mach_port_t; a : name_t; b : text_t; out c : name_t; out d : text_t);
routine ools(server : mach_port_t; a : bytes_t, dealloc; b : bytes_t, notdealloc; c : bytes_t, Dealloc[]; d : bytes_t, physicalcopy;
	e : bytes_t, servercopy; f : fixed_ool_t; g : ool_ints_t; out h : bytes_t, Dealloc[]; out i : ool_ints_t; out j : fixed_ool_t);
routine ports(server : mach_port_t; a : mach_port_move_send_t; b : mach_port_make_send_once_t; c : mach_port_poly_t;
	d : port2_t; e : portv_t; f : mach_port_array_t, dealloc; out g : mach_port_poly_t; out h : mach_port_array_t;
	out i : mach_port_move_receive_t; out k : portv_t; out k2 : portv_t, SameCount; inout l : mach_port_t);
routine trans(server : obj_t; o : obj_t; out p : obj_t);
routine replies(server : mach_port_t; replyport r : mach_port_make_send_once_t; a : int);
simpleroutine one_way(server : mach_port_t; a : int; WaitTime t : natural_t);
skip;
routine sreply(server : mach_port_t; sreplyport r : mach_port_make_send_once_t; out a : int);
routine ureply(server : mach_port_t; ureplyport r : mach_port_make_send_once_t; out a : int);
routine tokens(server : mach_port_t; ServerAuditToken at : audit_token_t; ServerSecToken st : security_token_t;
	MsgSeqno seq : mach_port_seqno_t; UserAuditToken uat : audit_token_t; UserSecToken ust : security_token_t);
routine options(server : mach_port_t; msgoption o : mach_msg_options_t; waittime w : natural_t; SendTime s : natural_t);
routine polyreq(server : mach_port_poly_t; a : int);
routine empty(server : mach_port_t);
UseSpecialReplyPort 1;
routine special(server : mach_port_t; out a : int);
"#;

const TYPES_H: &str = r#"
#ifndef EVERY_TYPES_H
#define EVERY_TYPES_H
#include <mach/mach_types.h>
typedef int16_t short_t;
typedef int ints4_t[4];
typedef int *ints_t;
typedef int *int4p_t;
typedef int *intp_t;
typedef char name_t[32];
typedef char *text_t;
typedef struct { int v[3]; } triple_t;
typedef mach_port_t port2_t[2];
typedef mach_port_t *portv_t;
typedef int user_int_t;
typedef int server_int_t;
typedef struct obj *obj_ref_t;
typedef mach_port_t obj_t;
obj_ref_t port_to_obj(mach_port_t);
mach_port_t obj_to_port(obj_ref_t);
void obj_release(obj_ref_t);
#endif
"#;

#[test]
fn every_construct_compiles_warning_free() {
    let dir = scratch("every");
    std::fs::write(dir.join("every_types.h"), TYPES_H).unwrap();
    let out = generate(&dir, "every", EVERYTHING);
    std::fs::write(
        dir.join("both.c"),
        "#include \"every.h\"\n#include \"everyServer.h\"\n",
    )
    .unwrap();
    cc(&dir, &["everyUser.c", "everyServer.c", "both.c"]);

    // Names: user prefix on the client, server prefix on the routines and
    // the subsystem, the demux as declared.
    assert!(out.header.contains("kern_return_t u_scal\n("));
    assert!(out.sheader.contains("kern_return_t s_scal\n("));
    assert!(out.server.contains("mig_external boolean_t every_demux\n"));
    assert!(out
        .server
        .contains("mig_external mig_routine_t every_demux_routine\n"));
    assert!(out
        .server
        .contains("const struct s_every_subsystem s_every_subsystem = {"));
    assert!(out.header.contains("#define\tevery_MSG_COUNT\t16"));
    assert!(out.server.contains("every_rcsid"));
    // Global and per-routine options.
    assert!(out
        .user
        .contains("MACH_SEND_MSG|MACH_RCV_MSG|MACH_SEND_NOIMPORTANCE, msgh_size"));
    assert!(out.user.contains(
        "MACH_SEND_MSG|MACH_SEND_TIMEOUT|MACH_SEND_NOIMPORTANCE, msgh_size, 0, MACH_PORT_NULL, t,"
    ));
    assert!(out.user.contains("MACH_SEND_MSG|MACH_RCV_MSG|MACH_SEND_TIMEOUT|MACH_RCV_TIMEOUT|o, msgh_size, (mach_msg_size_t)sizeof(Reply), InP->Head.msgh_reply_port, w,"));
    assert!(out
        .user
        .contains("|MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)"));
    assert!(out.user.contains("|__MigSpecialReplyPortMsgOption"));
    // Reply ports.
    assert!(out.user.contains("InP->Head.msgh_reply_port = r;"));
    assert!(out.user.contains("MACH_MSGH_BITS(19, 21)"));
    assert!(out.server.contains("In0P->Head.msgh_reply_port"));
    assert!(out.user.contains("MACH_MSGH_BITS(19, 0)"));
    assert!(out
        .user
        .contains("MACH_MSGH_BITS(serverPoly, MACH_MSG_TYPE_MAKE_SEND_ONCE)"));
    assert!(out
        .server
        .contains("MACH_MSGH_BITS_REQUEST(In0P->Head.msgh_bits)"));
    // Translations on the server side.
    assert!(out.server.contains("port_to_obj(In0P->o.name)"));
    assert!(out.server.contains("OutP->p.name = obj_to_port(p);"));
    assert!(out.server.contains("obj_release(o_t);"));
    // Descriptor fields.
    assert!(out.user.contains("InP->a.deallocate = TRUE;"));
    assert!(out.user.contains("InP->b.deallocate = FALSE;"));
    assert!(out.user.contains("InP->c.deallocate = cDealloc;"));
    assert!(out.user.contains("InP->d.copy = MACH_MSG_PHYSICAL_COPY;"));
    assert!(out.user.contains("InP->f.size = 16;"));
    assert!(out.server.contains("OutP->h.deallocate = hDealloc;"));
    assert!(out
        .user
        .contains("InP->f.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;"));
    // Trailer arguments.
    assert!(out.server.contains("TrailerP->msgh_audit"));
    assert!(out.server.contains("TrailerP->msgh_sender"));
    assert!(out.server.contains("TrailerP->msgh_seqno"));
    assert!(out.user.contains("*uat = TrailerP->msgh_audit;"));
    // The skipped routine leaves a hole in the table.
    assert!(out.server.contains("{0, 0, 0, 0, 0, 0},"));
}

#[test]
fn ids_are_base_plus_index_and_replies_plus_100() {
    let out = compile_ok(
        "subsystem ids 1000;\ntype mach_port_t = MACH_MSG_TYPE_COPY_SEND;\n\
         routine a(p : mach_port_t);\nskip;\nskip;\nroutine b(p : mach_port_t);\nsimpleroutine c(p : mach_port_t);\n",
    );
    assert!(out.user.contains("InP->Head.msgh_id = 1000;"));
    assert!(out.user.contains("Out0P->Head.msgh_id != 1100"));
    assert!(out.user.contains("InP->Head.msgh_id = 1003;"));
    assert!(out.user.contains("Out0P->Head.msgh_id != 1103"));
    assert!(out.user.contains("InP->Head.msgh_id = 1004;"));
    assert!(!out.user.contains("1104"));
    assert!(out
        .server
        .contains("if ((InHeadP->msgh_id > 1004) || (InHeadP->msgh_id < 1000) ||"));
    assert!(out
        .server
        .contains("OutHeadP->msgh_id = InHeadP->msgh_id + 100;"));
    assert!(out.server.contains("RetCode = MIG_BAD_ID;"));
    assert!(out.server.contains("\t1000,\n\t1005,"));
}

#[test]
fn reply_checks_give_the_mig_codes() {
    let out = compile_ok(
        "subsystem chk 100;\ntype int = MACH_MSG_TYPE_INTEGER_32;\ntype mach_port_t = MACH_MSG_TYPE_COPY_SEND;\n\
         type mach_port_make_send_t = MACH_MSG_TYPE_MAKE_SEND;\n\
         routine plain(p : mach_port_t);\nroutine val(p : mach_port_t; out v : int);\nroutine cplx(p : mach_port_t; out q : mach_port_make_send_t);\n",
    );
    assert!(out.user.contains("{ return MIG_SERVER_DIED; }"));
    assert!(out.user.contains("{ return MIG_REPLY_MISMATCH; }"));
    assert!(out.user.contains("{ return MIG_TYPE_ERROR ; }"));
    assert!(out
        .user
        .contains("Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE"));
    // A simple reply may be the error reply; a complex one may be replaced by it.
    assert!(out.user.contains("(msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||\n\t      Out0P->RetCode == KERN_SUCCESS)"));
    assert!(out
        .user
        .contains("(!msgh_simple || msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||"));
    assert!(out.user.contains("Out0P->q.disposition != 17"));
    // The server: MIG_BAD_ARGUMENTS for a bad shape, MIG_TYPE_ERROR for a bad descriptor.
    assert!(out.server.contains("return MIG_BAD_ARGUMENTS;"));
    assert!(out.server.contains("MIG_RETURN_ERROR(OutP, check_result);"));
    assert!(out
        .server
        .contains("OutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;"));
    assert!(out
        .server
        .contains("OutP->msgh_body.msgh_descriptor_count = 1;"));
}

#[test]
fn request_and_reply_structs_as_mig_writes_them() {
    let out = compile_ok(
        "subsystem st 10;\ntype int = MACH_MSG_TYPE_INTEGER_32;\ntype mach_port_t = MACH_MSG_TYPE_COPY_SEND;\n\
         type pointer_t = ^array[] of MACH_MSG_TYPE_BYTE ctype: vm_offset_t;\ntype v_t = array[*:5] of MACH_MSG_TYPE_BYTE;\n\
         type s_t = c_string[*:9];\n\
         routine r(p : mach_port_t; d : pointer_t; x : int; v : v_t; s : s_t; q : mach_port_t; out o : int);\n",
    );
    let expect_req = "\ttypedef struct {\n\t\tmach_msg_header_t Head;\n\t\t/* start of the kernel processed data */\n\
\t\tmach_msg_body_t msgh_body;\n\t\tmach_msg_ool_descriptor_t d;\n\t\tmach_msg_port_descriptor_t q;\n\
\t\t/* end of the kernel processed data */\n\t\tNDR_record_t NDR;\n\t\tmach_msg_type_number_t dCnt;\n\t\tint x;\n\
\t\tmach_msg_type_number_t vCnt;\n\t\tuint8_t v[5];\n\t\tchar vPad[3];\n\
\t\tmach_msg_type_number_t sOffset; /* MiG doesn't use it */\n\t\tmach_msg_type_number_t sCnt;\n\t\tchar s[9];\n\t\tchar sPad[3];\n\
\t} __Request__r_t __attribute__((unused));";
    assert!(out.header.contains(expect_req), "{}", out.header);
    let expect_rep = "\ttypedef struct {\n\t\tmach_msg_header_t Head;\n\t\tNDR_record_t NDR;\n\t\tkern_return_t RetCode;\n\t\tint o;\n\t} __Reply__r_t __attribute__((unused));";
    assert!(out.header.contains(expect_rep));
    assert!(out.header.contains("#pragma pack(push, 4)"));
    // Variable data is packed: 5 bytes take 8, the string its rounded length.
    assert!(out.user.contains("msgh_size_delta = _WALIGN_(vCnt);"));
    assert!(out
        .user
        .contains("InP->sCnt = mig_strncpy_zerofill(InP->s, s, 9);"));
}

#[test]
fn standard_definitions_import_cleanly() {
    let dir = scratch("std");
    let out = generate(
        &dir,
        "third",
        "subsystem third 9000;\n#include <mach/std_types.defs>\n#include <mach/mach_types.defs>\n\
         routine third_ping(server : mach_port_t; task : task_t; out info : task_info_t, CountInOut;\n\
         out names : mach_port_name_array_t; port : mach_port_move_send_once_t; data : pointer_t);\n",
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert!(out.header.contains("#include <mach/std_types.h>"));
    assert!(out.header.contains("#include <mach/mig.h>"));
    assert!(out
        .header
        .contains("#include <mach_debug/mach_debug_types.h>"));
    cc(&dir, &["thirdUser.c", "thirdServer.c"]);
}
