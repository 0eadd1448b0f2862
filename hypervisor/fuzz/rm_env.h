/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor as the RM's fuzz targets see it (fuzz/rm_env.c): the
 * operations of hyp/guest_ops.h behind the RM's hypercalls, on a real
 * ownership database, host RAM the RM
 * reads and writes, guests that record what they were given. Each call
 * checks what the hypervisor relies on the RM for (it only maps memory
 * given to the guest, only unmaps what it mapped, only takes back what it
 * gave, destroys a guest only once it is unmapped) and aborts otherwise.
 */
#ifndef HYP_FUZZ_RM_ENV_H
#define HYP_FUZZ_RM_ENV_H

#include <hyp/guest_exit.h>
#include <hyp/memdb.h>
#include <hyp/types.h>

/* Host RAM the ownership record knows: 4 MiB; the RM can read the first 1 MiB. */
#define ENV_HOST_BASE	0x50000000UL
#define ENV_HOST_SIZE	0x400000UL
#define ENV_RAM_SIZE	0x100000UL
#define ENV_HOST_PAGES	(ENV_HOST_SIZE / SZ_4K)
#define ENV_NR_GUESTS	4
#define ENV_NR_VIRQS	16

#define ENV_MAX_MAPS	64

struct hyp_guest {
	bool used;
	u16 vmid;
	u64 mapped;		/* bytes */
	/* What is mapped, and the range of a map call that failed. */
	struct { u64 ipa, size; } maps[ENV_MAX_MAPS];
	unsigned int nr_maps;
	u64 failed_ipa, failed_size;
	unsigned int nr_vcpus;
	enum guest_exit exit;
	bool busy;
	bool started;
};

extern struct hyp_guest env_guests[ENV_NR_GUESTS];
extern u8 env_ram[ENV_RAM_SIZE];
extern struct memdb_page env_records[ENV_HOST_PAGES];
/* The next hyp_guest_map fails (a page-table error), when set. */
extern bool env_fail_map;
/* Set: every host RAM write must land in pages of this parcel. */
extern u32 env_write_tag;

/* The host wrote [@off, @off + @len) of env_ram: cleared at the next reset. */
void env_mark_dirty(size_t off, size_t len);

/* Everything back to the start: memory owned by the host, no guests. */
void env_reset(void);

/* Is every page of host RAM owned by the host again, every guest gone? */
void env_check_clean(void);

#endif
