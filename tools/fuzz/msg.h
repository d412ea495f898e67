/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machipc-fuzz: building and parsing 64-bit Mach messages byte by byte
 * (descriptors are written field by field, so that any value -- including
 * ones the C bitfields would truncate -- can be sent).
 */
#ifndef MACHIPC_FUZZ_MSG_H
#define MACHIPC_FUZZ_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

/* Message ids of the fuzzer's own protocol (hub and workers). */
#define HELLO_ID 0x68656c6f /* "helo": [inbox send right, task port] */
#define INTRO_ID 0x696e7472 /* "intr": pairs [inbox, task] of other processes */
#define PASS_ID 0x70617373  /* "pass": rights for whoever gets it */
#define BIG_ID 0x62696721   /* "big!" */

/*
 * The zone: a part of the address space the fuzzer reserves for memory it
 * hands to the kernel. Fixtures (bad pointers) at its start, then one
 * ZONE_PER_THREAD part per thread for per-operation scratch mappings. The
 * kernel's own mappings (received out-of-line memory) are placed top-down
 * from mmap_base and never land here.
 */
#define ZONE_BASE 0x100000000000ULL
#define ZONE_PER_THREAD (16ULL << 30)
#define ZONE_SIZE ((MAX_THREADS + 1) * ZONE_PER_THREAD)
#define FX_GUARD_LEN 65536u
#define FX_LEN (FX_GUARD_LEN + 5 * 4096u)

struct msg_builder {
	uint8_t *buf;
	size_t cap, len;
	bool complex;
	bool full;
};

void mb_begin(struct msg_builder *b, uint8_t *buf, size_t cap);
void mb_header(struct msg_builder *b, uint32_t bits, uint32_t remote, uint32_t local,
	       uint32_t voucher, int32_t id);
void mb_body(struct msg_builder *b, uint32_t count);
bool mb_port(struct msg_builder *b, uint32_t name, uint8_t disposition, uint32_t pad);
bool mb_ool(struct msg_builder *b, uint64_t addr, uint32_t size, bool dealloc, uint8_t copy,
	    uint8_t type);
bool mb_ool_ports(struct msg_builder *b, uint64_t addr, uint32_t count, bool dealloc, uint8_t copy,
		  uint8_t disposition);
bool mb_raw_desc(struct msg_builder *b, uint8_t type, uint32_t name, uint8_t disposition,
		 uint64_t context);
void mb_ndr(struct msg_builder *b);
void mb_u32(struct msg_builder *b, uint32_t v);
void mb_data(struct msg_builder *b, size_t n, struct rng *r);
/* Sets msgh_size (sometimes misaligned if r is given); the size. */
uint32_t mb_end(struct msg_builder *b, struct rng *r);

#define MSG_VIEW_DESC 64

struct desc_view {
	uint8_t type, disp;
	bool dealloc;
	uint32_t name, size, count;
	uint64_t addr;
};

struct msg_view {
	uint32_t bits, size, remote, local;
	int32_t id;
	uint8_t remote_disp;
	unsigned ndesc; /* the first MSG_VIEW_DESC */
	struct desc_view d[MSG_VIEW_DESC];
};

/* Parses a received message (descriptors as the kernel writes them). */
bool msg_parse(const uint8_t *buf, size_t size, struct msg_view *v);

/* Walks the descriptors of raw bytes as the kernel would and points every
 * out-of-line region sent with `deallocate` at `safe` (an address the
 * kernel may unmap without harm). */
void msg_sanitize_dealloc(uint8_t *buf, size_t size, uint64_t safe);

#endif
