//! The request and reply structures generated for routines of XNU's
//! interfaces have XNU's sizes and field offsets (64-bit user layout; the
//! numbers are those of the stubs Apple's MIG generates for these
//! routines). The routines are declared here with XNU's signatures; the
//! generated headers are compiled with static assertions on the layout.

mod common;

use common::{cc, generate, scratch};

const MACH_PORT: &str = "subsystem mach_port 3200;\n\
#include <mach/std_types.defs>\n\
#include <mach/mach_types.defs>\n\
routine mach_port_names(task : ipc_space_t; out names : mach_port_name_array_t; out types : mach_port_type_array_t);\n\
routine mach_port_type(task : ipc_space_t; name : mach_port_name_t; out ptype : mach_port_type_t);\n\
skip; skip;\n\
routine mach_port_allocate(task : ipc_space_t; right : mach_port_right_t; out name : mach_port_name_t);\n\
skip; skip; skip; skip; skip; skip; skip; skip;\n\
routine mach_port_request_notification(task : ipc_space_t; name : mach_port_name_t; msgid : mach_msg_id_t;\n\
	sync : mach_port_mscount_t; notify : mach_port_send_once_t; out previous : mach_port_move_send_once_t);\n\
routine mach_port_insert_right(task : ipc_space_t; name : mach_port_name_t; poly : mach_port_poly_t);\n\
routine mach_port_extract_right(task : ipc_space_t; name : mach_port_name_t; msgt_name : mach_msg_type_name_t;\n\
	out poly : mach_port_poly_t);\n\
skip;\n\
routine mach_port_get_attributes(task : ipc_space_t; name : mach_port_name_t; flavor : mach_port_flavor_t;\n\
	out port_info_out : mach_port_info_t, CountInOut);\n";

const TASK: &str = "subsystem task 3400;\n\
#include <mach/std_types.defs>\n\
#include <mach/mach_types.defs>\n\
skip; skip; skip; skip; skip; skip; skip; skip; skip;\n\
routine task_get_special_port(task : task_inspect_t; which_port : int; out special_port : mach_port_t);\n\
routine task_set_special_port(task : task_t; which_port : int; special_port : mach_port_t);\n";

const MACH_EXC: &str = "subsystem mach_exc 2405;\n\
#include <mach/std_types.defs>\n\
#include <mach/mach_types.defs>\n\
type exception_type_t = int;\n\
type mach_exception_data_t = array[*:2] of int64_t;\n\
routine mach_exception_raise(exception_port : mach_port_t; thread : mach_port_t; task : mach_port_t;\n\
	exception : exception_type_t; code : mach_exception_data_t);\n\
routine mach_exception_raise_state(exception_port : mach_port_t; exception : exception_type_t;\n\
	code : mach_exception_data_t, const; inout flavor : int; old_state : thread_state_t, const;\n\
	out new_state : thread_state_t);\n\
routine mach_exception_raise_state_identity(exception_port : mach_port_t; thread : mach_port_t; task : mach_port_t;\n\
	exception : exception_type_t; code : mach_exception_data_t; inout flavor : int; old_state : thread_state_t;\n\
	out new_state : thread_state_t);\n";

fn check(name: &str, defs: &str, asserts: &[(&str, u32)]) -> mig::Output {
    let dir = scratch(name);
    let out = generate(&dir, name, defs);
    let mut c = format!("#include <stddef.h>\n#include \"{name}.h\"\n");
    for (expr, v) in asserts {
        c.push_str(&format!("_Static_assert({expr} == {v}, \"{expr}\");\n"));
    }
    std::fs::write(dir.join("layout.c"), c).unwrap();
    cc(
        &dir,
        &[
            "layout.c",
            &format!("{name}User.c"),
            &format!("{name}Server.c"),
        ],
    );
    out
}

