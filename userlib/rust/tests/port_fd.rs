//! Pollable ports and port sets (`mach_port_get_fd`) and the
//! EVFILT_MACHPORT helpers of libmach. They need a kernel module with
//! pollable ports: on one without, every test here reports SKIP.

#[macro_use]
mod common;

use std::os::fd::AsRawFd;
use std::time::Duration;

use common::*;
use machipc::sys::machipc::{
    machipc_epoll_add_port, machipc_epoll_del_port, machipc_machport_event,
};
use machipc::sys::message::*;
use machipc::{KernReturn, Message, OutPort, PortFd, PortSet, Readiness, ReceiveRight};

const SHORT: Option<Duration> = Some(Duration::from_millis(100));

#[test]
fn a_port_fd_is_readable_while_a_message_is_queued() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let fd = port.fd().unwrap();
    assert_eq!(fd.wait(NOW).unwrap(), Readiness::TimedOut, "empty");
    let send = port.make_send().unwrap();
    send.send(Message::new(1), NOW).unwrap();
    send.send(Message::new(2), NOW).unwrap();
    assert_eq!(
        fd.wait(NOW).unwrap(),
        Readiness::Readable,
        "queued before the wait"
    );
    assert_eq!(port.recv(NOW).unwrap().id(), 1);
    assert_eq!(
        fd.wait(NOW).unwrap(),
        Readiness::Readable,
        "one still queued"
    );
    assert_eq!(port.recv(NOW).unwrap().id(), 2);
    assert_eq!(fd.wait(NOW).unwrap(), Readiness::TimedOut, "drained");
}

#[test]
fn a_port_fd_wakes_a_poll_when_a_message_arrives_during_the_wait() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let fd = port.fd().unwrap();
    let send = port.make_send().unwrap();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        send.send(Message::new(3), None).unwrap();
    });
    assert_eq!(fd.wait(WAIT).unwrap(), Readiness::Readable);
    t.join().unwrap();
    assert_eq!(port.try_recv().unwrap().unwrap().id(), 3);
}

#[test]
fn a_set_fd_reports_its_members_messages_and_follows_membership() {
    require_port_fd!();
    let set = PortSet::new().unwrap();
    let a = ReceiveRight::new().unwrap();
    let b = ReceiveRight::new().unwrap();
    set.insert(&a).unwrap();
    let fd = set.fd().unwrap();
    b.make_send().unwrap().send(Message::new(1), NOW).unwrap();
    assert_eq!(
        fd.wait(NOW).unwrap(),
        Readiness::TimedOut,
        "b is not a member yet"
    );
    set.insert(&b).unwrap();
    assert_eq!(
        fd.wait(NOW).unwrap(),
        Readiness::Readable,
        "b joined with a message"
    );
    set.remove(&b).unwrap();
    assert_eq!(fd.wait(NOW).unwrap(), Readiness::TimedOut, "b left with it");
    // A member added while a poll waits wakes it when it gets a message.
    let c = ReceiveRight::new().unwrap();
    let to_c = c.make_send().unwrap();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        to_c.send(Message::new(5), None).unwrap();
    });
    set.insert(&c).unwrap();
    assert_eq!(fd.wait(WAIT).unwrap(), Readiness::Readable);
    t.join().unwrap();
    let m = set.try_recv().unwrap().unwrap();
    assert_eq!((m.id(), m.local_port()), (5, c.name()));
}

#[test]
fn a_port_fd_hangs_up_when_the_port_is_destroyed() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let fd = port.fd().unwrap();
    drop(port);
    assert_eq!(fd.wait(NOW).unwrap(), Readiness::Hangup);
}

#[test]
fn a_port_fd_hangs_up_when_the_receive_right_moves_away() {
    require_port_fd!();
    let carrier = ReceiveRight::new().unwrap();
    let port = ReceiveRight::new().unwrap();
    let fd = port.fd().unwrap();
    carrier
        .make_send()
        .unwrap()
        .send(Message::new(1).port(OutPort::MoveReceive(port)), NOW)
        .unwrap();
    assert_eq!(fd.wait(NOW).unwrap(), Readiness::Hangup);
}

#[test]
fn a_set_destroyed_under_a_waiting_poll_hangs_it_up() {
    require_port_fd!();
    let set = PortSet::new().unwrap();
    let fd = set.fd().unwrap();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        drop(set);
    });
    assert_eq!(fd.wait(WAIT).unwrap(), Readiness::Hangup);
    t.join().unwrap();
}

