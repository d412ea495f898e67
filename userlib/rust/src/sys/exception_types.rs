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
