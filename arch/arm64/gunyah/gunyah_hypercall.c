// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah hypercalls: detection of the hypervisor and the SMCCC wrappers of
 * the hypercalls that the Gunyah drivers use.
 */

#include <linux/arm-smccc.h>
#include <linux/build_bug.h>
#include <linux/gunyah.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/unaligned.h>
#include <linux/uuid.h>

/*
 * A Gunyah hypercall is a fast SMC64 call owned by the vendor hypervisor
 * with class 0b10 in bits 15:14 of the function number; bits 13:0 are the
 * hypercall number.
 */
#define GUNYAH_HYPERCALL(fn)						\
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,	\
			   ARM_SMCCC_OWNER_VENDOR_HYP, fn)

#define GUNYAH_HYPERCALL_HYP_IDENTIFY		GUNYAH_HYPERCALL(0x8000)

static_assert(GUNYAH_HYPERCALL_HYP_IDENTIFY == 0xc6008000);

/* Vendor-hypervisor UID of the open-source Gunyah hypervisor */
static const uuid_t gunyah_uuid = UUID_INIT(0xc1d58fcd, 0xa453, 0x5fdb,
					    0x92, 0x65, 0xce, 0x36,
					    0x67, 0x3d, 0x5f, 0x14);

/* Vendor-hypervisor UID of Qualcomm's Gunyah builds */
static const uuid_t qcom_gunyah_uuid = UUID_INIT(0x19bd54bd, 0x0b37, 0x571b,
						 0x94, 0x6f, 0x60, 0x9b,
						 0x54, 0x53, 0x9d, 0xe6);

/**
 * gunyah_uuid_is_gunyah() - Whether a vendor-hyp CALL_UID result is Gunyah
 * @res: the registers returned by ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID
 *
 * The UID is the low 32 bits of a0..a3, each word stored little-endian,
 * a0 first. The upper halves of the registers are ignored. Both the
 * open-source Gunyah UID and Qualcomm's UID are accepted.
 *
 * Context: Any context; this only decodes @res.
 * Return: true if @res carries a Gunyah UID.
 */
bool gunyah_uuid_is_gunyah(const struct arm_smccc_res *res)
{
	uuid_t uuid;

	put_unaligned_le32(lower_32_bits(res->a0), &uuid.b[0]);
	put_unaligned_le32(lower_32_bits(res->a1), &uuid.b[4]);
	put_unaligned_le32(lower_32_bits(res->a2), &uuid.b[8]);
	put_unaligned_le32(lower_32_bits(res->a3), &uuid.b[12]);

	return uuid_equal(&uuid, &gunyah_uuid) ||
	       uuid_equal(&uuid, &qcom_gunyah_uuid);
}
EXPORT_SYMBOL_GPL(gunyah_uuid_is_gunyah);

/**
 * arch_is_gunyah_guest() - Whether this kernel runs under Gunyah
 *
 * Asks the vendor-hypervisor CALL_UID service through the SMCCC conduit
 * and compares the answer with the Gunyah UIDs.
 *
 * Context: Any context.
 * Return: true if the hypervisor identifies itself as Gunyah; false if it
 * does not or if there is no SMCCC conduit.
 */
bool arch_is_gunyah_guest(void)
{
	struct arm_smccc_res res;

	if (arm_smccc_1_1_get_conduit() == SMCCC_CONDUIT_NONE)
		return false;

	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &res);

	return gunyah_uuid_is_gunyah(&res);
}
EXPORT_SYMBOL_GPL(arch_is_gunyah_guest);

/**
 * gunyah_hypercall_hyp_identify() - Call hypervisor_identify
 * @hyp_identity: filled with the hypervisor's API information (x0) and
 *	API flags (x1..x3)
 *
 * Decode the result with gunyah_api_version() and the other helpers of
 * <linux/gunyah.h>. Only call this under Gunyah (arch_is_gunyah_guest()).
 *
 * Context: Any context.
 */
void gunyah_hypercall_hyp_identify(struct gunyah_hypercall_hyp_identify_resp *hyp_identity)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_HYP_IDENTIFY, &res);

	hyp_identity->api_info = res.a0;
	hyp_identity->flags[0] = res.a1;
	hyp_identity->flags[1] = res.a2;
	hyp_identity->flags[2] = res.a3;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_hyp_identify);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah hypervisor hypercalls");
