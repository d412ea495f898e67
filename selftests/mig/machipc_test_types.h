/* SPDX-License-Identifier: GPL-2.0 */
/* C types of machipc_test.defs. */
#ifndef MACHIPC_TEST_TYPES_H
#define MACHIPC_TEST_TYPES_H

#include <mach/mach_types.h>

typedef int int_array8_t[8];
typedef int *int_var_t;
typedef char name64_t[64];
typedef char *text_t;

typedef struct {
	int lo;
	int hi;
} pair_t;

typedef mach_port_t port_pair_t[2];

#endif
