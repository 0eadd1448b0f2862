// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cold boot (CPU 0, from QEMU) and warm boot (every CPU the host powers on):
 * bring up EL2, then enter the primary VM at EL1.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <hyp/alloc.h>
#include <hyp/console.h>
#include <hyp/dt_check.h>
#include <hyp/gunyah_abi.h>
#include <hyp/host_gic.h>
#include <hyp/host_vm.h>
#include <hyp/hypercall.h>
#include <hyp/psci.h>
#include <hyp/rm_partition.h>
#include <platform/platform.h>

#ifndef HYP_VERSION
#define HYP_VERSION "unknown"
#endif

/* arm64 Image header: "ARM\x64" at offset 0x38. */
#define IMAGE_MAGIC_OFFSET	0x38
#define IMAGE_MAGIC		0x644d5241U

extern const struct psci_firmware arch_psci_firmware;
extern bool console_smp, page_pool_smp;

static struct machine machine;
unsigned int hyp_nr_cpus;

static const struct mem_range hyp_mem = { PLATFORM_HYP_BASE, PLATFORM_HYP_SIZE };
static const struct mem_range mmio = { PLATFORM_MMIO_BASE, PLATFORM_MMIO_SIZE };

void __noreturn hyp_halt(void)
{
	arch_psci_firmware.system_off();
	for (;;)
		asm volatile("wfe");
}

static void cpu_init(unsigned int idx)
{
	struct hyp_cpu *cpu = &hyp_cpus[idx];

	cpu->index = idx;
	cpu->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
	write_sysreg(cpu, tpidr_el2);
}

static void log_machine(void)
{
	unsigned int i;

	for (i = 0; i < machine.nr_ram; i++)
		hyp_log("RAM %#lx-%#lx\n", (unsigned long)machine.ram[i].base,
			(unsigned long)(machine.ram[i].base + machine.ram[i].size - 1));
	hyp_log("%u CPUs, hypervisor memory %#lx-%#lx (image %#lx-%#lx, %lu pool pages)\n",
		machine.nr_cpus, (unsigned long)hyp_mem.base,
		(unsigned long)(hyp_mem.base + hyp_mem.size - 1), (unsigned long)__hyp_start,
		(unsigned long)__hyp_end - 1, (unsigned long)page_pool_free_pages());
}

/*
 * What the RM prepares the primary VM's devicetree from: the blob loaded
 * for it, if it is one (checked whole, bounded by its window), else QEMU's
 * (machine_dt_parse() checked it).
 */
static void host_dt_source(void)
{
	const void *loaded = (const void *)PLATFORM_HOST_DT, *qemu = (const void *)PLATFORM_QEMU_DT;
	struct rm_host_dt cfg = {
		.from = loaded,
		.window = (void *)PLATFORM_HOST_DT,
		.window_size = PLATFORM_HOST_DT_MAX,
		.hyp_base = hyp_mem.base,
		.hyp_size = hyp_mem.size,
	};

	if (dt_check(loaded, PLATFORM_HOST_DT_MAX)) {
		hyp_log("no valid devicetree at %#lx: giving the host QEMU's\n", PLATFORM_HOST_DT);
		cfg.from = qemu;
	}
	cfg.from_size = dt_totalsize(cfg.from);
	rm_partition_set_host_dt(&cfg);
}

void __noreturn hyp_cold_boot(void)
{
	const u32 *magic = (const u32 *)(PLATFORM_HOST_ENTRY + IMAGE_MAGIC_OFFSET);
	u64 dt_size;
	int dt_err, ret;

	/* MMU off: everything here must be aligned and lock-free. */
	dt_err = machine_dt_parse((const void *)PLATFORM_QEMU_DT, PLATFORM_QEMU_DT_MAX, &machine);
	if (dt_err) {
		/* Map only ourselves, to report the problem. */
		machine.nr_ram = 1;
		machine.ram[0] = hyp_mem;
	}
	page_pool_init((paddr_t)__hyp_end, hyp_mem.base + hyp_mem.size - (u64)__hyp_end);
	ret = arch_mmu_init(&machine, &mmio);
	cpu_init(0);

	hyp_log("Gunyah-compatible hypervisor %s, API v%lu, cold boot\n", HYP_VERSION,
		(unsigned long)FIELD_GET(GUNYAH_API_INFO_VERSION, hypercall_api_info()));
	if (ret)
		hyp_panic("EL2 MMU setup failed: %d\n", ret);
	if (dt_err)
		hyp_panic("no usable devicetree from QEMU at %#lx: libfdt error %d\n",
			  PLATFORM_QEMU_DT, dt_err);
	log_machine();
	if (hyp_cpus[0].mpidr != (machine.mpidr[0] & MPIDR_AFFINITY_MASK))
		hyp_panic("boot CPU %#lx is not the first CPU of /cpus\n",
			  (unsigned long)hyp_cpus[0].mpidr);
	if (!machine_is_ram(&machine, hyp_mem.base, hyp_mem.size) ||
	    (u64)__hyp_end > hyp_mem.base + hyp_mem.size)
		hyp_panic("hypervisor memory is not inside RAM\n");

	hyp_nr_cpus = machine.nr_cpus;
	host_dt_source();
	host_gic_init(&machine);
	ret = host_vm_init(&machine, &hyp_mem, &mmio);
	if (ret)
		hyp_panic("primary VM stage 2: error %d\n", ret);
	/* The EL2 controls of the host are those the RM's VM runs under. */
	arch_host_cpu_setup(host_vm_vttbr(), arch_vtcr());
	host_gic_cpu_init();
	/* The RM first: it writes the primary VM's devicetree. */
	ret = rm_boot();
	if (ret)
		hyp_log("the RM did not start (%d): the primary VM has no RM\n", ret);
	dt_size = rm_partition_host_dt_close();
	if (!dt_size)
		hyp_panic("the RM gave no devicetree for the primary VM\n");
	/* The host starts with its MMU and caches off. */
	dcache_clean_range((void *)PLATFORM_HOST_DT, dt_size);
	if (*magic != IMAGE_MAGIC)
		hyp_panic("no arm64 Linux Image at %#lx\n", PLATFORM_HOST_ENTRY);

	/* From here on other CPUs may run: take locks. */
	console_smp = true;
	page_pool_smp = true;

	hyp_log("starting the primary VM (VMID 3) at %#lx, devicetree at %#lx\n",
		PLATFORM_HOST_ENTRY, PLATFORM_HOST_DT);
	host_gic_flush();
	arch_enter_host(PLATFORM_HOST_ENTRY, PLATFORM_HOST_DT, hyp_stack_top(0));
}

void __noreturn hyp_warm_boot(unsigned int idx)
{
	u64 entry, context;

	cpu_init(idx);
	if (idx >= machine.nr_cpus ||
	    hyp_cpus[idx].mpidr != (machine.mpidr[idx] & MPIDR_AFFINITY_MASK))
		hyp_panic("CPU %#lx started as CPU %u\n", (unsigned long)hyp_cpus[idx].mpidr, idx);
	if (!host_vm_cpu_started(idx, &entry, &context)) {
		hyp_log("CPU %u started without a request from the host\n", idx);
		arch_psci_firmware.cpu_off();
		hyp_halt();
	}
	hyp_log("CPU %u (mpidr %#lx) warm boot, host entry %#lx\n", idx,
		(unsigned long)hyp_cpus[idx].mpidr, (unsigned long)entry);
	arch_host_cpu_setup(host_vm_vttbr(), arch_vtcr());
	host_gic_cpu_init();
	host_gic_flush();
	arch_enter_host(entry, context, hyp_stack_top(idx));
}
