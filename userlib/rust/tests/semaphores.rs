//! Semaphores: counts, waits and timeouts, waking, destruction, and two
//! processes synchronised by semaphores passed in a message.

#[macro_use]
mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use machipc::{KernReturn, RightKind, RunState, Semaphore, SyncPolicy, Task, Thread};

fn sem(value: i32) -> Semaphore {
    Semaphore::new(&Task::current(), SyncPolicy::FIFO, value).unwrap()
}

/// A thread that waits on `s` (a copy of our right) and reports how the
/// wait ended; returns it with its thread port once it is blocked.
fn waiter(s: &Semaphore) -> (Thread, std::thread::JoinHandle<Result<(), KernReturn>>) {
    let mine = Semaphore::from_port(s.port().try_clone().unwrap());
    let (tx, rx) = mpsc::channel();
    let h = std::thread::spawn(move || {
        tx.send(Thread::current().unwrap()).unwrap();
        mine.wait(None)
    });
    let t = rx.recv().unwrap();
    assert!(
        eventually(|| t.basic_info().map(|i| i.run_state) == Ok(RunState::Waiting)),
        "the waiter never blocked"
    );
    (t, h)
}

#[test]
fn a_new_semaphore_holds_its_initial_count() {
    let s = sem(2);
    assert!(port_type_has_send(&s));
    s.wait(NOW).unwrap();
    s.wait(NOW).unwrap();
    assert_eq!(s.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT));
    s.destroy(&Task::current()).unwrap();
}

fn port_type_has_send(s: &Semaphore) -> bool {
    machipc::port_type(s.name()).unwrap().has(RightKind::Send)
}

#[test]
fn semaphore_create_refuses_a_bad_policy_or_count() {
    let me = Task::current();
    assert_eq!(
        Semaphore::new(&me, SyncPolicy::FIFO, -1).err(),
        Some(KernReturn::INVALID_ARGUMENT)
    );
    for bad in [
        machipc::sys::sync_policy::SYNC_POLICY_FIXED_PRIORITY,
        machipc::sys::sync_policy::SYNC_POLICY_MAX + 1,
        -1,
    ] {
        assert_eq!(
            Semaphore::new(&me, SyncPolicy::from_raw(bad), 0).err(),
            Some(KernReturn::INVALID_ARGUMENT),
            "policy {bad}"
        );
    }
    let lifo = Semaphore::new(&me, SyncPolicy::LIFO, 1).unwrap();
    lifo.wait(NOW).unwrap();
}

#[test]
fn a_signal_with_no_waiter_is_kept_for_the_next_wait() {
    let s = sem(0);
    s.signal().unwrap();
    s.signal().unwrap();
    s.wait(NOW).unwrap();
    s.wait(Some(Duration::from_millis(1))).unwrap();
    assert_eq!(s.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT));
}

#[test]
fn a_timed_wait_times_out_after_at_least_its_timeout() {
    let s = sem(0);
    for ms in [0, 1, 50, 300] {
        let t0 = Instant::now();
        assert_eq!(
            s.wait(Some(Duration::from_millis(ms))),
            Err(KernReturn::OPERATION_TIMED_OUT)
        );
        assert!(t0.elapsed() >= Duration::from_millis(ms), "{ms} ms");
    }
    // A long timeout is a timespec of its own seconds, not truncated to 0.
    s.signal().unwrap();
    s.wait(Some(Duration::from_secs(u64::MAX))).unwrap();
}

#[test]
fn a_timed_wait_is_woken_by_a_signal() {
    let s = sem(0);
    let mine = Semaphore::from_port(s.port().try_clone().unwrap());
    let h = std::thread::spawn(move || mine.wait(WAIT));
    std::thread::sleep(Duration::from_millis(50));
    s.signal().unwrap();
    assert_eq!(h.join().unwrap(), Ok(()));
}

#[test]
fn signal_wakes_one_waiter() {
    let s = sem(0);
    let (_t1, h1) = waiter(&s);
    let (_t2, h2) = waiter(&s);
    s.signal().unwrap();
    // One wakes; the other waits for the second signal.
    assert!(eventually(|| h1.is_finished() || h2.is_finished()));
    std::thread::sleep(Duration::from_millis(100));
    assert!(!(h1.is_finished() && h2.is_finished()), "both woke");
    s.signal().unwrap();
    assert_eq!(h1.join().unwrap(), Ok(()));
    assert_eq!(h2.join().unwrap(), Ok(()));
    assert_eq!(s.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT));
}

#[test]
fn signal_all_wakes_every_waiter_and_keeps_nothing() {
    let s = sem(0);
    s.signal_all().unwrap();
    assert_eq!(s.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT), "kept");
    let waiters: Vec<_> = (0..3).map(|_| waiter(&s)).collect();
    s.signal_all().unwrap();
    for (_, h) in waiters {
        assert_eq!(h.join().unwrap(), Ok(()));
    }
    assert_eq!(s.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT));
}

