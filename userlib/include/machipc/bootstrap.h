/* SPDX-License-Identifier: MIT */
/*
 * machipc extensions of the bootstrap interface: the counts
 * machipc-bootstrapd reports about itself, and the message a private
 * instance of it sends to announce its port.
 */
#ifndef _MACHIPC_BOOTSTRAP_H
#define _MACHIPC_BOOTSTRAP_H

#include <stdint.h>
#include <mach/message.h>
#include <servers/bootstrap.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What a bootstrap server holds, as machipc_bootstrap_counts() reports
 * it. Fields the server does not report are 0.
 */
typedef struct machipc_bootstrap_counts {
	uint64_t names;                 /* names in every namespace */
	uint64_t names_active;          /* of which served by a live server */
	uint64_t names_per_pid;         /* of which per-pid names */
	uint64_t bootstraps;            /* namespaces: the root and every subset */
	uint64_t servers;               /* bootstrap_create_server() servers */
	uint64_t servers_running;       /* of which running now */
	uint64_t port_names;            /* names in the server's own IPC space */
	uint64_t receive_rights;        /* of which: with a receive right */
	uint64_t send_rights;           /* with a send right but no receive right */
	uint64_t send_once_rights;
	uint64_t dead_names;
	uint64_t port_sets;
	uint64_t tracked_ports;         /* ports it holds for names and subsets */
	uint64_t bytes;                 /* memory charged to all uids */
	uint64_t uids;                  /* uids with memory charged */
	uint64_t caller_bytes;          /* charged to the caller's uid */
	uint64_t caller_names;          /* names the caller's uid owns */
	uint64_t limit_bytes_per_uid;
	uint64_t limit_names_per_uid;
	uint64_t requests;              /* requests served since it started */
	uint64_t refused_no_memory;     /* of which refused with BOOTSTRAP_NO_MEMORY */
	uint64_t notifications;         /* notifications received */
	uint64_t launches;              /* server processes started */
} machipc_bootstrap_counts_t;

/* How many uint64_t the protocol carries at most, and their array. */
#define MACHIPC_BOOTSTRAP_COUNTS_MAX 32
typedef uint64_t *machipc_bootstrap_counts_array_t;

/* The counts of the bootstrap server behind bp. */
kern_return_t machipc_bootstrap_counts(mach_port_t bp, machipc_bootstrap_counts_t *counts);

/*
 * A private instance (machipc-bootstrapd --announce) sends its bootstrap
 * port to the bootstrap port it inherited in a message with this id and
 * one port descriptor (a send right); see machipc_bootstrap_announce_t.
 */
#define MACHIPC_BOOTSTRAP_ANNOUNCE_ID 0x6d627331 /* "mbs1" */

typedef struct {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
} machipc_bootstrap_announce_t;

#ifdef __cplusplus
}
#endif

#endif /* _MACHIPC_BOOTSTRAP_H */
