//! Thread handles: the current thread, its information and special port,
//! threads that exit, a task's threads.

#[macro_use]
mod common;

use std::collections::BTreeSet;
use std::sync::{mpsc, Arc, Barrier};
use std::time::Duration;

use common::*;
use machipc::sys::message::MACH_SEND_INVALID_DEST;
use machipc::{
    port_type, Message, ReceiveRight, RightKind, RunState, Task, TaskSpecialPort, Thread,
    ThreadSpecialPort,
};

fn gettid() -> u64 {
    // SAFETY: a plain system call.
    unsafe { libc::gettid() as u64 }
}

/// The CPU time of the calling thread.
fn thread_cputime() -> Duration {
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out pointer.
    assert_eq!(
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) },
        0
    );
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[test]
fn thread_current_is_a_send_right_to_the_calling_threads_port() {
    let t = Thread::current().unwrap();
    assert!(port_type(t.name()).unwrap().has(RightKind::Send));
    let again = Thread::current().unwrap();
    assert_eq!(again.name(), t.name(), "one port, one name");
    assert_eq!(t.port().urefs().unwrap(), 2, "each call adds a uref");
    drop(again);
    assert_eq!(t.port().urefs().unwrap(), 1);
    let other = std::thread::spawn(|| Thread::current().unwrap().into_port())
        .join()
        .unwrap();
    assert_ne!(other.name(), t.name(), "another thread, another port");
}

#[test]
fn thread_identifier_info_identifies_the_calling_thread() {
    let t = Thread::current().unwrap();
    let ids = t.identifier_info().unwrap();
    assert_eq!(ids.thread_id, gettid());
    // SAFETY: a plain getter.
    assert_eq!(ids.thread_handle, unsafe { libc::pthread_self() } as u64);
    assert_eq!(ids.dispatch_qaddr, 0);
    assert_eq!(t.identifier_info().unwrap(), ids, "stable");
}

#[test]
fn thread_basic_info_describes_the_running_thread() {
    let t = Thread::current().unwrap();
    // Spin a little, so that there is CPU time to see.
    let start = thread_cputime();
    let mut x = 0u64;
    while thread_cputime() - start < Duration::from_millis(50) {
        x = x.wrapping_add(std::hint::black_box(1));
    }
    let before = thread_cputime();
    let i = t.basic_info().unwrap();
    let after = thread_cputime();
    assert_eq!(i.run_state, RunState::Running);
    assert_eq!(i.policy, machipc::sys::policy::POLICY_TIMESHARE);
    assert_eq!(i.suspend_count, 0);
    let total = i.user_time + i.system_time;
    // The kernel's figure is the thread's CPU time at the call, give or
    // take a tick of accounting.
    let slack = Duration::from_millis(100);
    assert!(
        total + slack >= before && total <= after + slack,
        "{total:?} not within {before:?}..{after:?} ({x})"
    );
}

#[test]
fn a_blocked_thread_is_waiting() {
    let port = ReceiveRight::new().unwrap();
    let to_port = port.make_send().unwrap();
    let (tx, rx) = mpsc::channel();
    let h = std::thread::spawn(move || {
        tx.send(Thread::current().unwrap()).unwrap();
        port.recv(WAIT).map(|m| m.id())
    });
    let t = rx.recv().unwrap();
    assert!(eventually(
        || t.basic_info().map(|i| i.run_state) == Ok(RunState::Waiting)
    ));
    to_port.send(Message::new(4), WAIT).unwrap();
    assert_eq!(h.join().unwrap(), Ok(4));
}

#[test]
fn the_port_of_an_exited_thread_is_a_dead_name() {
    let t = std::thread::spawn(|| Thread::current().unwrap())
        .join()
        .unwrap();
    assert!(eventually(|| t.port().is_dead() == Ok(true)));
    assert_eq!(
        t.basic_info().err().map(|e| e.code()),
        Some(MACH_SEND_INVALID_DEST)
    );
    assert_eq!(
        t.identifier_info().err().map(|e| e.code()),
        Some(MACH_SEND_INVALID_DEST)
    );
}

#[test]
fn the_kernel_port_is_the_thread_port_and_can_be_interposed() {
    let t = Thread::current().unwrap();
    let k = t
        .special_port(ThreadSpecialPort::Kernel)
        .unwrap()
        .expect("a kernel port");
    assert_eq!(k.name(), t.name());
    drop(k);

    // Set to another port, mach_thread_self() on that thread returns it.
    let stand_in = ReceiveRight::new().unwrap();
    let send = stand_in.make_send().unwrap();
    let (tx, rx) = mpsc::channel::<()>();
    let (back, from) = mpsc::channel();
    let h = std::thread::spawn(move || {
        let me = Thread::current().unwrap();
        back.send(me.into_port().into_raw()).unwrap();
        rx.recv().unwrap();
        Thread::current().unwrap().into_port().into_raw()
    });
    let child_name = from.recv().unwrap();
    // SAFETY: the name is a send right the thread made for us (one uref).
    let child = Thread::from_port(unsafe { machipc::SendRight::from_raw(child_name) });
    child
        .set_special_port(ThreadSpecialPort::Kernel, Some(&send))
        .unwrap();
    tx.send(()).unwrap();
    let got = h.join().unwrap();
    assert_eq!(got, stand_in.name(), "mach_thread_self() is the stand-in");
    // SAFETY: it gave us a uref of the stand-in's send right.
    drop(unsafe { machipc::SendRight::from_raw(got) });
}

#[test]
fn task_threads_lists_every_thread_of_the_task() {
    let n = 3;
    let barrier = Arc::new(Barrier::new(n + 1));
    let hs: Vec<_> = (0..n)
        .map(|_| {
            let b = barrier.clone();
            std::thread::spawn(move || {
                b.wait();
                b.wait();
            })
        })
        .collect();
    barrier.wait();
    let threads = Task::current().threads().unwrap();
    let ids: BTreeSet<u64> = threads
        .iter()
        .map(|t| t.identifier_info().unwrap().thread_id)
        .collect();
    let proc: BTreeSet<u64> = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids, proc);
    assert_eq!(threads.len(), proc.len());
    assert!(ids.contains(&gettid()));
    barrier.wait();
    for h in hs {
        h.join().unwrap();
    }
}

#[test]
fn task_threads_of_another_task() {
    let holder = Holder::new(false);
    let t = Task::for_pid(holder.pid).unwrap();
    let threads = t.threads().unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(
        threads[0].identifier_info().unwrap().thread_id,
        holder.pid as u64,
        "its main thread"
    );
    assert!(eventually(
        || threads[0].basic_info().map(|i| i.run_state) == Ok(RunState::Waiting)
    ));
}

#[test]
fn thread_calls_on_a_kernel_port_that_is_not_a_thread_fail() {
    // (A port of ours would get the request queued, and no reply: the
    // calls are remote procedure calls, as on macOS.)
    let task_port = Task::current()
        .special_port(TaskSpecialPort::Kernel)
        .unwrap()
        .unwrap();
    let not_a_thread = Thread::from_port(task_port);
    assert!(not_a_thread.basic_info().is_err());
    assert!(not_a_thread.identifier_info().is_err());
    assert!(not_a_thread
        .special_port(ThreadSpecialPort::Kernel)
        .is_err());
    let sem = machipc::Semaphore::new(&Task::current(), machipc::SyncPolicy::FIFO, 0).unwrap();
    assert!(Thread::from_port(sem.into_port()).basic_info().is_err());
}
