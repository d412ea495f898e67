/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/message.h>: Mach IPC message format, options and return codes.
 * Names, types, values and the LP64 struct layouts follow XNU's
 * osfmk/mach/message.h (user-space view).
 */
#ifndef _MACH_MESSAGE_H_
#define _MACH_MESSAGE_H_

#include <stdint.h>
#include <limits.h>
#include <sys/cdefs.h>
#include <mach/port.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/machine/vm_types.h>

/* Timeouts, in milliseconds (MACH_SEND_TIMEOUT / MACH_RCV_TIMEOUT). */
typedef natural_t mach_msg_timeout_t;

#define MACH_MSG_TIMEOUT_NONE           ((mach_msg_timeout_t) 0)

/* msgh_bits. */
#define MACH_MSGH_BITS_ZERO             0x00000000

#define MACH_MSGH_BITS_REMOTE_MASK      0x0000001f
#define MACH_MSGH_BITS_LOCAL_MASK       0x00001f00
#define MACH_MSGH_BITS_VOUCHER_MASK     0x001f0000

#define MACH_MSGH_BITS_PORTS_MASK               \
	(MACH_MSGH_BITS_REMOTE_MASK |           \
	 MACH_MSGH_BITS_LOCAL_MASK |            \
	 MACH_MSGH_BITS_VOUCHER_MASK)

#define MACH_MSGH_BITS_COMPLEX          0x80000000U     /* message is complex */

#define MACH_MSGH_BITS_USER             0x801f1f1fU     /* allowed bits user->kernel */

#define MACH_MSGH_BITS_RAISEIMP         0x20000000U     /* importance raised due to msg */
#define MACH_MSGH_BITS_DENAP            MACH_MSGH_BITS_RAISEIMP

#define MACH_MSGH_BITS_IMPHOLDASRT      0x10000000U     /* assertion help, userland private */
#define MACH_MSGH_BITS_DENAPHOLDASRT    MACH_MSGH_BITS_IMPHOLDASRT

#define MACH_MSGH_BITS_CIRCULAR         0x10000000U     /* message circular, kernel private */

#define MACH_MSGH_BITS_USED             0xb01f1f1fU

/* setters */
#define MACH_MSGH_BITS(remote, local)  /* legacy */             \
	((remote) | ((local) << 8))
#define MACH_MSGH_BITS_SET_PORTS(remote, local, voucher)        \
	(((remote) & MACH_MSGH_BITS_REMOTE_MASK) |              \
	 (((local) << 8) & MACH_MSGH_BITS_LOCAL_MASK) |         \
	 (((voucher) << 16) & MACH_MSGH_BITS_VOUCHER_MASK))
#define MACH_MSGH_BITS_SET(remote, local, voucher, other)       \
	(MACH_MSGH_BITS_SET_PORTS((remote), (local), (voucher)) \
	 | ((other) &~ MACH_MSGH_BITS_PORTS_MASK))

/* getters */
#define MACH_MSGH_BITS_REMOTE(bits)                             \
	((bits) & MACH_MSGH_BITS_REMOTE_MASK)
#define MACH_MSGH_BITS_LOCAL(bits)                              \
	(((bits) & MACH_MSGH_BITS_LOCAL_MASK) >> 8)
#define MACH_MSGH_BITS_VOUCHER(bits)                            \
	(((bits) & MACH_MSGH_BITS_VOUCHER_MASK) >> 16)