#[test]
fn mach_port_requests_and_replies() {
    let out = check(
        "mach_port",
        MACH_PORT,
        &[
            ("sizeof(__Request__mach_port_names_t)", 24),
            ("sizeof(__Reply__mach_port_names_t)", 76),
            ("offsetof(__Reply__mach_port_names_t, names)", 28),
            ("offsetof(__Reply__mach_port_names_t, types)", 44),
            ("offsetof(__Reply__mach_port_names_t, NDR)", 60),
            ("offsetof(__Reply__mach_port_names_t, namesCnt)", 68),
            ("offsetof(__Reply__mach_port_names_t, typesCnt)", 72),
            ("sizeof(__Request__mach_port_type_t)", 36),
            ("sizeof(__Reply__mach_port_type_t)", 40),
            ("sizeof(__Request__mach_port_allocate_t)", 36),
            ("offsetof(__Request__mach_port_allocate_t, right)", 32),
            ("sizeof(__Reply__mach_port_allocate_t)", 40),
            ("offsetof(__Reply__mach_port_allocate_t, RetCode)", 32),
            ("offsetof(__Reply__mach_port_allocate_t, name)", 36),
            ("sizeof(__Request__mach_port_request_notification_t)", 60),
            (
                "offsetof(__Request__mach_port_request_notification_t, notify)",
                28,
            ),
            (
                "offsetof(__Request__mach_port_request_notification_t, NDR)",
                40,
            ),
            (
                "offsetof(__Request__mach_port_request_notification_t, sync)",
                56,
            ),
            ("sizeof(__Reply__mach_port_request_notification_t)", 40),
            ("sizeof(__Request__mach_port_insert_right_t)", 52),
            ("offsetof(__Request__mach_port_insert_right_t, name)", 48),
            ("sizeof(__Reply__mach_port_insert_right_t)", 36),
            ("sizeof(__Request__mach_port_extract_right_t)", 40),
            ("sizeof(__Reply__mach_port_extract_right_t)", 40),
            ("sizeof(__Request__mach_port_get_attributes_t)", 44),
            (
                "offsetof(__Request__mach_port_get_attributes_t, port_info_outCnt)",
                40,
            ),
            ("sizeof(__Reply__mach_port_get_attributes_t)", 108),
            (
                "offsetof(__Reply__mach_port_get_attributes_t, port_info_out)",
                40,
            ),
            ("sizeof(mig_reply_error_t)", 36),
        ],
    );
    // Message ids: base + index (skips count), replies + 100.
    for (id, rid) in [
        (3200, 3300),
        (3204, 3304),
        (3213, 3313),
        (3214, 3314),
        (3217, 3317),
    ] {
        assert!(
            out.user.contains(&format!("InP->Head.msgh_id = {id};")),
            "{id}"
        );
        assert!(
            out.user.contains(&format!("Out0P->Head.msgh_id != {rid}")),
            "{rid}"
        );
    }
    // The poly right's disposition is the caller's; the bits carry the request port's.
    assert!(out.user.contains("InP->poly.disposition = polyPoly;"));
    assert!(out
        .user
        .contains("MACH_MSGH_BITS(19, MACH_MSG_TYPE_MAKE_SEND_ONCE)"));
    assert!(out
        .user
        .contains("InP->msgh_body.msgh_descriptor_count = 1;"));
    // CountInOut: the caller's room goes in the request.
    assert!(out
        .user
        .contains("InP->port_info_outCnt = *port_info_outCnt;"));
    // The subsystem table spans the skipped ids.
    assert!(out.server.contains("\t3200,\n\t3218,"));
    assert!(out.sheader.contains("routine[18];"));
}

#[test]
fn task_special_port_layout() {
    check(
        "task",
        TASK,
        &[
            ("sizeof(__Request__task_get_special_port_t)", 36),
            (
                "offsetof(__Request__task_get_special_port_t, which_port)",
                32,
            ),
            ("sizeof(__Reply__task_get_special_port_t)", 40),
            (
                "offsetof(__Reply__task_get_special_port_t, special_port)",
                28,
            ),
            ("sizeof(__Request__task_set_special_port_t)", 52),
            (
                "offsetof(__Request__task_set_special_port_t, which_port)",
                48,
            ),
            ("sizeof(__Reply__task_set_special_port_t)", 36),
        ],
    );
}

#[test]
fn mach_exc_layout() {
    let out = check(
        "mach_exc",
        MACH_EXC,
        &[
            ("sizeof(__Request__mach_exception_raise_t)", 84),
            ("offsetof(__Request__mach_exception_raise_t, thread)", 28),
            ("offsetof(__Request__mach_exception_raise_t, task)", 40),
            ("offsetof(__Request__mach_exception_raise_t, NDR)", 52),
            ("offsetof(__Request__mach_exception_raise_t, exception)", 60),
            ("offsetof(__Request__mach_exception_raise_t, codeCnt)", 64),
            ("offsetof(__Request__mach_exception_raise_t, code)", 68),
            ("sizeof(__Reply__mach_exception_raise_t)", 36),
            ("sizeof(__Request__mach_exception_raise_state_t)", 2520),
            (
                "offsetof(__Request__mach_exception_raise_state_t, flavor)",
                56,
            ),
            (
                "offsetof(__Request__mach_exception_raise_state_t, old_state)",
                64,
            ),
            ("sizeof(__Reply__mach_exception_raise_state_t)", 2500),
            (
                "offsetof(__Reply__mach_exception_raise_state_t, new_stateCnt)",
                40,
            ),
            (
                "sizeof(__Request__mach_exception_raise_state_identity_t)",
                2548,
            ),
            (
                "sizeof(__Reply__mach_exception_raise_state_identity_t)",
                2500,
            ),
        ],
    );
    // The facts of Apple's stubs for these routines: sizes passed to the
    // checks, the routine table, the variable-array arithmetic.
    assert!(out
        .server
        .contains("(msgh_size < (mach_msg_size_t)(sizeof(__Request) - 16))"));
    assert!(out
        .server
        .contains("(msgh_size < (mach_msg_size_t)(sizeof(__Request) - 2472))"));
    assert!(out.server.contains("In0P->thread.disposition != 17"));
    assert!(out
        .server
        .contains("(mig_stub_routine_t) _Xmach_exception_raise, 6, 0,"));
    assert!(out
        .server
        .contains("(mig_stub_routine_t) _Xmach_exception_raise_state, 9, 0,"));
    assert!(out
        .server
        .contains("(mig_stub_routine_t) _Xmach_exception_raise_state_identity, 11, 0,"));
    assert!(out
        .server
        .contains("(mach_msg_size_t)sizeof(union __ReplyUnion__mach_exc_subsystem),"));
    assert!(out.user.contains("msgh_size_delta = (8 * codeCnt);"));
    assert!(out
        .user
        .contains("InP = (Request *) ((pointer_t) InP + msgh_size_delta - 16);"));
    assert!(out.user.contains("(Out0P->Head.msgh_id != 2506)"));
    assert!(out.header.contains("const mach_exception_data_t code,"));
}