#[test]
fn a_port_fd_is_close_on_exec() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let fd = port.fd().unwrap();
    // SAFETY: a query on our descriptor.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) };
    assert!(flags >= 0 && flags & libc::FD_CLOEXEC != 0, "{flags:#x}");
}

#[test]
fn closing_a_port_fd_leaves_the_port_alone() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    send.send(Message::new(1), NOW).unwrap();
    drop(port.fd().unwrap());
    assert_eq!(port.status().unwrap().msgcount, 1);
    assert_eq!(port.recv(NOW).unwrap().id(), 1);
}

#[test]
fn many_fds_on_one_port_all_report_it() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let fds: Vec<PortFd> = (0..200).map(|_| port.fd().unwrap()).collect();
    let mut raw: Vec<i32> = fds.iter().map(|f| f.as_raw_fd()).collect();
    raw.sort();
    raw.dedup();
    assert_eq!(raw.len(), 200, "each call is a new descriptor");
    port.make_send()
        .unwrap()
        .send(Message::new(1), NOW)
        .unwrap();
    assert!(fds
        .iter()
        .all(|f| f.wait(NOW).unwrap() == Readiness::Readable));
    drop(port);
    assert!(fds
        .iter()
        .all(|f| f.wait(NOW).unwrap() == Readiness::Hangup));
}

#[test]
fn only_receive_rights_and_sets_have_descriptors() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let so = port.make_send_once().unwrap();
    let e = PortFd::new(so.name()).unwrap_err();
    assert!(
        matches!(e, KernReturn::INVALID_RIGHT | KernReturn::INVALID_NAME),
        "a send-once right: {e:?}"
    );
    let e = PortFd::new(0x00ab_cd03).unwrap_err();
    assert!(
        matches!(e, KernReturn::INVALID_NAME | KernReturn::INVALID_RIGHT),
        "{e:?}"
    );
}

#[test]
fn a_descriptor_passed_to_another_task_gives_readiness_only() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let fd = port.fd().unwrap();
    let name = port.name();
    send.send(Message::new(1), NOW).unwrap();
    // The forked child is another task: it inherits the descriptor, not
    // the right.
    let child = fork(|| {
        become_nobody();
        if fd.wait(NOW).ok() != Some(Readiness::Readable) {
            return 2;
        }
        // SAFETY: a raw receive on a name of the parent's space, which
        // means nothing in ours.
        let mut buf = [0u64; 16];
        let mr = unsafe {
            mach_msg(
                buf.as_mut_ptr().cast(),
                MACH_RCV_MSG | MACH_RCV_TIMEOUT,
                0,
                128,
                name,
                0,
                0,
            )
        };
        if mr == MACH_RCV_INVALID_NAME || mr == MACH_RCV_TIMED_OUT {
            0
        } else {
            3
        }
    });
    assert_eq!(wait(child), 0);
    assert_eq!(
        port.status().unwrap().msgcount,
        1,
        "the message is still ours"
    );
}

#[test]
fn a_child_exiting_with_the_descriptor_open_leaves_the_port_alone() {
    require_port_fd!();
    let port = ReceiveRight::new().unwrap();
    let fd = port.fd().unwrap();
    for _ in 0..10 {
        let child = fork(|| {
            let _ = fd.wait(SHORT);
            // SAFETY: dies with the descriptor open.
            unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
            0
        });
        assert_eq!(wait(child), 128 + libc::SIGKILL);
    }
    port.make_send()
        .unwrap()
        .send(Message::new(1), NOW)
        .unwrap();
    assert_eq!(fd.wait(NOW).unwrap(), Readiness::Readable);
}

#[test]
fn machport_event_without_rcv_msg_names_the_member_and_leaves_the_message() {
    require_port_fd!();
    let set = PortSet::new().unwrap();
    let a = ReceiveRight::new().unwrap();
    set.insert(&a).unwrap();
    let mut data = 0;
    // SAFETY: no buffer is used without MACH_RCV_MSG.
    let mr = unsafe { machipc_machport_event(set.name(), 0, std::ptr::null_mut(), 0, &mut data) };
    assert_eq!(mr, MACH_RCV_TIMED_OUT, "no event on an empty set");
    a.make_send()
        .unwrap()
        .send(Message::new(4).data(&[1; 100]), NOW)
        .unwrap();
    // SAFETY: as above.
    let mr = unsafe { machipc_machport_event(set.name(), 0, std::ptr::null_mut(), 0, &mut data) };
    assert_eq!(mr, MACH_MSG_SUCCESS);
    assert_eq!(data, a.name());
    assert_eq!(a.status().unwrap().msgcount, 1, "still queued");
}

