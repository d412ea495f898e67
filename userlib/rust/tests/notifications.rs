//! Notifications as typed values, each kind requested and delivered, and
//! forged ones refused.

#[macro_use]
mod common;

use std::time::Duration;

use common::*;
use machipc::{
    Message, Notification, NotificationKind, ReceiveRight, RightKind, Task, TaskSpecialPort,
};

#[test]
fn no_senders_carries_the_make_send_count() {
    let port = ReceiveRight::new().unwrap();
    let notify = ReceiveRight::new().unwrap();
    let a = port.make_send().unwrap();
    let b = port.make_send().unwrap();
    assert!(port.request_no_senders(0, &notify).unwrap().is_none());
    assert!(port.status().unwrap().no_senders_request);
    drop(a);
    assert!(notify.try_recv().unwrap().is_none(), "a sender is left");
    drop(b);
    let msg = notify.recv(WAIT).unwrap();
    assert!(msg.is_from_kernel());
    match msg.into_notification() {
        Ok(Notification::NoSenders { mscount }) => assert_eq!(mscount, 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_senders_fires_at_once_when_the_make_send_count_is_reached() {
    let port = ReceiveRight::new().unwrap();
    let notify = ReceiveRight::new().unwrap();
    drop(port.make_send().unwrap());
    port.request_no_senders(1, &notify).unwrap();
    let n = notify.recv(WAIT).unwrap().into_notification().unwrap();
    assert!(matches!(n, Notification::NoSenders { mscount: 1 }));
}

#[test]
fn dead_name_carries_a_uref_of_the_dead_name() {
    let port = ReceiveRight::new().unwrap();
    let notify = ReceiveRight::new().unwrap();
    let target = ReceiveRight::new().unwrap();
    // A send right under a name of its own: the port's receive right must
    // not share it, so move the receive right into a message and keep the
    // send right.
    let send = target.make_send().unwrap();
    let name = send.name();
    send.request_dead_name(&notify).unwrap();
    assert!(machipc::port_type(name).unwrap().has_dead_name_request());
    port.make_send()
        .unwrap()
        .send(
            Message::new(1).port(machipc::OutPort::MoveReceive(target)),
            NOW,
        )
        .unwrap();
    // Destroying the message in flight destroys the port.
    drop(port.recv(NOW).unwrap());
    let msg = notify.recv(WAIT).unwrap();
    let Ok(Notification::DeadName { name: dead }) = msg.into_notification() else {
        panic!("not a dead-name notification")
    };
    assert_eq!(dead.name(), name);
    assert_eq!(
        refs(name, RightKind::DeadName),
        2,
        "the send right's uref and the notification's"
    );
    drop(dead);
    assert_eq!(refs(name, RightKind::DeadName), 1);
    drop(send);
    assert!(gone(name));
}

#[test]
fn port_destroyed_hands_the_receive_right_back() {
    let port = ReceiveRight::new().unwrap();
    let notify = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    send.send(Message::new(8), NOW).unwrap();
    port.request_port_destroyed(&notify).unwrap();
    assert!(port.status().unwrap().port_destroyed_request);
    let name = port.name();
    drop(port);
    // The port survived; its receive right is in the notification.
    let msg = notify.recv(WAIT).unwrap();
    let Ok(Notification::PortDestroyed { right }) = msg.into_notification() else {
        panic!("not a port-destroyed notification")
    };
    assert_eq!(right.name(), name, "it joins our send right's name");
    assert_eq!(right.recv(NOW).unwrap().id(), 8, "with its queue");
    assert!(!send.is_dead().unwrap());
}

#[test]
fn send_once_when_a_send_once_right_dies_unused() {
    let port = ReceiveRight::new().unwrap();
    drop(port.make_send_once().unwrap());
    let msg = port.recv(WAIT).unwrap();
    assert!(msg.is_from_kernel());
    assert!(matches!(
        msg.into_notification(),
        Ok(Notification::SendOnce)
    ));
}

#[test]
fn port_deleted_when_a_watched_right_is_deallocated() {
    let notify = ReceiveRight::new().unwrap();
    let target = ReceiveRight::new().unwrap();
    let so = target.make_send_once().unwrap();
    let name = so.name();
    so.request_dead_name(&notify).unwrap();
    // Using the right up deletes it while the port lives.
    so.send(Message::new(1)).unwrap();
    let msg = notify.recv(WAIT).unwrap();
    match msg.into_notification() {
        Ok(Notification::PortDeleted { name: n }) => assert_eq!(n, name),
        other => panic!("{other:?}"),
    }
}

#[test]
fn send_possible_when_the_queue_has_room_again() {
    let port = ReceiveRight::with_qlimit(1).unwrap();
    let notify = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    send.send(Message::new(1), NOW).unwrap();
    send.request_send_possible(false, &notify).unwrap();
    // A send that finds the queue full arms the request (MACH_SEND_NOTIFY).
    let e = Message::new(2)
        .arm_send_possible()
        .send_to(&send, NOW)
        .unwrap_err();
    assert!(e.code().is_timeout());
    assert!(
        notify.try_recv().unwrap().is_none(),
        "not before there is room"
    );
    drop(port.recv(NOW).unwrap());
    match notify.recv(WAIT).unwrap().into_notification() {
        Ok(Notification::SendPossible { name }) => assert_eq!(name, send.name()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn send_possible_with_sync_fires_at_once_when_there_is_room() {
    let port = ReceiveRight::new().unwrap();
    let notify = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    send.request_send_possible(true, &notify).unwrap();
    match notify.recv(WAIT).unwrap().into_notification() {
        Ok(Notification::SendPossible { name }) => assert_eq!(name, send.name()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_new_request_returns_the_right_of_the_one_it_replaces() {
    let port = ReceiveRight::new().unwrap();
    let first = ReceiveRight::new().unwrap();
    let second = ReceiveRight::new().unwrap();
    assert!(port.request_no_senders(5, &first).unwrap().is_none());
    let prev = port
        .request_no_senders(5, &second)
        .unwrap()
        .expect("the previous right");
    assert_eq!(first.status().unwrap().sorights, 1);
    drop(prev);
    assert!(matches!(
        first.recv(WAIT).unwrap().into_notification(),
        Ok(Notification::SendOnce)
    ));
    assert_eq!(first.status().unwrap().sorights, 0);
    // Cancelling gives the current one back.
    let cancelled =
        machipc::request_notification(port.name(), NotificationKind::NoSenders, 0, None)
            .unwrap()
            .expect("the registered right");
    drop(cancelled);
    assert!(!port.status().unwrap().no_senders_request);
}

/// A message that looks exactly like a dead-name notification.
fn forged_dead_name(name: u32) -> Message<'static> {
    let mut body = vec![0u8; 8]; // NDR record
    body[4] = 1; // little-endian integers
    body.extend_from_slice(&name.to_ne_bytes());
    Message::new(machipc::sys::notify::MACH_NOTIFY_DEAD_NAME).data(&body)
}

#[test]
fn a_forged_notification_from_our_own_task_is_not_a_notification() {
    let notify = ReceiveRight::new().unwrap();
    let to = notify.make_send().unwrap();
    let victim = ReceiveRight::new().unwrap();
    let vsend = victim.make_send().unwrap();
    forged_dead_name(vsend.name()).send_to(&to, NOW).unwrap();
    let msg = notify.recv(NOW).unwrap();
    assert_eq!(msg.id(), 72);
    assert!(!msg.is_from_kernel());
    let back = msg.into_notification().expect_err("a process's message");
    assert_eq!(back.id(), 72, "given back untouched");
    assert_eq!(
        refs(vsend.name(), RightKind::Send),
        1,
        "no reference taken over"
    );
}

#[test]
fn a_forged_notification_from_an_unprivileged_task_is_refused() {
    let notify = ReceiveRight::with_qlimit(16).unwrap();
    let to = notify.make_send().unwrap();
    let victim = ReceiveRight::new().unwrap();
    let vname = victim.name();
    Task::current()
        .set_special_port(TaskSpecialPort::Bootstrap, Some(&to))
        .unwrap();
    let child = fork(|| {
        become_nobody();
        let Ok(Some(bs)) = Task::current().bootstrap_port() else {
            return 2;
        };
        for id in [65, 66, 69, 70, 71, 72] {
            let mut body = vec![0u8; 8];
            body.extend_from_slice(&vname.to_ne_bytes());
            if Message::new(id).data(&body).send_to(&bs, WAIT).is_err() {
                return 3;
            }
        }
        0
    });
    assert_eq!(wait(child), 0);
    for _ in 0..6 {
        let msg = notify.recv(WAIT).unwrap();
        assert_eq!(msg.audit_token().euid(), 65534);
        assert!(msg.into_notification().is_err());
    }
    assert!(victim.status().is_ok(), "the victim port is untouched");
    assert!(notify.recv(Some(Duration::from_millis(50))).is_err());
    Task::current()
        .set_special_port(TaskSpecialPort::Bootstrap, None)
        .unwrap();
}
