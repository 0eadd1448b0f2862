// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah hypervisor platform driver: binds the /hypervisor devicetree node,
 * checks the hypervisor's API and populates the node's children.
 */

#define pr_fmt(fmt) "gunyah: " fmt

#include <linux/array_size.h>
#include <linux/gunyah.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/printk.h>

static const char * const gunyah_feature_names[] = {
	[GUNYAH_FEATURE_PARTITION_CSPACE]	= "partition-cspace",
	[GUNYAH_FEATURE_DOORBELL]		= "doorbell",
	[GUNYAH_FEATURE_MSGQUEUE]		= "msgqueue",
	[GUNYAH_FEATURE_VIC]			= "vic",
	[GUNYAH_FEATURE_VPM]			= "vpm",
	[GUNYAH_FEATURE_VCPU]			= "vcpu",
	[GUNYAH_FEATURE_MEMEXTENT]		= "memextent",
	[GUNYAH_FEATURE_TRACE_CTRL]		= "trace",
	[GUNYAH_FEATURE_WATCHDOG]		= "watchdog",
	[GUNYAH_FEATURE_VIRTIO_MMIO]		= "virtio-mmio",
	[GUNYAH_FEATURE_PRNG]			= "prng",
	[GUNYAH_FEATURE_VCPU_RUN]		= "vcpu-run",
};

static void gunyah_log_identity(struct device *dev,
				const struct gunyah_hypercall_hyp_identify_resp *id)
{
	char names[128];
	size_t len = 0;
	unsigned int i;

	names[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(gunyah_feature_names); i++) {
		if (gunyah_api_has_feature(id, i))
			len += scnprintf(names + len, sizeof(names) - len,
					 " %s", gunyah_feature_names[i]);
	}

	dev_info(dev, "Gunyah API v%u (variant %#x, 64-bit), features %#llx:%s\n",
		 gunyah_api_version(id), gunyah_api_variant(id), id->flags[0],
		 len ? names : " none");
}

static int gunyah_probe(struct platform_device *pdev)
{
	struct gunyah_hypercall_hyp_identify_resp id;
	struct device *dev = &pdev->dev;

	gunyah_hypercall_hyp_identify(&id);

	if (gunyah_api_version(&id) != GUNYAH_API_V1) {
		dev_err(dev, "unsupported Gunyah API version %u (api_info %#llx), need %u\n",
			gunyah_api_version(&id), id.api_info, GUNYAH_API_V1);
		return -ENODEV;
	}

	if (!gunyah_api_is_64bit(&id)) {
		dev_err(dev, "Gunyah reports a 32-bit ABI (api_info %#llx), need 64-bit\n",
			id.api_info);
		return -ENODEV;
	}

	gunyah_log_identity(dev, &id);

	return devm_of_platform_populate(dev);
}

static const struct of_device_id gunyah_of_match[] = {
	{ .compatible = "qcom,gunyah-hypervisor" },
	{ .compatible = "gunyah-hypervisor" },
	{}
};
MODULE_DEVICE_TABLE(of, gunyah_of_match);

static struct platform_driver gunyah_driver = {
	.probe = gunyah_probe,
	/* No .remove: the populated children go away with the devres action. */
	.driver = {
		.name = "gunyah",
		.of_match_table = gunyah_of_match,
	},
};

static int __init gunyah_init(void)
{
	if (!arch_is_gunyah_guest()) {
		pr_info("not running under Gunyah (vendor-hyp UID does not match), not loading\n");
		return -ENODEV;
	}

	return platform_driver_register(&gunyah_driver);
}
module_init(gunyah_init);

static void __exit gunyah_exit(void)
{
	platform_driver_unregister(&gunyah_driver);
}
module_exit(gunyah_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah hypervisor driver");
