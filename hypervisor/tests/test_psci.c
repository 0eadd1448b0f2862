// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of core/psci_host.c against a fake firmware: PSCI_VERSION and
 * FEATURES, the CPU_ON / cpu_started / AFFINITY_INFO / CPU_OFF state machine,
 * argument checks, SMC32 truncation, firmware failures and MPIDR masking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>
#include <hyp/console.h>
#include <hyp/psci.h>
#include "test.h"

#define WARM_ENTRY	0x80001000UL
#define NR_CPUS		4
#define RET(x)		((u64)(s64)(x))

/* ---- hyp_log, captured ---------------------------------------------------- */

static char log_buf[4096];
static size_t log_len;

void hyp_log(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hyp_vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		log_len = MIN(log_len + (size_t)n, sizeof(log_buf) - 1);
}

/* ---- fake firmware -------------------------------------------------------- */

struct fw_call_on {
	u64 mpidr, entry, context;
};

static struct {
	unsigned int cpu_on_calls;
	struct fw_call_on last_on;
	s64 cpu_on_ret;

	unsigned int cpu_off_calls;
	s64 cpu_off_ret;
	bool cpu_off_never_returns;		/* longjmp to off_jmp */
	jmp_buf off_jmp;
	/* What CPU_OFF saw of the host's state while it ran. */
	struct psci_host *ph;
	unsigned int off_self;
	enum host_cpu_state state_in_off;
	u32 lock_in_off;

	unsigned int affinity_calls;
	u64 affinity_mpidr;
	s64 affinity_state[NR_CPUS];		/* by aff0 */

	unsigned int system_off_calls;
	unsigned int system_reset_calls;
} fw;

static s64 fw_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	fw.cpu_on_calls++;
	fw.last_on = (struct fw_call_on){ mpidr, entry, context };
	return fw.cpu_on_ret;
}

static s64 fw_cpu_off(void)
{
	fw.cpu_off_calls++;
	if (fw.ph) {
		fw.state_in_off = fw.ph->cpu[fw.off_self].state;
		fw.lock_in_off = fw.ph->lock.locked;
	}
	if (fw.cpu_off_never_returns)
		longjmp(fw.off_jmp, 1);
	return fw.cpu_off_ret;
}

static s64 fw_affinity_info(u64 mpidr)
{
	fw.affinity_calls++;
	fw.affinity_mpidr = mpidr;
	return fw.affinity_state[mpidr & 0xff];
}

static void fw_system_off(void)
{
	fw.system_off_calls++;
}

static void fw_system_reset(void)
{
	fw.system_reset_calls++;
}

static const struct psci_firmware fake_fw = {
	.cpu_on = fw_cpu_on,
	.cpu_off = fw_cpu_off,
	.affinity_info = fw_affinity_info,
	.system_off = fw_system_off,
	.system_reset = fw_system_reset,
};

static unsigned int entry_valid_calls;

static bool entry_valid(u64 entry)
{
	entry_valid_calls++;
	return entry >= 0x40000000 && entry < 0x80000000;
}

/*
 * Four CPUs as the DT would list them, one with Aff1 set and one with the
 * RES1 bit 31 of MPIDR_EL1 set: both must be matched on affinity only.
 */
static const u64 cpu_mpidr[NR_CPUS] = { 0x0, 0x1, 0x100, 0x80000101 };

static struct psci_host ph;

static void setup(unsigned int boot)
{
	memset(&fw, 0, sizeof(fw));
	fw.affinity_state[0] = fw.affinity_state[1] = PSCI_AFFINITY_OFF;
	fw.affinity_state[2] = fw.affinity_state[3] = PSCI_AFFINITY_OFF;
	entry_valid_calls = 0;
	log_len = 0;
	log_buf[0] = '\0';
	memset(&ph, 0x5a, sizeof(ph));
	psci_host_init(&ph, cpu_mpidr, NR_CPUS, boot, &fake_fw, WARM_ENTRY, entry_valid);
}

/* One PSCI call from CPU @self; returns x0. The lock must be free after. */
static u64 psci(unsigned int self, u64 fid, u64 a1, u64 a2, u64 a3)
{
	u64 regs[SMCCC_NR_REGS] = { fid, a1, a2, a3, 0x44, 0x55, 0x66, 0x77 };

	psci_host_call(&ph, self, regs);
	CHECK_EQ(ph.lock.locked, 0);
	return regs[0];
}