#define MACH_MSGH_BITS_PORTS(bits)                              \
	((bits) & MACH_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_OTHER(bits)                              \
	((bits) &~ MACH_MSGH_BITS_PORTS_MASK)

/* checks */
#define MACH_MSGH_BITS_HAS_REMOTE(bits)                         \
	(MACH_MSGH_BITS_REMOTE(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_LOCAL(bits)                          \
	(MACH_MSGH_BITS_LOCAL(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_VOUCHER(bits)                        \
	(MACH_MSGH_BITS_VOUCHER(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_IS_COMPLEX(bits)                         \
	(((bits) & MACH_MSGH_BITS_COMPLEX) != MACH_MSGH_BITS_ZERO)

/* importance checks */
#define MACH_MSGH_BITS_RAISED_IMPORTANCE(bits)                  \
	(((bits) & MACH_MSGH_BITS_RAISEIMP) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HOLDS_IMPORTANCE_ASSERTION(bits)         \
	(((bits) & MACH_MSGH_BITS_IMPHOLDASRT) != MACH_MSGH_BITS_ZERO)

typedef unsigned int mach_msg_bits_t;
typedef natural_t mach_msg_size_t;
typedef integer_t mach_msg_id_t;

#define MACH_MSG_SIZE_NULL (mach_msg_size_t *) 0

typedef unsigned int mach_msg_priority_t;

#define MACH_MSG_PRIORITY_UNSPECIFIED (mach_msg_priority_t) 0

/* Port right dispositions. */
typedef unsigned int mach_msg_type_name_t;

#define MACH_MSG_TYPE_MOVE_RECEIVE      16      /* Must hold receive right */
#define MACH_MSG_TYPE_MOVE_SEND         17      /* Must hold send right(s) */
#define MACH_MSG_TYPE_MOVE_SEND_ONCE    18      /* Must hold sendonce right */
#define MACH_MSG_TYPE_COPY_SEND         19      /* Must hold send right(s) */
#define MACH_MSG_TYPE_MAKE_SEND         20      /* Must hold receive right */
#define MACH_MSG_TYPE_MAKE_SEND_ONCE    21      /* Must hold receive right */
#define MACH_MSG_TYPE_COPY_RECEIVE      22      /* NOT VALID */
#define MACH_MSG_TYPE_DISPOSE_RECEIVE   24      /* must hold receive right */
#define MACH_MSG_TYPE_DISPOSE_SEND      25      /* must hold send right(s) */
#define MACH_MSG_TYPE_DISPOSE_SEND_ONCE 26      /* must hold sendonce right */

/* Out-of-line copy options. */
typedef unsigned int mach_msg_copy_options_t;

#define MACH_MSG_PHYSICAL_COPY          0
#define MACH_MSG_VIRTUAL_COPY           1
#define MACH_MSG_ALLOCATE               2
#define MACH_MSG_OVERWRITE              3       /* deprecated */

#define MACH_MSG_GUARD_FLAGS_NONE                   0x0000
#define MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE      0x0001
#define MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND      0x0002
#define MACH_MSG_GUARD_FLAGS_MASK                   0x0003
typedef unsigned int mach_msg_guard_flags_t;

/*
 * Descriptors.  In LP64 the descriptor kinds differ in size, so an
 * array of mach_msg_descriptor_t cannot be indexed directly.
 */
typedef unsigned int mach_msg_descriptor_type_t;

#define MACH_MSG_PORT_DESCRIPTOR                0
#define MACH_MSG_OOL_DESCRIPTOR                 1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR           2
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR        3
#define MACH_MSG_GUARDED_PORT_DESCRIPTOR        4

#define MACH_MSG_DESCRIPTOR_MAX MACH_MSG_GUARDED_PORT_DESCRIPTOR

#pragma pack(push, 4)

typedef struct {
	natural_t                     pad1;
	mach_msg_size_t               pad2;
	unsigned int                  pad3 : 24;
	mach_msg_descriptor_type_t    type : 8;
} mach_msg_type_descriptor_t;

typedef struct {
	mach_port_t                   name;
	mach_msg_size_t               pad1;
	unsigned int                  pad2 : 16;
	mach_msg_type_name_t          disposition : 8;
	mach_msg_descriptor_type_t    type : 8;
} mach_msg_port_descriptor_t;

typedef struct {
	uint32_t                      address;
	mach_msg_size_t               size;
	boolean_t                     deallocate: 8;
	mach_msg_copy_options_t       copy: 8;
	unsigned int                  pad1: 8;
	mach_msg_descriptor_type_t    type: 8;
} mach_msg_ool_descriptor32_t;

typedef struct {
	uint64_t                      address;
	boolean_t                     deallocate: 8;
	mach_msg_copy_options_t       copy: 8;
	unsigned int                  pad1: 8;
	mach_msg_descriptor_type_t    type: 8;
	mach_msg_size_t               size;
} mach_msg_ool_descriptor64_t;

typedef struct {
	void*                         address;
#if !defined(__LP64__)
	mach_msg_size_t               size;
#endif
	boolean_t                     deallocate: 8;
	mach_msg_copy_options_t       copy: 8;
	unsigned int                  pad1: 8;
	mach_msg_descriptor_type_t    type: 8;
#if defined(__LP64__)
	mach_msg_size_t               size;
#endif
} mach_msg_ool_descriptor_t;

typedef struct {
	uint32_t                      address;
	mach_msg_size_t               count;
	boolean_t                     deallocate: 8;
	mach_msg_copy_options_t       copy: 8;
	mach_msg_type_name_t          disposition : 8;
	mach_msg_descriptor_type_t    type : 8;
} mach_msg_ool_ports_descriptor32_t;

typedef struct {
	uint64_t                      address;
	boolean_t                     deallocate: 8;
	mach_msg_copy_options_t       copy: 8;
	mach_msg_type_name_t          disposition : 8;
	mach_msg_descriptor_type_t    type : 8;
	mach_msg_size_t               count;
} mach_msg_ool_ports_descriptor64_t;

typedef struct {
	void*                         address;
#if !defined(__LP64__)
	mach_msg_size_t               count;
#endif
	boolean_t                     deallocate: 8;
	mach_msg_copy_options_t       copy: 8;
	mach_msg_type_name_t          disposition : 8;
	mach_msg_descriptor_type_t    type : 8;
#if defined(__LP64__)
	mach_msg_size_t               count;
#endif
} mach_msg_ool_ports_descriptor_t;

typedef struct {
	uint32_t                      context;
	mach_port_name_t              name;
	mach_msg_guard_flags_t        flags : 16;
	mach_msg_type_name_t          disposition : 8;
	mach_msg_descriptor_type_t    type : 8;
} mach_msg_guarded_port_descriptor32_t;

typedef struct {
	uint64_t                      context;
	mach_msg_guard_flags_t        flags : 16;
	mach_msg_type_name_t          disposition : 8;
	mach_msg_descriptor_type_t    type : 8;
	mach_port_name_t              name;
} mach_msg_guarded_port_descriptor64_t;

typedef struct {
	mach_port_context_t           context;
#if !defined(__LP64__)
	mach_port_name_t              name;
#endif
	mach_msg_guard_flags_t        flags : 16;
	mach_msg_type_name_t          disposition : 8;
	mach_msg_descriptor_type_t    type : 8;
#if defined(__LP64__)
	mach_port_name_t              name;
#endif
} mach_msg_guarded_port_descriptor_t;

typedef union {
	mach_msg_port_descriptor_t            port;
	mach_msg_ool_descriptor_t             out_of_line;
	mach_msg_ool_ports_descriptor_t       ool_ports;
	mach_msg_type_descriptor_t            type;
	mach_msg_guarded_port_descriptor_t    guarded_port;
} mach_msg_descriptor_t;

typedef struct {
	mach_msg_size_t msgh_descriptor_count;
} mach_msg_body_t;

#define MACH_MSG_BODY_NULL            ((mach_msg_body_t *) 0)
#define MACH_MSG_DESCRIPTOR_NULL      ((mach_msg_descriptor_t *) 0)

typedef struct {
	mach_msg_bits_t               msgh_bits;
	mach_msg_size_t               msgh_size;
	mach_port_t                   msgh_remote_port;
	mach_port_t                   msgh_local_port;
	mach_port_name_t              msgh_voucher_port;
	mach_msg_id_t                 msgh_id;
} mach_msg_header_t;

#define msgh_reserved                 msgh_voucher_port
#define MACH_MSG_NULL                 ((mach_msg_header_t *) 0)

typedef struct {
	mach_msg_header_t             header;
	mach_msg_body_t               body;
} mach_msg_base_t;

/* Trailers. */
typedef unsigned int mach_msg_trailer_type_t;

#define MACH_MSG_TRAILER_FORMAT_0       0

typedef unsigned int mach_msg_trailer_size_t;
typedef char *mach_msg_trailer_info_t;

typedef struct {
	mach_msg_trailer_type_t       msgh_trailer_type;
	mach_msg_trailer_size_t       msgh_trailer_size;
} mach_msg_trailer_t;

typedef struct {
	mach_msg_trailer_type_t       msgh_trailer_type;
	mach_msg_trailer_size_t       msgh_trailer_size;
	mach_port_seqno_t             msgh_seqno;
} mach_msg_seqno_trailer_t;

typedef struct {
	unsigned int                  val[2];
} security_token_t;

typedef struct {
	mach_msg_trailer_type_t       msgh_trailer_type;
	mach_msg_trailer_size_t       msgh_trailer_size;
	mach_port_seqno_t             msgh_seqno;
	security_token_t              msgh_sender;
} mach_msg_security_trailer_t;

/* Opaque BSM audit token identifying the sender. */
typedef struct {
	unsigned int                  val[8];
} audit_token_t;

#define INVALID_AUDIT_TOKEN_VALUE     {{ \
	UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX, \
	UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX }}

typedef struct {
	mach_msg_trailer_type_t       msgh_trailer_type;
	mach_msg_trailer_size_t       msgh_trailer_size;
	mach_port_seqno_t             msgh_seqno;
	security_token_t              msgh_sender;
	audit_token_t                 msgh_audit;
} mach_msg_audit_trailer_t;

typedef struct {
	mach_msg_trailer_type_t       msgh_trailer_type;
	mach_msg_trailer_size_t       msgh_trailer_size;
	mach_port_seqno_t             msgh_seqno;
	security_token_t              msgh_sender;
	audit_token_t                 msgh_audit;
	mach_port_context_t           msgh_context;
} mach_msg_context_trailer_t;

typedef struct {
	mach_port_name_t sender;
} msg_labels_t;

typedef int mach_msg_filter_id;
#define MACH_MSG_FILTER_POLICY_ALLOW (mach_msg_filter_id)0

/* MAC policy label trailer (the largest, "AV" trailer). */
typedef struct {
	mach_msg_trailer_type_t       msgh_trailer_type;
	mach_msg_trailer_size_t       msgh_trailer_size;
	mach_port_seqno_t             msgh_seqno;
	security_token_t              msgh_sender;
	audit_token_t                 msgh_audit;
	mach_port_context_t           msgh_context;
	mach_msg_filter_id            msgh_ad;
	msg_labels_t                  msgh_labels;
} mach_msg_mac_trailer_t;

#define MACH_MSG_TRAILER_MINIMUM_SIZE  sizeof(mach_msg_trailer_t)

typedef mach_msg_mac_trailer_t mach_msg_max_trailer_t;
#define MAX_TRAILER_SIZE ((mach_msg_size_t)sizeof(mach_msg_max_trailer_t))

/* Legacy: do not extend; compare against REQUESTED_TRAILER_SIZE instead. */
typedef mach_msg_security_trailer_t mach_msg_format_0_trailer_t;

#define MACH_MSG_TRAILER_FORMAT_0_SIZE sizeof(mach_msg_format_0_trailer_t)

#define   KERNEL_SECURITY_TOKEN_VALUE  { {0, 1} }
extern const security_token_t KERNEL_SECURITY_TOKEN;

#define   KERNEL_AUDIT_TOKEN_VALUE  { {0, 0, 0, 0, 0, 0, 0, 0} }
extern const audit_token_t KERNEL_AUDIT_TOKEN;

typedef integer_t mach_msg_options_t;

#define MACH_MSG_HEADER_EMPTY (mach_msg_header_t){ }

typedef struct {
	mach_msg_header_t     header;
} mach_msg_empty_send_t;

typedef struct {
	mach_msg_header_t     header;
	mach_msg_trailer_t    trailer;
} mach_msg_empty_rcv_t;

typedef union {
	mach_msg_empty_send_t send;
	mach_msg_empty_rcv_t  rcv;
} mach_msg_empty_t;

#pragma pack(pop)

/* Round a message size up to a natural_t boundary. */
#define round_msg(x)    (((mach_msg_size_t)(x) + sizeof (natural_t) - 1) & \
	                 ~(sizeof (natural_t) - 1))

/* There is no fixed upper bound to the size of Mach messages. */
#define MACH_MSG_SIZE_MAX       ((mach_msg_size_t) ~0)

/* Sends larger than this may fail unpredictably. */
#define MACH_MSG_SIZE_RELIABLE  ((mach_msg_size_t) 256 * 1024)

/* Compatibility (msgh_kind was renamed msgh_seqno). */
#define MACH_MSGH_KIND_NORMAL           0x00000000
#define MACH_MSGH_KIND_NOTIFICATION     0x00000001
#define msgh_kind                       msgh_seqno
#define mach_msg_kind_t                 mach_port_seqno_t

typedef natural_t mach_msg_type_size_t;
typedef natural_t mach_msg_type_number_t;

/* Right types as received. */
#define MACH_MSG_TYPE_PORT_NONE         0

#define MACH_MSG_TYPE_PORT_NAME         15
#define MACH_MSG_TYPE_PORT_RECEIVE      MACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND         MACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE    MACH_MSG_TYPE_MOVE_SEND_ONCE

#define MACH_MSG_TYPE_LAST              22              /* Last assigned */

#define MACH_MSG_TYPE_POLYMORPHIC       ((mach_msg_type_name_t) -1)

#define MACH_MSG_TYPE_PORT_ANY(x)                       \
	(((x) >= MACH_MSG_TYPE_MOVE_RECEIVE) &&         \
	 ((x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE))

#define MACH_MSG_TYPE_PORT_ANY_SEND(x)                  \
	(((x) >= MACH_MSG_TYPE_MOVE_SEND) &&            \
	 ((x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE))

#define MACH_MSG_TYPE_PORT_ANY_RIGHT(x)                 \
	(((x) >= MACH_MSG_TYPE_MOVE_RECEIVE) &&         \
	 ((x) <= MACH_MSG_TYPE_MOVE_SEND_ONCE))

/* mach_msg() options. */
typedef integer_t mach_msg_option_t;

#define MACH_MSG_OPTION_NONE    0x00000000

#define MACH_SEND_MSG           0x00000001
#define MACH_RCV_MSG            0x00000002

#define MACH_RCV_LARGE          0x00000004      /* report large message sizes */
#define MACH_RCV_LARGE_IDENTITY 0x00000008      /* identify source of large messages */

#define MACH_SEND_TIMEOUT       0x00000010      /* timeout value applies to send */
#define MACH_SEND_OVERRIDE      0x00000020      /* priority override for send */
#define MACH_SEND_INTERRUPT     0x00000040      /* don't restart interrupted sends */
#define MACH_SEND_NOTIFY        0x00000080      /* arm send-possible notify */
#define MACH_SEND_ALWAYS        0x00010000      /* ignore qlimits - kernel only */
#define MACH_SEND_FILTER_NONFATAL 0x00010000    /* filter rejection returns failure - user only */
#define MACH_SEND_TRAILER       0x00020000      /* sender-provided trailer */
#define MACH_SEND_NOIMPORTANCE  0x00040000      /* msg won't carry importance */
#define MACH_SEND_NODENAP       MACH_SEND_NOIMPORTANCE
#define MACH_SEND_IMPORTANCE    0x00080000      /* msg carries importance - kernel only */
#define MACH_SEND_SYNC_OVERRIDE 0x00100000      /* sync IPC override (legacy kernels) */
#define MACH_SEND_PROPAGATE_QOS 0x00200000      /* propagate the caller's QoS */
#define MACH_SEND_SYNC_USE_THRPRI MACH_SEND_PROPAGATE_QOS /* obsolete name */
#define MACH_SEND_KERNEL        0x00400000      /* full send from kernel space - kernel only */
#define MACH_SEND_SYNC_BOOTSTRAP_CHECKIN 0x00800000 /* boost sync bootstrap checkin */

#define MACH_RCV_TIMEOUT        0x00000100      /* timeout value applies to receive */
#define MACH_RCV_NOTIFY         0x00000000      /* legacy name (value was: 0x00000200) */
#define MACH_RCV_INTERRUPT      0x00000400      /* don't restart interrupted receive */
#define MACH_RCV_VOUCHER        0x00000800      /* willing to receive voucher port */
#define MACH_RCV_OVERWRITE      0x00000000      /* scatter receive (deprecated) */
#define MACH_RCV_GUARDED_DESC   0x00001000      /* can receive guarded descriptors */
#define MACH_RCV_SYNC_WAIT      0x00004000      /* sync waiter waiting for rcv */
#define MACH_RCV_SYNC_PEEK      0x00008000      /* sync waiter waiting to peek */

#define MACH_MSG_STRICT_REPLY   0x00000200      /* strict reply-port semantics (send and rcv) */

/* Trailer requests (receive options). */
#define MACH_RCV_TRAILER_NULL   0
#define MACH_RCV_TRAILER_SEQNO  1
#define MACH_RCV_TRAILER_SENDER 2
#define MACH_RCV_TRAILER_AUDIT  3
#define MACH_RCV_TRAILER_CTX    4
#define MACH_RCV_TRAILER_AV     7
#define MACH_RCV_TRAILER_LABELS 8

#define MACH_RCV_TRAILER_TYPE(x)     (((x) & 0xf) << 28)
#define MACH_RCV_TRAILER_ELEMENTS(x) (((x) & 0xf) << 24)
#define MACH_RCV_TRAILER_MASK        ((0xf << 24))

#define GET_RCV_ELEMENTS(y) (((y) >> 24) & 0xf)

#define REQUESTED_TRAILER_SIZE_NATIVE(y)                        \
	((mach_msg_trailer_size_t)                              \
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_NULL) ?      \
	  sizeof(mach_msg_trailer_t) :                          \
	  ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SEQNO) ?    \
	   sizeof(mach_msg_seqno_trailer_t) :                   \
	  ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SENDER) ?   \
	   sizeof(mach_msg_security_trailer_t) :                \
	   ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AUDIT) ?   \
	    sizeof(mach_msg_audit_trailer_t) :                  \
	    ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_CTX) ?    \
	     sizeof(mach_msg_context_trailer_t) :               \
	     ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AV) ?    \
	      sizeof(mach_msg_mac_trailer_t) :                  \
	     sizeof(mach_msg_max_trailer_t))))))))

