//! Out-of-line memory: whole pages of our address space that a message
//! moves instead of copying them inline.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use crate::error::{KernReturn, Result};
use crate::right::task_self;
use crate::sys;

/// A region of our address space obtained with `vm_allocate` (or mapped
/// by the kernel for a received out-of-line descriptor), of `len` bytes;
/// `vm_deallocate`d when dropped. Sending it (as
/// [`Ool::Move`](crate::Ool::Move)) moves it out of our address space.
pub struct OolMemory {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the region is owned memory like a Box<[u8]>.
unsafe impl Send for OolMemory {}
// SAFETY: shared access is read-only through &[u8].
unsafe impl Sync for OolMemory {}

impl OolMemory {
    /// Fresh zeroed memory for `len` bytes (`vm_allocate(VM_FLAGS_ANYWHERE)`,
    /// rounded up to pages).
    pub fn zeroed(len: usize) -> Result<OolMemory> {
        if len == 0 {
            return Ok(OolMemory {
                ptr: NonNull::dangling(),
                len: 0,
            });
        }
        let mut addr: sys::vm_types::vm_address_t = 0;
        // SAFETY: a valid out pointer; the region is ours on success.
        KernReturn::result(unsafe {
            sys::vm::vm_allocate(
                task_self(),
                &mut addr,
                len,
                sys::vm_statistics::VM_FLAGS_ANYWHERE,
            )
        })?;
        let ptr = NonNull::new(addr as *mut u8).ok_or(KernReturn::RESOURCE_SHORTAGE)?;
        Ok(OolMemory { ptr, len })
    }

    /// Fresh memory holding a copy of `data`.
    pub fn from_slice(data: &[u8]) -> Result<OolMemory> {
        let mut m = OolMemory::zeroed(data.len())?;
        m.copy_from_slice(data);
        Ok(m)
    }

    /// Takes over `len` bytes at `addr` (a region from `vm_allocate` or a
    /// received descriptor).
    ///
    /// # Safety
    ///
    /// The region must be mapped, readable and writable, owned by the
    /// caller and by nothing else; it is `vm_deallocate`d on drop.
    pub unsafe fn from_raw(addr: *mut u8, len: usize) -> OolMemory {
        match NonNull::new(addr) {
            Some(ptr) if len > 0 => OolMemory { ptr, len },
            _ => OolMemory {
                ptr: NonNull::dangling(),
                len: 0,
            },
        }
    }

    /// Gives the region up: the caller must `vm_deallocate` it.
    pub fn into_raw(self) -> (*mut u8, usize) {
        let me = std::mem::ManuallyDrop::new(self);
        (me.ptr.as_ptr(), me.len)
    }

    /// The address of the region.
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }
}

impl Deref for OolMemory {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` is valid for `len` bytes (dangling only for 0).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl DerefMut for OolMemory {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `deref`, and we own the region exclusively.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for OolMemory {
    fn drop(&mut self) {
        if self.len > 0 {
            // SAFETY: we own the region.
            unsafe { sys::vm::vm_deallocate(task_self(), self.ptr.as_ptr() as usize, self.len) };
        }
    }
}

impl fmt::Debug for OolMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OolMemory({:p}, {} bytes)", self.ptr, self.len)
    }
}
