//! Messages: the builder's dispositions, descriptors, received messages
//! owning what they carry, timeouts, and what a failed send does with the
//! rights and memory it was moving.

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::*;
use machipc::{
    port_type, Descriptor, MachMsgReturn, Message, Ool, OolMemory, OolPorts, OutPort, PortRight,
    ReceiveRight, RightKind, SendRight,
};

#[test]
fn inline_data_round_trip_with_seqno_and_sender() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    send.send(Message::new(42).data(b"hello ").data(b"from rust"), NOW)
        .unwrap();
    let msg = port.recv(NOW).unwrap();
    assert_eq!(msg.id(), 42);
    assert_eq!(&msg.data()[..15], b"hello from rust");
    assert_eq!(msg.data().len(), 16, "padded to 4 bytes");
    assert_eq!(msg.size(), 24 + 16);
    assert_eq!(msg.local_port(), port.name());
    assert!(matches!(msg.remote(), PortRight::Null));
    assert_eq!(msg.seqno(), 0);
    let audit = msg.audit_token();
    assert_eq!(audit.pid(), std::process::id() as i32);
    // SAFETY: plain getters.
    assert_eq!(audit.euid(), unsafe { libc::geteuid() });
    assert!(!msg.is_from_kernel());
}

#[test]
fn an_empty_message_is_a_bare_header() {
    let port = ReceiveRight::new().unwrap();
    port.make_send()
        .unwrap()
        .send(Message::new(-7), NOW)
        .unwrap();
    let msg = port.recv(NOW).unwrap();
    assert_eq!((msg.id(), msg.size(), msg.data().len()), (-7, 24, 0));
}

#[test]
fn receive_with_zero_timeout_polls_and_short_timeouts_wait() {
    let port = ReceiveRight::new().unwrap();
    assert_eq!(port.recv(NOW).unwrap_err(), MachMsgReturn::RCV_TIMED_OUT);
    assert!(port.try_recv().unwrap().is_none());
    let t = Instant::now();
    let e = port.recv(Some(Duration::from_millis(150))).unwrap_err();
    assert!(e.is_timeout());
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn a_message_sent_from_another_thread_wakes_a_waiting_receive() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        send.send(Message::new(9), None).unwrap();
    });
    assert_eq!(port.recv(WAIT).unwrap().id(), 9);
    t.join().unwrap();
}

#[test]
fn large_inline_messages_grow_the_receive_buffer() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
    send.send(Message::new(1).data(&big), NOW).unwrap();
    send.send(Message::new(2).data(&big[..3000]), NOW).unwrap();
    let m = port.recv(NOW).unwrap();
    assert_eq!(m.data(), &big[..]);
    let m = port.recv(NOW).unwrap();
    assert_eq!(m.data(), &big[..3000]);
}

#[test]
fn reply_through_the_send_once_right_uses_it_up() {
    let server = ReceiveRight::new().unwrap();
    let client = ReceiveRight::new().unwrap();
    server
        .make_send()
        .unwrap()
        .send(
            Message::new(1)
                .data(b"ping")
                .reply(OutPort::MakeSendOnce(&client)),
            NOW,
        )
        .unwrap();
    let mut req = server.recv(NOW).unwrap();
    let so = req.remote().name().unwrap();
    assert!(port_type(so).unwrap().has(RightKind::SendOnce));
    assert_eq!(client.status().unwrap().sorights, 1);
    req.reply(Message::new(2).data(b"pong")).unwrap();
    assert!(gone(so), "the reply used the send-once right up");
    let rep = client.recv(NOW).unwrap();
    assert_eq!((rep.id(), &rep.data()[..4]), (2, &b"pong"[..]));
    assert_eq!(client.status().unwrap().sorights, 0);
    assert_eq!(
        req.reply(Message::new(3)).unwrap_err().code(),
        MachMsgReturn::SEND_INVALID_DEST,
        "no reply right left"
    );
}

#[test]
fn rpc_sends_the_request_and_waits_for_the_reply() {
    let server = ReceiveRight::new().unwrap();
    let to_server = server.make_send().unwrap();
    let t = std::thread::spawn(move || {
        let mut req = server.recv(WAIT).unwrap();
        let n = u32::from_ne_bytes(req.data()[..4].try_into().unwrap());
        req.reply(Message::new(101).data(&(n * 2).to_ne_bytes()))
            .unwrap();
    });
    let reply = ReceiveRight::new().unwrap();
    let rep = Message::new(100)
        .data(&21u32.to_ne_bytes())
        .rpc(&to_server, &reply, WAIT)
        .unwrap();
    assert_eq!(rep.id(), 101);
    assert_eq!(rep.data(), 42u32.to_ne_bytes());
    t.join().unwrap();
}

