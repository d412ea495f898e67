/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach_debug/ipc_info.h>: IPC space debugging information.
 */
#ifndef _MACH_DEBUG_IPC_INFO_H_
#define _MACH_DEBUG_IPC_INFO_H_

#include <mach/boolean.h>
#include <mach/port.h>
#include <mach/machine/vm_types.h>

typedef struct ipc_info_space {
	natural_t iis_genno_mask;       /* generation number mask */
	natural_t iis_table_size;       /* size of table */
	natural_t iis_table_next;       /* next possible size of table */
	natural_t iis_tree_size;        /* size of tree (UNUSED) */
	natural_t iis_tree_small;       /* # of small entries in tree (UNUSED) */
	natural_t iis_tree_hash;        /* # of hashed entries in tree (UNUSED) */
} ipc_info_space_t;

typedef struct ipc_info_space_basic {
	natural_t iisb_genno_mask;      /* generation number mask */
	natural_t iisb_table_size;      /* size of table */
	natural_t iisb_table_next;      /* next possible size of table */
	natural_t iisb_table_inuse;     /* number of entries in use */
	natural_t iisb_reserved[2];     /* future expansion */
} ipc_info_space_basic_t;

typedef struct ipc_info_name {
	mach_port_name_t iin_name;      /* port name, including gen number */
	integer_t iin_collision;        /* collision at this entry? (boolean) */
	mach_port_type_t iin_type;      /* straight port type */
	mach_port_urefs_t iin_urefs;    /* user-references */
	natural_t iin_object;           /* object pointer/identifier */
	natural_t iin_next;             /* marequest/next in free list */
	natural_t iin_hash;             /* hash index */
} ipc_info_name_t;

typedef ipc_info_name_t *ipc_info_name_array_t;

/* UNUSED */
typedef struct ipc_info_tree_name {
	ipc_info_name_t iitn_name;
	mach_port_name_t iitn_lchild;   /* name of left child */
	mach_port_name_t iitn_rchild;   /* name of right child */
} ipc_info_tree_name_t;

typedef ipc_info_tree_name_t *ipc_info_tree_name_array_t;

typedef struct ipc_info_port {
	natural_t iip_port_object;      /* port object identifier */
	natural_t iip_receiver_object;  /* receiver task identifier (if any) */
} ipc_info_port_t;

typedef ipc_info_port_t *exception_handler_info_array_t;

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(ipc_info_space_t) == 24, "ipc_info_space_t layout");
_Static_assert(sizeof(ipc_info_space_basic_t) == 24, "ipc_info_space_basic_t layout");
_Static_assert(sizeof(ipc_info_name_t) == 28, "ipc_info_name_t layout");
_Static_assert(sizeof(ipc_info_tree_name_t) == 36, "ipc_info_tree_name_t layout");
#endif

#endif /* _MACH_DEBUG_IPC_INFO_H_ */
