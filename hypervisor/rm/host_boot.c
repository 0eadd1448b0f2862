// SPDX-License-Identifier: GPL-2.0-only
/*
 * The primary VM's devicetree at boot. As the real Gunyah's RM applies its
 * overlay to the HLOS devicetree, ours edits the blob the hypervisor put in
 * its memory (the one loaded for the host, or QEMU's) and hands the result
 * to the hypervisor (HYP_HYPCALL_RM_HOST_DT), which copies it where Linux
 * finds it. The RM does it twice: first without its own node, so that an
 * RM that dies before it is ready leaves a host that boots without an RM
 * rather than one that waits for it; then with the node, once the link
 * exists. Neither the parsing nor libfdt runs at EL2.
 */
#include <libfdt.h>
#include <hyp/console.h>
#include <hyp/dt_check.h>
#include <rm/host_dt.h>
#include <rm/hypcall.h>
#include <rm/rm.h>

int rm_host_dt_publish(const struct rm_boot_info *info, const struct rm_link_info *link)
{
	void *dt = (void *)(uintptr_t)info->host_dt;
	int ret;

	if (!info->host_dt)
		return 0;
	/* The first time the hypervisor's blob, then our own: checked either way. */
	ret = dt_check(dt, info->host_dt_max);
	if (!ret)
		ret = fdt_open_into(dt, dt, info->host_dt_max);
	if (!ret)
		ret = host_dt_prepare(dt, info->hyp_base, info->hyp_size, link);
	if (ret) {
		hyp_log_prefix("[RM] ", "the primary VM's devicetree: %s\n", fdt_strerror(ret));
		return GUNYAH_ERROR_ARG_INVAL;
	}
	/* As the real RM announces the HLOS's layout at boot. */
	if (!link)
		hyp_log_prefix("[RM] ", "primary VM devicetree: %u bytes, RAM %#lx-%#lx kept back\n",
			       fdt_totalsize(dt), (unsigned long)info->hyp_base,
			       (unsigned long)(info->hyp_base + info->hyp_size - 1));
	return rm_hyp_host_dt(dt, fdt_totalsize(dt));
}
