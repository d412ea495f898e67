//! The tokio receiver: messages awaited next to sockets. It needs pollable
//! ports: on a kernel module without them every test here reports SKIP.

#[macro_use]
mod common;

use std::io;
use std::time::Duration;

use common::*;
use machipc::tokio::AsyncReceiver;
use machipc::{Message, OutPort, PortSet, ReceiveRight};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn an_async_receiver_awaits_a_message_from_another_thread() {
    require_port_fd!();
    runtime().block_on(async {
        let port = ReceiveRight::new().unwrap();
        let send = port.make_send().unwrap();
        let rx = AsyncReceiver::new(port).unwrap();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            send.send(Message::new(11).data(b"async"), None).unwrap();
        });
        let msg = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("a message in time")
            .unwrap();
        assert_eq!((msg.id(), &msg.data()[..5]), (11, &b"async"[..]));
        t.join().unwrap();
    });
}

#[test]
fn an_async_receiver_gets_every_message_of_a_burst() {
    require_port_fd!();
    runtime().block_on(async {
        let port = ReceiveRight::with_qlimit(1024).unwrap();
        let send = port.make_send().unwrap();
        let rx = AsyncReceiver::new(port).unwrap();
        let t = std::thread::spawn(move || {
            for i in 0..300 {
                send.send(Message::new(i), None).unwrap();
            }
        });
        for i in 0..300 {
            let msg = tokio::time::timeout(Duration::from_secs(20), rx.recv())
                .await
                .expect("every message arrives")
                .unwrap();
            assert_eq!(msg.id(), i);
        }
        t.join().unwrap();
    });
}

#[test]
fn an_async_receiver_reports_a_destroyed_port_as_broken_pipe() {
    require_port_fd!();
    runtime().block_on(async {
        let set = PortSet::new().unwrap();
        let name = set.name();
        let rx = AsyncReceiver::new(set).unwrap();
        // Destroy the set behind the receiver's back.
        // SAFETY: the set is ours; `rx` only receives from the name, which
        // fails once it is gone.
        unsafe {
            machipc::sys::mach_port::mach_port_mod_refs(
                machipc::task_self(),
                name,
                machipc::sys::port::MACH_PORT_RIGHT_PORT_SET,
                -1,
            )
        };
        let e = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("an answer in time")
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "{e}");
        // The set's name is gone: do not let the value release it again.
        let _ = rx.into_inner().into_raw();
    });
}

/// A listener of either kind.
enum Listener {
    Unix(tokio::net::UnixListener),
    Tcp(tokio::net::TcpListener),
}

/// One connection: read a few bytes, write them back reversed.
async fn reverse<S: AsyncReadExt + AsyncWriteExt + Unpin>(mut s: S) -> io::Result<()> {
    let mut buf = [0u8; 16];
    let n = s.read(&mut buf).await?;
    buf[..n].reverse();
    s.write_all(&buf[..n]).await
}

impl Listener {
    async fn serve_one(&self) -> io::Result<()> {
        match self {
            Listener::Unix(l) => reverse(l.accept().await?.0).await,
            Listener::Tcp(l) => reverse(l.accept().await?.0).await,
        }
    }
}

/// The server loop of the example: Mach requests on a port set (answered
/// with the sum of two numbers) and stream connections (answered with
/// their bytes reversed), until `total` of them are done.
async fn serve(set: PortSet, listener: &Listener, total: usize) -> io::Result<(usize, usize)> {
    let rx = AsyncReceiver::new(set)?;
    let (mut mach, mut streams) = (0, 0);
    while mach + streams < total {
        tokio::select! {
            msg = rx.recv() => {
                let mut msg = msg?;
                let d = msg.data();
                let a = u32::from_ne_bytes(d[0..4].try_into().unwrap());
                let b = u32::from_ne_bytes(d[4..8].try_into().unwrap());
                msg.reply(Message::new(msg.id() + 100).data(&(a + b).to_ne_bytes()))?;
                mach += 1;
            }
            r = listener.serve_one() => {
                r?;
                streams += 1;
            }
        }
    }
    Ok((mach, streams))
}

