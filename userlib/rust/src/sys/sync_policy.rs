//! `<mach/sync_policy.h>`: the wait-queue policies of synchronizers
//! (`semaphore_create`).

use core::ffi::c_int;

pub type sync_policy_t = c_int;

pub const SYNC_POLICY_FIFO: sync_policy_t = 0x0;
/// Refused by `semaphore_create` (`KERN_INVALID_ARGUMENT`), as in XNU.
pub const SYNC_POLICY_FIXED_PRIORITY: sync_policy_t = 0x1;
pub const SYNC_POLICY_REVERSED: sync_policy_t = 0x2;
pub const SYNC_POLICY_ORDER_MASK: sync_policy_t = 0x3;
pub const SYNC_POLICY_LIFO: sync_policy_t = SYNC_POLICY_FIFO | SYNC_POLICY_REVERSED;
/// The largest policy value `semaphore_create` accepts (not in `mach2`).
pub const SYNC_POLICY_MAX: sync_policy_t = 0x7;
