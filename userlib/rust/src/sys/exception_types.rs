//! `<mach/exception_types.h>`: exception types, behaviors and masks.

use crate::sys::port::mach_port_t;
use crate::sys::thread_status::thread_state_flavor_t;
use crate::sys::vm_types::integer_t;
use core::ffi::{c_int, c_uint};

pub const EXC_BAD_ACCESS: c_uint = 1;
pub const EXC_BAD_INSTRUCTION: c_uint = 2;
pub const EXC_ARITHMETIC: c_uint = 3;
pub const EXC_EMULATION: c_uint = 4;
pub const EXC_SOFTWARE: c_uint = 5;
pub const EXC_BREAKPOINT: c_uint = 6;
pub const EXC_SYSCALL: c_uint = 7;
pub const EXC_MACH_SYSCALL: c_uint = 8;
pub const EXC_RPC_ALERT: c_uint = 9;
pub const EXC_CRASH: c_uint = 10;
pub const EXC_RESOURCE: c_uint = 11;
pub const EXC_GUARD: c_uint = 12;
pub const EXC_CORPSE_NOTIFY: c_uint = 13;
pub const EXCEPTION_DEFAULT: c_uint = 1;
pub const EXCEPTION_STATE: c_uint = 2;
pub const EXCEPTION_STATE_IDENTITY: c_uint = 3;
pub const MACH_EXCEPTION_CODES: c_uint = 0x80000000;
pub const EXC_MASK_BAD_ACCESS: c_uint = 1 << EXC_BAD_ACCESS;
pub const EXC_MASK_BAD_INSTRUCTION: c_uint = 1 << EXC_BAD_INSTRUCTION;
pub const EXC_MASK_ARITHMETIC: c_uint = 1 << EXC_ARITHMETIC;
pub const EXC_MASK_EMULATION: c_uint = 1 << EXC_EMULATION;
pub const EXC_MASK_SOFTWARE: c_uint = 1 << EXC_SOFTWARE;
pub const EXC_MASK_BREAKPOINT: c_uint = 1 << EXC_BREAKPOINT;
pub const EXC_MASK_SYSCALL: c_uint = 1 << EXC_SYSCALL;
pub const EXC_MASK_MACH_SYSCALL: c_uint = 1 << EXC_MACH_SYSCALL;
pub const EXC_MASK_RPC_ALERT: c_uint = 1 << EXC_RPC_ALERT;
pub const EXC_MASK_CRASH: c_uint = 1 << EXC_CRASH;
pub const EXC_MASK_RESOURCE: c_uint = 1 << EXC_RESOURCE;
pub const EXC_MASK_GUARD: c_uint = 1 << EXC_GUARD;
pub const EXC_MASK_CORPSE_NOTIFY: c_uint = 1 << EXC_CORPSE_NOTIFY;
pub const EXC_MASK_ALL: c_uint = EXC_MASK_BAD_ACCESS
    | EXC_MASK_BAD_INSTRUCTION
    | EXC_MASK_ARITHMETIC
    | EXC_MASK_EMULATION
    | EXC_MASK_SOFTWARE
    | EXC_MASK_BREAKPOINT
    | EXC_MASK_SYSCALL
    | EXC_MASK_MACH_SYSCALL
    | EXC_MASK_RPC_ALERT
    | EXC_MASK_RESOURCE
    | EXC_MASK_GUARD;
pub const EXC_MASK_VALID: c_uint = EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY;
pub const FIRST_EXCEPTION: c_uint = 1;
pub const EXC_SOFT_SIGNAL: c_uint = 0x10003;
pub const EXC_MACF_MIN: c_uint = 0x20000;
pub const EXC_MACF_MAX: c_uint = 0x2FFFF;

pub type exception_type_t = c_int;
pub type exception_data_type_t = integer_t;
pub type mach_exception_data_type_t = i64;
pub type exception_behavior_t = c_int;
pub type exception_data_t = *mut exception_data_type_t;
pub type mach_exception_data_t = *mut mach_exception_data_type_t;
pub type exception_mask_t = c_uint;
pub type exception_mask_array_t = *mut exception_mask_t;
pub type exception_behavior_array_t = *mut exception_behavior_t;
pub type exception_flavor_array_t = *mut thread_state_flavor_t;
pub type exception_port_array_t = *mut mach_port_t;
pub type mach_exception_code_t = mach_exception_data_type_t;
pub type mach_exception_subcode_t = mach_exception_data_type_t;

// `<mach/machine/exception.h>`: the x86 exception codes (not in `mach2`).
pub const EXC_TYPES_COUNT: c_uint = 14;
pub const EXCEPTION_CODE_MAX: c_uint = 2;
pub const EXC_I386_INVOP: c_uint = 1;
pub const EXC_I386_DIV: c_uint = 1;
pub const EXC_I386_INTO: c_uint = 2;
pub const EXC_I386_NOEXT: c_uint = 3;
pub const EXC_I386_EXTOVR: c_uint = 4;
pub const EXC_I386_EXTERR: c_uint = 5;
pub const EXC_I386_EMERR: c_uint = 6;
pub const EXC_I386_BOUND: c_uint = 7;
pub const EXC_I386_SSEEXTERR: c_uint = 8;
pub const EXC_I386_SGL: c_uint = 1;
pub const EXC_I386_BPT: c_uint = 2;
pub const EXC_I386_DIVERR: c_uint = 0;
pub const EXC_I386_SGLSTP: c_uint = 1;
pub const EXC_I386_NMIFLT: c_uint = 2;
pub const EXC_I386_BPTFLT: c_uint = 3;
pub const EXC_I386_INTOFLT: c_uint = 4;
pub const EXC_I386_BOUNDFLT: c_uint = 5;
pub const EXC_I386_INVOPFLT: c_uint = 6;
pub const EXC_I386_NOEXTFLT: c_uint = 7;
pub const EXC_I386_DBLFLT: c_uint = 8;
pub const EXC_I386_EXTOVRFLT: c_uint = 9;
pub const EXC_I386_INVTSSFLT: c_uint = 10;
pub const EXC_I386_SEGNPFLT: c_uint = 11;
pub const EXC_I386_STKFLT: c_uint = 12;
pub const EXC_I386_GPFLT: c_uint = 13;
pub const EXC_I386_PGFLT: c_uint = 14;
pub const EXC_I386_EXTERRFLT: c_uint = 16;
pub const EXC_I386_ALIGNFLT: c_uint = 17;
pub const EXC_I386_ENDPERR: c_uint = 33;
pub const EXC_I386_ENOEXTFLT: c_uint = 32;
pub const EXC_MASK_MACHINE: c_uint = 0;
