/* SPDX-License-Identifier: MIT */
/*
 * Mach error strings: mach_error_string(), mach_error_type(), mach_error(),
 * modelled on the error tables of macOS's libsystem_kernel.  Also defines
 * NDR_record, the NDR description of this machine used by MIG messages,
 * and vprintf_stderr_func, the output function of mach_error() (as
 * libsystem_kernel: NULL means vfprintf to stderr).
 */
#include <stdarg.h>
#include <stdio.h>

#include <mach/error.h>
#include <mach/kern_return.h>
#include <mach/mach_error.h>
#include <mach/mach_init.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>

NDR_record_t NDR_record = {
	0,                      /* mig_vers */
	0,                      /* if_vers */
	0,                      /* reserved1 */
	0,                      /* mig_encoding */
	NDR_INT_LITTLE_ENDIAN,  /* int_rep */
	NDR_CHAR_ASCII,         /* char_rep */
	NDR_FLOAT_IEEE,         /* float_rep */
	0,                      /* reserved2 */
};

int (*vprintf_stderr_func)(const char *format, va_list ap);

__attribute__((__format__(__printf__, 1, 2)))
static void print_stderr(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	if (vprintf_stderr_func)
		vprintf_stderr_func(format, ap);
	else
		vfprintf(stderr, format, ap);
	va_end(ap);
}

#define NO_SUCH_ERROR   "unknown error code"

#define COUNT(a)        ((int)(sizeof(a) / sizeof((a)[0])))

/* err_kern, subsystem 0: KERN_* */
static const char *const err_codes_kern[] = {
	"(os/kern) successful",                 /* 0 */
	"(os/kern) invalid address",
	"(os/kern) protection failure",
	"(os/kern) no space available",
	"(os/kern) invalid argument",
	"(os/kern) failure",                    /* 5 */
	"(os/kern) resource shortage",
	"(os/kern) not receiver",
	"(os/kern) no access",
	"(os/kern) memory failure",
	"(os/kern) memory error",               /* 10 */
	"(os/kern) already in set",
	"(os/kern) not in set",
	"(os/kern) name exists",
	"(os/kern) aborted",
	"(os/kern) invalid name",               /* 15 */
	"(os/kern) invalid task",
	"(os/kern) invalid right",
	"(os/kern) invalid value",
	"(os/kern) urefs overflow",
	"(os/kern) invalid capability",         /* 20 */
	"(os/kern) right exists",
	"(os/kern) invalid host",
	"(os/kern) memory present",
	"(os/kern) memory data moved",
	"(os/kern) memory restart copy",        /* 25 */
	"(os/kern) invalid processor set",
	"(os/kern) policy limit",
	"(os/kern) invalid policy",
	"(os/kern) invalid object",
	"(os/kern) already waiting",            /* 30 */
	"(os/kern) default set",
	"(os/kern) exception protected",
	"(os/kern) invalid ledger",
	"(os/kern) invalid memory control",
	"(os/kern) invalid security",           /* 35 */
	"(os/kern) not depressed",
	"(os/kern) object terminated",
	"(os/kern) lock set destroyed",
	"(os/kern) lock unstable",
	"(os/kern) lock owned by another",      /* 40 */
	"(os/kern) lock owned by self",
	"(os/kern) semaphore destroyed",
	"(os/kern) RPC terminated",
	"(os/kern) terminate orphan",
	"(os/kern) let orphan continue",        /* 45 */
	"(os/kern) service not supported",
	"(os/kern) remote node down",
	"(os/kern) thread not waiting",
	"(os/kern) operation timed out",
	"(os/kern) code signing error",         /* 50 */
	"(os/kern) policy is static",
	"(os/kern) insufficient input buffer size",
	"(os/kern) denied by security policy",
	"(os/kern) missing kernel collection",
	"(os/kern) invalid kernel collection",  /* 55 */
	"(os/kern) result not found",
};