#[test]
fn a_make_send_descriptor_arrives_as_a_send_right() {
    let port = ReceiveRight::new().unwrap();
    let mailbox = ReceiveRight::new().unwrap();
    port.make_send()
        .unwrap()
        .send(Message::new(1).port(OutPort::MakeSend(&mailbox)), NOW)
        .unwrap();
    let mut msg = port.recv(NOW).unwrap();
    let [Descriptor::Port(PortRight::Send(s))] = msg.descriptors() else {
        panic!("{msg:?}")
    };
    // One port, one name: the right joins our receive right's name.
    assert_eq!(s.name(), mailbox.name());
    assert_eq!(refs(mailbox.name(), RightKind::Send), 1);
    assert!(mailbox.status().unwrap().has_senders);
    drop(msg.take_descriptors());
    assert!(!mailbox.status().unwrap().has_senders);
}

#[test]
fn copy_send_keeps_ours_and_move_send_gives_it_up() {
    let port = ReceiveRight::new().unwrap();
    let target = ReceiveRight::new().unwrap();
    let t1 = target.make_send().unwrap();
    let t2 = t1.try_clone().unwrap();
    let to_port = port.make_send().unwrap();
    to_port
        .send(Message::new(1).port(OutPort::CopySend(&t1)), NOW)
        .unwrap();
    assert_eq!(t1.urefs().unwrap(), 2, "copy: ours stay");
    to_port
        .send(Message::new(2).port(OutPort::MoveSend(t2)), NOW)
        .unwrap();
    assert_eq!(
        t1.urefs().unwrap(),
        1,
        "move: one uref left with the message"
    );
    // Both arrive as send urefs under the target's name.
    let a = port.recv(NOW).unwrap();
    let b = port.recv(NOW).unwrap();
    assert_eq!(t1.urefs().unwrap(), 3);
    drop((a, b));
    assert_eq!(
        t1.urefs().unwrap(),
        1,
        "dropping the messages released both"
    );
}

#[test]
fn move_receive_moves_the_port_and_its_queue() {
    let carrier = ReceiveRight::new().unwrap();
    let moved = ReceiveRight::new().unwrap();
    let to_moved = moved.make_send().unwrap();
    to_moved.send(Message::new(77), NOW).unwrap();
    let old = moved.name();
    carrier
        .make_send()
        .unwrap()
        .send(Message::new(1).port(OutPort::MoveReceive(moved)), NOW)
        .unwrap();
    // In transit: our name keeps the send right only.
    let t = port_type(old).unwrap();
    assert!(t.has(RightKind::Send) && !t.has(RightKind::Receive));
    let mut msg = carrier.recv(NOW).unwrap();
    let Descriptor::Port(p) = msg.take_descriptors().remove(0) else {
        panic!()
    };
    let back = p.into_receive().expect("a receive right");
    // The same port: it joins our send right's name again.
    assert_eq!(back.name(), old);
    to_moved.send(Message::new(78), NOW).unwrap();
    assert_eq!(back.recv(NOW).unwrap().id(), 77, "the queue came along");
    assert_eq!(back.recv(NOW).unwrap().id(), 78);
}

#[test]
fn make_send_once_descriptors_arrive_as_send_once_rights() {
    let port = ReceiveRight::new().unwrap();
    let other = ReceiveRight::new().unwrap();
    port.make_send()
        .unwrap()
        .send(Message::new(1).port(OutPort::MakeSendOnce(&other)), NOW)
        .unwrap();
    let mut msg = port.recv(NOW).unwrap();
    let Descriptor::Port(p) = msg.take_descriptors().remove(0) else {
        panic!()
    };
    let so = p.into_send_once().expect("a send-once right");
    so.send(Message::new(5)).unwrap();
    assert_eq!(other.recv(NOW).unwrap().id(), 5);
}

#[test]
fn ool_copy_arrives_in_fresh_memory_and_ours_stays() {
    let port = ReceiveRight::new().unwrap();
    let data: Vec<u8> = (0..50_000u32).map(|i| i as u8).collect();
    port.make_send()
        .unwrap()
        .send(Message::new(1).ool(Ool::Copy(&data)), NOW)
        .unwrap();
    let msg = port.recv(NOW).unwrap();
    let [Descriptor::Ool(m)] = msg.descriptors() else {
        panic!("{msg:?}")
    };
    assert_eq!(&m[..], &data[..]);
    assert_ne!(m.as_ptr(), data.as_ptr());
    assert_eq!(data[49_999], (49_999u32) as u8);
}

