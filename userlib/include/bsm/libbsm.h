/* SPDX-License-Identifier: MIT */
/*
 * <bsm/libbsm.h>: the audit_token_t accessors of macOS's libbsm, for the
 * audit trailer of a received message (MACH_RCV_TRAILER_AUDIT).
 *
 * machipc fills the token at send time from the sender's credentials:
 * val[0] audit user id (the real uid), val[1] euid, val[2] egid,
 * val[3] ruid, val[4] rgid, val[5] pid, val[6] audit session id (0),
 * val[7] pid version (0).
 */
#ifndef _BSM_LIBBSM_H_
#define _BSM_LIBBSM_H_

#include <sys/types.h>
#include <mach/message.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t au_id_t;
typedef int32_t au_asid_t;

static inline au_id_t audit_token_to_auid(audit_token_t t) { return t.val[0]; }
static inline uid_t audit_token_to_euid(audit_token_t t) { return (uid_t)t.val[1]; }
static inline gid_t audit_token_to_egid(audit_token_t t) { return (gid_t)t.val[2]; }
static inline uid_t audit_token_to_ruid(audit_token_t t) { return (uid_t)t.val[3]; }
static inline gid_t audit_token_to_rgid(audit_token_t t) { return (gid_t)t.val[4]; }
static inline pid_t audit_token_to_pid(audit_token_t t) { return (pid_t)t.val[5]; }
static inline au_asid_t audit_token_to_asid(audit_token_t t) { return (au_asid_t)t.val[6]; }
static inline int audit_token_to_pidversion(audit_token_t t) { return (int)t.val[7]; }

/* The whole token at once, as macOS's audit_token_to_au32(). */
static inline void audit_token_to_au32(audit_token_t t, uid_t *auidp, uid_t *euidp,
				       gid_t *egidp, uid_t *ruidp, gid_t *rgidp, pid_t *pidp,
				       au_asid_t *asidp, void *tidp)
{
	(void)tidp;
	if (auidp)
		*auidp = audit_token_to_auid(t);
	if (euidp)
		*euidp = audit_token_to_euid(t);
	if (egidp)
		*egidp = audit_token_to_egid(t);
	if (ruidp)
		*ruidp = audit_token_to_ruid(t);
	if (rgidp)
		*rgidp = audit_token_to_rgid(t);
	if (pidp)
		*pidp = audit_token_to_pid(t);
	if (asidp)
		*asidp = audit_token_to_asid(t);
}

#ifdef __cplusplus
}
#endif

#endif /* _BSM_LIBBSM_H_ */
