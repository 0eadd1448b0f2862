// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah hypercalls: detection of the hypervisor and the SMCCC wrappers of
 * the hypercalls that the Gunyah drivers use. Each wrapper emits the
 * gunyah_hypercall trace event (gunyah_hypercall_trace.h).
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
#define GUNYAH_HYPERCALL_BELL_SEND		GUNYAH_HYPERCALL(0x8012)
#define GUNYAH_HYPERCALL_BELL_RECV		GUNYAH_HYPERCALL(0x8013)
#define GUNYAH_HYPERCALL_BELL_RESET		GUNYAH_HYPERCALL(0x8014)
#define GUNYAH_HYPERCALL_BELL_MASK		GUNYAH_HYPERCALL(0x8015)
#define GUNYAH_HYPERCALL_MSGQ_SEND		GUNYAH_HYPERCALL(0x801b)
#define GUNYAH_HYPERCALL_MSGQ_RECV		GUNYAH_HYPERCALL(0x801c)
#define GUNYAH_HYPERCALL_MSGQ_FLUSH		GUNYAH_HYPERCALL(0x801d)
#define GUNYAH_HYPERCALL_VCPU_RUN		GUNYAH_HYPERCALL(0x8065)

static_assert(GUNYAH_HYPERCALL_HYP_IDENTIFY == 0xc6008000);
static_assert(GUNYAH_HYPERCALL_BELL_SEND == 0xc6008012);
static_assert(GUNYAH_HYPERCALL_MSGQ_FLUSH == 0xc600801d);
static_assert(GUNYAH_HYPERCALL_VCPU_RUN == 0xc6008065);

#define CREATE_TRACE_POINTS
#include "gunyah_hypercall_trace.h"

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
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_HYP_IDENTIFY, 0, GUNYAH_ERROR_OK);

	hyp_identity->api_info = res.a0;
	hyp_identity->flags[0] = res.a1;
	hyp_identity->flags[1] = res.a2;
	hyp_identity->flags[2] = res.a3;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_hyp_identify);

/**
 * gunyah_hypercall_bell_send() - Set flags of a doorbell (doorbell_send)
 * @capid: the doorbell's send capability
 * @new_flags: flags to OR into the doorbell's flags
 * @old_flags: filled with the flags before the call; only valid on success
 *
 * The receiver's interrupt is raised if the resulting flags intersect the
 * doorbell's enable mask.
 *
 * Context: Any context.
 * Return: %GUNYAH_ERROR_OK or the hypervisor's error.
 */
enum gunyah_error gunyah_hypercall_bell_send(u64 capid, u64 new_flags,
					     u64 *old_flags)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_BELL_SEND, capid, new_flags, 0, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_BELL_SEND, capid, res.a0);

	if (res.a0 == GUNYAH_ERROR_OK)
		*old_flags = res.a1;

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_bell_send);

/**
 * gunyah_hypercall_bell_recv() - Read and clear flags of a doorbell
 *	(doorbell_receive)
 * @capid: the doorbell's receive capability
 * @clear_flags: flags to clear; must not be 0
 * @old_flags: filled with the flags before the call; only valid on success
 *
 * Context: Any context.
 * Return: %GUNYAH_ERROR_OK or the hypervisor's error
 * (%GUNYAH_ERROR_ARG_INVAL if @clear_flags is 0).
 */
enum gunyah_error gunyah_hypercall_bell_recv(u64 capid, u64 clear_flags,
					     u64 *old_flags)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_BELL_RECV, capid, clear_flags, 0, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_BELL_RECV, capid, res.a0);

	if (res.a0 == GUNYAH_ERROR_OK)
		*old_flags = res.a1;

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_bell_recv);

/**
 * gunyah_hypercall_bell_reset() - Reset a doorbell (doorbell_reset)
 * @capid: the doorbell's receive capability
 *
 * Clears the flags, sets the enable mask to all ones and deasserts the
 * receiver's interrupt.
 *
 * Context: Any context.
 * Return: %GUNYAH_ERROR_OK or the hypervisor's error.
 */
enum gunyah_error gunyah_hypercall_bell_reset(u64 capid)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_BELL_RESET, capid, 0, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_BELL_RESET, capid, res.a0);

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_bell_reset);

/**
 * gunyah_hypercall_bell_mask() - Set a doorbell's masks (doorbell_mask)
 * @capid: the doorbell's receive capability
 * @enable_mask: flags that raise the receiver's interrupt
 * @ack_mask: flags cleared automatically when the interrupt is raised
 *
 * Context: Any context.
 * Return: %GUNYAH_ERROR_OK or the hypervisor's error.
 */
enum gunyah_error gunyah_hypercall_bell_mask(u64 capid, u64 enable_mask,
					     u64 ack_mask)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_BELL_MASK, capid, enable_mask,
			  ack_mask, 0, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_BELL_MASK, capid, res.a0);

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_bell_mask);