/* err_mach_ipc, subsystem 0: MACH_SEND_* (code & ~MACH_MSG_MASK) */
static const char *const err_codes_mach_send[] = {
	/* 0x00 */ "(ipc/send) no error",
	/* 0x01 */ "(ipc/send) send in progress",
	/* 0x02 */ "(ipc/send) invalid data",
	/* 0x03 */ "(ipc/send) invalid destination port",
	/* 0x04 */ "(ipc/send) timed out",
	/* 0x05 */ "(ipc/send) invalid voucher",
	/* 0x06 */ "(ipc/send) notify in progress",
	/* 0x07 */ "(ipc/send) interrupted",
	/* 0x08 */ "(ipc/send) msg too small",
	/* 0x09 */ "(ipc/send) invalid reply port",
	/* 0x0a */ "(ipc/send) invalid port right",
	/* 0x0b */ "(ipc/send) invalid notify port",
	/* 0x0c */ "(ipc/send) invalid memory",
	/* 0x0d */ "(ipc/send) no msg buffer",
	/* 0x0e */ "(ipc/send) msg too large",
	/* 0x0f */ "(ipc/send) invalid msg-type",
	/* 0x10 */ "(ipc/send) invalid msg-header",
	/* 0x11 */ "(ipc/send) invalid msg-trailer",
	/* 0x12 */ "(ipc/send) invalid context for reply",
	/* 0x13 */ "(ipc/send) invalid send options",
	/* 0x14 */ NULL,
	/* 0x15 */ "(ipc/send) out-of-line buffer too large",
	/* 0x16 */ "(ipc/send) destination does not accept port rights",
	/* 0x17 */ "(ipc/send) message filtered",
	/* 0x18 */ "(ipc/send) auxiliary data too small",
	/* 0x19 */ "(ipc/send) auxiliary data too large",
};

/* err_mach_ipc, subsystem 1: MACH_RCV_* (code & ~MACH_MSG_MASK) */
static const char *const err_codes_mach_rcv[] = {
	/* 0x00 */ "(ipc/rcv) no error",
	/* 0x01 */ "(ipc/rcv) receive in progress",
	/* 0x02 */ "(ipc/rcv) invalid name",
	/* 0x03 */ "(ipc/rcv) timed out",
	/* 0x04 */ "(ipc/rcv) msg too large",
	/* 0x05 */ "(ipc/rcv) interrupted",
	/* 0x06 */ "(ipc/rcv) port changed",
	/* 0x07 */ "(ipc/rcv) invalid notify port",
	/* 0x08 */ "(ipc/rcv) invalid data",
	/* 0x09 */ "(ipc/rcv) port died",
	/* 0x0a */ "(ipc/rcv) port in set",
	/* 0x0b */ "(ipc/rcv) header error",
	/* 0x0c */ "(ipc/rcv) body error",
	/* 0x0d */ "(ipc/rcv) invalid scatter list entry",
	/* 0x0e */ "(ipc/rcv) overwrite region too small",
	/* 0x0f */ "(ipc/rcv) invalid msg-trailer",
	/* 0x10 */ NULL,
	/* 0x11 */ "(ipc/rcv) receive in progress (timed)",
	/* 0x12 */ "(ipc/rcv) invalid reply port",
	/* 0x13 */ "(ipc/rcv) invalid receive arguments",
};

/* err_mach_ipc, subsystem 2: MIG_* (-300 - code) */
static const char *const err_codes_mach_mig[] = {
	/* 0 */ "(ipc/mig) client type check failure",
	/* 1 */ "(ipc/mig) wrong reply message ID",
	/* 2 */ "(ipc/mig) server detected error",
	/* 3 */ "(ipc/mig) bad request message ID",
	/* 4 */ "(ipc/mig) server type check failure",
	/* 5 */ "(ipc/mig) no reply should be sent",
	/* 6 */ "(ipc/mig) server raised exception",
	/* 7 */ "(ipc/mig) array not large enough",
	/* 8 */ "(ipc/mig) server died",
	/* 9 */ "(ipc/mig) unknown trailer format",
};

/* err_ipc (old-style IPC errors, -100.. and -200..). */
static const char *const err_codes_ipc_send[] = {
	"(ipc/send) unknown error",             /* -100 */
	"(ipc/send) invalid memory",            /* -101 */
	"(ipc/send) invalid port",              /* -102 */
	"(ipc/send) timed out",                 /* -103 */
	"(ipc/send) unused error",              /* -104 */
	"(ipc/send) will notify",               /* -105 */
	"(ipc/send) notify in progress",        /* -106 */
	"(ipc/send) kernel refused message",    /* -107 */
	"(ipc/send) send interrupted",          /* -108 */
	"(ipc/send) send message too large",    /* -109 */
	"(ipc/send) send message too small",    /* -110 */
	"(ipc/send) message size changed while being copied", /* -111 */
};

static const char *const err_codes_ipc_rcv[] = {
	"(ipc/rcv) unknown error",              /* -200 */
	"(ipc/rcv) invalid memory",             /* -201 */
	"(ipc/rcv) invalid port",               /* -202 */
	"(ipc/rcv) receive timed out",          /* -203 */
	"(ipc/rcv) message too large",          /* -204 */
	"(ipc/rcv) no space for message data",  /* -205 */
	"(ipc/rcv) only sender remaining",      /* -206 */
	"(ipc/rcv) receive interrupted",        /* -207 */
	"(ipc/rcv) port receiver changed or port became enabled", /* -208 */
};

