//! The Rust wrappers' selftest: runs in the test guest like the C
//! selftests and prints TAP.

use std::time::Duration;

use machipc::{
    port_refs, port_type, task_self, KernReturn, ReceiveRight, Result, Right, SendRight, Timeout,
    KERN_INVALID_NAME, MACH_RCV_TIMED_OUT,
};

type Test = (&'static str, fn() -> Result<()>);

fn ensure(cond: bool, what: &str) -> Result<()> {
    if cond {
        Ok(())
    } else {
        eprintln!("# check failed: {what}");
        Err(KernReturn(-1))
    }
}

fn task_self_is_a_name() -> Result<()> {
    ensure(task_self() != 0, "mach_task_self() is not MACH_PORT_NULL")
}

fn send_and_receive_round_trip() -> Result<()> {
    let port = ReceiveRight::new()?;
    let send = port.make_send()?;
    send.send(42, b"hello from rust", Timeout::Never)?;
    let msg = port.receive(64, Timeout::After(Duration::ZERO))?;
    ensure(msg.id == 42, "id")?;
    ensure(&msg.body[..15] == b"hello from rust", "body")?;
    ensure(
        msg.sender_pid == std::process::id(),
        "sender pid from the kernel",
    )?;
    ensure(msg.seqno == 0, "first sequence number")?;
    ensure(msg.reply.is_none(), "no reply right")
}

fn send_right_clone_and_drop_count_urefs() -> Result<()> {
    let port = ReceiveRight::new()?;
    let a = port.make_send()?;
    ensure(a.urefs()? == 1, "one uref")?;
    let b = a.try_clone()?;
    ensure(a.urefs()? == 2, "two urefs after clone")?;
    drop(b);
    ensure(a.urefs()? == 1, "one uref after drop")?;
    drop(a);
    ensure(
        !port.status()?.has_senders,
        "no senders after the last drop",
    )
}

fn receive_timeout_is_an_error() -> Result<()> {
    let port = ReceiveRight::new()?;
    match port.receive(16, Timeout::After(Duration::ZERO)) {
        Err(e) if e == MACH_RCV_TIMED_OUT => Ok(()),
        Err(e) => ensure(false, &format!("expected MACH_RCV_TIMED_OUT, got {e}")),
        Ok(_) => ensure(false, "a message out of nowhere"),
    }
}

fn request_and_reply_through_send_once() -> Result<()> {
    let server = ReceiveRight::new()?;
    let client = ReceiveRight::new()?;
    let to_server = server.make_send()?;
    to_server.send_request(1, b"ping", &client, Timeout::Never)?;
    let req = server.receive(16, Timeout::After(Duration::ZERO))?;
    ensure(client.status()?.sorights == 1, "the reply right exists")?;
    let Some(reply) = req.reply else {
        return ensure(false, "the request carries a reply right");
    };
    reply.reply(2, b"pong")?;
    let rep = client.receive(16, Timeout::After(Duration::ZERO))?;
    ensure(rep.id == 2 && &rep.body[..4] == b"pong", "the reply")?;
    ensure(client.status()?.sorights == 0, "the reply right is used up")
}

fn dropping_the_receive_right_kills_the_port() -> Result<()> {
    let port = ReceiveRight::new()?;
    let name = port.name();
    let send = port.make_send()?;
    let extra = send.try_clone()?;
    ensure(
        port_type(name)? == Right::Send.type_bit() | Right::Receive.type_bit(),
        "a send-receive entry before the drop",
    )?;
    drop(port);
    // The kernel turned the two send urefs into a dead name with two urefs.
    ensure(
        port_type(name)? == Right::DeadName.type_bit(),
        "the name is a dead name",
    )?;
    ensure(
        port_refs(name, Right::DeadName)? == 2,
        "two dead-name urefs",
    )?;
    ensure(port_refs(name, Right::Send)? == 0, "no send right left")?;
    match extra.send(1, b"", Timeout::Never) {
        Err(e) if e == machipc::MACH_SEND_INVALID_DEST => {}
        other => ensure(false, &format!("send to a dead port: {other:?}"))?,
    }
    // Dropping a wrapper releases one dead-name uref, the last one the name.
    drop(extra);
    ensure(port_refs(name, Right::DeadName)? == 1, "one dead-name uref")?;
    drop(send);
    match port_type(name) {
        Err(e) if e == KERN_INVALID_NAME => Ok(()),
        other => ensure(false, &format!("the name after the last drop: {other:?}")),
    }
}

fn error_codes_have_mach_messages() -> Result<()> {
    let msg = MACH_RCV_TIMED_OUT.to_string();
    ensure(msg.contains("timed out"), &format!("message: {msg}"))
}

fn takes_over_a_send_right_by_name() -> Result<()> {
    let port = ReceiveRight::new()?;
    let first = port.make_send()?;
    let second = first.try_clone()?;
    let n = second.name();
    std::mem::forget(second);
    // SAFETY: we own that uref (forgotten above).
    let again = unsafe { SendRight::from_name(n) };
    ensure(
        again.urefs()? == 2,
        "two urefs: the first right and the one taken over",
    )?;
    drop(first);
    ensure(again.urefs()? == 1, "one uref left")
}

fn main() {
    let tests: &[Test] = &[
        ("task_self_is_a_name", task_self_is_a_name),
        ("send_and_receive_round_trip", send_and_receive_round_trip),
        (
            "send_right_clone_and_drop_count_urefs",
            send_right_clone_and_drop_count_urefs,
        ),
        ("receive_timeout_is_an_error", receive_timeout_is_an_error),
        (
            "request_and_reply_through_send_once",
            request_and_reply_through_send_once,
        ),
        (
            "dropping_the_receive_right_kills_the_port",
            dropping_the_receive_right_kills_the_port,
        ),
        (
            "error_codes_have_mach_messages",
            error_codes_have_mach_messages,
        ),
        (
            "takes_over_a_send_right_by_name",
            takes_over_a_send_right_by_name,
        ),
    ];
    println!("TAP version 13");
    println!("1..{}", tests.len());
    let mut failed = 0;
    for (i, (name, f)) in tests.iter().enumerate() {
        match f() {
            Ok(()) => println!("ok {} {name}", i + 1),
            Err(e) => {
                failed += 1;
                println!("# {name}: {e:?}");
                println!("not ok {} {name}", i + 1);
            }
        }
    }
    println!(
        "# Totals: pass:{} fail:{failed} xfail:0 xpass:0 skip:0 error:0",
        tests.len() - failed
    );
    std::process::exit(i32::from(failed != 0));
}
