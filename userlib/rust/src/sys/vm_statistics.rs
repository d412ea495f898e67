//! `<mach/vm_statistics.h>`: `vm_allocate` flags and memory tags.

use core::ffi::{c_int, c_uint};

pub const VM_FLAGS_FIXED: c_int = 0x0;
pub const VM_FLAGS_ANYWHERE: c_int = 0x1;
pub const VM_FLAGS_PURGABLE: c_int = 0x2;
pub const VM_FLAGS_4GB_CHUNK: c_int = 0x4;
pub const VM_FLAGS_RANDOM_ADDR: c_int = 0x8;
pub const VM_FLAGS_NO_CACHE: c_int = 0x10;
pub const VM_FLAGS_RESILIENT_CODESIGN: c_int = 0x20;
pub const VM_FLAGS_RESILIENT_MEDIA: c_int = 0x40;
pub const VM_FLAGS_PERMANENT: c_int = 0x80;
pub const VM_FLAGS_OVERWRITE: c_int = 0x4000;
pub const VM_FLAGS_SUPERPAGE_MASK: c_int = 0x0007_0000;
pub const VM_FLAGS_RETURN_DATA_ADDR: c_int = 0x0010_0000;
pub const VM_FLAGS_RETURN_4K_DATA_ADDR: c_int = 0x0080_0000;
pub const VM_FLAGS_ALIAS_MASK: c_int = -16_777_216; // 0xFF000000

pub const VM_FLAGS_USER_ALLOCATE: c_int = VM_FLAGS_FIXED
    | VM_FLAGS_ANYWHERE
    | VM_FLAGS_PURGABLE
    | VM_FLAGS_4GB_CHUNK
    | VM_FLAGS_RANDOM_ADDR
    | VM_FLAGS_NO_CACHE
    | VM_FLAGS_PERMANENT
    | VM_FLAGS_OVERWRITE
    | VM_FLAGS_SUPERPAGE_MASK
    | VM_FLAGS_ALIAS_MASK;
pub const VM_FLAGS_USER_MAP: c_int =
    VM_FLAGS_USER_ALLOCATE | VM_FLAGS_RETURN_4K_DATA_ADDR | VM_FLAGS_RETURN_DATA_ADDR;
pub const VM_FLAGS_USER_REMAP: c_int = VM_FLAGS_FIXED
    | VM_FLAGS_ANYWHERE
    | VM_FLAGS_RANDOM_ADDR
    | VM_FLAGS_OVERWRITE
    | VM_FLAGS_RETURN_DATA_ADDR
    | VM_FLAGS_RESILIENT_CODESIGN
    | VM_FLAGS_RESILIENT_MEDIA;

pub const VM_FLAGS_SUPERPAGE_SHIFT: c_int = 16;
pub const SUPERPAGE_NONE: c_int = 0;
pub const SUPERPAGE_SIZE_ANY: c_int = 1;
pub const SUPERPAGE_SIZE_2MB: c_int = 2;
pub const VM_FLAGS_SUPERPAGE_NONE: c_int = SUPERPAGE_NONE << VM_FLAGS_SUPERPAGE_SHIFT;
pub const VM_FLAGS_SUPERPAGE_SIZE_ANY: c_int = SUPERPAGE_SIZE_ANY << VM_FLAGS_SUPERPAGE_SHIFT;
pub const VM_FLAGS_SUPERPAGE_SIZE_2MB: c_int = SUPERPAGE_SIZE_2MB << VM_FLAGS_SUPERPAGE_SHIFT;

/// `VM_MAKE_TAG(tag)`: a memory tag in the flags of `vm_allocate`.
///
/// C: VM_MAKE_TAG
#[inline]
pub const fn vm_make_tag(tag: c_uint) -> c_int {
    (tag as c_int) << 24
}

/// `VM_MAKE_TAG(tag)` under its C name.
#[inline]
pub const fn VM_MAKE_TAG(tag: c_uint) -> c_int {
    vm_make_tag(tag)
}

pub const VM_MEMORY_MALLOC: c_uint = 1;
pub const VM_MEMORY_MALLOC_SMALL: c_uint = 2;
pub const VM_MEMORY_MALLOC_LARGE: c_uint = 3;
pub const VM_MEMORY_MALLOC_HUGE: c_uint = 4;
pub const VM_MEMORY_SBRK: c_uint = 5;
pub const VM_MEMORY_REALLOC: c_uint = 6;
pub const VM_MEMORY_MALLOC_TINY: c_uint = 7;
pub const VM_MEMORY_MACH_MSG: c_uint = 20;
pub const VM_MEMORY_IOKIT: c_uint = 21;
pub const VM_MEMORY_STACK: c_uint = 30;
pub const VM_MEMORY_GUARD: c_uint = 31;
pub const VM_MEMORY_APPLICATION_SPECIFIC_1: c_uint = 240;
pub const VM_MEMORY_APPLICATION_SPECIFIC_16: c_uint = 255;