/* ---- tests ---------------------------------------------------------------- */

TEST(init_state)
{
	setup(0);
	CHECK_EQ(ph.nr_cpus, NR_CPUS);
	CHECK_EQ(ph.cpu[0].state, HOST_CPU_ON);
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_OFF);
	CHECK_EQ(ph.cpu[3].state, HOST_CPU_OFF);
	CHECK_EQ(ph.cpu[3].mpidr, 0x101);	/* bits 31:24 dropped */
	CHECK_EQ(ph.warm_entry, WARM_ENTRY);
	CHECK_EQ(ph.lock.locked, 0);

	setup(2);
	CHECK_EQ(ph.cpu[0].state, HOST_CPU_OFF);
	CHECK_EQ(ph.cpu[2].state, HOST_CPU_ON);
}

TEST(init_truncates_to_max_cpus)
{
	u64 many[HYP_MAX_CPUS + 3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = i;
	psci_host_init(&ph, many, ARRAY_SIZE(many), 0, &fake_fw, WARM_ENTRY, entry_valid);
	CHECK_EQ(ph.nr_cpus, HYP_MAX_CPUS);
	CHECK_EQ(psci_host_cpu_index(&ph, HYP_MAX_CPUS - 1), HYP_MAX_CPUS - 1);
	CHECK_EQ(psci_host_cpu_index(&ph, HYP_MAX_CPUS), -1);
}

TEST(psci_version)
{
	setup(0);
	CHECK_EQ(psci(0, PSCI_VERSION, 0, 0, 0), 0x10001);
	/* There is no SMC64 PSCI_VERSION. */
	CHECK_EQ(psci(0, PSCI_64(PSCI_VERSION), 0, 0, 0), RET(-1));
	/* The upper half of x0 is not part of the function ID. */
	CHECK_EQ(psci(0, 0xffffffff00000000UL | PSCI_VERSION, 0, 0, 0), 0x10001);
}

TEST(psci_features)
{
	static const u32 supported[] = {
		PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_64(PSCI_CPU_ON),
		PSCI_AFFINITY_INFO, PSCI_64(PSCI_AFFINITY_INFO), PSCI_MIGRATE_INFO_TYPE,
		PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES, SMCCC_VERSION,
	};
	static const u32 unsupported[] = {
		PSCI_CPU_SUSPEND, PSCI_64(PSCI_CPU_SUSPEND),
		0x8400000e, 0xc400000e,			/* SYSTEM_SUSPEND */
		PSCI_MIGRATE, PSCI_64(PSCI_MIGRATE), PSCI_MIGRATE_INFO_UP_CPU,
		0x8400000c,				/* CPU_FREEZE */
		0x84000012,				/* SYSTEM_RESET2 */
		0x8400001f, 0x84000020, PSCI_64(PSCI_VERSION), SMCCC_ARCH_FEATURES,
		0x12345678, 0,
	};
	unsigned int i;

	setup(0);
	for (i = 0; i < ARRAY_SIZE(supported); i++)
		if (!CHECK_EQ(psci(0, PSCI_FEATURES, supported[i], 0, 0), 0))
			printf("#     feature %#x\n", supported[i]);
	for (i = 0; i < ARRAY_SIZE(unsupported); i++)
		if (!CHECK_EQ(psci(0, PSCI_FEATURES, unsupported[i], 0, 0), RET(-1)))
			printf("#     feature %#x\n", unsupported[i]);
	/* FEATURES is SMC32: only w1 counts. */
	CHECK_EQ(psci(0, PSCI_FEATURES, 0xffffffff00000000UL | PSCI_CPU_ON, 0, 0), 0);
}

TEST(migrate_info_type_and_unsupported_calls)
{
	setup(0);
	CHECK_EQ(psci(0, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	CHECK_EQ(psci(0, PSCI_CPU_SUSPEND, 0, 0x40000000, 0), RET(-1));
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_SUSPEND), 0, 0x40000000, 0), RET(-1));
	CHECK_EQ(psci(0, 0x8400000e, 0x40000000, 0, 0), RET(-1));
	CHECK_EQ(psci(0, PSCI_MIGRATE, 1, 0, 0), RET(-1));
	CHECK_EQ(fw.cpu_on_calls + fw.cpu_off_calls + fw.affinity_calls, 0);
}