#[test]
fn machport_event_with_rcv_msg_receives_into_the_buffer() {
    require_port_fd!();
    let set = PortSet::new().unwrap();
    let a = ReceiveRight::new().unwrap();
    set.insert(&a).unwrap();
    a.make_send()
        .unwrap()
        .send(Message::new(6).data(&[7; 200]), NOW)
        .unwrap();
    let mut buf = [0u64; 16];
    let mut data = 0;
    let opts = MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY;
    // SAFETY: `buf` has room for 128 bytes.
    let mr = unsafe {
        machipc_machport_event(set.name(), opts, buf.as_mut_ptr().cast(), 128, &mut data)
    };
    assert_eq!(mr, MACH_RCV_TOO_LARGE, "200 bytes do not fit in 128");
    assert_eq!(data, a.name(), "MACH_RCV_LARGE_IDENTITY names the port");
    // SAFETY: `buf` starts with a header.
    let need = unsafe { (*buf.as_ptr().cast::<mach_msg_header_t>()).msgh_size };
    assert_eq!(need, 24 + 200);
    let mut big = vec![0u64; 64];
    // SAFETY: `big` has room for 512 bytes.
    let mr = unsafe {
        machipc_machport_event(set.name(), opts, big.as_mut_ptr().cast(), 512, &mut data)
    };
    assert_eq!(mr, MACH_MSG_SUCCESS);
    assert_eq!(data, 0);
    // SAFETY: `big` holds the received header.
    let h = unsafe { *big.as_ptr().cast::<mach_msg_header_t>() };
    assert_eq!(
        (h.msgh_id, h.msgh_size, h.msgh_local_port),
        (6, 224, a.name())
    );
    assert!(a.try_recv().unwrap().is_none(), "received");
}

#[test]
fn machport_event_reports_a_destroyed_set_as_gone() {
    require_port_fd!();
    let set = PortSet::new().unwrap();
    let name = set.name();
    drop(set);
    let mut data = 0;
    // SAFETY: no buffer is used without MACH_RCV_MSG.
    let mr = unsafe { machipc_machport_event(name, 0, std::ptr::null_mut(), 0, &mut data) };
    assert!(
        mr == MACH_RCV_INVALID_NAME || mr == MACH_RCV_PORT_DIED,
        "{mr:#x}"
    );
}

#[test]
fn epoll_add_port_and_del_port_watch_a_set_like_evfilt_machport() {
    require_port_fd!();
    // SAFETY: plain system calls on descriptors we own.
    let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    assert!(ep >= 0);
    let set = PortSet::new().unwrap();
    let a = ReceiveRight::new().unwrap();
    set.insert(&a).unwrap();
    let mut pfd = -1;
    // SAFETY: a valid out pointer.
    let kr = unsafe { machipc_epoll_add_port(ep, set.name(), 0xfeed, &mut pfd) };
    assert_eq!(kr, 0);
    let mut ev = [libc::epoll_event { events: 0, u64: 0 }; 4];
    // SAFETY: room for 4 events.
    assert_eq!(unsafe { libc::epoll_wait(ep, ev.as_mut_ptr(), 4, 0) }, 0);
    a.make_send().unwrap().send(Message::new(1), NOW).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::epoll_wait(ep, ev.as_mut_ptr(), 4, 5000) }, 1);
    let (events, data) = (ev[0].events, ev[0].u64);
    assert_eq!(data, 0xfeed);
    assert!(events & libc::EPOLLIN as u32 != 0);
    // Level-triggered: still reported until received.
    // SAFETY: as above.
    assert_eq!(unsafe { libc::epoll_wait(ep, ev.as_mut_ptr(), 4, 0) }, 1);
    drop(set.try_recv().unwrap().unwrap());
    // SAFETY: as above.
    assert_eq!(unsafe { libc::epoll_wait(ep, ev.as_mut_ptr(), 4, 0) }, 0);
    // SAFETY: our descriptors.
    assert_eq!(unsafe { machipc_epoll_del_port(ep, pfd) }, 0);
    // SAFETY: a closed descriptor: refused.
    assert_eq!(
        unsafe { machipc_epoll_del_port(ep, pfd) },
        4,
        "KERN_INVALID_ARGUMENT"
    );
    // SAFETY: our descriptor.
    unsafe { libc::close(ep) };
}
