// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah hypercall layer.
 *
 * gunyah_identify, gunyah_uid and gunyah_errno test pure decoders and run
 * anywhere. gunyah_live calls the hypervisor: load this module only on a
 * kernel that runs under Gunyah.
 */

#include <kunit/test.h>
#include <linux/arm-smccc.h>
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/gunyah.h>
#include <linux/limits.h>
#include <linux/module.h>

/* ---------------------------------------------------------------------- */
/* gunyah_identify: decoding of the hypervisor_identify result            */

/* What the open-source Gunyah QEMU build returns */
#define QEMU_API_INFO	0x5100000000008001ULL
#define QEMU_FLAGS0	0x10000EFFULL

static void identify_real_gunyah_qemu(struct kunit *test)
{
	const struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = QEMU_API_INFO,
		.flags = { QEMU_FLAGS0, 0, 0 },
	};

	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), GUNYAH_API_V1);
	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), 1);
	KUNIT_EXPECT_TRUE(test, gunyah_api_is_64bit(&id));
	KUNIT_EXPECT_FALSE(test, gunyah_api_is_big_endian(&id));
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&id), 0x51);
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&id),
			GUNYAH_API_VARIANT_QUALCOMM);
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), GUNYAH_SCHEDULER_FPRR);
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 1);
}

static void identify_real_gunyah_qemu_features(struct kunit *test)
{
	const struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = QEMU_API_INFO,
		.flags = { QEMU_FLAGS0, 0, 0 },
	};

	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_PARTITION_CSPACE));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_DOORBELL));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_MSGQUEUE));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_VIC));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_VPM));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_VCPU));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_MEMEXTENT));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_TRACE_CTRL));
	KUNIT_EXPECT_FALSE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_WATCHDOG));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_VIRTIO_MMIO));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_PRNG));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_VCPU_RUN));
}

/* A 32-bit big-endian API version 2 from the 'H' variant */
static void identify_big_endian_32bit_v2(struct kunit *test)
{
	const struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = 0x4800000000004002ULL,
		.flags = { 0x00000006ULL, 0, 0 },
	};

	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), 2);
	KUNIT_EXPECT_NE(test, gunyah_api_version(&id), GUNYAH_API_V1);
	KUNIT_EXPECT_FALSE(test, gunyah_api_is_64bit(&id));
	KUNIT_EXPECT_TRUE(test, gunyah_api_is_big_endian(&id));
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&id), 0x48);
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&id), GUNYAH_API_VARIANT_GUNYAH);
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), GUNYAH_SCHEDULER_TRIVIAL);
	KUNIT_EXPECT_FALSE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_PARTITION_CSPACE));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_DOORBELL));
	KUNIT_EXPECT_TRUE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_MSGQUEUE));
	KUNIT_EXPECT_FALSE(test, gunyah_api_has_feature(&id, GUNYAH_FEATURE_VIC));
}

static void identify_all_zero(struct kunit *test)
{
	const struct gunyah_hypercall_hyp_identify_resp id = {};
	unsigned int f;

	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), 0);
	KUNIT_EXPECT_FALSE(test, gunyah_api_is_64bit(&id));
	KUNIT_EXPECT_FALSE(test, gunyah_api_is_big_endian(&id));
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&id), 0);
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0);
	for (f = GUNYAH_FEATURE_PARTITION_CSPACE; f <= GUNYAH_FEATURE_VCPU_RUN; f++)
		KUNIT_EXPECT_FALSE_MSG(test, gunyah_api_has_feature(&id, f),
				       "feature bit %u", f);
}

static void identify_all_ones(struct kunit *test)
{
	const struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = ~0ULL,
		.flags = { ~0ULL, ~0ULL, ~0ULL },
	};
	unsigned int f;

	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), 0x3fff);
	KUNIT_EXPECT_TRUE(test, gunyah_api_is_64bit(&id));
	KUNIT_EXPECT_TRUE(test, gunyah_api_is_big_endian(&id));
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&id), 0xff);
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0xf);
	for (f = GUNYAH_FEATURE_PARTITION_CSPACE; f <= GUNYAH_FEATURE_VCPU_RUN; f++)
		KUNIT_EXPECT_TRUE_MSG(test, gunyah_api_has_feature(&id, f),
				      "feature bit %u", f);
}