TEST(cpu_on_lifecycle)
{
	u64 entry = 0, context = 0;

	setup(0);
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, 0x40080000, 0xdeadbeefcafe), 0);
	CHECK_EQ(fw.cpu_on_calls, 1);
	CHECK_EQ(fw.last_on.mpidr, 1);
	CHECK_EQ(fw.last_on.entry, WARM_ENTRY);
	CHECK_EQ(fw.last_on.context, 1);	/* the CPU index */
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_ON_PENDING);

	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 0, 0), 2);
	CHECK_EQ(psci(0, PSCI_AFFINITY_INFO, 1, 0, 0), 2);
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, 0x40080000, 0), RET(-5));
	CHECK_EQ(fw.cpu_on_calls, 1);
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_ON_PENDING);

	/* The firmware brought it up: where does the host want it? */
	CHECK(psci_host_cpu_started(&ph, 1, &entry, &context));
	CHECK_EQ(entry, 0x40080000);
	CHECK_EQ(context, 0xdeadbeefcafe);
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_ON);
	CHECK_EQ(ph.lock.locked, 0);

	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 0, 0), 0);
	CHECK_EQ(psci(1, PSCI_64(PSCI_CPU_ON), 1, 0x40080000, 0), RET(-4));
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 0, 0x40080000, 0), RET(-4));
	CHECK_EQ(fw.cpu_on_calls, 1);
	/* The firmware is asked about CPUs being switched off only. */
	CHECK_EQ(fw.affinity_calls, 0);

	/* A second arrival is not a start. */
	entry = context = 0x99;
	CHECK(!psci_host_cpu_started(&ph, 1, &entry, &context));
	CHECK_EQ(entry, 0x99);
	CHECK_EQ(context, 0x99);
}

TEST(cpu_started_unrequested)
{
	u64 entry = 0x99, context = 0x99;

	setup(0);
	CHECK(!psci_host_cpu_started(&ph, 2, &entry, &context));
	CHECK_EQ(ph.cpu[2].state, HOST_CPU_OFF);
	CHECK(!psci_host_cpu_started(&ph, 0, &entry, &context));
	CHECK_EQ(ph.cpu[0].state, HOST_CPU_ON);
	CHECK_EQ(entry, 0x99);
	CHECK_EQ(context, 0x99);
	CHECK_EQ(ph.lock.locked, 0);
}

TEST(affinity_info_of_off_cpu)
{
	setup(0);
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 0x100, 0, 0), 1);
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 0, 0, 0), 0);
	CHECK_EQ(fw.affinity_calls, 0);
}

TEST(cpu_on_invalid_mpidr)
{
	setup(0);
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 4, 0x40080000, 0), RET(-2));
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 0x100000001UL, 0x40080000, 0), RET(-2));
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 0x200, 0x40080000, 0), RET(-2));
	CHECK_EQ(fw.cpu_on_calls, 0);
}

TEST(cpu_on_invalid_address)
{
	static const u64 bad[] = {
		0x40080002, 0x40080001, 0x3ffffffc, 0x80000000, 0x80001000, 0, ~3UL,
	};
	unsigned int i;

	setup(0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, bad[i], 0), RET(-9)))
			printf("#     entry %#lx\n", (unsigned long)bad[i]);
		CHECK_EQ(ph.cpu[1].state, HOST_CPU_OFF);
	}
	CHECK_EQ(fw.cpu_on_calls, 0);

	/* The last word of host memory is fine. */
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, 0x7ffffffc, 0), 0);
	CHECK_EQ(fw.cpu_on_calls, 1);
}

