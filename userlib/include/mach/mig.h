/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mig.h>: what MIG-generated stubs need from the system: the server
 * routine and subsystem descriptions, and the client runtime (reply
 * ports, string copies, allocation). Names, types and layouts follow XNU.
 */
#ifndef _MACH_MIG_H_
#define _MACH_MIG_H_

#include <stdint.h>
#include <sys/cdefs.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/vm_types.h>

#if !defined(__MigTypeCheck)
#if defined(TypeCheck)
#define __MigTypeCheck TypeCheck        /* legacy setting */
#else
#define __MigTypeCheck 1                /* MIG type checking on by default */
#endif
#endif

/* MIG message structs are packed to 4 bytes (XNU's binary layout). */
#define __MigPackStructs 1

/* A server stub: unpacks a request, calls the routine, packs the reply. */
typedef void (*mig_stub_routine_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);

typedef mig_stub_routine_t mig_routine_t;

/* Finds the stub for a request: the subsystem's `<name>_server_routine`. */
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);

/* A server work function (its real signature is the routine's). */
typedef kern_return_t (*mig_impl_routine_t)(void);

typedef mach_msg_type_descriptor_t routine_arg_descriptor;
typedef mach_msg_type_descriptor_t *routine_arg_descriptor_t;
typedef mach_msg_type_descriptor_t *mig_routine_arg_descriptor_t;

#define MIG_ROUTINE_ARG_DESCRIPTOR_NULL ((mig_routine_arg_descriptor_t)0)

struct routine_descriptor {
	mig_impl_routine_t      impl_routine;   /* server work function */
	mig_stub_routine_t      stub_routine;   /* unmarshalling stub */
	unsigned int            argc;           /* arguments of the routine */
	unsigned int            descr_count;    /* complex descriptors */
	routine_arg_descriptor_t arg_descr;     /* descriptor array */
	unsigned int            max_reply_msg;  /* largest reply */
};
typedef struct routine_descriptor *routine_descriptor_t;

typedef struct routine_descriptor mig_routine_descriptor;
typedef mig_routine_descriptor *mig_routine_descriptor_t;

#define MIG_ROUTINE_DESCRIPTOR_NULL ((mig_routine_descriptor_t)0)

/* The prefix every generated `<prefix><name>_subsystem` struct shares. */
typedef struct mig_subsystem {
	mig_server_routine_t    server;         /* demux routine */
	mach_msg_id_t           start;          /* first routine id */
	mach_msg_id_t           end;            /* last routine id + 1 */
	mach_msg_size_t         maxsize;        /* largest reply */
	vm_address_t            reserved;       /* reserved for MIG */
	mig_routine_descriptor  routine[1];     /* routine descriptors */
} *mig_subsystem_t;

#define MIG_SUBSYSTEM_NULL ((mig_subsystem_t)0)

typedef struct mig_symtab {
	char            *ms_routine_name;
	int             ms_routine_number;
	void            (*ms_routine)(void);    /* signature unknown */
} mig_symtab_t;

__BEGIN_DECLS

/* The calling thread's reply port: made on first use, then reused. */
extern mach_port_t mig_get_reply_port(void);

/* Destroys the thread's reply port (a reply may still come to it). */
extern void mig_dealloc_reply_port(mach_port_t reply_port);

/* Gives the reply port back after a call that did not use it. */
extern void mig_put_reply_port(mach_port_t reply_port);

/*
 * Copies at most len - 1 characters of src and a terminating NUL; returns
 * the length copied including the NUL (0 if len is 0).
 */
extern int mig_strncpy(char *dest, const char *src, int len);

/* As mig_strncpy, and zero-fills dest up to len bytes. */
extern int mig_strncpy_zerofill(char *dest, const char *src, int len);

/* Anonymous zeroed memory in the caller's space (vm_allocate). */
extern void mig_allocate(vm_address_t *addr, vm_size_t size);

extern void mig_deallocate(vm_address_t addr, vm_size_t size);

__END_DECLS

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && defined(__LP64__)
_Static_assert(sizeof(struct routine_descriptor) == 40, "routine_descriptor layout");
_Static_assert(__builtin_offsetof(struct mig_subsystem, routine) == 32, "mig_subsystem layout");
#endif

#endif /* _MACH_MIG_H_ */
