//! Mach return codes as error types.

use std::ffi::CStr;
use std::fmt;
use std::io;

use crate::sys;
use crate::sys::kern_return::*;
use crate::sys::message::*;

/// The description libmach gives a code (`mach_error_string`).
fn describe(code: i32) -> String {
    // SAFETY: mach_error_string returns a static NUL-terminated string
    // for every code (a generic one for unknown codes).
    unsafe { CStr::from_ptr(sys::mach_error::mach_error_string(code)) }
        .to_string_lossy()
        .into_owned()
}

macro_rules! codes {
    ($ty:ident, $prefix:literal, $($name:ident = $c:ident),* $(,)?) => {
        impl $ty {
            $(
                #[doc = concat!("`", $prefix, stringify!($name), "`.")]
                pub const $name: $ty = $ty($c);
            )*

            /// The C name of the code (`"KERN_INVALID_NAME"`), if it is one
            /// this crate knows.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($c => Some(concat!($prefix, stringify!($name))),)*
                    _ => None,
                }
            }
        }
    };
}

/// A `kern_return_t` other than `KERN_SUCCESS`: the error of the
/// `mach_port_*`, task and host calls.
///
/// ```
/// use machipc::KernReturn;
/// assert_eq!(KernReturn::new(15), Some(KernReturn::INVALID_NAME));
/// assert_eq!(KernReturn::new(0), None);
/// assert_eq!(KernReturn::INVALID_NAME.name(), Some("KERN_INVALID_NAME"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KernReturn(i32);

impl KernReturn {
    /// The error for `code`, `None` for `KERN_SUCCESS`.
    pub const fn new(code: sys::kern_return::kern_return_t) -> Option<KernReturn> {
        if code == KERN_SUCCESS {
            None
        } else {
            Some(KernReturn(code))
        }
    }

