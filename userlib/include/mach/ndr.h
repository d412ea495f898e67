/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/ndr.h>: MIG Network Data Representation record.
 */
#ifndef _MACH_NDR_H_
#define _MACH_NDR_H_

#include <stdint.h>
#include <sys/cdefs.h>

typedef struct {
	unsigned char       mig_vers;
	unsigned char       if_vers;
	unsigned char       reserved1;
	unsigned char       mig_encoding;
	unsigned char       int_rep;
	unsigned char       char_rep;
	unsigned char       float_rep;
	unsigned char       reserved2;
} NDR_record_t;

/* MIG supported protocols for Network Data Representation. */
#define NDR_PROTOCOL_2_0        0

/* NDR 2.0 format flag values. */
#define NDR_INT_BIG_ENDIAN      0
#define NDR_INT_LITTLE_ENDIAN   1
#define NDR_FLOAT_IEEE          0
#define NDR_FLOAT_VAX           1
#define NDR_FLOAT_CRAY          2
#define NDR_FLOAT_IBM           3
#define NDR_CHAR_ASCII          0
#define NDR_CHAR_EBCDIC         1

__BEGIN_DECLS
extern NDR_record_t NDR_record;
__END_DECLS

/* As in current XNU: no representation conversion by default. */
#ifndef __NDR_convert__
#define __NDR_convert__ 0
#endif
#ifndef __NDR_convert__int_rep__
#define __NDR_convert__int_rep__ __NDR_convert__
#endif
#ifndef __NDR_convert__char_rep__
#define __NDR_convert__char_rep__ 0
#endif
#ifndef __NDR_convert__float_rep__
#define __NDR_convert__float_rep__ 0
#endif

#if __NDR_convert__

#define __NDR_convert__NOOP             do ; while (0)
#define __NDR_convert__UNKNOWN(s)       __NDR_convert__NOOP
#define __NDR_convert__SINGLE(a, f, r)  do { r((a), (f)); } while (0)
#define __NDR_convert__ARRAY(a, f, c, r) \
	do { int __i__, __C__ = (c); \
	for (__i__ = 0; __i__ < __C__; __i__++) \
	r(&(a)[__i__], f); } while (0)
#define __NDR_convert__2DARRAY(a, f, s, c, r) \
	do { int __i__, __C__ = (c), __S__ = (s); \
	for (__i__ = 0; __i__ < __C__; __i__++) \
	r(&(a)[__i__ * __S__], f, __S__); } while (0)

#if __NDR_convert__int_rep__

#define __NDR_READSWAP_assign(a, rs)    do { *(a) = rs(a); } while (0)

#define __NDR_READSWAP__uint16_t(a)     __builtin_bswap16(*(const uint16_t *)(const void *)(a))
#define __NDR_READSWAP__int16_t(a)      (int16_t)__builtin_bswap16(*(const uint16_t *)(const void *)(a))
#define __NDR_READSWAP__uint32_t(a)     __builtin_bswap32(*(const uint32_t *)(const void *)(a))
#define __NDR_READSWAP__int32_t(a)      (int32_t)__builtin_bswap32(*(const uint32_t *)(const void *)(a))
#define __NDR_READSWAP__uint64_t(a)     __builtin_bswap64(*(const uint64_t *)(const void *)(a))
#define __NDR_READSWAP__int64_t(a)      (int64_t)__builtin_bswap64(*(const uint64_t *)(const void *)(a))

__BEGIN_DECLS

static __inline__ float __NDR_READSWAP__float(float *argp) {
	union {
		float sv;
		uint32_t ull;
	} result;
	result.ull = __NDR_READSWAP__uint32_t((uint32_t *)argp);
	return result.sv;
}

static __inline__ double __NDR_READSWAP__double(double *argp) {
	union {
		double sv;
		uint64_t ull;
	} result;
	result.ull = __NDR_READSWAP__uint64_t((uint64_t *)argp);
	return result.sv;
}

__END_DECLS

#define __NDR_convert__int_rep__int16_t__defined
#define __NDR_convert__int_rep__int16_t(v, f)    __NDR_READSWAP_assign(v, __NDR_READSWAP__int16_t)
#define __NDR_convert__int_rep__uint16_t__defined
#define __NDR_convert__int_rep__uint16_t(v, f)   __NDR_READSWAP_assign(v, __NDR_READSWAP__uint16_t)
#define __NDR_convert__int_rep__int32_t__defined
#define __NDR_convert__int_rep__int32_t(v, f)    __NDR_READSWAP_assign(v, __NDR_READSWAP__int32_t)
#define __NDR_convert__int_rep__uint32_t__defined
#define __NDR_convert__int_rep__uint32_t(v, f)   __NDR_READSWAP_assign(v, __NDR_READSWAP__uint32_t)
#define __NDR_convert__int_rep__int64_t__defined
#define __NDR_convert__int_rep__int64_t(v, f)    __NDR_READSWAP_assign(v, __NDR_READSWAP__int64_t)
#define __NDR_convert__int_rep__uint64_t__defined
#define __NDR_convert__int_rep__uint64_t(v, f)   __NDR_READSWAP_assign(v, __NDR_READSWAP__uint64_t)
#define __NDR_convert__int_rep__float__defined
#define __NDR_convert__int_rep__float(v, f)      __NDR_READSWAP_assign(v, __NDR_READSWAP__float)
#define __NDR_convert__int_rep__double__defined
#define __NDR_convert__int_rep__double(v, f)     __NDR_READSWAP_assign(v, __NDR_READSWAP__double)
#define __NDR_convert__int_rep__boolean_t__defined
#define __NDR_convert__int_rep__boolean_t(v, f)  __NDR_convert__int_rep__int32_t(v, f)
#define __NDR_convert__int_rep__kern_return_t__defined
#define __NDR_convert__int_rep__kern_return_t(v, f) __NDR_convert__int_rep__int32_t(v, f)
#define __NDR_convert__int_rep__mach_port_name_t__defined
#define __NDR_convert__int_rep__mach_port_name_t(v, f) __NDR_convert__int_rep__uint32_t(v, f)
#define __NDR_convert__int_rep__mach_msg_type_number_t__defined
#define __NDR_convert__int_rep__mach_msg_type_number_t(v, f) __NDR_convert__int_rep__uint32_t(v, f)

#endif /* __NDR_convert__int_rep__ */

#if __NDR_convert__char_rep__
#define __NDR_convert__char_rep__char(v, f)      __NDR_convert__NOOP
#define __NDR_convert__char_rep__string(v, f, l) __NDR_convert__NOOP
#endif

#if __NDR_convert__float_rep__
#define __NDR_convert__float_rep__float(v, f)    __NDR_convert__NOOP
#define __NDR_convert__float_rep__double(v, f)   __NDR_convert__NOOP
#endif

#endif /* __NDR_convert__ */

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(NDR_record_t) == 8, "NDR_record_t layout");
#endif

#endif /* _MACH_NDR_H_ */
