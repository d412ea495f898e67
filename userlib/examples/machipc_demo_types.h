/* SPDX-License-Identifier: MIT */
/* C types of machipc_demo.defs. */
#ifndef MACHIPC_DEMO_TYPES_H
#define MACHIPC_DEMO_TYPES_H

typedef char *demo_name_t;
typedef char *demo_text_t;
typedef int *demo_values_t;

#endif