/**
 * gunyah_hypercall_msgq_send() - Put a message into a message queue
 *	(msgqueue_send)
 * @capid: the queue's send capability
 * @size: length of the message in bytes, 1 to the queue's maximum
 *	message size
 * @buff: the message. The hypervisor reads it through this kernel virtual
 *	address, so it must be mapped in the kernel's page tables.
 * @tx_flags: %GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH to raise the receiver's
 *	interrupt now rather than when the receive threshold is reached
 * @ready: filled with whether the queue can take another message; only
 *	valid on success
 *
 * Context: Any context.
 * Return: %GUNYAH_ERROR_OK; %GUNYAH_ERROR_MSGQUEUE_FULL if the queue had no
 * free slot (nothing was sent); or another hypervisor error.
 */
enum gunyah_error gunyah_hypercall_msgq_send(u64 capid, size_t size,
					     const void *buff, u64 tx_flags,
					     bool *ready)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_MSGQ_SEND, capid, size,
			  (uintptr_t)buff, tx_flags, 0, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_MSGQ_SEND, capid, res.a0);

	if (res.a0 == GUNYAH_ERROR_OK)
		*ready = !!res.a1;

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_msgq_send);

/**
 * gunyah_hypercall_msgq_recv() - Take a message from a message queue
 *	(msgqueue_receive)
 * @capid: the queue's receive capability
 * @buff: buffer for the message, a kernel virtual address (see
 *	gunyah_hypercall_msgq_send())
 * @size: size of @buff
 * @recv_size: filled with the length of the message; only valid on
 *	success. The hypervisor is not trusted to keep it within @size: the
 *	caller checks.
 * @ready: filled with whether more messages are waiting; only valid on
 *	success
 *
 * Context: Any context.
 * Return: %GUNYAH_ERROR_OK; %GUNYAH_ERROR_MSGQUEUE_EMPTY if there was no
 * message; %GUNYAH_ERROR_ADDR_OVFL if the next message is larger than
 * @size (it stays queued); or another hypervisor error.
 */
enum gunyah_error gunyah_hypercall_msgq_recv(u64 capid, void *buff,
					     size_t size, size_t *recv_size,
					     bool *ready)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_MSGQ_RECV, capid, (uintptr_t)buff,
			  size, 0, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_MSGQ_RECV, capid, res.a0);

	if (res.a0 == GUNYAH_ERROR_OK) {
		*recv_size = res.a1;
		*ready = !!res.a2;
	}

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_msgq_recv);

/**
 * gunyah_hypercall_msgq_flush() - Discard every message in a message queue
 *	(msgqueue_flush)
 * @capid: the queue's receive capability
 *
 * Context: Any context.
 * Return: %GUNYAH_ERROR_OK or the hypervisor's error.
 */
enum gunyah_error gunyah_hypercall_msgq_flush(u64 capid)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(GUNYAH_HYPERCALL_MSGQ_FLUSH, capid, 0, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_MSGQ_FLUSH, capid, res.a0);

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_msgq_flush);

/**
 * gunyah_hypercall_vcpu_run() - Run a proxy-scheduled vCPU (vcpu_run)
 * @capid: the vCPU's capability (AFFINITY and YIELD_TO rights)
 * @resume_data: resume_data_0..2, the answer to the state the previous
 *	call returned: for %GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ the
 *	value read in [0]; after either VMMIO state the
 *	&enum gunyah_vcpu_run_vmmio_action in [1]; 0 otherwise
 * @resp: filled with the vCPU's state and its state data; only valid on
 *	success. The hypervisor is not trusted: the caller checks the sizes
 *	and states it reports.
 *
 * The calling CPU lends its time to the vCPU until the vCPU blocks, needs
 * the host (an MMIO access, a power-off) or the caller is interrupted.
 * Issued with the SMCCC 1.2 convention, which returns x0..x4: x1 the
 * capability, x2..x4 the resume data, x5 zero in; x0 the error, x1 the
 * state, x2..x4 the state data out.
 *
 * Context: Process context. The guest runs inside the call, until the next
 * host interrupt at the latest.
 * Return: %GUNYAH_ERROR_OK; %GUNYAH_ERROR_RETRY if the call should be
 * repeated (nothing was consumed); %GUNYAH_ERROR_UNIMPLEMENTED on a
 * hypervisor without proxy scheduling; or another hypervisor error.
 */
enum gunyah_error
gunyah_hypercall_vcpu_run(u64 capid, const u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS],
			  struct gunyah_hypercall_vcpu_run_resp *resp)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = GUNYAH_HYPERCALL_VCPU_RUN,
		.a1 = capid,
		.a2 = resume_data[0],
		.a3 = resume_data[1],
		.a4 = resume_data[2],
		/* a5 and above: 0, reserved */
	};
	struct arm_smccc_1_2_regs res;

	arm_smccc_1_2_hvc(&args, &res);
	trace_gunyah_hypercall(GUNYAH_HYPERCALL_VCPU_RUN, capid, res.a0);

	if (res.a0 == GUNYAH_ERROR_OK) {
		resp->state = res.a1;
		resp->state_data[0] = res.a2;
		resp->state_data[1] = res.a3;
		resp->state_data[2] = res.a4;
	}

	return (enum gunyah_error)res.a0;
}
EXPORT_SYMBOL_GPL(gunyah_hypercall_vcpu_run);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah hypervisor hypercalls");
