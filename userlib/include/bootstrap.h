/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <bootstrap.h>: the bootstrap server interface (<servers/bootstrap.h>).
 */
#include <servers/bootstrap.h>
