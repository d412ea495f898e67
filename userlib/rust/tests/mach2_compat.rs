//! Code written against the `mach2` crate, unchanged but for the crate
//! name: `machipc::sys` takes its place. (The first `use` is the only
//! line that differs from a program for macOS.)

use machipc::sys as mach2;

use std::mem;

use mach2::kern_return::{kern_return_t, KERN_INVALID_NAME, KERN_SUCCESS};
use mach2::mach_port::{
    mach_port_allocate, mach_port_deallocate, mach_port_destroy, mach_port_insert_right,
    mach_port_mod_refs, mach_port_request_notification,
};
use mach2::message::{
    mach_msg, mach_msg_body_t, mach_msg_destroy, mach_msg_header_t, mach_msg_port_descriptor_t,
    mach_msg_trailer_t, MACH_MSGH_BITS, MACH_MSGH_BITS_COMPLEX, MACH_MSG_PORT_DESCRIPTOR,
    MACH_MSG_TIMEOUT_NONE, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND,
    MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND, MACH_RCV_MSG, MACH_RCV_TIMED_OUT,
    MACH_RCV_TIMEOUT, MACH_SEND_MSG,
};
use mach2::notify::{mach_no_senders_notification_t, MACH_NOTIFY_NO_SENDERS};
use mach2::port::{
    mach_port_t, MACH_PORT_DEAD, MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_RIGHT_SEND,
};
use mach2::traps::mach_task_self;
use mach2::vm::{mach_vm_allocate, mach_vm_deallocate};
use mach2::vm_statistics::VM_FLAGS_ANYWHERE;
use mach2::vm_types::mach_vm_address_t;

#[repr(C)]
#[derive(Clone, Copy)]
struct Request {
    header: mach_msg_header_t,
    body: mach_msg_body_t,
    port: mach_msg_port_descriptor_t,
    value: u32,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct ReceivedRequest {
    request: Request,
    trailer: mach_msg_trailer_t,
}

fn new_port() -> mach_port_t {
    let mut port: mach_port_t = MACH_PORT_NULL;
    let kr: kern_return_t =
        unsafe { mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mut port) };
    assert_eq!(kr, KERN_SUCCESS);
    port
}

// mach2's own test of mach_task_self (traps.rs).
#[test]
fn mach_task_self_sanity() {
    unsafe {
        let this_task = mach_task_self();
        assert!(this_task != MACH_PORT_NULL);
        assert!(this_task != MACH_PORT_DEAD);
    }
}

// mach2's own test of mach_vm_allocate (vm.rs).
#[test]
fn mach_vm_allocate_sanity() {
    unsafe {
        let size = 0x100;
        let task = mach_task_self();

        let mut address: mach_vm_address_t = 0;
        assert_eq!(
            mach_vm_allocate(task, &mut address, size, VM_FLAGS_ANYWHERE),
            KERN_SUCCESS
        );
        assert_eq!(mach_vm_deallocate(task, address, size), KERN_SUCCESS);
    }
}

#[test]
fn a_port_descriptor_message_round_trip_written_for_mach2() {
    unsafe {
        let task = mach_task_self();
        let server = new_port();
        let carried = new_port();
        assert_eq!(
            mach_port_insert_right(task, server, server, MACH_MSG_TYPE_MAKE_SEND),
            KERN_SUCCESS
        );

        let mut req: Request = mem::zeroed();
        req.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
        req.header.msgh_size = mem::size_of::<Request>() as u32;
        req.header.msgh_remote_port = server;
        req.header.msgh_local_port = MACH_PORT_NULL;
        req.header.msgh_id = 0x4d32;
        req.body.msgh_descriptor_count = 1;
        req.port = mach_msg_port_descriptor_t::new(carried, MACH_MSG_TYPE_MAKE_SEND);
        req.value = 0xdead_beef;
        let kr = mach_msg(
            &mut req.header,
            MACH_SEND_MSG,
            req.header.msgh_size,
            0,
            MACH_PORT_NULL,
            MACH_MSG_TIMEOUT_NONE,
            MACH_PORT_NULL,
        );
        assert_eq!(kr, KERN_SUCCESS);

        let mut rcv: ReceivedRequest = mem::zeroed();
        let kr = mach_msg(
            &mut rcv.request.header,
            MACH_RCV_MSG,
            0,
            mem::size_of::<ReceivedRequest>() as u32,
            server,
            MACH_MSG_TIMEOUT_NONE,
            MACH_PORT_NULL,
        );
        assert_eq!(kr, KERN_SUCCESS);
        assert_eq!(rcv.request.header.msgh_id, 0x4d32);
        assert_eq!(rcv.request.header.msgh_local_port, server);
        assert_eq!(rcv.request.value, 0xdead_beef);
        assert_eq!(rcv.request.port.type_ as u32, MACH_MSG_PORT_DESCRIPTOR);
        assert_eq!(rcv.request.port.disposition as u32, MACH_MSG_TYPE_PORT_SEND);
        assert_eq!(rcv.request.port.name, carried);
        mach_msg_destroy(&mut rcv.request.header);

        // Nothing more queued.
        let kr = mach_msg(
            &mut rcv.request.header,
            MACH_RCV_MSG | MACH_RCV_TIMEOUT,
            0,
            mem::size_of::<ReceivedRequest>() as u32,
            server,
            0,
            MACH_PORT_NULL,
        );
        assert_eq!(kr, MACH_RCV_TIMED_OUT);

        assert_eq!(mach_port_deallocate(task, server), KERN_SUCCESS);
        assert_eq!(
            mach_port_mod_refs(task, server, MACH_PORT_RIGHT_RECEIVE, -1),
            KERN_SUCCESS
        );
        assert_eq!(mach_port_destroy(task, carried), KERN_SUCCESS);
        assert_eq!(mach_port_deallocate(task, carried), KERN_INVALID_NAME);
    }
}

#[test]
fn a_no_senders_notification_read_with_mach2_structs() {
    unsafe {
        let task = mach_task_self();
        let port = new_port();
        let notify = new_port();
        assert_eq!(
            mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND),
            KERN_SUCCESS
        );
        let mut previous: mach_port_t = MACH_PORT_NULL;
        let kr = mach_port_request_notification(
            task,
            port,
            MACH_NOTIFY_NO_SENDERS,
            0,
            notify,
            MACH_MSG_TYPE_MAKE_SEND_ONCE,
            &mut previous,
        );
        assert_eq!(kr, KERN_SUCCESS);
        assert_eq!(previous, MACH_PORT_NULL);
        assert_eq!(
            mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, -1),
            KERN_SUCCESS
        );
        let mut n: mach_no_senders_notification_t = mem::zeroed();
        let kr = mach_msg(
            &mut n.not_header,
            MACH_RCV_MSG | MACH_RCV_TIMEOUT,
            0,
            mem::size_of::<mach_no_senders_notification_t>() as u32,
            notify,
            20_000,
            MACH_PORT_NULL,
        );
        assert_eq!(kr, KERN_SUCCESS);
        assert_eq!(n.not_header.msgh_id, MACH_NOTIFY_NO_SENDERS);
        assert_eq!(n.not_count, 1);
        mach_port_destroy(task, port);
        mach_port_destroy(task, notify);
    }
}
