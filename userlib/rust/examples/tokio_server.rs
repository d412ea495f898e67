//! A tokio server that waits on a Mach port set and a TCP socket in one
//! loop: Mach requests ask for the sum of two numbers (the reply goes
//! through the request's send-once right), TCP clients get their line
//! back upper-cased.
//!
//! usage: tokio_server [--self-test] [--unix PATH] [ADDR]
//!
//! It serves on ADDR (default 127.0.0.1:0) and prints what it does. With
//! `--self-test` it also runs clients on threads (three Mach, two TCP),
//! checks their answers and exits when they are done: that is how the
//! test guest runs it. Without TCP/IP in the kernel (socket(AF_INET)
//! fails), or with `--unix PATH`, it serves a Unix socket instead.
//! Needs a machipc module with pollable ports (`mach_port_get_fd`).

use std::io::{self, Read, Write};
use std::time::Duration;

use machipc::tokio::AsyncReceiver;
use machipc::{Message, PortSet, ReceiveRight, SendRight};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

const ADD: i32 = 1;
const ADD_REPLY: i32 = 101;

/// One stream client's session: a line in, the line upper-cased out.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(s: S) -> io::Result<()> {
    let mut s = BufReader::new(s);
    let mut line = String::new();
    s.read_line(&mut line).await?;
    s.get_mut().write_all(line.to_uppercase().as_bytes()).await
}

/// What the server listens on.
enum Listener {
    Tcp(tokio::net::TcpListener),
    Unix(tokio::net::UnixListener),
}

enum Stream {
    Tcp(tokio::net::TcpStream),
    Unix(tokio::net::UnixStream),
}

impl Listener {
    async fn accept(&self) -> io::Result<(Stream, String)> {
        match self {
            Listener::Tcp(l) => l
                .accept()
                .await
                .map(|(s, a)| (Stream::Tcp(s), a.to_string())),
            Listener::Unix(l) => l
                .accept()
                .await
                .map(|(s, _)| (Stream::Unix(s), "a unix socket".into())),
        }
    }
}

/// The server: `limit` requests and connections in all (`None`: for ever).
async fn serve(set: PortSet, listener: Listener, limit: Option<usize>) -> io::Result<()> {
    let requests = AsyncReceiver::new(set)?;
    let mut done = 0;
    while limit.is_none_or(|l| done < l) {
        tokio::select! {
            msg = requests.recv() => {
                let mut msg = msg?;
                let d = msg.data();
                if msg.id() != ADD || d.len() < 8 {
                    println!("[server] ignoring message {} ({} bytes)", msg.id(), d.len());
                    continue; // dropping it releases its reply right
                }
                let a = i32::from_ne_bytes(d[0..4].try_into().unwrap());
                let b = i32::from_ne_bytes(d[4..8].try_into().unwrap());
                println!(
                    "[server] Mach request on port {:#x} from pid {}: {a} + {b}",
                    msg.local_port(),
                    msg.audit_token().pid()
                );
                msg.reply(Message::new(ADD_REPLY).data(&a.wrapping_add(b).to_ne_bytes()))?;
            }
            conn = listener.accept() => {
                let (s, from) = conn?;
                println!("[server] connection from {from}");
                match s {
                    Stream::Tcp(s) => session(s).await?,
                    Stream::Unix(s) => session(s).await?,
                }
            }
        }
        done += 1;
    }
    Ok(())
}

fn mach_client(to: SendRight, a: i32, b: i32) -> io::Result<()> {
    let reply = ReceiveRight::new()?;
    let wait = Some(Duration::from_secs(30));
    let answer = Message::new(ADD)
        .data(&a.to_ne_bytes())
        .data(&b.to_ne_bytes())
        .rpc(&to, &reply, wait)?;
    let sum = i32::from_ne_bytes(answer.data()[..4].try_into().unwrap());
    println!("[client] {a} + {b} = {sum}");
    assert_eq!((answer.id(), sum), (ADD_REPLY, a + b));
    Ok(())
}

fn stream_client(mut s: impl Read + Write, text: &str) -> io::Result<()> {
    s.write_all(format!("{text}\n").as_bytes())?;
    let mut back = String::new();
    s.read_to_string(&mut back)?;
    println!("[client] sent {text:?}, got {:?}", back.trim_end());
    assert_eq!(back.trim_end(), text.to_uppercase());
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let self_test = args.iter().any(|a| a == "--self-test");
    let unix = args
        .iter()
        .position(|a| a == "--unix")
        .map(|i| args.get(i + 1).cloned().ok_or("--unix needs a path"))
        .transpose()?;
    let addr = args
        .iter()
        .rfind(|a| !a.starts_with("--") && Some(*a) != unix.as_ref())
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:0".into());
    if !machipc::port_fd_supported() {
        println!(
            "SKIP: the machipc module has no pollable ports (mach_port_get_fd: {:?})",
            machipc::port_fd_unsupported_reason()
        );
        return Ok(());
    }

    // Three service ports in one set, as a server with several services.
    let set = PortSet::new()?;
    let ports: Vec<ReceiveRight> = (0..3)
        .map(|_| ReceiveRight::new())
        .collect::<Result<_, _>>()?;
    for p in &ports {
        set.insert(p)?;
    }
    let sends: Vec<SendRight> = ports
        .iter()
        .map(|p| p.make_send())
        .collect::<Result<_, _>>()?;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let tcp_ok = std::net::TcpListener::bind("127.0.0.1:0").is_ok();
        let (listener, connect): (Listener, Box<dyn Fn() -> io::Result<()> + Send>) =
            match (&unix, tcp_ok) {
                (None, true) => {
                    let l = tokio::net::TcpListener::bind(&addr).await?;
                    let at = l.local_addr()?;
                    println!("[server] Mach port set {:#x} and TCP {at}", set.name());
                    (
                        Listener::Tcp(l),
                        Box::new(move || {
                            stream_client(std::net::TcpStream::connect(at)?, "hello over tcp")
                        }),
                    )
                }
                _ => {
                    let path = unix
                        .clone()
                        .map(std::path::PathBuf::from)
                        .unwrap_or_else(|| {
                            std::env::temp_dir()
                                .join(format!("tokio_server-{}", std::process::id()))
                        });
                    if unix.is_none() {
                        println!(
                            "[server] no TCP/IP in this kernel: serving a unix socket instead"
                        );
                    }
                    let _ = std::fs::remove_file(&path);
                    let l = tokio::net::UnixListener::bind(&path)?;
                    println!(
                        "[server] Mach port set {:#x} and {}",
                        set.name(),
                        path.display()
                    );
                    (
                        Listener::Unix(l),
                        Box::new(move || {
                            stream_client(
                                std::os::unix::net::UnixStream::connect(&path)?,
                                "hello over a unix socket",
                            )
                        }),
                    )
                }
            };
        if !self_test {
            return serve(set, listener, None).await;
        }
        let mach = std::thread::spawn(move || -> io::Result<()> {
            for (i, to) in sends.into_iter().enumerate() {
                mach_client(to, 20 * i as i32, 22)?;
            }
            Ok(())
        });
        let streams = std::thread::spawn(move || -> io::Result<()> {
            connect()?;
            connect()
        });
        tokio::time::timeout(Duration::from_secs(120), serve(set, listener, Some(5)))
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "the clients did not finish"))??;
        mach.join().expect("the Mach clients")?;
        streams.join().expect("the stream clients")?;
        println!("[server] served 3 Mach requests and 2 connections in one loop");
        Ok(())
    })?;
    Ok(())
}
