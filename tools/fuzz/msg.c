// SPDX-License-Identifier: GPL-2.0
/* machipc-fuzz: message bytes. See msg.h. */
#include <string.h>

#include <mach/message.h>

#include "msg.h"

#define HDR 24u
#define BODY 4u

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

void mb_begin(struct msg_builder *b, uint8_t *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->complex = false;
	b->full = false;
}

void mb_header(struct msg_builder *b, uint32_t bits, uint32_t remote, uint32_t local,
	       uint32_t voucher, int32_t id)
{
	put32(b->buf, bits);
	put32(b->buf + 4, 0);
	put32(b->buf + 8, remote);
	put32(b->buf + 12, local);
	put32(b->buf + 16, voucher);
	put32(b->buf + 20, (uint32_t)id);
	b->len = HDR;
	b->complex = bits & MACH_MSGH_BITS_COMPLEX;
}

void mb_body(struct msg_builder *b, uint32_t count)
{
	put32(b->buf + HDR, count);
	b->len = HDR + BODY;
}

static uint8_t *room(struct msg_builder *b, size_t n)
{
	uint8_t *p;

	if (b->len + n > b->cap) {
		b->full = true;
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

bool mb_port(struct msg_builder *b, uint32_t name, uint8_t disposition, uint32_t pad)
{
	uint8_t *d = room(b, 12);

	if (!d)
		return false;
	put32(d, name);
	put32(d + 4, pad);
	d[8] = 0;
	d[9] = 0;
	d[10] = disposition;
	d[11] = MACH_MSG_PORT_DESCRIPTOR;
	return true;
}

bool mb_ool(struct msg_builder *b, uint64_t addr, uint32_t size, bool dealloc, uint8_t copy,
	    uint8_t type)
{
	uint8_t *d = room(b, 16);

	if (!d)
		return false;
	put64(d, addr);
	d[8] = dealloc;
	d[9] = copy;
	d[10] = 0;
	d[11] = type;
	put32(d + 12, size);
	return true;
}

bool mb_ool_ports(struct msg_builder *b, uint64_t addr, uint32_t count, bool dealloc, uint8_t copy,
		  uint8_t disposition)
{
	uint8_t *d = room(b, 16);

	if (!d)
		return false;
	put64(d, addr);
	d[8] = dealloc;
	d[9] = copy;
	d[10] = disposition;
	d[11] = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	put32(d + 12, count);
	return true;
}

bool mb_raw_desc(struct msg_builder *b, uint8_t type, uint32_t name, uint8_t disposition,
		 uint64_t context)
{
	uint8_t *d = room(b, 16);

	if (!d)
		return false;
	put64(d, context);
	d[8] = 0;
	d[9] = 0;
	d[10] = disposition;
	d[11] = type;
	put32(d + 12, name);
	return true;
}

void mb_ndr(struct msg_builder *b)
{
	static const uint8_t ndr[8] = { 0, 0, 0, 0, 1, 0, 0, 0 };
	uint8_t *p = room(b, 8);

	if (p)
		memcpy(p, ndr, 8);
}

void mb_u32(struct msg_builder *b, uint32_t v)
{
	uint8_t *p = room(b, 4);

	if (p)
		put32(p, v);
}

void mb_data(struct msg_builder *b, size_t n, struct rng *r)
{
	uint8_t *p;

	n = (n + 3) & ~(size_t)3;
	if (b->len + n > b->cap)
		n = (b->cap - b->len) & ~(size_t)3;
	p = room(b, n);
	if (!p)
		return;
	for (size_t i = 0; i + 8 <= n; i += 8)
		put64(p + i, rnd64(r));
}

uint32_t mb_end(struct msg_builder *b, struct rng *r)
{
	uint32_t size = (uint32_t)b->len;

	if (r && permille(r, 10) && size > HDR)
		size -= 1 + (uint32_t)below(r, 3); /* not a multiple of 4 */
	put32(b->buf + 4, size);
	return size;
}

bool msg_parse(const uint8_t *buf, size_t size, struct msg_view *v)
{
	size_t off;
	uint32_t n;

	memset(v, 0, sizeof(*v));
	if (size < HDR)
		return false;
	v->bits = get32(buf);
	v->size = get32(buf + 4);
	v->remote = get32(buf + 8);
	v->local = get32(buf + 12);
	v->id = (int32_t)get32(buf + 20);
	v->remote_disp = (uint8_t)MACH_MSGH_BITS_REMOTE(v->bits);
	if (!(v->bits & MACH_MSGH_BITS_COMPLEX) || size < HDR + BODY)
		return true;
	n = get32(buf + HDR);
	off = HDR + BODY;
	for (uint32_t i = 0; i < n && off + 12 <= size; i++) {
		struct desc_view d = { .type = buf[off + 11] };
		size_t len = d.type == MACH_MSG_PORT_DESCRIPTOR ? 12 : 16;

		if (off + len > size)
			break;
		switch (d.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			d.name = get32(buf + off);
			d.disp = buf[off + 10];
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			d.addr = get64(buf + off);
			d.dealloc = buf[off + 8];
			d.size = get32(buf + off + 12);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			d.addr = get64(buf + off);
			d.dealloc = buf[off + 8];
			d.disp = buf[off + 10];
			d.count = get32(buf + off + 12);
			break;
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
			d.disp = buf[off + 10];
			d.name = get32(buf + off + 12);
			break;
		default:
			return true;
		}
		if (v->ndesc < MSG_VIEW_DESC)
			v->d[v->ndesc++] = d;
		off += len;
	}
	return true;
}

void msg_sanitize_dealloc(uint8_t *buf, size_t size, uint64_t safe)
{
	size_t off;
	uint32_t n;

	if (size < HDR + BODY || !(get32(buf) & MACH_MSGH_BITS_COMPLEX))
		return;
	n = get32(buf + HDR);
	off = HDR + BODY;
	for (uint32_t i = 0; i < n && off + 12 <= size; i++) {
		uint8_t type = buf[off + 11];

		if (type == MACH_MSG_PORT_DESCRIPTOR) {
			off += 12;
			continue;
		}
		if (off + 16 > size)
			break;
		if ((type == MACH_MSG_OOL_DESCRIPTOR || type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR ||
		     type == MACH_MSG_OOL_PORTS_DESCRIPTOR) &&
		    buf[off + 8])
			put64(buf + off, safe);
		off += 16;
	}
	/* Whatever the kernel makes of bytes past the walk above (another
	 * descriptor size, say), no byte there may look like a deallocating
	 * descriptor either: clear every `deallocate` byte it could read. */
	for (; off + 16 <= size; off += 4) {
		uint8_t type = buf[off + 11];

		if ((type == MACH_MSG_OOL_DESCRIPTOR || type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR ||
		     type == MACH_MSG_OOL_PORTS_DESCRIPTOR) &&
		    buf[off + 8])
			buf[off + 8] = 0;
	}
}
