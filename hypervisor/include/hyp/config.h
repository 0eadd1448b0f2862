/* SPDX-License-Identifier: GPL-2.0-only */
/* Build-time limits; safe to include from assembly. */
#ifndef HYP_CONFIG_H
#define HYP_CONFIG_H

#define HYP_MAX_CPUS		8
#define HYP_MAX_MEM_RANGES	8

#endif
