/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/machine/exception.h>: the x86 part of <mach/exception_types.h>:
 * the number of exception types and the x86 exception codes.
 */
#ifndef _MACH_I386_EXCEPTION_H_
#define _MACH_I386_EXCEPTION_H_

/* Exception types, counting the illegal type 0. */
#define EXC_TYPES_COUNT         14

/* Codes per exception: code and subcode. */
#define EXCEPTION_CODE_MAX      2

/* EXC_BAD_INSTRUCTION */
#define EXC_I386_INVOP          1

/* EXC_ARITHMETIC */
#define EXC_I386_DIV            1
#define EXC_I386_INTO           2
#define EXC_I386_NOEXT          3
#define EXC_I386_EXTOVR         4
#define EXC_I386_EXTERR         5
#define EXC_I386_EMERR          6
#define EXC_I386_BOUND          7
#define EXC_I386_SSEEXTERR      8

/* EXC_BREAKPOINT */
#define EXC_I386_SGL            1
#define EXC_I386_BPT            2

/* The trap numbers behind the codes. */
#define EXC_I386_DIVERR         0       /* divide by zero */
#define EXC_I386_SGLSTP         1       /* single step */
#define EXC_I386_NMIFLT         2       /* NMI */
#define EXC_I386_BPTFLT         3       /* breakpoint */
#define EXC_I386_INTOFLT        4       /* INTO overflow */
#define EXC_I386_BOUNDFLT       5       /* BOUND instruction */
#define EXC_I386_INVOPFLT       6       /* invalid opcode */
#define EXC_I386_NOEXTFLT       7       /* extension not available */
#define EXC_I386_DBLFLT         8       /* double fault */
#define EXC_I386_EXTOVRFLT      9       /* extension overrun */
#define EXC_I386_INVTSSFLT      10      /* invalid TSS */
#define EXC_I386_SEGNPFLT       11      /* segment not present */
#define EXC_I386_STKFLT         12      /* stack fault */
#define EXC_I386_GPFLT          13      /* general protection */
#define EXC_I386_PGFLT          14      /* page fault */
#define EXC_I386_EXTERRFLT      16      /* extension error */
#define EXC_I386_ALIGNFLT       17      /* alignment */
#define EXC_I386_ENDPERR        33      /* emulated extension error */
#define EXC_I386_ENOEXTFLT      32      /* emulated extension not present */

/* No machine-specific exception types on x86. */
#define EXC_MASK_MACHINE        0

#endif /* _MACH_I386_EXCEPTION_H_ */
