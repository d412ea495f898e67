//! The machipc demo (`userlib/examples/machipc-demo.c`) in Rust, on the
//! crate's safe layer: a port's life in one process, then a server and
//! two client processes exchanging requests, replies and rights.

use std::error::Error;

use machipc::{
    port_refs, port_type, Descriptor, Message, NameInfo, OutPort, PortRight, PortType,
    ReceiveRight, RightKind, SendRight, Task, TaskSpecialPort,
};

const ADD: i32 = 100;
const POSTCARD: i32 = 200;

type Res<T = ()> = Result<T, Box<dyn Error>>;

fn type_words(t: PortType) -> &'static str {
    if t.has(RightKind::PortSet) {
        "port set"
    } else if t.has(RightKind::Receive) && t.has(RightKind::Send) {
        "receive + send"
    } else if t.has(RightKind::Receive) {
        "receive"
    } else if t.has(RightKind::Send) {
        "send"
    } else if t.has(RightKind::SendOnce) {
        "send-once"
    } else if t.has(RightKind::DeadName) {
        "dead name"
    } else {
        "?"
    }
}

/// An lsmp-like listing of our own space.
fn show_space(when: &str) -> Res {
    let names: Vec<NameInfo> = Task::current().names()?;
    println!("   Our port name space {when} ({} names):", names.len());
    println!("     name        rights            urefs  object");
    for n in names {
        println!(
            "     {:#010x}  {:<16}  {:>5}  #{}",
            n.name,
            type_words(n.port_type),
            n.urefs,
            n.object
        );
    }
    Ok(())
}

fn pid() -> u32 {
    std::process::id()
}

/// Runs `f` in a forked child, which exits with 0 if it succeeded.
fn fork(f: impl FnOnce() -> Res) -> libc::pid_t {
    // SAFETY: the child runs `f` and exits without returning.
    let child = unsafe { libc::fork() };
    if child == 0 {
        let code = match f() {
            Ok(()) => 0,
            Err(e) => {
                println!("   [pid {}] failed: {e}", pid());
                1
            }
        };
        use std::io::Write;
        let _ = std::io::stdout().flush();
        // SAFETY: ends the child.
        unsafe { libc::_exit(code) };
    }
    child
}

fn wait(child: libc::pid_t) -> bool {
    let mut st = 0;
    // SAFETY: a valid out pointer.
    unsafe { libc::waitpid(child, &mut st, 0) };
    libc::WIFEXITED(st) && libc::WEXITSTATUS(st) == 0
}

fn int(d: &[u8], i: usize) -> i32 {
    i32::from_ne_bytes(d[4 * i..4 * i + 4].try_into().unwrap())
}

/// A client: asks the server to add two numbers, gets the answer on a
/// send-once reply right, and a postcard through the mailbox right it sent.
fn client(n: i32, a: i32, b: i32) -> Res {
    let bootstrap = Task::current()
        .bootstrap_port()?
        .ok_or("no bootstrap port")?;
    println!(
        "   [client {n}, pid {}] My bootstrap port {:#x} is a send right to the\n      server's port: I inherited it from my parent when I was forked.",
        pid(),
        bootstrap.name()
    );
    let reply = ReceiveRight::new()?;
    let mailbox = ReceiveRight::new()?;
    println!(
        "   [client {n}] Sending \"what is {a} + {b}?\" with a send-once right for the\n      reply and, in the body, a send right to my mailbox port {:#x}.",
        mailbox.name()
    );
    let answer = Message::new(ADD)
        .port(OutPort::MakeSend(&mailbox))
        .data(&a.to_ne_bytes())
        .data(&b.to_ne_bytes())
        .rpc(&bootstrap, &reply, None)?;
    println!(
        "   [client {n}] The request went out and the reply came back:\n      {a} + {b} = {}.",
        int(answer.data(), 0)
    );
    let card = mailbox.recv(None)?;
    let text = String::from_utf8_lossy(card.data());
    println!(
        "   [client {n}] A postcard arrived in my mailbox: \"{}\"\n      The kernel vouches for its sender: pid {}, uid {}.",
        text.trim_end_matches('\0'),
        card.audit_token().pid(),
        card.audit_token().euid()
    );
    Ok(())
}