    /// `Ok(())` for `KERN_SUCCESS`, the error otherwise.
    pub const fn result(code: sys::kern_return::kern_return_t) -> Result<(), KernReturn> {
        match KernReturn::new(code) {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    /// The `kern_return_t` value.
    pub const fn code(self) -> sys::kern_return::kern_return_t {
        self.0
    }

    /// `mach_error_string()` of the code.
    pub fn message(self) -> String {
        describe(self.0)
    }
}

codes!(
    KernReturn,
    "KERN_",
    INVALID_ADDRESS = KERN_INVALID_ADDRESS,
    PROTECTION_FAILURE = KERN_PROTECTION_FAILURE,
    NO_SPACE = KERN_NO_SPACE,
    INVALID_ARGUMENT = KERN_INVALID_ARGUMENT,
    FAILURE = KERN_FAILURE,
    RESOURCE_SHORTAGE = KERN_RESOURCE_SHORTAGE,
    NOT_RECEIVER = KERN_NOT_RECEIVER,
    NO_ACCESS = KERN_NO_ACCESS,
    MEMORY_FAILURE = KERN_MEMORY_FAILURE,
    MEMORY_ERROR = KERN_MEMORY_ERROR,
    ALREADY_IN_SET = KERN_ALREADY_IN_SET,
    NOT_IN_SET = KERN_NOT_IN_SET,
    NAME_EXISTS = KERN_NAME_EXISTS,
    ABORTED = KERN_ABORTED,
    INVALID_NAME = KERN_INVALID_NAME,
    INVALID_TASK = KERN_INVALID_TASK,
    INVALID_RIGHT = KERN_INVALID_RIGHT,
    INVALID_VALUE = KERN_INVALID_VALUE,
    UREFS_OVERFLOW = KERN_UREFS_OVERFLOW,
    INVALID_CAPABILITY = KERN_INVALID_CAPABILITY,
    RIGHT_EXISTS = KERN_RIGHT_EXISTS,
    INVALID_HOST = KERN_INVALID_HOST,
    MEMORY_PRESENT = KERN_MEMORY_PRESENT,
    ALREADY_WAITING = KERN_ALREADY_WAITING,
    TERMINATED = KERN_TERMINATED,
    SEMAPHORE_DESTROYED = KERN_SEMAPHORE_DESTROYED,
    NOT_SUPPORTED = KERN_NOT_SUPPORTED,
    NOT_WAITING = KERN_NOT_WAITING,
    OPERATION_TIMED_OUT = KERN_OPERATION_TIMED_OUT,
    DENIED = KERN_DENIED,
    NOT_FOUND = KERN_NOT_FOUND,
);

/// A `mach_msg_return_t` other than `MACH_MSG_SUCCESS`: the error of a
/// send or a receive. It may carry `MACH_MSG_*_SPACE` / `*_KERNEL`
/// modifier bits (what a receive could not copy out); [`base`] drops them.
///
/// [`base`]: MachMsgReturn::base
///
/// ```
/// use machipc::MachMsgReturn;
/// let e = MachMsgReturn::new(0x1000_4003).unwrap();
/// assert!(e.is_timeout());
/// assert_eq!(e, MachMsgReturn::RCV_TIMED_OUT);
/// assert_eq!(e.name(), Some("MACH_RCV_TIMED_OUT"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MachMsgReturn(i32);

impl MachMsgReturn {
    /// The error for `code`, `None` for `MACH_MSG_SUCCESS`.
    pub const fn new(code: mach_msg_return_t) -> Option<MachMsgReturn> {
        if code == MACH_MSG_SUCCESS {
            None
        } else {
            Some(MachMsgReturn(code))
        }
    }

    /// `Ok(())` for `MACH_MSG_SUCCESS`, the error otherwise.
    pub const fn result(code: mach_msg_return_t) -> Result<(), MachMsgReturn> {
        match MachMsgReturn::new(code) {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    /// The `mach_msg_return_t` value, modifier bits included.
    pub const fn code(self) -> mach_msg_return_t {
        self.0
    }

    /// The code without its `MACH_MSG_MASK` modifier bits.
    pub const fn base(self) -> MachMsgReturn {
        MachMsgReturn(self.0 & !MACH_MSG_MASK)
    }

    /// The modifier bits (`MACH_MSG_IPC_SPACE`, `MACH_MSG_VM_SPACE`, ...).
    pub const fn modifiers(self) -> mach_msg_return_t {
        self.0 & MACH_MSG_MASK
    }

    /// `MACH_SEND_TIMED_OUT` or `MACH_RCV_TIMED_OUT`.
    pub const fn is_timeout(self) -> bool {
        let b = self.base().0;
        b == MACH_SEND_TIMED_OUT || b == MACH_RCV_TIMED_OUT
    }

    /// Whether it is a send error (`MACH_SEND_*`).
    pub const fn is_send(self) -> bool {
        let c = self.0 as u32;
        c & 0xfc00_0000 == 0x1000_0000 && (c >> 14) & 0xfff == 0
    }

    /// Whether it is a receive error (`MACH_RCV_*`).
    pub const fn is_receive(self) -> bool {
        let c = self.0 as u32;
        c & 0xfc00_0000 == 0x1000_0000 && (c >> 14) & 0xfff == 1
    }

    /// `mach_error_string()` of the code.
    pub fn message(self) -> String {
        describe(self.0)
    }
}

codes!(
    MachMsgReturn,
    "MACH_",
    SEND_INVALID_DATA = MACH_SEND_INVALID_DATA,
    SEND_INVALID_DEST = MACH_SEND_INVALID_DEST,
    SEND_TIMED_OUT = MACH_SEND_TIMED_OUT,
    SEND_INVALID_VOUCHER = MACH_SEND_INVALID_VOUCHER,
    SEND_INTERRUPTED = MACH_SEND_INTERRUPTED,
    SEND_MSG_TOO_SMALL = MACH_SEND_MSG_TOO_SMALL,
    SEND_INVALID_REPLY = MACH_SEND_INVALID_REPLY,
    SEND_INVALID_RIGHT = MACH_SEND_INVALID_RIGHT,
    SEND_INVALID_NOTIFY = MACH_SEND_INVALID_NOTIFY,
    SEND_INVALID_MEMORY = MACH_SEND_INVALID_MEMORY,
    SEND_NO_BUFFER = MACH_SEND_NO_BUFFER,
    SEND_TOO_LARGE = MACH_SEND_TOO_LARGE,
    SEND_INVALID_TYPE = MACH_SEND_INVALID_TYPE,
    SEND_INVALID_HEADER = MACH_SEND_INVALID_HEADER,
    SEND_INVALID_TRAILER = MACH_SEND_INVALID_TRAILER,
    SEND_INVALID_OPTIONS = MACH_SEND_INVALID_OPTIONS,
    RCV_INVALID_NAME = MACH_RCV_INVALID_NAME,
    RCV_TIMED_OUT = MACH_RCV_TIMED_OUT,
    RCV_TOO_LARGE = MACH_RCV_TOO_LARGE,
    RCV_INTERRUPTED = MACH_RCV_INTERRUPTED,
    RCV_PORT_CHANGED = MACH_RCV_PORT_CHANGED,
    RCV_INVALID_NOTIFY = MACH_RCV_INVALID_NOTIFY,
    RCV_INVALID_DATA = MACH_RCV_INVALID_DATA,
    RCV_PORT_DIED = MACH_RCV_PORT_DIED,
    RCV_HEADER_ERROR = MACH_RCV_HEADER_ERROR,
    RCV_BODY_ERROR = MACH_RCV_BODY_ERROR,
    RCV_INVALID_TYPE = MACH_RCV_INVALID_TYPE,
    RCV_SCATTER_SMALL = MACH_RCV_SCATTER_SMALL,
    RCV_INVALID_TRAILER = MACH_RCV_INVALID_TRAILER,
    RCV_INVALID_ARGUMENTS = MACH_RCV_INVALID_ARGUMENTS,
);

macro_rules! common_impls {
    ($ty:ident) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.base().name() {
                    Some(n) if self.base().0 == self.0 => write!(f, "{}({n})", stringify!($ty)),
                    Some(n) => write!(
                        f,
                        "{}({n} | {:#x})",
                        stringify!($ty),
                        self.0 ^ self.base().0
                    ),
                    None => write!(f, "{}({:#x})", stringify!($ty), self.0),
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.base().name() {
                    Some(n) => write!(f, "{} ({n}, {:#x})", self.message(), self.0),
                    None => write!(f, "{} ({:#x})", self.message(), self.0),
                }
            }
        }

        impl std::error::Error for $ty {}

        impl From<$ty> for io::Error {
            fn from(e: $ty) -> io::Error {
                io::Error::new(e.io_kind(), e)
            }
        }
    };
}

impl KernReturn {
    const fn base(self) -> KernReturn {
        self
    }

    fn io_kind(self) -> io::ErrorKind {
        match self {
            KernReturn::NOT_SUPPORTED => io::ErrorKind::Unsupported,
            KernReturn::RESOURCE_SHORTAGE => io::ErrorKind::OutOfMemory,
            KernReturn::INVALID_ARGUMENT | KernReturn::INVALID_VALUE => io::ErrorKind::InvalidInput,
            KernReturn::NO_ACCESS | KernReturn::DENIED => io::ErrorKind::PermissionDenied,
            KernReturn::OPERATION_TIMED_OUT => io::ErrorKind::TimedOut,
            _ => io::ErrorKind::Other,
        }
    }
}

impl MachMsgReturn {
    fn io_kind(self) -> io::ErrorKind {
        match self.base() {
            MachMsgReturn::SEND_TIMED_OUT | MachMsgReturn::RCV_TIMED_OUT => io::ErrorKind::TimedOut,
            MachMsgReturn::SEND_INTERRUPTED | MachMsgReturn::RCV_INTERRUPTED => {
                io::ErrorKind::Interrupted
            }
            MachMsgReturn::SEND_INVALID_DEST
            | MachMsgReturn::RCV_INVALID_NAME
            | MachMsgReturn::RCV_PORT_DIED => io::ErrorKind::BrokenPipe,
            MachMsgReturn::SEND_NO_BUFFER => io::ErrorKind::OutOfMemory,
            _ => io::ErrorKind::Other,
        }
    }
}

common_impls!(KernReturn);
common_impls!(MachMsgReturn);

/// The result of a `mach_port_*`, task or host call.
pub type Result<T, E = KernReturn> = std::result::Result<T, E>;