TEST(cpu_on_firmware_failure)
{
	u64 entry, context;

	setup(0);
	fw.cpu_on_ret = PSCI_RET_INVALID_PARAMS;
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 0x101, 0x40080000, 0), RET(-6));
	CHECK_EQ(fw.cpu_on_calls, 1);
	CHECK_EQ(fw.last_on.mpidr, 0x101);
	CHECK_EQ(ph.cpu[3].state, HOST_CPU_OFF);
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 0x101, 0, 0), 1);
	CHECK(!psci_host_cpu_started(&ph, 3, &entry, &context));
	CHECK(strstr(log_buf, "CPU_ON of CPU 3 (mpidr 0x101) failed: -2") != NULL);

	/* And a retry once the firmware cooperates works. */
	fw.cpu_on_ret = PSCI_RET_SUCCESS;
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 0x101, 0x40080000, 0), 0);
	CHECK_EQ(ph.cpu[3].state, HOST_CPU_ON_PENDING);
}

TEST(cpu_on_smc32_truncates_arguments)
{
	u64 entry = 0, context = 0;

	setup(0);
	CHECK_EQ(psci(0, PSCI_CPU_ON, 0xffffffff00000001UL, 0xffffffff40080000UL,
		      0x123456789UL), 0);
	CHECK_EQ(fw.cpu_on_calls, 1);
	CHECK_EQ(fw.last_on.mpidr, 1);
	CHECK(psci_host_cpu_started(&ph, 1, &entry, &context));
	CHECK_EQ(entry, 0x40080000);
	CHECK_EQ(context, 0x23456789);

	/* The same registers with SMC64: Aff3 = 0xff names no CPU. */
	setup(0);
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 0xffffffff00000001UL, 0x40080000, 0),
		 RET(-2));
	/* ... and a 64-bit entry outside host memory is refused. */
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, 0xffffffff40080000UL, 0), RET(-9));
	CHECK_EQ(fw.cpu_on_calls, 0);
}

TEST(affinity_info_arguments)
{
	setup(0);
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 1, 0), RET(-2));
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 2, 0), RET(-2));
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 7, 0, 0), RET(-2));
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 0x100000000UL, 0), RET(-2));
	/* SMC32: only w2 counts as the level. */
	CHECK_EQ(psci(0, PSCI_AFFINITY_INFO, 1, 0x100000000UL, 0), 1);
	CHECK_EQ(psci(0, PSCI_AFFINITY_INFO, 0xffffffff00000001UL, 0, 0), 1);
}

TEST(cpu_off_refused_by_firmware)
{
	setup(1);
	fw.ph = &ph;
	fw.off_self = 1;
	fw.cpu_off_ret = PSCI_RET_DENIED;
	CHECK_EQ(psci(1, PSCI_CPU_OFF, 0, 0, 0), RET(-3));
	CHECK_EQ(fw.cpu_off_calls, 1);
	/* While the firmware ran: OFF_PENDING, and the lock not held. */
	CHECK_EQ(fw.state_in_off, HOST_CPU_OFF_PENDING);
	CHECK_EQ(fw.lock_in_off, 0);
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_ON);
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 0, 0), 0);

	/* A firmware that returns "success" from CPU_OFF has failed. */
	fw.cpu_off_ret = PSCI_RET_SUCCESS;
	CHECK_EQ(psci(1, PSCI_CPU_OFF, 0, 0, 0), RET(-6));
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_ON);
}

TEST(cpu_off_pending_consults_firmware)
{
	volatile bool went_off = false;

	setup(0);
	/* Bring CPU 1 into the host. */
	u64 entry, context;
	REQUIRE_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, 0x40080000, 0), 0);
	REQUIRE(psci_host_cpu_started(&ph, 1, &entry, &context));

	/* CPU 1 powers itself off: the firmware call does not return. */
	fw.ph = &ph;
	fw.off_self = 1;
	fw.cpu_off_never_returns = true;
	if (!setjmp(fw.off_jmp)) {
		u64 regs[SMCCC_NR_REGS] = { PSCI_CPU_OFF };

		psci_host_call(&ph, 1, regs);
	} else {
		went_off = true;
	}
	REQUIRE(went_off);
	CHECK_EQ(fw.state_in_off, HOST_CPU_OFF_PENDING);
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_OFF_PENDING);
	CHECK_EQ(ph.lock.locked, 0);

	/* Firmware: not down yet. The host sees it ON; CPU_ON is refused. */
	fw.affinity_state[1] = PSCI_AFFINITY_ON;
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 0, 0), 0);
	CHECK_EQ(fw.affinity_calls, 1);
	CHECK_EQ(fw.affinity_mpidr, 1);
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_OFF_PENDING);
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, 0x40080000, 0), RET(-4));
	CHECK_EQ(fw.affinity_calls, 2);
	CHECK_EQ(fw.cpu_on_calls, 1);
	CHECK(!psci_host_cpu_started(&ph, 1, &entry, &context));

	/* Firmware: down. AFFINITY_INFO says OFF and the state follows. */
	fw.affinity_state[1] = PSCI_AFFINITY_OFF;
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 0, 0), 1);
	CHECK_EQ(fw.affinity_calls, 3);
	CHECK_EQ(ph.cpu[1].state, HOST_CPU_OFF);
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 1, 0, 0), 1);
	CHECK_EQ(fw.affinity_calls, 3);	/* known OFF: no need to ask again */

	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 1, 0x40090000, 7), 0);
	CHECK_EQ(fw.cpu_on_calls, 2);
	CHECK(psci_host_cpu_started(&ph, 1, &entry, &context));
	CHECK_EQ(entry, 0x40090000);
	CHECK_EQ(context, 7);
}