/* Reserved bits 55:16 must not leak into the decoded fields. */
static void identify_reserved_bits_ignored(struct kunit *test)
{
	const struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = GENMASK_ULL(55, 16) | 1,
		.flags = { BIT_ULL(16), 0, 0 },
	};

	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), 1);
	KUNIT_EXPECT_FALSE(test, gunyah_api_is_64bit(&id));
	KUNIT_EXPECT_FALSE(test, gunyah_api_is_big_endian(&id));
	KUNIT_EXPECT_EQ(test, gunyah_api_variant(&id), 0);
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0);
}

/* Each feature is exactly one bit of api_flags_0. */
static void identify_one_feature_per_bit(struct kunit *test)
{
	struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = QEMU_API_INFO,
	};
	unsigned int set, f;

	for (set = GUNYAH_FEATURE_PARTITION_CSPACE; set <= GUNYAH_FEATURE_VCPU_RUN; set++) {
		id.flags[0] = BIT_ULL(set);
		for (f = GUNYAH_FEATURE_PARTITION_CSPACE; f <= GUNYAH_FEATURE_VCPU_RUN; f++)
			KUNIT_EXPECT_EQ_MSG(test, gunyah_api_has_feature(&id, f), f == set,
					    "flags0 %#llx, feature bit %u",
					    id.flags[0], f);
		KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0);
	}
}

/* Features are read from api_flags_0 only. */
static void identify_features_only_in_flags0(struct kunit *test)
{
	const struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = QEMU_API_INFO,
		.flags = { 0, ~0ULL, ~0ULL },
	};
	unsigned int f;

	for (f = GUNYAH_FEATURE_PARTITION_CSPACE; f <= GUNYAH_FEATURE_VCPU_RUN; f++)
		KUNIT_EXPECT_FALSE_MSG(test, gunyah_api_has_feature(&id, f),
				       "feature bit %u", f);
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0);
}

static void identify_scheduler_field(struct kunit *test)
{
	struct gunyah_hypercall_hyp_identify_resp id = {
		.api_info = QEMU_API_INFO,
	};

	id.flags[0] = 0x20000000ULL;
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 2);
	id.flags[0] = 0xf0000000ULL;
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0xf);
	id.flags[0] = 0x0fffffffULL;
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0);
	id.flags[0] = 0xffffffff00000000ULL;
	KUNIT_EXPECT_EQ(test, gunyah_api_scheduler(&id), 0);
}

static void identify_constants(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, GUNYAH_API_INFO_API_VERSION_MASK, 0x3fffULL);
	KUNIT_EXPECT_EQ(test, GUNYAH_API_INFO_BIG_ENDIAN, 0x4000ULL);
	KUNIT_EXPECT_EQ(test, GUNYAH_API_INFO_IS_64BIT, 0x8000ULL);
	KUNIT_EXPECT_EQ(test, GUNYAH_API_INFO_VARIANT_MASK, 0xff00000000000000ULL);
	KUNIT_EXPECT_EQ(test, GUNYAH_API_FLAGS0_SCHEDULER_MASK, 0xf0000000ULL);
}

static struct kunit_case gunyah_identify_cases[] = {
	KUNIT_CASE(identify_real_gunyah_qemu),
	KUNIT_CASE(identify_real_gunyah_qemu_features),
	KUNIT_CASE(identify_big_endian_32bit_v2),
	KUNIT_CASE(identify_all_zero),
	KUNIT_CASE(identify_all_ones),
	KUNIT_CASE(identify_reserved_bits_ignored),
	KUNIT_CASE(identify_one_feature_per_bit),
	KUNIT_CASE(identify_features_only_in_flags0),
	KUNIT_CASE(identify_scheduler_field),
	KUNIT_CASE(identify_constants),
	{}
};

static struct kunit_suite gunyah_identify_suite = {
	.name = "gunyah_identify",
	.test_cases = gunyah_identify_cases,
};

/* ---------------------------------------------------------------------- */
/* gunyah_uid: recognition of the vendor-hyp CALL_UID result              */

/* c1d58fcd-a453-5fdb-9265-ce36673d5f14 */
static const unsigned long gunyah_uid_words[4] = {
	0xcd8fd5c1, 0xdb5f53a4, 0x36ce6592, 0x145f3d67,
};

