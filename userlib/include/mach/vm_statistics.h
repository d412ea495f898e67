/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/vm_statistics.h>: VM allocation flags (VM_FLAGS_*) and tags.
 * Only the allocation-flag part of XNU's header is provided.
 */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#define VM_FLAGS_FIXED                  0x0000
#define VM_FLAGS_ANYWHERE               0x0001
#define VM_FLAGS_PURGABLE               0x0002
#define VM_FLAGS_4GB_CHUNK              0x0004
#define VM_FLAGS_RANDOM_ADDR            0x0008
#define VM_FLAGS_NO_CACHE               0x0010
#define VM_FLAGS_RESILIENT_CODESIGN     0x0020
#define VM_FLAGS_RESILIENT_MEDIA        0x0040
#define VM_FLAGS_PERMANENT              0x0080
#define VM_FLAGS_OVERWRITE              0x4000  /* delete any existing mappings first */
#define VM_FLAGS_SUPERPAGE_MASK         0x70000 /* bits 0x10000, 0x20000, 0x40000 */
#define VM_FLAGS_RETURN_DATA_ADDR       0x100000 /* return address of target data */
#define VM_FLAGS_RETURN_4K_DATA_ADDR    0x800000 /* return 4K aligned address */
#define VM_FLAGS_ALIAS_MASK             0xFF000000
#define VM_GET_FLAGS_ALIAS(flags, alias)                        \
	(alias) = ((flags) & VM_FLAGS_ALIAS_MASK) >> 24
#define VM_SET_FLAGS_ALIAS(flags, alias)                        \
	(flags) = (((flags) & ~VM_FLAGS_ALIAS_MASK) |           \
	(((alias) & ~VM_FLAGS_ALIAS_MASK) << 24))

/* Superpages. */
#define SUPERPAGE_NONE                  0
#define SUPERPAGE_SIZE_ANY              1
#define SUPERPAGE_SIZE_2MB              2
#define VM_FLAGS_SUPERPAGE_SHIFT        16
#define VM_FLAGS_SUPERPAGE_NONE         (SUPERPAGE_NONE << VM_FLAGS_SUPERPAGE_SHIFT)
#define VM_FLAGS_SUPERPAGE_SIZE_ANY     (SUPERPAGE_SIZE_ANY << VM_FLAGS_SUPERPAGE_SHIFT)
#define VM_FLAGS_SUPERPAGE_SIZE_2MB     (SUPERPAGE_SIZE_2MB << VM_FLAGS_SUPERPAGE_SHIFT)

#define VM_FLAGS_USER_ALLOCATE  (VM_FLAGS_FIXED |               \
	                         VM_FLAGS_ANYWHERE |            \
	                         VM_FLAGS_PURGABLE |            \
	                         VM_FLAGS_4GB_CHUNK |           \
	                         VM_FLAGS_RANDOM_ADDR |         \
	                         VM_FLAGS_NO_CACHE |            \
	                         VM_FLAGS_PERMANENT |           \
	                         VM_FLAGS_OVERWRITE |           \
	                         VM_FLAGS_SUPERPAGE_MASK |      \
	                         VM_FLAGS_ALIAS_MASK)
#define VM_FLAGS_USER_MAP       (VM_FLAGS_USER_ALLOCATE |       \
	                         VM_FLAGS_RETURN_4K_DATA_ADDR | \
	                         VM_FLAGS_RETURN_DATA_ADDR)
#define VM_FLAGS_USER_REMAP     (VM_FLAGS_FIXED |               \
	                         VM_FLAGS_ANYWHERE |            \
	                         VM_FLAGS_RANDOM_ADDR |         \
	                         VM_FLAGS_OVERWRITE |           \
	                         VM_FLAGS_RETURN_DATA_ADDR |    \
	                         VM_FLAGS_RESILIENT_CODESIGN |  \
	                         VM_FLAGS_RESILIENT_MEDIA)

/* User memory tags, usable with VM_MAKE_TAG() in the flags argument. */
#define VM_MAKE_TAG(tag) ((tag) << 24)

#define VM_MEMORY_MALLOC                1
#define VM_MEMORY_MALLOC_SMALL          2
#define VM_MEMORY_MALLOC_LARGE          3
#define VM_MEMORY_MALLOC_HUGE           4
#define VM_MEMORY_SBRK                  5
#define VM_MEMORY_REALLOC               6
#define VM_MEMORY_MALLOC_TINY           7
#define VM_MEMORY_MACH_MSG              20
#define VM_MEMORY_IOKIT                 21
#define VM_MEMORY_STACK                 30
#define VM_MEMORY_GUARD                 31
#define VM_MEMORY_APPLICATION_SPECIFIC_1  240
#define VM_MEMORY_APPLICATION_SPECIFIC_16 255

#endif /* _MACH_VM_STATISTICS_H_ */