TEST(cpu_on_of_off_pending_cpu_once_firmware_says_off)
{
	volatile bool went_off = false;

	setup(2);
	fw.cpu_off_never_returns = true;
	if (!setjmp(fw.off_jmp)) {
		u64 regs[SMCCC_NR_REGS] = { PSCI_CPU_OFF };

		psci_host_call(&ph, 2, regs);
	} else {
		went_off = true;
	}
	REQUIRE(went_off);
	REQUIRE_EQ(ph.cpu[2].state, HOST_CPU_OFF_PENDING);
	fw.affinity_state[0] = PSCI_AFFINITY_OFF;	/* mpidr 0x100: aff0 0 */
	CHECK_EQ(psci(1, PSCI_64(PSCI_CPU_ON), 0x100, 0x40000000, 0), 0);
	CHECK_EQ(fw.affinity_calls, 1);
	CHECK_EQ(fw.affinity_mpidr, 0x100);
	CHECK_EQ(fw.last_on.mpidr, 0x100);
	CHECK_EQ(fw.last_on.context, 2);
	CHECK_EQ(ph.cpu[2].state, HOST_CPU_ON_PENDING);
}

TEST(system_off_and_reset)
{
	setup(0);
	CHECK_EQ(psci(0, PSCI_SYSTEM_OFF, 0, 0, 0), RET(-6));
	CHECK_EQ(fw.system_off_calls, 1);
	CHECK_EQ(fw.system_reset_calls, 0);
	CHECK(strstr(log_buf, "system off") != NULL);

	CHECK_EQ(psci(0, PSCI_SYSTEM_RESET, 0, 0, 0), RET(-6));
	CHECK_EQ(fw.system_reset_calls, 1);
	CHECK_EQ(fw.system_off_calls, 1);
	CHECK(strstr(log_buf, "system reset") != NULL);
}

TEST(mpidr_affinity_masking)
{
	setup(0);
	CHECK_EQ(psci_host_cpu_index(&ph, 0x101), 3);
	CHECK_EQ(psci_host_cpu_index(&ph, 0x80000101), 3);
	CHECK_EQ(psci_host_cpu_index(&ph, 0xff000101), 3);
	CHECK_EQ(psci_host_cpu_index(&ph, 0xffffff0000000101UL), 3);
	CHECK_EQ(psci_host_cpu_index(&ph, 0x8000000101UL), -1);	/* Aff3 */
	CHECK_EQ(psci_host_cpu_index(&ph, 0x100), 2);
	CHECK_EQ(psci_host_cpu_index(&ph, 0x80000000), 0);
	CHECK_EQ(psci_host_cpu_index(&ph, 0x10000), -1);	/* Aff2 */

	/* CPU_ON with bits 31:24 set; the firmware gets the masked MPIDR. */
	CHECK_EQ(psci(0, PSCI_64(PSCI_CPU_ON), 0xff000101, 0x40080000, 0), 0);
	CHECK_EQ(fw.last_on.mpidr, 0x101);
	CHECK_EQ(fw.last_on.context, 3);
	CHECK_EQ(psci(0, PSCI_64(PSCI_AFFINITY_INFO), 0x80000101, 0, 0), 2);
}