/* 19bd54bd-0b37-571b-946f-609b54539de6 */
static const unsigned long qcom_uid_words[4] = {
	0xbd54bd19, 0x1b57370b, 0x9b606f94, 0xe69d5354,
};

static struct arm_smccc_res uid_res(const unsigned long w[4])
{
	return (struct arm_smccc_res){
		.a0 = w[0], .a1 = w[1], .a2 = w[2], .a3 = w[3],
	};
}

static unsigned long *uid_reg(struct arm_smccc_res *res, unsigned int i)
{
	switch (i) {
	case 0:
		return &res->a0;
	case 1:
		return &res->a1;
	case 2:
		return &res->a2;
	default:
		return &res->a3;
	}
}

static void uid_accepts_gunyah(struct kunit *test)
{
	struct arm_smccc_res res = uid_res(gunyah_uid_words);

	KUNIT_EXPECT_TRUE(test, gunyah_uuid_is_gunyah(&res));
}

static void uid_accepts_qualcomm(struct kunit *test)
{
	struct arm_smccc_res res = uid_res(qcom_uid_words);

	KUNIT_EXPECT_TRUE(test, gunyah_uuid_is_gunyah(&res));
}

static void uid_ignores_upper_halves(struct kunit *test)
{
	struct arm_smccc_res res;
	unsigned int i;

	res = uid_res(gunyah_uid_words);
	res.a0 |= 0xffffffff00000000UL;
	res.a1 |= 0x1234567800000000UL;
	res.a2 |= 0x8000000000000000UL;
	res.a3 |= 0x0000000100000000UL;
	KUNIT_EXPECT_TRUE(test, gunyah_uuid_is_gunyah(&res));

	res = uid_res(qcom_uid_words);
	for (i = 0; i < 4; i++)
		*uid_reg(&res, i) |= 0xdeadbeef00000000UL;
	KUNIT_EXPECT_TRUE(test, gunyah_uuid_is_gunyah(&res));
}

static void uid_rejects_kvm(struct kunit *test)
{
	struct arm_smccc_res res = {
		.a0 = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0,
		.a1 = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1,
		.a2 = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2,
		.a3 = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3,
	};

	KUNIT_EXPECT_EQ(test, res.a0, 0xb66fb428UL);
	KUNIT_EXPECT_FALSE(test, gunyah_uuid_is_gunyah(&res));
}

static void uid_rejects_not_supported(struct kunit *test)
{
	struct arm_smccc_res res = {
		.a0 = SMCCC_RET_NOT_SUPPORTED,
	};

	KUNIT_EXPECT_EQ(test, res.a0, ~0UL);
	KUNIT_EXPECT_FALSE(test, gunyah_uuid_is_gunyah(&res));

	/* Even if the other registers happen to hold Gunyah's words */
	res = uid_res(gunyah_uid_words);
	res.a0 = SMCCC_RET_NOT_SUPPORTED;
	KUNIT_EXPECT_FALSE(test, gunyah_uuid_is_gunyah(&res));
}

static void uid_rejects_zero(struct kunit *test)
{
	struct arm_smccc_res res = {};

	KUNIT_EXPECT_FALSE(test, gunyah_uuid_is_gunyah(&res));
}

/* The UUID's bytes read big-endian from the registers must not match. */
static void uid_rejects_wrong_byte_order(struct kunit *test)
{
	static const unsigned long gunyah_be[4] = {
		0xc1d58fcd, 0xa4535fdb, 0x9265ce36, 0x673d5f14,
	};
	static const unsigned long qcom_be[4] = {
		0x19bd54bd, 0x0b37571b, 0x946f609b, 0x54539de6,
	};
	struct arm_smccc_res res;

	res = uid_res(gunyah_be);
	KUNIT_EXPECT_FALSE(test, gunyah_uuid_is_gunyah(&res));
	res = uid_res(qcom_be);
	KUNIT_EXPECT_FALSE(test, gunyah_uuid_is_gunyah(&res));
}

/* Registers in the wrong order must not match. */
static void uid_rejects_register_order(struct kunit *test)
{
	struct arm_smccc_res res = {
		.a0 = gunyah_uid_words[3],
		.a1 = gunyah_uid_words[2],
		.a2 = gunyah_uid_words[1],
		.a3 = gunyah_uid_words[0],
	};

	KUNIT_EXPECT_FALSE(test, gunyah_uuid_is_gunyah(&res));
}