#[test]
fn signal_thread_wakes_that_thread_only() {
    let s = sem(0);
    assert_eq!(s.signal_thread(None), Err(KernReturn::NOT_WAITING));
    let me = Thread::current().unwrap();
    assert_eq!(s.signal_thread(Some(&me)), Err(KernReturn::NOT_WAITING));
    assert_eq!(s.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT), "counted");
    let (t1, h1) = waiter(&s);
    let (t2, h2) = waiter(&s);
    s.signal_thread(Some(&t2)).unwrap();
    assert_eq!(h2.join().unwrap(), Ok(()));
    assert!(!h1.is_finished());
    assert_eq!(t1.basic_info().unwrap().run_state, RunState::Waiting);
    s.signal_thread(None).unwrap();
    assert_eq!(h1.join().unwrap(), Ok(()));
}

#[test]
fn wait_signal_signals_the_other_then_waits() {
    let (a, b) = (sem(0), sem(0));
    let (a2, b2) = (
        Semaphore::from_port(a.port().try_clone().unwrap()),
        Semaphore::from_port(b.port().try_clone().unwrap()),
    );
    let h = std::thread::spawn(move || {
        b2.wait(WAIT)?;
        a2.signal()
    });
    a.wait_signal(&b, WAIT).unwrap();
    assert_eq!(h.join().unwrap(), Ok(()));
    // Timed: the signal is given even when the wait times out.
    assert_eq!(
        a.wait_signal(&b, Some(Duration::from_millis(20))),
        Err(KernReturn::OPERATION_TIMED_OUT)
    );
    b.wait(NOW).unwrap();
}

#[test]
fn destroy_under_a_waiter_gives_it_terminated() {
    let s = sem(0);
    let other = Semaphore::from_port(s.port().try_clone().unwrap());
    let (_t, h) = waiter(&s);
    let name = s.name();
    s.destroy(&Task::current()).unwrap();
    assert_eq!(h.join().unwrap(), Err(KernReturn::TERMINATED));
    // Every holder sees it destroyed; our right was used up (one uref left).
    assert_eq!(refs(name, RightKind::Send), 1);
    assert_eq!(other.signal(), Err(KernReturn::TERMINATED));
    assert_eq!(other.signal_all(), Err(KernReturn::TERMINATED));
    assert_eq!(other.wait(NOW), Err(KernReturn::TERMINATED));
    assert_eq!(other.wait(None), Err(KernReturn::TERMINATED));
    drop(other);
    assert!(gone(name));
}

#[test]
fn dropping_the_last_right_frees_the_semaphore() {
    let s = sem(1);
    let name = s.name();
    drop(s);
    assert!(gone(name));
}

#[test]
fn a_port_that_is_not_a_semaphore_is_refused() {
    let port = machipc::ReceiveRight::new().unwrap();
    let fake = Semaphore::from_port(port.make_send().unwrap());
    assert!(fake.signal().is_err());
    assert!(fake.wait(NOW).is_err());
    assert_eq!(
        fake.destroy(&Task::current()),
        Err(KernReturn::INVALID_ARGUMENT)
    );
}

#[test]
fn a_semaphore_made_on_another_task_dies_with_it() {
    let holder = Holder::new(false);
    let child = Task::for_pid(holder.pid).unwrap();
    let s = Semaphore::new(&child, SyncPolicy::FIFO, 0).unwrap();
    s.signal().unwrap();
    s.wait(NOW).unwrap();
    // Only its owner may destroy it (our right is used up trying).
    let copy = Semaphore::from_port(s.port().try_clone().unwrap());
    assert_eq!(
        copy.destroy(&Task::current()),
        Err(KernReturn::INVALID_ARGUMENT)
    );
    let (_t, h) = waiter(&s);
    drop(child);
    drop(holder); // the child exits
    assert_eq!(h.join().unwrap(), Err(KernReturn::TERMINATED));
    assert_eq!(s.signal(), Err(KernReturn::TERMINATED));
}

#[test]
fn semaphores_passed_in_a_message_ping_pong_between_processes() {
    const ROUNDS: i32 = 50;
    let (ping, pong) = (sem(0), sem(0));
    let child = fork_with_rights(&[ping.port(), pong.port()], |mut got| {
        if got.len() != 2 {
            return 10;
        }
        let pong = Semaphore::from_port(got.pop().unwrap());
        let ping = Semaphore::from_port(got.pop().unwrap());
        for _ in 0..ROUNDS {
            if ping.wait(WAIT).is_err() {
                return 11;
            }
            if pong.signal().is_err() {
                return 12;
            }
        }
        // The last one atomically: signal pong for the parent, wait on
        // ping. (Not the other way round: the last pong of the loop may
        // not be taken yet, and a wait on pong here would take it.)
        match ping.wait_signal(&pong, WAIT) {
            Ok(()) => 0,
            Err(_) => 13,
        }
    });
    for round in 0..ROUNDS {
        ping.signal().unwrap();
        if let Err(e) = pong.wait(WAIT) {
            panic!(
                "round {round}: no pong ({e:?}); the child's exit status {}",
                wait(child)
            );
        }
    }
    pong.wait(WAIT).unwrap();
    ping.signal().unwrap();
    assert_eq!(wait(child), 0);
    assert_eq!(ping.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT));
    assert_eq!(pong.wait(NOW), Err(KernReturn::OPERATION_TIMED_OUT));
}