#[test]
fn ool_move_takes_the_region_out_of_our_address_space() {
    let port = ReceiveRight::new().unwrap();
    let mut region = OolMemory::zeroed(3 * 4096).unwrap();
    region[..5].copy_from_slice(b"moved");
    let addr = region.as_ptr();
    assert!(mapped(addr, 3 * 4096));
    port.make_send()
        .unwrap()
        .send(Message::new(1).ool(Ool::Move(region)), NOW)
        .unwrap();
    assert!(!mapped(addr, 4096), "the sender's region is gone");
    let msg = port.recv(NOW).unwrap();
    let [Descriptor::Ool(m)] = msg.descriptors() else {
        panic!()
    };
    assert_eq!(&m[..5], b"moved");
    assert_eq!(m.len(), 3 * 4096);
}

#[test]
fn dropping_a_received_message_frees_its_ool_memory() {
    let port = ReceiveRight::new().unwrap();
    port.make_send()
        .unwrap()
        .send(Message::new(1).ool(Ool::Copy(&[1u8; 8192])), NOW)
        .unwrap();
    let msg = port.recv(NOW).unwrap();
    let [Descriptor::Ool(m)] = msg.descriptors() else {
        panic!()
    };
    let addr = m.as_ptr();
    assert!(mapped(addr, 8192));
    drop(msg);
    assert!(!mapped(addr, 4096));
}

#[test]
fn ool_ports_arrive_as_rights_in_order() {
    let port = ReceiveRight::new().unwrap();
    let targets: Vec<ReceiveRight> = (0..5).map(|_| ReceiveRight::new().unwrap()).collect();
    port.make_send()
        .unwrap()
        .send(
            Message::new(1).ool_ports(OolPorts::MakeSend(targets.iter().collect())),
            NOW,
        )
        .unwrap();
    let msg = port.recv(NOW).unwrap();
    let [Descriptor::OolPorts(rights)] = msg.descriptors() else {
        panic!("{msg:?}")
    };
    let names: Vec<_> = rights.iter().map(|r| r.name().unwrap()).collect();
    let want: Vec<_> = targets.iter().map(|t| t.name()).collect();
    assert_eq!(names, want);
    assert!(rights.iter().all(|r| matches!(r, PortRight::Send(_))));
    drop(msg);
    assert!(targets.iter().all(|t| !t.status().unwrap().has_senders));
}

#[test]
fn moved_ool_ports_leave_our_space() {
    let port = ReceiveRight::new().unwrap();
    let target = ReceiveRight::new().unwrap();
    let sends: Vec<SendRight> = (0..3).map(|_| target.make_send().unwrap()).collect();
    assert_eq!(refs(target.name(), RightKind::Send), 3);
    port.make_send()
        .unwrap()
        .send(Message::new(1).ool_ports(OolPorts::MoveSend(sends)), NOW)
        .unwrap();
    assert_eq!(refs(target.name(), RightKind::Send), 0);
    let msg = port.recv(NOW).unwrap();
    assert_eq!(refs(target.name(), RightKind::Send), 3);
    drop(msg);
    assert_eq!(refs(target.name(), RightKind::Send), 0);
}

#[test]
fn dropping_a_received_message_releases_its_rights() {
    let port = ReceiveRight::new().unwrap();
    let a = ReceiveRight::new().unwrap();
    let b = ReceiveRight::new().unwrap();
    port.make_send()
        .unwrap()
        .send(
            Message::new(1)
                .port(OutPort::MakeSend(&a))
                .port(OutPort::MakeSendOnce(&b))
                .reply(OutPort::MakeSendOnce(&b)),
            NOW,
        )
        .unwrap();
    assert!(a.status().unwrap().has_senders);
    assert_eq!(b.status().unwrap().sorights, 2);
    let msg = port.recv(NOW).unwrap();
    drop(msg);
    assert!(!a.status().unwrap().has_senders);
    // Each destroyed send-once right went to `b` as a send-once
    // notification, which uses it up when received.
    for _ in 0..2 {
        let n = b.recv(WAIT).unwrap().into_notification();
        assert!(matches!(n, Ok(machipc::Notification::SendOnce)), "{n:?}");
    }
    assert_eq!(b.status().unwrap().sorights, 0);
}

