/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Gunyah ABI as seen by the VMs: SMCCC function IDs, hypercall numbers,
 * error codes and the identify words. Numbers from ../shared/spec/abi.md §1.
 */
#ifndef HYP_GUNYAH_ABI_H
#define HYP_GUNYAH_ABI_H

#include <hyp/types.h>

/* SMCCC function-ID fields (abi.md §1.3). */
#define SMCCC_FAST_CALL			BIT(31)
#define SMCCC_64			BIT(30)
#define SMCCC_OWNER			GENMASK(29, 24)
#define SMCCC_MBZ			GENMASK(23, 17)
#define SMCCC_SVE_HINT			BIT(16)
#define SMCCC_FUNC			GENMASK(15, 0)

#define SMCCC_OWNER_ARCH		0
#define SMCCC_OWNER_STANDARD		4
#define SMCCC_OWNER_STANDARD_HYP	5
#define SMCCC_OWNER_VENDOR_HYP		6

#define SMCCC_VERSION			0x80000000U
#define SMCCC_ARCH_FEATURES		0x80000001U
#define SMCCC_VERSION_1_3		0x10003U

#define SMCCC_RET_SUCCESS		0
#define SMCCC_RET_NOT_SUPPORTED		(-1)

/* Vendor-hyp service calls: fast, SMC32, function 0x3Fxx. */
#define SMCCC_VENDOR_HYP_CLASS		GENMASK(15, 14)
#define SMCCC_VENDOR_HYP_CLASS_HYPCALL	2
#define SMCCC_VENDOR_HYP_CLASS_SERVICE	3
#define SMCCC_HYPCALL_NUM		GENMASK(13, 0)
#define SMCCC_FUNC_CALL_COUNT		0xFF00
#define SMCCC_FUNC_CALL_UID		0xFF01
#define SMCCC_FUNC_REVISION		0xFF03

/* Native entry path: HVC #(0x6000 + N). */
#define GUNYAH_NATIVE_HVC_BASE		0x6000
#define GUNYAH_NATIVE_HVC_LAST		0x61FF

/* Hypercall numbers (abi.md §2). */
#define GUNYAH_HYPCALL_IDENTIFY		0x00
#define GUNYAH_HYPCALL_DOORBELL_SEND	0x12
#define GUNYAH_HYPCALL_DOORBELL_RECEIVE	0x13
#define GUNYAH_HYPCALL_DOORBELL_RESET	0x14
#define GUNYAH_HYPCALL_DOORBELL_MASK	0x15
#define GUNYAH_HYPCALL_MSGQ_SEND	0x1b
#define GUNYAH_HYPCALL_MSGQ_RECEIVE	0x1c
#define GUNYAH_HYPCALL_MSGQ_FLUSH	0x1d

/* msgqueue_send flags */
#define GUNYAH_MSGQ_SEND_PUSH		BIT(0)

/* hypervisor_identify, word 0 (abi.md §1.5). */
#define GUNYAH_API_INFO_VERSION		GENMASK(13, 0)
#define GUNYAH_API_INFO_BIG_ENDIAN	BIT(14)
#define GUNYAH_API_INFO_64BIT		BIT(15)
#define GUNYAH_API_INFO_VARIANT		GENMASK(63, 56)
#define GUNYAH_API_VERSION		1
/* 'H': Gunyah ("Haven"); the Qualcomm build reports 'Q' (0x51). */
#define GUNYAH_API_VARIANT		0x48

/* hypervisor_identify, word 1: feature flags. */
#define GUNYAH_API_FLAG_PARTITION_CSPACE	BIT(0)
#define GUNYAH_API_FLAG_DOORBELL		BIT(1)
#define GUNYAH_API_FLAG_MSGQUEUE		BIT(2)
#define GUNYAH_API_FLAG_VIC			BIT(3)
#define GUNYAH_API_FLAG_VPM			BIT(4)
#define GUNYAH_API_FLAG_VCPU			BIT(5)
#define GUNYAH_API_FLAG_MEMEXTENT		BIT(6)
#define GUNYAH_API_FLAG_TRACE			BIT(7)
#define GUNYAH_API_FLAG_WATCHDOG		BIT(8)
#define GUNYAH_API_FLAG_VIRTIO_MMIO		BIT(9)
#define GUNYAH_API_FLAG_PRNG			BIT(10)
#define GUNYAH_API_FLAG_VCPU_RUN		BIT(11)
#define GUNYAH_API_FLAG_SCHEDULER		GENMASK(31, 28)

/*
 * The vendor-hyp UID, c1d58fcd-a453-5fdb-9265-ce36673d5f14, as the four
 * 32-bit words returned in x0..x3 (abi.md §1.4).
 */
#define GUNYAH_UID0			0xcd8fd5c1U
#define GUNYAH_UID1			0xdb5f53a4U
#define GUNYAH_UID2			0x36ce6592U
#define GUNYAH_UID3			0x145f3d67U

/* Gunyah error codes (abi.md §1.6); only those this hypervisor returns. */
#define GUNYAH_ERROR_OK			0
#define GUNYAH_ERROR_UNIMPLEMENTED	(-1)
#define GUNYAH_ERROR_RETRY		(-2)
#define GUNYAH_ERROR_ARG_INVAL		1
#define GUNYAH_ERROR_ARG_SIZE		2
#define GUNYAH_ERROR_ARG_ALIGN		3
#define GUNYAH_ERROR_NOMEM		10
#define GUNYAH_ERROR_NORESOURCES	11
#define GUNYAH_ERROR_ADDR_OVFL		20
#define GUNYAH_ERROR_ADDR_UNFL		21
#define GUNYAH_ERROR_ADDR_INVAL		22
#define GUNYAH_ERROR_DENIED		30
#define GUNYAH_ERROR_BUSY		31
#define GUNYAH_ERROR_CSPACE_CAP_NULL	50
#define GUNYAH_ERROR_CSPACE_CAP_REVOKED	51
#define GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE	52
#define GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS	53
#define GUNYAH_ERROR_CSPACE_FULL	54
#define GUNYAH_ERROR_MSGQUEUE_EMPTY	60
#define GUNYAH_ERROR_MSGQUEUE_FULL	61

#endif