/// The server: answers `clients` requests on its port.
fn server(port: ReceiveRight, clients: usize) -> Res {
    for _ in 0..clients {
        let mut req = port.recv(None)?;
        let d = req.data();
        let (a, b) = (int(d, 0), int(d, 1));
        let mut descs = req.take_descriptors();
        let Some(Descriptor::Port(PortRight::Send(mailbox))) = descs.pop() else {
            return Err("a request without a mailbox".into());
        };
        println!(
            "   [server, pid {}] Request from pid {}: {a} + {b}. It came with a\n      send-once reply right ({:#x}) and a send right ({:#x}) in my space.",
            pid(),
            req.audit_token().pid(),
            req.remote().name().unwrap_or(0),
            mailbox.name()
        );
        req.reply(Message::new(ADD + 100).data(&(a + b).to_ne_bytes()))?;
        let text = format!("greetings from the server, pid {}", pid());
        Message::new(POSTCARD)
            .data(text.as_bytes())
            .send_with(OutPort::MoveSend(mailbox), None)?;
        println!(
            "   [server] Replied through the send-once right (now used up) and sent\n      a postcard through the mailbox right (moved back out with it)."
        );
    }
    Ok(())
}

/// A server process and two clients, forked one after the other.
fn conversation() -> Res {
    println!("\nA conversation between processes:");
    let port = ReceiveRight::new()?;
    let send = port.make_send()?;
    Task::current().set_special_port(TaskSpecialPort::Bootstrap, Some(&send))?;
    println!(
        "8. We made a service port {:#x} and set it as our bootstrap port: every\n   child task starts with a send right to it.",
        port.name()
    );
    let srv = fork(|| {
        // The server needs the service port's receive right: it asks the
        // parent, which moves it over in a message.
        let bootstrap = Task::current()
            .bootstrap_port()?
            .ok_or("no bootstrap port")?;
        let mine = ReceiveRight::new()?;
        let mut gift = Message::new(0).rpc(&bootstrap, &mine, None)?;
        let Some(Descriptor::Port(PortRight::Receive(service))) = gift.take_descriptors().pop()
        else {
            return Err("no receive right in the gift".into());
        };
        println!(
            "   [server, pid {}] Our parent moved the service port's receive right\n      to us in a message: it is {:#x} in my space now.",
            pid(),
            service.name()
        );
        server(service, 2)
    });
    // Hand the receive right to the server, on its request.
    let mut ask = port.recv(None)?;
    let name = port.name();
    ask.reply(Message::new(1).port(OutPort::MoveReceive(port)))?;
    assert!(!port_type(name)?.has(RightKind::Receive));
    let mut ok = true;
    for i in 1..=2 {
        let kid = fork(move || client(i, 20 * i, 22));
        ok &= wait(kid);
    }
    ok &= wait(srv);
    Task::current().set_special_port(TaskSpecialPort::Bootstrap, None)?;
    drop(send);
    println!(
        "9. All three processes have exited; their spaces were torn down and\n   every right they held was released."
    );
    if ok {
        Ok(())
    } else {
        Err("a process of the conversation failed".into())
    }
}

fn main() -> Res {
    println!("machipc demo in Rust: Mach IPC as a Linux kernel module.\n");
    // SAFETY: plain calls of libmach.
    let fd = unsafe { machipc::sys::machipc::machipc_fd() };
    if fd < 0 {
        return Err(format!(
            "could not open /dev/mach: {}. Is the module loaded?",
            std::io::Error::last_os_error()
        )
        .into());
    }
    println!(
        "1. Process {} opened /dev/mach (descriptor {fd}) and is now a Mach task.",
        pid()
    );
    let mut abi = 0;
    // SAFETY: a valid out pointer.
    machipc::KernReturn::result(unsafe { machipc::sys::machipc::machipc_abi_version(&mut abi) })?;
    println!("2. ABI handshake: library and module both speak version {abi}.");
    println!(
        "3. mach_task_self() is {:#x}: a send right to our own task port.",
        machipc::task_self()
    );
    let host = machipc::Host::current()?;
    println!(
        "   mach_host_self() is {:#x}: a send right to the host port.\n",
        host.port().name()
    );

    println!("A port's life:");
    let port = ReceiveRight::new()?;
    println!(
        "4. ReceiveRight::new() made a new port; we hold its receive right under\n   the name {:#x}. Only the holder of the receive right gets its messages.",
        port.name()
    );
    let s1: SendRight = port.make_send()?;
    let s2 = port.make_send()?;
    println!(
        "5. We made a send right to it twice: one port has one name in a space, so\n   the send right joined the receive right under {:#x}, with {} user\n   references.",
        port.name(),
        port_refs(port.name(), RightKind::Send)?
    );
    show_space("now")?;
    let name = port.name();
    drop(port);
    println!(
        "6. We dropped the receive right: the port is dead. Our send right became\n   a {} under the same name -- every holder of a send right finds out.",
        type_words(port_type(name)?)
    );
    drop((s1, s2));
    println!(
        "7. Dropping both send rights released the dead name's references; the name is free again."
    );
    show_space("at the end")?;
    conversation()?;
    println!(
        "\nWhen this process exits, the module tears its space down and releases\nevery right it still holds."
    );
    Ok(())
}
