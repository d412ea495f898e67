//! Owned rights: what each holds in the space, and that dropping it
//! releases exactly that.

#[macro_use]
mod common;

use common::*;
use machipc::{
    port_type, DeadName, KernReturn, Message, Notification, PortSet, ReceiveRight, RightKind,
    SendRight, Task,
};

#[test]
fn a_new_receive_right_is_a_receive_name_without_senders() {
    let port = ReceiveRight::new().unwrap();
    let t = port_type(port.name()).unwrap();
    assert!(t.has(RightKind::Receive));
    assert!(!t.has(RightKind::Send));
    let st = port.status().unwrap();
    assert!(!st.has_senders);
    assert_eq!(st.msgcount, 0);
    assert_eq!(st.qlimit, 5, "MACH_PORT_QLIMIT_DEFAULT");
}

#[test]
fn dropping_a_receive_right_frees_its_name() {
    let port = ReceiveRight::new().unwrap();
    let name = port.name();
    drop(port);
    assert!(gone(name));
}

#[test]
fn make_send_adds_a_uref_under_the_same_name() {
    let port = ReceiveRight::new().unwrap();
    let a = port.make_send().unwrap();
    let b = port.make_send().unwrap();
    assert_eq!(a.name(), port.name());
    assert_eq!(b.name(), port.name());
    assert_eq!(refs(port.name(), RightKind::Send), 2);
    assert_eq!(port.status().unwrap().mscount, 2);
    drop(a);
    assert_eq!(refs(port.name(), RightKind::Send), 1);
    drop(b);
    assert_eq!(refs(port.name(), RightKind::Send), 0);
    assert!(!port.status().unwrap().has_senders);
}

#[test]
fn try_clone_adds_a_uref_without_making_a_send_right() {
    let port = ReceiveRight::new().unwrap();
    let a = port.make_send().unwrap();
    let b = a.try_clone().unwrap();
    assert_eq!(a.urefs().unwrap(), 2);
    assert_eq!(
        port.status().unwrap().mscount,
        1,
        "a copy is not a make-send"
    );
    drop(b);
    assert_eq!(a.urefs().unwrap(), 1);
}

#[test]
fn dropping_the_receive_right_turns_send_rights_into_dead_names() {
    let port = ReceiveRight::new().unwrap();
    let name = port.name();
    let a = port.make_send().unwrap();
    let b = a.try_clone().unwrap();
    drop(port);
    assert!(a.is_dead().unwrap());
    assert_eq!(
        refs(name, RightKind::DeadName),
        2,
        "the send urefs became dead-name urefs"
    );
    let e = a.send(Message::new(1), NOW).unwrap_err();
    assert_eq!(e.code(), machipc::MachMsgReturn::SEND_INVALID_DEST);
    drop(b);
    assert_eq!(refs(name, RightKind::DeadName), 1);
    drop(a);
    assert!(gone(name), "the last dead-name uref freed the name");
}

#[test]
fn into_raw_keeps_the_right_and_from_raw_takes_it_back() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let name = send.into_raw();
    assert_eq!(refs(name, RightKind::Send), 1, "into_raw released nothing");
    // SAFETY: we own that uref (given up by into_raw).
    let again = unsafe { SendRight::from_raw(name) };
    drop(again);
    assert_eq!(refs(name, RightKind::Send), 0);
    let rname = port.into_raw();
    assert!(port_type(rname).unwrap().has(RightKind::Receive));
    // SAFETY: we own the receive right.
    drop(unsafe { ReceiveRight::from_raw(rname) });
    assert!(gone(rname));
}

#[test]
fn a_send_once_right_has_its_own_name_and_dropping_it_notifies_its_port() {
    let port = ReceiveRight::new().unwrap();
    let so = port.make_send_once().unwrap();
    assert_ne!(so.name(), port.name());
    assert!(port_type(so.name()).unwrap().has(RightKind::SendOnce));
    assert_eq!(port.status().unwrap().sorights, 1);
    let name = so.name();
    drop(so);
    assert!(gone(name));
    // The right travels in the notification until it is received.
    let msg = port.recv(WAIT).unwrap();
    assert!(matches!(
        msg.into_notification(),
        Ok(Notification::SendOnce)
    ));
    assert_eq!(port.status().unwrap().sorights, 0);
}

#[test]
fn a_dead_name_is_released_on_drop() {
    let d = DeadName::new().unwrap();
    let name = d.name();
    assert!(port_type(name).unwrap().has(RightKind::DeadName));
    assert_eq!(refs(name, RightKind::DeadName), 1);
    drop(d);
    assert!(gone(name));
}

