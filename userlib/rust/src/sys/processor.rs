//! `<mach/processor.h>`: the processor interface, on the processor ports
//! of `host_processors()` (the calls libmach implements; not a module of
//! `mach2`).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{host_t, processor_t};
use crate::sys::message::mach_msg_type_number_t;
use crate::sys::processor_info::{processor_flavor_t, processor_info_t};

unsafe extern "C" {
    pub fn processor_start(processor: processor_t) -> kern_return_t;
    pub fn processor_exit(processor: processor_t) -> kern_return_t;
    pub fn processor_info(
        processor: processor_t,
        flavor: processor_flavor_t,
        host: *mut host_t,
        processor_info_out: processor_info_t,
        processor_info_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
}