#define REQUESTED_TRAILER_SIZE(y) REQUESTED_TRAILER_SIZE_NATIVE(y)

/*
 * Return codes.  mach_msg_return_t == kern_return_t.  IPC errors are
 * system 4 (err_mach_ipc); send errors are subsystem 0, receive errors
 * subsystem 1.  MACH_MSG_MASK covers the modifier bits below.
 */
typedef kern_return_t mach_msg_return_t;

#define MACH_MSG_SUCCESS                0x00000000

#define MACH_MSG_MASK                   0x00003e00
#define MACH_MSG_IPC_SPACE              0x00002000      /* no room in IPC name space */
#define MACH_MSG_VM_SPACE               0x00001000      /* no room in VM address space */
#define MACH_MSG_IPC_KERNEL             0x00000800      /* kernel shortage (IPC capability) */
#define MACH_MSG_VM_KERNEL              0x00000400      /* kernel shortage (OOL memory) */

#define MACH_SEND_IN_PROGRESS           0x10000001      /* internal use only */
#define MACH_SEND_INVALID_DATA          0x10000002      /* bogus in-line data */
#define MACH_SEND_INVALID_DEST          0x10000003      /* bogus destination port */
#define MACH_SEND_TIMED_OUT             0x10000004      /* not sent before timeout */
#define MACH_SEND_INVALID_VOUCHER       0x10000005      /* bogus voucher port */
#define MACH_SEND_INTERRUPTED           0x10000007      /* software interrupt */
#define MACH_SEND_MSG_TOO_SMALL         0x10000008      /* data is not a complete message */
#define MACH_SEND_INVALID_REPLY         0x10000009      /* bogus reply port */
#define MACH_SEND_INVALID_RIGHT         0x1000000a      /* bogus port rights in body */
#define MACH_SEND_INVALID_NOTIFY        0x1000000b      /* bogus notify port argument */
#define MACH_SEND_INVALID_MEMORY        0x1000000c      /* invalid OOL memory pointer */
#define MACH_SEND_NO_BUFFER             0x1000000d      /* no message buffer available */
#define MACH_SEND_TOO_LARGE             0x1000000e      /* send is too large for port */
#define MACH_SEND_INVALID_TYPE          0x1000000f      /* invalid msg-type specification */
#define MACH_SEND_INVALID_HEADER        0x10000010      /* bad header field */
#define MACH_SEND_INVALID_TRAILER       0x10000011      /* trailer doesn't match kernel format */
#define MACH_SEND_INVALID_CONTEXT       0x10000012      /* thread context mismatch on dest port */
#define MACH_SEND_INVALID_OPTIONS       0x10000013      /* send options are invalid */
#define MACH_SEND_INVALID_RT_OOL_SIZE   0x10000015      /* compatibility: no longer returned */
#define MACH_SEND_NO_GRANT_DEST         0x10000016      /* dest doesn't accept ports in body */
#define MACH_SEND_MSG_FILTERED          0x10000017      /* rejected by message filter */
#define MACH_SEND_AUX_TOO_SMALL         0x10000018      /* auxiliary data too small */
#define MACH_SEND_AUX_TOO_LARGE         0x10000019      /* auxiliary data too large */

