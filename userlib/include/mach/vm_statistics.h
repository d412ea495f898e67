/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/vm_statistics.h>: the virtual memory statistics of
 * host_statistics / host_statistics64 (in pages, as XNU counts them),
 * the external-modification and purgeable counters, and the VM allocation
 * flags (VM_FLAGS_*) and tags.
 */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#include <stdint.h>
#include <mach/machine/vm_types.h>

/* HOST_VM_INFO: 32-bit counters, truncated when larger. */
struct vm_statistics {
	natural_t       free_count;             /* pages free */
	natural_t       active_count;           /* pages active */
	natural_t       inactive_count;         /* pages inactive */
	natural_t       wire_count;             /* pages wired down */
	natural_t       zero_fill_count;        /* zero-fill faults */
	natural_t       reactivations;          /* pages reactivated */
	natural_t       pageins;                /* page-ins */
	natural_t       pageouts;               /* page-outs */
	natural_t       faults;                 /* faults */
	natural_t       cow_faults;             /* copy-on-write faults */
	natural_t       lookups;                /* object cache lookups */
	natural_t       hits;                   /* object cache hits */

	/* revision 1 */
	natural_t       purgeable_count;        /* pages purgeable */
	natural_t       purges;                 /* pages purged */

	/* revision 2: "free" pages holding data read ahead, not used yet */
	natural_t       speculative_count;
};

typedef struct vm_statistics    *vm_statistics_t;
typedef struct vm_statistics    vm_statistics_data_t;

/* HOST_VM_INFO64: the event counters are 64-bit. */
struct vm_statistics64 {
	natural_t       free_count;             /* pages free */
	natural_t       active_count;           /* pages active */
	natural_t       inactive_count;         /* pages inactive */
	natural_t       wire_count;             /* pages wired down */
	uint64_t        zero_fill_count;        /* zero-fill faults */
	uint64_t        reactivations;          /* pages reactivated */
	uint64_t        pageins;                /* page-ins */
	uint64_t        pageouts;               /* page-outs */
	uint64_t        faults;                 /* faults */
	uint64_t        cow_faults;             /* copy-on-write faults */
	uint64_t        lookups;                /* object cache lookups */
	uint64_t        hits;                   /* object cache hits */
	uint64_t        purges;                 /* pages purged */
	natural_t       purgeable_count;        /* pages purgeable */
	natural_t       speculative_count;      /* "free" pages read ahead */

	/* revision 1 */
	uint64_t        decompressions;         /* pages decompressed */
	uint64_t        compressions;           /* pages compressed */
	uint64_t        swapins;                /* pages swapped in */
	uint64_t        swapouts;               /* pages swapped out */
	natural_t       compressor_page_count;  /* pages holding compressed data */
	natural_t       throttled_count;        /* pages throttled */
	natural_t       external_page_count;    /* file-backed pages */
	natural_t       internal_page_count;    /* anonymous pages */
	uint64_t        total_uncompressed_pages_in_compressor;
} __attribute__((aligned(8)));

typedef struct vm_statistics64  *vm_statistics64_t;
typedef struct vm_statistics64  vm_statistics64_data_t;

/* How the 64-bit counters are reported in a vm_statistics. */
#define VM_STATISTICS_TRUNCATE_TO_32_BIT(value) \
	((uint32_t)(((value) > UINT32_MAX) ? UINT32_MAX : (value)))

/* HOST_EXTMOD_INFO64 / TASK_EXTMOD_INFO: modifications by other tasks. */
struct vm_extmod_statistics {
	int64_t task_for_pid_count;             /* task port looked up */
	int64_t task_for_pid_caller_count;      /* task_for_pid calls made */
	int64_t thread_creation_count;          /* threads created in the task */
	int64_t thread_creation_caller_count;   /* threads created by the task */
	int64_t thread_set_state_count;         /* register sets in the task */
	int64_t thread_set_state_caller_count;  /* register sets by the task */
} __attribute__((aligned(8)));

typedef struct vm_extmod_statistics     *vm_extmod_statistics_t;
typedef struct vm_extmod_statistics     vm_extmod_statistics_data_t;

typedef struct vm_purgeable_stat {
	uint64_t        count;
	uint64_t        size;
} vm_purgeable_stat_t;

struct vm_purgeable_info {
	vm_purgeable_stat_t fifo_data[8];
	vm_purgeable_stat_t obsolete_data;
	vm_purgeable_stat_t lifo_data[8];
};

typedef struct vm_purgeable_info        *vm_purgeable_info_t;

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct vm_statistics) == 60, "vm_statistics layout");
_Static_assert(sizeof(struct vm_statistics64) == 152, "vm_statistics64 layout");
_Static_assert(__builtin_offsetof(struct vm_statistics64, purgeable_count) == 88 &&
	       __builtin_offsetof(struct vm_statistics64, decompressions) == 96 &&
	       __builtin_offsetof(struct vm_statistics64, total_uncompressed_pages_in_compressor) == 144,
	       "vm_statistics64 layout");
#endif

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
