//! `<mach/ndr.h>`: the NDR record of MIG messages.

use core::ffi::c_uchar;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct NDR_record_t {
    pub mig_vers: c_uchar,
    pub if_vers: c_uchar,
    pub reserved1: c_uchar,
    pub mig_encoding: c_uchar,
    pub int_rep: c_uchar,
    pub char_rep: c_uchar,
    pub float_rep: c_uchar,
    pub reserved2: c_uchar,
}

pub const NDR_PROTOCOL_2_0: c_uchar = 0;
pub const NDR_INT_BIG_ENDIAN: c_uchar = 0;
pub const NDR_INT_LITTLE_ENDIAN: c_uchar = 1;
pub const NDR_FLOAT_IEEE: c_uchar = 0;
pub const NDR_FLOAT_VAX: c_uchar = 1;
pub const NDR_FLOAT_CRAY: c_uchar = 2;
pub const NDR_FLOAT_IBM: c_uchar = 3;
pub const NDR_CHAR_ASCII: c_uchar = 0;
pub const NDR_CHAR_EBCDIC: c_uchar = 1;

unsafe extern "C" {
    /// The NDR record of this machine (little-endian integers, ASCII, IEEE).
    pub static NDR_record: NDR_record_t;
}