#[test]
fn a_send_to_a_dead_port_fails_and_releases_the_moved_rights() {
    let port = ReceiveRight::new().unwrap();
    let dest = port.make_send().unwrap();
    drop(port);
    let target = ReceiveRight::new().unwrap();
    let moved = target.make_send().unwrap();
    let e = dest
        .send(Message::new(1).port(OutPort::MoveSend(moved)), NOW)
        .unwrap_err();
    assert_eq!(e.code(), MachMsgReturn::SEND_INVALID_DEST);
    assert!(e.into_returned().is_none());
    assert_eq!(
        refs(target.name(), RightKind::Send),
        0,
        "the unsent message was destroyed: its right released once"
    );
}

#[test]
fn a_timed_out_send_gives_the_message_back_with_its_rights() {
    let port = ReceiveRight::with_qlimit(1).unwrap();
    let dest = port.make_send().unwrap();
    dest.send(Message::new(1), NOW).unwrap();
    let target = ReceiveRight::new().unwrap();
    let moved = target.make_send().unwrap();
    let reply = ReceiveRight::new().unwrap();
    let t = Instant::now();
    let e = dest
        .send(
            Message::new(2)
                .data(b"back")
                .reply(OutPort::MakeSendOnce(&reply))
                .port(OutPort::MoveSend(moved))
                .ool(Ool::Copy(&[9u8; 5000])),
            Some(Duration::from_millis(100)),
        )
        .unwrap_err();
    assert!(t.elapsed() >= Duration::from_millis(100));
    assert_eq!(e.code(), MachMsgReturn::SEND_TIMED_OUT);
    let mut back = e.into_returned().expect("the message came back");
    assert_eq!((back.id(), &back.data()[..4]), (2, &b"back"[..]));
    assert_eq!(
        refs(target.name(), RightKind::Send),
        1,
        "the moved right is ours again"
    );
    assert_eq!(
        dest.urefs().unwrap(),
        2,
        "the destination's copy came back too"
    );
    assert!(matches!(back.returned_reply(), PortRight::SendOnce(_)));
    let [Descriptor::Port(PortRight::Send(_)), Descriptor::Ool(m)] = back.descriptors() else {
        panic!("{back:?}")
    };
    assert_eq!(m.len(), 5000);
    drop(back);
    assert_eq!(refs(target.name(), RightKind::Send), 0);
    assert_eq!(dest.urefs().unwrap(), 1);
    assert_eq!(port.status().unwrap().msgcount, 1);
}

#[test]
fn a_bad_right_in_the_body_consumes_the_moved_header_rights() {
    // As XNU: a body error destroys what the header had copied in.
    let port = ReceiveRight::new().unwrap();
    let to_port = port.make_send().unwrap();
    let moved = to_port.try_clone().unwrap();
    // SAFETY: a name that holds nothing; the kernel refuses it.
    let bogus = unsafe { SendRight::from_raw(0x00ff_ff03) };
    let e = Message::new(1)
        .port(OutPort::MoveSend(bogus))
        .send_with(OutPort::MoveSend(moved), NOW)
        .unwrap_err();
    assert_eq!(e.code(), MachMsgReturn::SEND_INVALID_RIGHT);
    assert_eq!(
        to_port.urefs().unwrap(),
        1,
        "the moved destination uref is gone, once"
    );
    assert!(port.try_recv().unwrap().is_none());
}

#[test]
fn a_right_that_dies_in_transit_arrives_dead() {
    let port = ReceiveRight::new().unwrap();
    let doomed = ReceiveRight::new().unwrap();
    port.make_send()
        .unwrap()
        .send(Message::new(1).port(OutPort::MakeSend(&doomed)), NOW)
        .unwrap();
    drop(doomed);
    let msg = port.recv(NOW).unwrap();
    assert!(matches!(
        msg.descriptors(),
        [Descriptor::Port(PortRight::Dead)]
    ));
}

#[test]
fn a_child_task_sends_with_its_own_pid_in_the_audit_token() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    machipc::Task::current()
        .set_special_port(machipc::TaskSpecialPort::Bootstrap, Some(&send))
        .unwrap();
    let child = fork(|| {
        let Ok(Some(bs)) = machipc::Task::current().bootstrap_port() else {
            return 2;
        };
        match bs.send(Message::new(55).data(b"child"), WAIT) {
            Ok(()) => 0,
            Err(_) => 3,
        }
    });
    let msg = port.recv(WAIT).unwrap();
    assert_eq!(wait(child), 0);
    assert_eq!(msg.id(), 55);
    assert_eq!(msg.audit_token().pid(), child);
    machipc::Task::current()
        .set_special_port(machipc::TaskSpecialPort::Bootstrap, None)
        .unwrap();
}
