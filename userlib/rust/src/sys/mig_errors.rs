//! `<mach/mig_errors.h>`: MIG's error codes and error reply (not a module
//! of `mach2`).

use crate::sys::kern_return::kern_return_t;
use crate::sys::message::mach_msg_header_t;
use crate::sys::ndr::NDR_record_t;

pub const MIG_TYPE_ERROR: kern_return_t = -300;
pub const MIG_REPLY_MISMATCH: kern_return_t = -301;
pub const MIG_REMOTE_ERROR: kern_return_t = -302;
pub const MIG_BAD_ID: kern_return_t = -303;
pub const MIG_BAD_ARGUMENTS: kern_return_t = -304;
pub const MIG_NO_REPLY: kern_return_t = -305;
pub const MIG_EXCEPTION: kern_return_t = -306;
pub const MIG_ARRAY_TOO_LARGE: kern_return_t = -307;
pub const MIG_SERVER_DIED: kern_return_t = -308;
pub const MIG_TRAILER_ERROR: kern_return_t = -309;

/// The reply MIG sends when it detects an error.
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct mig_reply_error_t {
    pub Head: mach_msg_header_t,
    pub NDR: NDR_record_t,
    pub RetCode: kern_return_t,
}

unsafe extern "C" {
    /// Fills in the header of a `MIG_BAD_ID` error reply to `request`.
    pub fn mig_reply_setup(request: *mut mach_msg_header_t, reply: *mut mach_msg_header_t);
}