/* Mixing words of the two accepted UIDs must not match. */
static void uid_rejects_mixed(struct kunit *test)
{
	struct arm_smccc_res res;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		res = uid_res(gunyah_uid_words);
		*uid_reg(&res, i) = qcom_uid_words[i];
		KUNIT_EXPECT_FALSE_MSG(test, gunyah_uuid_is_gunyah(&res),
				       "Qualcomm word in a%u", i);
	}
}

static void uid_rejects_corruption(struct kunit *test, const unsigned long w[4])
{
	struct arm_smccc_res res;
	unsigned int i, bit;

	for (i = 0; i < 4; i++) {
		for (bit = 0; bit < 32; bit++) {
			res = uid_res(w);
			*uid_reg(&res, i) ^= BIT(bit);
			KUNIT_EXPECT_FALSE_MSG(test, gunyah_uuid_is_gunyah(&res),
					       "a%u bit %u flipped", i, bit);
		}

		res = uid_res(w);
		*uid_reg(&res, i) = 0;
		KUNIT_EXPECT_FALSE_MSG(test, gunyah_uuid_is_gunyah(&res),
				       "a%u zero", i);

		res = uid_res(w);
		*uid_reg(&res, i) = 0xffffffffUL;
		KUNIT_EXPECT_FALSE_MSG(test, gunyah_uuid_is_gunyah(&res),
				       "a%u all ones", i);
	}
}

static void uid_rejects_gunyah_corruption(struct kunit *test)
{
	uid_rejects_corruption(test, gunyah_uid_words);
}

static void uid_rejects_qualcomm_corruption(struct kunit *test)
{
	uid_rejects_corruption(test, qcom_uid_words);
}

static struct kunit_case gunyah_uid_cases[] = {
	KUNIT_CASE(uid_accepts_gunyah),
	KUNIT_CASE(uid_accepts_qualcomm),
	KUNIT_CASE(uid_ignores_upper_halves),
	KUNIT_CASE(uid_rejects_kvm),
	KUNIT_CASE(uid_rejects_not_supported),
	KUNIT_CASE(uid_rejects_zero),
	KUNIT_CASE(uid_rejects_wrong_byte_order),
	KUNIT_CASE(uid_rejects_register_order),
	KUNIT_CASE(uid_rejects_mixed),
	KUNIT_CASE(uid_rejects_gunyah_corruption),
	KUNIT_CASE(uid_rejects_qualcomm_corruption),
	{}
};

static struct kunit_suite gunyah_uid_suite = {
	.name = "gunyah_uid",
	.test_cases = gunyah_uid_cases,
};

/* ---------------------------------------------------------------------- */
/* gunyah_errno: gunyah_error_remap()                                     */

struct errno_case {
	int gunyah_error;
	int expected;
	const char *name;
};

#define ERRNO_CASE(err, e) { GUNYAH_ERROR_##err, e, #err }