struct error_subsystem {
	const char              *subsys_name;
	int                     max_code;
	const char *const       *codes;
	int                     code_mask;      /* bits of the code to ignore */
};

struct error_system {
	int                             max_sub;
	const char                      *bad_sub;
	const struct error_subsystem    *subsystem;
};

static const struct error_subsystem err_os_sub[] = {
	{ "(os/kern)", COUNT(err_codes_kern), err_codes_kern, 0 },
	{ "(os/?)", 0, NULL, 0 },
	{ "(os/?)", 0, NULL, 0 },
	{ "(os/unix)", 0, NULL, 0 },
};

static const struct error_subsystem err_ipc_sub[] = {
	{ "(ipc/send)", COUNT(err_codes_ipc_send), err_codes_ipc_send, 0 },
	{ "(ipc/rcv)", COUNT(err_codes_ipc_rcv), err_codes_ipc_rcv, 0 },
	{ "(ipc/mig)", COUNT(err_codes_mach_mig), err_codes_mach_mig, 0 },
};

static const struct error_subsystem err_mach_ipc_sub[] = {
	{ "(ipc/send)", COUNT(err_codes_mach_send), err_codes_mach_send, MACH_MSG_MASK },
	{ "(ipc/rcv)", COUNT(err_codes_mach_rcv), err_codes_mach_rcv, MACH_MSG_MASK },
	{ "(ipc/mig)", COUNT(err_codes_mach_mig), err_codes_mach_mig, 0 },
};

static const struct error_system mach_errors[err_max_system + 1] = {
	[0x0] = { COUNT(err_os_sub), "(operating system/?) unknown subsystem error", err_os_sub },
	[0x1] = { 0, "(user space/?) unknown subsystem error", NULL },
	[0x2] = { 0, "(server/?) unknown subsystem error", NULL },
	[0x3] = { COUNT(err_ipc_sub), "(ipc/?) unknown subsystem error", err_ipc_sub },
	[0x4] = { COUNT(err_mach_ipc_sub), "(ipc/?) unknown subsystem error", err_mach_ipc_sub },
};

/* Map old-style negative error numbers to system/subsystem form. */
static mach_error_t
do_compat(mach_error_t err)
{
	if (-200 < err && err <= -100) {
		err = -(err + 100) | err_ipc | err_sub(0);
	} else if (-300 < err && err <= -200) {
		err = -(err + 200) | err_ipc | err_sub(1);
	} else if (-400 < err && err <= -300) {
		err = -(err + 300) | err_mach_ipc | err_sub(2);
	}
	return err;
}

/* *known is set if err names a defined code. */
static const char *
error_string(mach_error_t err, int *known)
{
	int system, sub, code;
	const struct error_system *es;
	const struct error_subsystem *ss;

	err = do_compat(err);
	system = err_get_system(err);
	sub = err_get_sub(err);
	code = err_get_code(err);
	*known = 0;

	es = &mach_errors[system];
	if (es->bad_sub == NULL) {
		return "(?/?) unknown error system";
	}
	if (sub >= es->max_sub) {
		return es->bad_sub;
	}
	ss = &es->subsystem[sub];
	code &= ~ss->code_mask;
	if (code >= ss->max_code || ss->codes[code] == NULL) {
		return NO_SUCH_ERROR;
	}
	*known = 1;
	return ss->codes[code];
}

char *
mach_error_string(mach_error_t error_value)
{
	int known;

	return (char *)error_string(error_value, &known);
}

char *
mach_error_type(mach_error_t error_value)
{
	const struct error_system *es;
	mach_error_t err = do_compat(error_value);
	int system = err_get_system(err);
	int sub = err_get_sub(err);

	es = &mach_errors[system];
	if (es->bad_sub == NULL || sub >= es->max_sub) {
		return (char *)"(?/?)";
	}
	return (char *)es->subsystem[sub].subsys_name;
}

void
mach_error(const char *str, mach_error_t error_value)
{
	int known;
	const char *msg = error_string(error_value, &known);

	if (str == NULL) {
		str = "";
	}
	if (known) {
		print_stderr("%s %s\n", str, msg);
	} else {
		print_stderr("%s %s %s (%x)\n", str, mach_error_type(error_value),
		    msg, (unsigned int)error_value);
	}
}
