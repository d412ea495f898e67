//! Task and host handles.

#[macro_use]
mod common;

use common::*;
use machipc::sys::host_special_ports::{HOST_PORT, HOST_PRIV_PORT};
use machipc::{port_type, Host, Message, ReceiveRight, RightKind, Task, TaskSpecialPort};

#[test]
fn the_current_task_is_named_by_mach_task_self() {
    let t = Task::current();
    assert_eq!(t.name(), machipc::task_self());
    assert!(port_type(t.name()).unwrap().has(RightKind::Send));
    let me = t
        .special_port(TaskSpecialPort::Kernel)
        .unwrap()
        .expect("our task port");
    assert_eq!(me.name(), t.name(), "the same port, the same name");
    let other = Task::from_port(me);
    assert_eq!(other.name(), machipc::task_self());
}

#[test]
fn the_bootstrap_port_can_be_set_read_back_and_unset() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    let t = Task::current();
    let before = t.bootstrap_port().unwrap();
    t.set_special_port(TaskSpecialPort::Bootstrap, Some(&send))
        .unwrap();
    let got = t.bootstrap_port().unwrap().expect("a bootstrap port");
    assert_eq!(got.name(), port.name());
    got.send(Message::new(3), NOW).unwrap();
    assert_eq!(port.recv(NOW).unwrap().id(), 3);
    drop(got);
    t.set_special_port(TaskSpecialPort::Bootstrap, before.as_ref())
        .unwrap();
    assert_eq!(refs(port.name(), RightKind::Send), 1, "only ours is left");
}

#[test]
fn a_child_starts_with_its_parents_bootstrap_port() {
    let port = ReceiveRight::new().unwrap();
    let send = port.make_send().unwrap();
    Task::current()
        .set_special_port(TaskSpecialPort::Bootstrap, Some(&send))
        .unwrap();
    let child = fork(|| match Task::current().bootstrap_port() {
        Ok(Some(bs)) => i32::from(bs.send(Message::new(9), WAIT).is_err()),
        _ => 2,
    });
    assert_eq!(port.recv(WAIT).unwrap().id(), 9);
    assert_eq!(wait(child), 0);
    Task::current()
        .set_special_port(TaskSpecialPort::Bootstrap, None)
        .unwrap();
}

#[test]
fn the_host_port_and_its_special_ports() {
    let host = Host::current().unwrap();
    assert!(port_type(host.port().name()).unwrap().has(RightKind::Send));
    let again = Host::current().unwrap();
    assert_eq!(
        again.port().name(),
        host.port().name(),
        "one port, one name"
    );
    assert_eq!(host.port().urefs().unwrap(), 2, "each call adds a uref");
    let plain = host.special_port(HOST_PORT).unwrap().expect("HOST_PORT");
    // SAFETY: a plain getter.
    if unsafe { libc::geteuid() } == 0 {
        let private = host
            .special_port(HOST_PRIV_PORT)
            .unwrap()
            .expect("HOST_PRIV_PORT");
        assert_eq!(
            private.name(),
            host.port().name(),
            "root's host port is host-priv"
        );
        assert_ne!(plain.name(), private.name());
    }
}

#[test]
fn an_unprivileged_task_gets_the_plain_host_port() {
    let child = fork(|| {
        become_nobody();
        let Ok(host) = Host::current() else {
            return 2;
        };
        match host.special_port(HOST_PRIV_PORT) {
            Err(_) => 0,
            Ok(_) => 3,
        }
    });
    assert_eq!(wait(child), 0);
}