#[test]
fn port_status_reports_seqno_mscount_and_queued_messages() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    port.set_seqno(40).unwrap();
    port.set_mscount(7).unwrap();
    send.send(Message::new(1), NOW).unwrap();
    send.send(Message::new(2), NOW).unwrap();
    let st = port.status().unwrap();
    assert_eq!((st.seqno, st.mscount, st.msgcount), (40, 7, 2));
    assert_eq!(port.recv(NOW).unwrap().seqno(), 40);
    assert_eq!(port.recv(NOW).unwrap().seqno(), 41);
}

#[test]
fn with_qlimit_and_set_qlimit_limit_the_queue() {
    let port = ReceiveRight::with_qlimit(1).unwrap();
    assert_eq!(port.status().unwrap().qlimit, 1);
    let send = port.make_send().unwrap();
    send.send(Message::new(1), NOW).unwrap();
    let e = send.send(Message::new(2), NOW).unwrap_err();
    assert!(e.code().is_timeout());
    port.set_qlimit(3).unwrap();
    send.send(Message::new(2), NOW).unwrap();
    assert_eq!(port.status().unwrap().msgcount, 2);
    assert_eq!(
        port.set_qlimit(100_000).unwrap_err(),
        KernReturn::INVALID_VALUE,
        "beyond MACH_PORT_QLIMIT_MAX"
    );
}

#[test]
fn the_port_context_comes_in_the_trailer() {
    let port = ReceiveRight::new().unwrap();
    port.set_context(0x1234_5678_9abc).unwrap();
    assert_eq!(port.context().unwrap(), 0x1234_5678_9abc);
    let send = port.make_send().unwrap();
    send.send(Message::new(5), NOW).unwrap();
    let msg = port.recv(NOW).unwrap();
    assert_eq!(msg.trailer().unwrap().context, 0x1234_5678_9abc);
}

#[test]
fn a_port_set_holds_members_and_receives_from_any() {
    let set = PortSet::new().unwrap();
    let a = ReceiveRight::new().unwrap();
    let b = ReceiveRight::new().unwrap();
    set.insert(&a).unwrap();
    set.insert(&b).unwrap();
    let mut m = set.members().unwrap();
    m.sort();
    let mut want = vec![a.name(), b.name()];
    want.sort();
    assert_eq!(m, want);
    assert_eq!(set.insert(&a).unwrap_err(), KernReturn::ALREADY_IN_SET);
    assert_eq!(a.status().unwrap().port_sets, 1);
    b.make_send().unwrap().send(Message::new(22), NOW).unwrap();
    let msg = set.recv(WAIT).unwrap();
    assert_eq!((msg.id(), msg.local_port()), (22, b.name()));
    assert!(set.try_recv().unwrap().is_none());
    set.remove(&b).unwrap();
    assert_eq!(set.remove(&b).unwrap_err(), KernReturn::NOT_IN_SET);
    assert_eq!(set.members().unwrap(), vec![a.name()]);
}

#[test]
fn dropping_a_port_set_leaves_its_ports_alive() {
    let set = PortSet::new().unwrap();
    let a = ReceiveRight::new().unwrap();
    set.insert(&a).unwrap();
    let sname = set.name();
    drop(set);
    assert!(gone(sname));
    assert_eq!(a.status().unwrap().port_sets, 0);
    a.make_send().unwrap().send(Message::new(3), NOW).unwrap();
    assert_eq!(a.recv(NOW).unwrap().id(), 3);
}

#[test]
fn the_space_lists_exactly_the_rights_held() {
    let before = Task::current().names().unwrap().len();
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let so = port.make_send_once().unwrap();
    let set = PortSet::new().unwrap();
    let names = Task::current().names().unwrap();
    assert_eq!(names.len(), before + 3, "receive+send share a name");
    let e = names.iter().find(|n| n.name == port.name()).unwrap();
    assert!(e.port_type.has(RightKind::Receive) && e.port_type.has(RightKind::Send));
    assert_eq!(e.urefs, 1);
    let s = names.iter().find(|n| n.name == so.name()).unwrap();
    assert_eq!(
        s.object, e.object,
        "the send-once right names the same port"
    );
    drop((send, so, set, port));
    assert_eq!(Task::current().names().unwrap().len(), before);
}

#[test]
fn kern_return_errors_have_names_and_messages() {
    let e = port_type(0x7fff_ff03).unwrap_err();
    assert_eq!(e, KernReturn::INVALID_NAME);
    assert_eq!(format!("{e:?}"), "KernReturn(KERN_INVALID_NAME)");
    let shown = e.to_string();
    assert!(
        shown.contains("KERN_INVALID_NAME") && shown.contains("0xf"),
        "{shown}"
    );
    let io: std::io::Error = KernReturn::NOT_SUPPORTED.into();
    assert_eq!(io.kind(), std::io::ErrorKind::Unsupported);
}
