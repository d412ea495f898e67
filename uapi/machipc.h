/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * machipc: Mach IPC for Linux -- the ioctl ABI of /dev/mach.
 *
 * This header is the single source of truth for the ABI. The kernel module
 * generates its Rust view of it with bindgen at build time and asserts that
 * its own mirror structs have the same size and field offsets.
 *
 * Rules: every struct has a fixed layout on 64-bit (explicit padding, no
 * implicit holes, sizes a multiple of 8), user pointers are __u64, every
 * ioctl is _IOWR on magic MACHIPC_IOC_MAGIC. An ioctl returns 0 when it ran
 * (the Mach result, KERN_SUCCESS or an error code, is in the struct's
 * `kr` field), or -1 with errno for a broken ioctl argument:
 * EFAULT (bad user pointer), EINVAL (malformed struct, non-zero reserved
 * field), ENOTTY (unknown ioctl), EPERM (the file belongs to another process).
 */
#ifndef _UAPI_MACHIPC_H
#define _UAPI_MACHIPC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped on every incompatible change of this header. */
#define MACHIPC_ABI_VERSION 1

#define MACHIPC_IOC_MAGIC 0xB9

#define MACHIPC_DEVICE "/dev/mach"

/*
 * MACHIPC_IOC_VERSION: ABI handshake.
 * in:  abi_version = the caller's MACHIPC_ABI_VERSION.
 * out: abi_version = the module's MACHIPC_ABI_VERSION,
 *      compatible = 1 if the caller's version is one the module serves.
 */
struct machipc_version {
	__u32 abi_version;
	__u32 compatible;
	__u64 reserved[2];
};

#define MACHIPC_IOC_NR_VERSION 0x00

#define MACHIPC_IOC_VERSION \
	_IOWR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_VERSION, struct machipc_version)

#endif /* _UAPI_MACHIPC_H */