#[test]
fn destroying_a_semaphore_terminates_a_waiter_in_another_process() {
    let s = sem(0);
    let ready = sem(0);
    let child = fork_with_rights(&[s.port(), ready.port()], |mut got| {
        let (Some(r), Some(p)) = (got.pop(), got.pop()) else {
            return 10;
        };
        let (ready, s) = (Semaphore::from_port(r), Semaphore::from_port(p));
        // Ready is told on a semaphore of its own: a signal on `s` with
        // the parent not yet waiting would be kept, and this wait would
        // take it.
        if ready.signal().is_err() {
            return 11;
        }
        match s.wait(WAIT) {
            Err(KernReturn::TERMINATED) => 0,
            Ok(()) => 12,
            Err(_) => 13,
        }
    });
    // The child signals once it holds its rights, then waits. (If it does
    // not, its exit status says where it stopped: its waits are bounded.)
    if let Err(e) = ready.wait(WAIT) {
        panic!(
            "no signal from the child ({e:?}); its exit status {}",
            wait(child)
        );
    }
    let t = Task::for_pid(child).unwrap();
    let threads = t.threads().unwrap();
    assert!(eventually(|| threads
        .iter()
        .any(
            |t| t.basic_info().map(|i| i.run_state) == Ok(RunState::Waiting)
        )));
    std::thread::sleep(Duration::from_millis(50));
    s.destroy(&Task::current()).unwrap();
    assert_eq!(wait(child), 0);
}

#[test]
fn a_process_that_is_not_the_owner_cannot_destroy_it() {
    let s = sem(0);
    let child = fork_with_rights(&[s.port()], |mut got| {
        let Some(p) = got.pop() else { return 10 };
        let s = Semaphore::from_port(p);
        match s.destroy(&Task::current()) {
            Err(KernReturn::INVALID_ARGUMENT) => 0,
            Ok(()) => 11,
            Err(_) => 12,
        }
    });
    assert_eq!(wait(child), 0);
    s.signal().unwrap();
    s.wait(NOW).unwrap();
}

#[test]
fn an_unprivileged_process_uses_a_semaphore_it_was_given() {
    let s = sem(0);
    let child = fork_with_rights(&[s.port()], |mut got| {
        become_nobody();
        let Some(p) = got.pop() else { return 10 };
        let s = Semaphore::from_port(p);
        if s.signal().is_err() {
            return 11;
        }
        // It may make semaphores of its own, not on our task.
        let Ok(own) = Semaphore::new(&Task::current(), SyncPolicy::FIFO, 0) else {
            return 12;
        };
        if own.destroy(&Task::current()).is_err() {
            return 13;
        }
        0
    });
    assert_eq!(wait(child), 0);
    s.wait(WAIT).unwrap();
}

#[test]
fn a_signal_interrupts_a_wait_with_aborted() {
    extern "C" fn on_usr1(_: libc::c_int) {}
    // SAFETY: installs a handler that does nothing.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_usr1 as extern "C" fn(libc::c_int) as usize;
        sa.sa_flags = libc::SA_RESTART;
        assert_eq!(libc::sigaction(libc::SIGUSR1, &sa, std::ptr::null_mut()), 0);
    }
    let s = sem(0);
    let mine = Semaphore::from_port(s.port().try_clone().unwrap());
    let (tx, rx) = mpsc::channel();
    let h = std::thread::spawn(move || {
        // SAFETY: a plain getter.
        tx.send((Thread::current().unwrap(), unsafe { libc::pthread_self() }))
            .unwrap();
        mine.wait(WAIT)
    });
    let (t, th) = rx.recv().unwrap();
    assert!(eventually(
        || t.basic_info().map(|i| i.run_state) == Ok(RunState::Waiting)
    ));
    // SAFETY: the thread is alive until joined.
    assert_eq!(unsafe { libc::pthread_kill(th, libc::SIGUSR1) }, 0);
    assert_eq!(h.join().unwrap(), Err(KernReturn::ABORTED));
    // Nothing was taken: a later signal is there to wait for.
    s.signal().unwrap();
    s.wait(NOW).unwrap();
}
