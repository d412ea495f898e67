//! `<mach/vm_page_size.h>`: the page size globals (set by libmach before
//! `main`) and the page rounding macros.

use crate::sys::vm_types::vm_size_t;
use core::ffi::c_int;

unsafe extern "C" {
    pub static vm_page_size: vm_size_t;
    pub static vm_page_mask: vm_size_t;
    pub static vm_page_shift: c_int;
    pub static vm_kernel_page_size: vm_size_t;
    pub static vm_kernel_page_mask: vm_size_t;
    pub static vm_kernel_page_shift: c_int;
}

/// `trunc_page(x)` (`mach2`'s name).
/// C: trunc_page
#[inline]
pub unsafe fn vm_trunc_page(x: vm_size_t) -> vm_size_t {
    unsafe { x & !(vm_page_size - 1) }
}

/// `round_page(x)` (`mach2`'s name).
/// C: round_page
#[inline]
pub unsafe fn vm_round_page(x: vm_size_t) -> vm_size_t {
    unsafe { vm_trunc_page(x + (vm_page_size - 1)) }
}

/// `x` rounded down to a page.
#[inline]
pub unsafe fn trunc_page(x: vm_size_t) -> vm_size_t {
    unsafe { vm_trunc_page(x) }
}

/// `x` rounded up to a page.
#[inline]
pub unsafe fn round_page(x: vm_size_t) -> vm_size_t {
    unsafe { vm_round_page(x) }
}

#[inline]
pub unsafe fn trunc_page_kernel(x: vm_size_t) -> vm_size_t {
    unsafe { x & !vm_kernel_page_mask }
}

#[inline]
pub unsafe fn round_page_kernel(x: vm_size_t) -> vm_size_t {
    unsafe { trunc_page_kernel(x + vm_kernel_page_mask) }
}