/* Every enum value, with the errno of abi.md section 1.6 */
static const struct errno_case errno_table[] = {
	ERRNO_CASE(OK, 0),
	ERRNO_CASE(UNIMPLEMENTED, -EOPNOTSUPP),
	ERRNO_CASE(RETRY, -EAGAIN),
	ERRNO_CASE(ARG_INVAL, -EINVAL),
	ERRNO_CASE(ARG_SIZE, -EINVAL),
	ERRNO_CASE(ARG_ALIGN, -EINVAL),
	ERRNO_CASE(NOMEM, -ENOMEM),
	ERRNO_CASE(NORESOURCES, -EINVAL),
	ERRNO_CASE(ADDR_OVFL, -EINVAL),
	ERRNO_CASE(ADDR_UNFL, -EINVAL),
	ERRNO_CASE(ADDR_INVAL, -EINVAL),
	ERRNO_CASE(DENIED, -EACCES),
	ERRNO_CASE(BUSY, -EBUSY),
	ERRNO_CASE(IDLE, -EBUSY),
	ERRNO_CASE(OBJECT_STATE, -EINVAL),
	ERRNO_CASE(OBJECT_CONFIG, -EINVAL),
	ERRNO_CASE(OBJECT_CONFIGURED, -EINVAL),
	ERRNO_CASE(FAILURE, -EINVAL),
	ERRNO_CASE(VIRQ_BOUND, -EIO),
	ERRNO_CASE(VIRQ_NOT_BOUND, -EIO),
	ERRNO_CASE(CSPACE_CAP_NULL, -EACCES),
	ERRNO_CASE(CSPACE_CAP_REVOKED, -EACCES),
	ERRNO_CASE(CSPACE_WRONG_OBJ_TYPE, -EACCES),
	ERRNO_CASE(CSPACE_INSUF_RIGHTS, -EACCES),
	ERRNO_CASE(CSPACE_FULL, -EBUSY),
	ERRNO_CASE(MSGQUEUE_EMPTY, -EIO),
	ERRNO_CASE(MSGQUEUE_FULL, -EIO),
	ERRNO_CASE(STRING_TRUNCATED, -EINVAL),
	ERRNO_CASE(STRING_REACHED_END, -EINVAL),
	ERRNO_CASE(STRING_INVALID_FORMAT, -EINVAL),
	ERRNO_CASE(STRING_MISSING_PLACEHOLDER, -EINVAL),
	ERRNO_CASE(STRING_MISSING_ARGUMENT, -EINVAL),
	ERRNO_CASE(ALLOCATOR_RANGE_OVERLAPPING, -EINVAL),
	ERRNO_CASE(ALLOCATOR_MEM_INUSE, -EINVAL),
	ERRNO_CASE(MEMDB_EMPTY, -EINVAL),
	ERRNO_CASE(MEMDB_NOT_OWNER, -EINVAL),
	ERRNO_CASE(MEMEXTENT_MAPPINGS_FULL, -EINVAL),
	ERRNO_CASE(MEMEXTENT_TYPE, -EINVAL),
	ERRNO_CASE(EXISTING_MAPPING, -EINVAL),
};

static void errno_case_desc(const struct errno_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s (%d)", c->name, c->gunyah_error);
}

KUNIT_ARRAY_PARAM(errno_table, errno_table, errno_case_desc);

static void errno_known_value(struct kunit *test)
{
	const struct errno_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, gunyah_error_remap(c->gunyah_error), c->expected);
}

/* The numeric values of the enum are the hypervisor's ABI. */
static void errno_enum_values(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_OK, 0);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_UNIMPLEMENTED, -1);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_RETRY, -2);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ARG_INVAL, 1);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ARG_SIZE, 2);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ARG_ALIGN, 3);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_NOMEM, 10);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_NORESOURCES, 11);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ADDR_OVFL, 20);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ADDR_UNFL, 21);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ADDR_INVAL, 22);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_DENIED, 30);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_BUSY, 31);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_IDLE, 32);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_OBJECT_STATE, 33);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_OBJECT_CONFIG, 34);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_OBJECT_CONFIGURED, 35);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_FAILURE, 36);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_VIRQ_BOUND, 40);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_VIRQ_NOT_BOUND, 41);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_CSPACE_CAP_NULL, 50);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_CSPACE_CAP_REVOKED, 51);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE, 52);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_CSPACE_INSUF_RIGHTS, 53);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_CSPACE_FULL, 54);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_MSGQUEUE_EMPTY, 60);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_MSGQUEUE_FULL, 61);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_STRING_TRUNCATED, 90);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_STRING_REACHED_END, 91);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_STRING_INVALID_FORMAT, 92);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_STRING_MISSING_PLACEHOLDER, 93);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_STRING_MISSING_ARGUMENT, 94);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING, 100);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_ALLOCATOR_MEM_INUSE, 101);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_MEMDB_EMPTY, 110);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_MEMDB_NOT_OWNER, 111);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_MEMEXTENT_MAPPINGS_FULL, 120);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_MEMEXTENT_TYPE, 121);
	KUNIT_EXPECT_EQ(test, GUNYAH_ERROR_EXISTING_MAPPING, 200);
}

static void errno_unknown_values(struct kunit *test)
{
	static const int unknown[] = {
		-3, -100, INT_MIN, 4, 9, 12, 19, 23, 29, 37, 39, 42, 49, 55,
		59, 62, 89, 95, 99, 102, 109, 112, 119, 122, 199, 201, 255,
		INT_MAX,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    gunyah_error_remap((enum gunyah_error)unknown[i]),
				    -EINVAL, "gunyah error %d", unknown[i]);
}

