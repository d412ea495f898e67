/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mig_errors.h>: MIG error codes, the generic MIG error reply and
 * mig_reply_setup().
 */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <sys/cdefs.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/message.h>
#include <mach/kern_return.h>

/*
 * These should have been system 4, subsystem 2, but backwards
 * compatibility keeps them as small negative numbers.
 */
#define MIG_TYPE_ERROR          -300    /* client type check failure */
#define MIG_REPLY_MISMATCH      -301    /* wrong reply message ID */
#define MIG_REMOTE_ERROR        -302    /* server detected error */
#define MIG_BAD_ID              -303    /* bad request message ID */
#define MIG_BAD_ARGUMENTS       -304    /* server type check failure */
#define MIG_NO_REPLY            -305    /* no reply should be send */
#define MIG_EXCEPTION           -306    /* server raised exception */
#define MIG_ARRAY_TOO_LARGE     -307    /* array not large enough */
#define MIG_SERVER_DIED         -308    /* server died */
#define MIG_TRAILER_ERROR       -309    /* trailer has an unknown format */

/* Generic reply MIG sends when it detects an error. */
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t       Head;
	NDR_record_t            NDR;
	kern_return_t           RetCode;
} mig_reply_error_t;
#pragma pack(pop)

__BEGIN_DECLS

#if !defined(__NDR_convert__mig_reply_error_t__defined)
#define __NDR_convert__mig_reply_error_t__defined

static __inline__ void
__NDR_convert__mig_reply_error_t(__attribute__((__unused__)) mig_reply_error_t *x)
{
#if defined(__NDR_convert__int_rep__kern_return_t__defined)
	if (x->NDR.int_rep != NDR_record.int_rep) {
		__NDR_convert__int_rep__kern_return_t(&x->RetCode, x->NDR.int_rep);
	}
#endif
}
#endif /* !defined(__NDR_convert__mig_reply_error_t__defined) */

/* Fills in a reply header for request: a MIG_BAD_ID error reply. */
extern void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply);

__END_DECLS

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(mig_reply_error_t) == 36, "mig_reply_error_t layout");
_Static_assert(__builtin_offsetof(mig_reply_error_t, RetCode) == 32, "mig_reply_error_t layout");
#endif

#endif /* _MACH_MIG_ERRORS_H_ */