#define MACH_RCV_IN_PROGRESS            0x10004001      /* internal use only */
#define MACH_RCV_INVALID_NAME           0x10004002      /* bogus name for port/port-set */
#define MACH_RCV_TIMED_OUT              0x10004003      /* no message within timeout */
#define MACH_RCV_TOO_LARGE              0x10004004      /* buffer too small for inline data */
#define MACH_RCV_INTERRUPTED            0x10004005      /* software interrupt */
#define MACH_RCV_PORT_CHANGED           0x10004006      /* compatibility: no longer returned */
#define MACH_RCV_INVALID_NOTIFY         0x10004007      /* bogus notify port argument */
#define MACH_RCV_INVALID_DATA           0x10004008      /* bogus buffer for inline data */
#define MACH_RCV_PORT_DIED              0x10004009      /* port/set died during receive */
#define MACH_RCV_IN_SET                 0x1000400a      /* compatibility: no longer returned */
#define MACH_RCV_HEADER_ERROR           0x1000400b      /* error receiving header */
#define MACH_RCV_BODY_ERROR             0x1000400c      /* error receiving body */
#define MACH_RCV_INVALID_TYPE           0x1000400d      /* invalid msg-type in scatter list */
#define MACH_RCV_SCATTER_SMALL          0x1000400e      /* OOL overwrite region too small */
#define MACH_RCV_INVALID_TRAILER        0x1000400f      /* unsupported trailer request */
#define MACH_RCV_IN_PROGRESS_TIMED      0x10004011      /* internal use only */
#define MACH_RCV_INVALID_REPLY          0x10004012      /* invalid reply port (STRICT_REPLY) */
#define MACH_RCV_INVALID_ARGUMENTS      0x10004013      /* invalid receive arguments */