/// Mach clients, on threads: each sends a request and checks the reply.
fn mach_clients(ports: Vec<machipc::SendRight>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for (i, to) in ports.iter().enumerate() {
            let reply = ReceiveRight::new().unwrap();
            let i = i as u32;
            let rep = Message::new(1)
                .data(&i.to_ne_bytes())
                .data(&10u32.to_ne_bytes())
                .reply(OutPort::MakeSendOnce(&reply));
            to.send(rep, WAIT).unwrap();
            let ans = reply.recv(WAIT).unwrap();
            assert_eq!(ans.id(), 101);
            assert_eq!(ans.data(), (i + 10).to_ne_bytes());
        }
    })
}

fn make_set(n: usize) -> (PortSet, Vec<ReceiveRight>, Vec<machipc::SendRight>) {
    let set = PortSet::new().unwrap();
    let ports: Vec<ReceiveRight> = (0..n).map(|_| ReceiveRight::new().unwrap()).collect();
    let sends = ports.iter().map(|p| p.make_send().unwrap()).collect();
    for p in &ports {
        set.insert(p).unwrap();
    }
    (set, ports, sends)
}

#[test]
fn a_server_waits_on_a_port_set_and_a_unix_socket_in_one_loop() {
    require_port_fd!();
    let dir = std::env::temp_dir().join(format!("machipc-tokio-{}", std::process::id()));
    let _ = std::fs::remove_file(&dir);
    runtime().block_on(async {
        let (set, _ports, sends) = make_set(3);
        let listener = tokio::net::UnixListener::bind(&dir).unwrap();
        let path = dir.clone();
        let clients = mach_clients(sends);
        let streams = std::thread::spawn(move || {
            use std::io::{Read, Write};
            for _ in 0..2 {
                let mut s = std::os::unix::net::UnixStream::connect(&path).unwrap();
                s.write_all(b"abc").unwrap();
                let mut back = [0u8; 3];
                s.read_exact(&mut back).unwrap();
                assert_eq!(&back, b"cba");
            }
        });
        let listener = Listener::Unix(listener);
        let done = tokio::time::timeout(Duration::from_secs(60), serve(set, &listener, 5))
            .await
            .expect("the server finished in time")
            .unwrap();
        assert_eq!(done, (3, 2));
        clients.join().unwrap();
        streams.join().unwrap();
    });
    let _ = std::fs::remove_file(&dir);
}

#[test]
fn a_server_waits_on_a_port_set_and_a_tcp_socket_in_one_loop() {
    require_port_fd!();
    // SAFETY: a probe socket, closed at once.
    let s = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0) };
    if s < 0 {
        println!(
            "\nSKIP: the guest kernel has no TCP/IP (socket(AF_INET): {})",
            io::Error::last_os_error()
        );
        return;
    }
    // SAFETY: our descriptor.
    unsafe { libc::close(s) };
    runtime().block_on(async {
        let (set, _ports, sends) = make_set(2);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let clients = mach_clients(sends);
        let streams = std::thread::spawn(move || {
            use std::io::{Read, Write};
            for _ in 0..2 {
                let mut s = std::net::TcpStream::connect(addr).unwrap();
                s.write_all(b"xyz").unwrap();
                let mut back = [0u8; 3];
                s.read_exact(&mut back).unwrap();
                assert_eq!(&back, b"zyx");
            }
        });
        let listener = Listener::Tcp(listener);
        let done = tokio::time::timeout(Duration::from_secs(60), serve(set, &listener, 4))
            .await
            .expect("the server finished in time")
            .unwrap();
        assert_eq!(done, (2, 2));
        clients.join().unwrap();
        streams.join().unwrap();
    });
}