static struct kunit_case gunyah_errno_cases[] = {
	KUNIT_CASE_PARAM(errno_known_value, errno_table_gen_params),
	KUNIT_CASE(errno_enum_values),
	KUNIT_CASE(errno_unknown_values),
	{}
};

static struct kunit_suite gunyah_errno_suite = {
	.name = "gunyah_errno",
	.test_cases = gunyah_errno_cases,
};

/* ---------------------------------------------------------------------- */
/* gunyah_live: against the hypervisor this kernel runs on                */

#define VENDOR_HYP_REVISION_FUNC_ID					\
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32,	\
			   ARM_SMCCC_OWNER_VENDOR_HYP, 0xff03)

static void live_is_gunyah_guest(struct kunit *test)
{
	KUNIT_ASSERT_TRUE(test, arch_is_gunyah_guest());
	/* and the answer is stable */
	KUNIT_EXPECT_TRUE(test, arch_is_gunyah_guest());
}

/* The UID also comes back through HVC, the conduit of the hypercalls. */
static void live_uid_through_hvc(struct kunit *test)
{
	struct arm_smccc_res res;

	/* Never issue an HVC where nothing may be there to take it. */
	KUNIT_ASSERT_TRUE(test, arch_is_gunyah_guest());

	arm_smccc_1_1_hvc(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &res);
	KUNIT_EXPECT_TRUE_MSG(test, gunyah_uuid_is_gunyah(&res),
			      "CALL_UID %#lx %#lx %#lx %#lx",
			      res.a0, res.a1, res.a2, res.a3);
}

static void live_identify(struct kunit *test)
{
	struct gunyah_hypercall_hyp_identify_resp id;

	KUNIT_ASSERT_TRUE(test, arch_is_gunyah_guest());

	gunyah_hypercall_hyp_identify(&id);
	kunit_info(test, "api_info %#llx flags %#llx %#llx %#llx\n",
		   id.api_info, id.flags[0], id.flags[1], id.flags[2]);

	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), GUNYAH_API_V1);
	KUNIT_EXPECT_TRUE(test, gunyah_api_is_64bit(&id));
	KUNIT_EXPECT_EQ(test, gunyah_api_is_big_endian(&id),
			IS_ENABLED(CONFIG_CPU_BIG_ENDIAN));
}

static void live_identify_is_stable(struct kunit *test)
{
	struct gunyah_hypercall_hyp_identify_resp a, b;

	KUNIT_ASSERT_TRUE(test, arch_is_gunyah_guest());

	memset(&a, 0x5a, sizeof(a));
	memset(&b, 0xa5, sizeof(b));
	gunyah_hypercall_hyp_identify(&a);
	gunyah_hypercall_hyp_identify(&b);

	KUNIT_EXPECT_EQ(test, a.api_info, b.api_info);
	KUNIT_EXPECT_EQ(test, a.flags[0], b.flags[0]);
	KUNIT_EXPECT_EQ(test, a.flags[1], b.flags[1]);
	KUNIT_EXPECT_EQ(test, a.flags[2], b.flags[2]);
}

/* Vendor-hyp REVISION returns hyp_api_info, as hypervisor_identify does. */
static void live_revision_matches_identify(struct kunit *test)
{
	struct gunyah_hypercall_hyp_identify_resp id;
	struct arm_smccc_res res;

	KUNIT_ASSERT_TRUE(test, arch_is_gunyah_guest());

	gunyah_hypercall_hyp_identify(&id);
	arm_smccc_1_1_hvc(VENDOR_HYP_REVISION_FUNC_ID, &res);

	KUNIT_EXPECT_EQ(test, (u64)res.a0, id.api_info);
}

static struct kunit_case gunyah_live_cases[] = {
	KUNIT_CASE(live_is_gunyah_guest),
	KUNIT_CASE(live_uid_through_hvc),
	KUNIT_CASE(live_identify),
	KUNIT_CASE(live_identify_is_stable),
	KUNIT_CASE(live_revision_matches_identify),
	{}
};

static struct kunit_suite gunyah_live_suite = {
	.name = "gunyah_live",
	.test_cases = gunyah_live_cases,
};

kunit_test_suites(&gunyah_identify_suite, &gunyah_uid_suite,
		  &gunyah_errno_suite, &gunyah_live_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the Gunyah hypercall layer");