__BEGIN_DECLS

/* Send and/or receive a message, with separate receive buffer. */
extern mach_msg_return_t        mach_msg_overwrite(
	mach_msg_header_t *msg,
	mach_msg_option_t option,
	mach_msg_size_t send_size,
	mach_msg_size_t rcv_size,
	mach_port_name_t rcv_name,
	mach_msg_timeout_t timeout,
	mach_port_name_t notify,
	mach_msg_header_t *rcv_msg,
	mach_msg_size_t rcv_limit);

/* Send and/or receive a message. */
extern mach_msg_return_t        mach_msg(
	mach_msg_header_t *msg,
	mach_msg_option_t option,
	mach_msg_size_t send_size,
	mach_msg_size_t rcv_size,
	mach_port_name_t rcv_name,
	mach_msg_timeout_t timeout,
	mach_port_name_t notify);

/* Drop one send-right reference to a voucher received in a message. */
extern kern_return_t            mach_voucher_deallocate(
	mach_port_name_t voucher);

/* Convenience wrappers (declared by <mach/mach.h> on macOS). */
extern mach_msg_return_t        mach_msg_send(mach_msg_header_t *);
extern mach_msg_return_t        mach_msg_receive(mach_msg_header_t *);
extern void                     mach_msg_destroy(mach_msg_header_t *);

