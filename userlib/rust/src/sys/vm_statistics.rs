//! `<mach/vm_statistics.h>`: the virtual memory statistics of
//! `host_statistics(64)` (in pages), the external-modification and
//! purgeable counters, `vm_allocate` flags and memory tags.
//! (`vm_statistics64` is revision 1, as in libmach: `mach2`'s has the
//! later tag-storage counters too.)

use crate::sys::vm_types::natural_t;
use core::ffi::{c_int, c_uint};

/// `HOST_VM_INFO`: 32-bit counters, truncated when larger.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct vm_statistics {
    pub free_count: natural_t,
    pub active_count: natural_t,
    pub inactive_count: natural_t,
    pub wire_count: natural_t,
    pub zero_fill_count: natural_t,
    pub reactivations: natural_t,
    pub pageins: natural_t,
    pub pageouts: natural_t,
    pub faults: natural_t,
    pub cow_faults: natural_t,
    pub lookups: natural_t,
    pub hits: natural_t,
    pub purgeable_count: natural_t,
    pub purges: natural_t,
    pub speculative_count: natural_t,
}
pub type vm_statistics_t = *mut vm_statistics;
pub type vm_statistics_data_t = vm_statistics;

/// `HOST_VM_INFO64`: the event counters are 64-bit.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct vm_statistics64 {
    pub free_count: natural_t,
    pub active_count: natural_t,
    pub inactive_count: natural_t,
    pub wire_count: natural_t,
    pub zero_fill_count: u64,
    pub reactivations: u64,
    pub pageins: u64,
    pub pageouts: u64,
    pub faults: u64,
    pub cow_faults: u64,
    pub lookups: u64,
    pub hits: u64,
    pub purges: u64,
    pub purgeable_count: natural_t,
    pub speculative_count: natural_t,
    pub decompressions: u64,
    pub compressions: u64,
    pub swapins: u64,
    pub swapouts: u64,
    pub compressor_page_count: natural_t,
    pub throttled_count: natural_t,
    pub external_page_count: natural_t,
    pub internal_page_count: natural_t,
    pub total_uncompressed_pages_in_compressor: u64,
}
pub type vm_statistics64_t = *mut vm_statistics64;
pub type vm_statistics64_data_t = vm_statistics64;

/// How the 64-bit counters are reported in a `vm_statistics`.
/// C: VM_STATISTICS_TRUNCATE_TO_32_BIT
#[inline]
pub const fn vm_statistics_truncate_to_32_bit(value: u64) -> u32 {
    if value > u32::MAX as u64 {
        u32::MAX
    } else {
        value as u32
    }
}

/// `VM_STATISTICS_TRUNCATE_TO_32_BIT(value)` under its C name.
#[inline]
pub const fn VM_STATISTICS_TRUNCATE_TO_32_BIT(value: u64) -> u32 {
    vm_statistics_truncate_to_32_bit(value)
}

/// `HOST_EXTMOD_INFO64` / `TASK_EXTMOD_INFO`: modifications by other tasks.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct vm_extmod_statistics {
    pub task_for_pid_count: i64,
    pub task_for_pid_caller_count: i64,
    pub thread_creation_count: i64,
    pub thread_creation_caller_count: i64,
    pub thread_set_state_count: i64,
    pub thread_set_state_caller_count: i64,
}
pub type vm_extmod_statistics_t = *mut vm_extmod_statistics;
pub type vm_extmod_statistics_data_t = vm_extmod_statistics;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct vm_purgeable_stat {
    pub count: u64,
    pub size: u64,
}
pub type vm_purgeable_stat_t = vm_purgeable_stat;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct vm_purgeable_info {
    pub fifo_data: [vm_purgeable_stat_t; 8],
    pub obsolete_data: vm_purgeable_stat_t,
    pub lifo_data: [vm_purgeable_stat_t; 8],
}
pub type vm_purgeable_info_t = *mut vm_purgeable_info;

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
