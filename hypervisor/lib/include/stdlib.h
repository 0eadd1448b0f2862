/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libfdt_env.h includes <stdlib.h>; the parts of libfdt the hypervisor
 * builds (everything but fdt_overlay.c) need nothing from it.
 */
#ifndef HYP_LIB_STDLIB_H
#define HYP_LIB_STDLIB_H
#endif