__END_DECLS

/* Layout checks (macOS LP64 ABI). */
#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && defined(__LP64__)
_Static_assert(sizeof(mach_msg_header_t) == 24, "mach_msg_header_t layout");
_Static_assert(sizeof(mach_msg_body_t) == 4, "mach_msg_body_t layout");
_Static_assert(sizeof(mach_msg_base_t) == 28, "mach_msg_base_t layout");
_Static_assert(sizeof(mach_msg_type_descriptor_t) == 12, "mach_msg_type_descriptor_t layout");
_Static_assert(sizeof(mach_msg_port_descriptor_t) == 12, "mach_msg_port_descriptor_t layout");
_Static_assert(sizeof(mach_msg_ool_descriptor_t) == 16, "mach_msg_ool_descriptor_t layout");
_Static_assert(__builtin_offsetof(mach_msg_ool_descriptor_t, size) == 12, "mach_msg_ool_descriptor_t layout");
_Static_assert(sizeof(mach_msg_ool_descriptor32_t) == 12, "mach_msg_ool_descriptor32_t layout");
_Static_assert(sizeof(mach_msg_ool_descriptor64_t) == 16, "mach_msg_ool_descriptor64_t layout");
_Static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == 16, "mach_msg_ool_ports_descriptor_t layout");
_Static_assert(__builtin_offsetof(mach_msg_ool_ports_descriptor_t, count) == 12, "mach_msg_ool_ports_descriptor_t layout");
_Static_assert(sizeof(mach_msg_guarded_port_descriptor_t) == 16, "mach_msg_guarded_port_descriptor_t layout");
_Static_assert(__builtin_offsetof(mach_msg_guarded_port_descriptor_t, name) == 12, "mach_msg_guarded_port_descriptor_t layout");
_Static_assert(sizeof(mach_msg_descriptor_t) == 16, "mach_msg_descriptor_t layout");
_Static_assert(_Alignof(mach_msg_ool_descriptor_t) == 4, "descriptors are 4-byte packed");
_Static_assert(sizeof(security_token_t) == 8, "security_token_t layout");
_Static_assert(sizeof(audit_token_t) == 32, "audit_token_t layout");
_Static_assert(sizeof(mach_msg_trailer_t) == 8, "mach_msg_trailer_t layout");
_Static_assert(sizeof(mach_msg_seqno_trailer_t) == 12, "mach_msg_seqno_trailer_t layout");
_Static_assert(sizeof(mach_msg_security_trailer_t) == 20, "mach_msg_security_trailer_t layout");
_Static_assert(sizeof(mach_msg_audit_trailer_t) == 52, "mach_msg_audit_trailer_t layout");
_Static_assert(sizeof(mach_msg_context_trailer_t) == 60, "mach_msg_context_trailer_t layout");
_Static_assert(__builtin_offsetof(mach_msg_context_trailer_t, msgh_context) == 52, "mach_msg_context_trailer_t layout");
_Static_assert(sizeof(mach_msg_mac_trailer_t) == 68, "mach_msg_mac_trailer_t layout");
_Static_assert(sizeof(mach_msg_max_trailer_t) == 68, "mach_msg_max_trailer_t layout");
_Static_assert(sizeof(mach_msg_empty_rcv_t) == 32, "mach_msg_empty_rcv_t layout");
#endif

#endif /* _MACH_MESSAGE_H_ */
