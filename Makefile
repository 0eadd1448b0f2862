# SPDX-License-Identifier: GPL-2.0-only
#
# Gunyah driver tree and the EL2 hypervisor it is tested on.
#
#   make run     build everything, boot it in QEMU, load the modules
#   make check   build everything and run every test
#   make check-debug  the end-to-end tests and a stress run on a debug kernel
#   make check-real   only the real Gunyah's lane (GUNYAH_REAL_HYP=hypvm.elf)
#   make modules-clang  the modules with clang (LLVM=1, W=1) against a
#                     clang-prepared kernel (part of make check)
#   make check-clang  the same against a fully built clang kernel
#   make dt-check     the /hypervisor devicetree binding against dt-schema
#   make dkms         stage the DKMS package in build/dkms/gunyah-<version>
#   make dkms-check   dkms add/build/install of that package against the test kernel
#
# Both install missing Debian packages first (make deps). Everything built
# outside this tree (kernel source, kernel build, ccache) lives in
# $(GUNYAH_CACHE), by default ~/.cache/gunyah.
#
# When this directory is used as an out-of-tree module (M=), Kbuild reads
# ./Kbuild and never this file's targets.

ifneq ($(KERNELRELEASE),)
include $(src)/Kbuild
else

T := tools/testing/gunyah
O ?= $(CURDIR)/build
export O

CROSS_COMPILE ?= aarch64-linux-gnu-
TARGET_CC := $(CROSS_COMPILE)gcc
KDIR ?= $(shell $(T)/kernel-dir.sh build)
KSRC ?= $(shell $(T)/kernel-dir.sh src)
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE)

PROGS := $(O)/progs/init $(O)/progs/hyp_memory_test $(O)/progs/host_dt_test \
	 $(O)/progs/cpu_hotplug_test $(O)/progs/gunyah_vm_test $(O)/progs/gunyah_run_test \
	 $(O)/progs/gunyah_vcpu_test $(O)/progs/gunyah_fn_test $(O)/progs/gunyah_stress_test \
	 $(O)/progs/gunyah_trace_test $(O)/progs/gunyah_sched_test $(O)/progs/hyp_irq_test

.PHONY: all deps kernel modules modules-check hyp hyp-test fuzz fuzz-smoke dt-check dkms dkms-check \
	progs samples guests \
	run check \
	bench bench-check clean kernel-debug modules-debug check-debug check-real \
	kernel-clang-prepared kernel-clang modules-clang check-clang

all: kernel modules hyp progs samples guests

deps:
	@$(T)/deps.sh

kernel: deps
	@$(T)/build-kernel.sh >/dev/null

# W=1 by default: the modules must build without warnings.
modules: kernel
	+$(KMAKE) W=1 modules

# The same with sparse on every file, in a fresh copy of the sources so that
# every file is compiled again (the in-tree objects of make all would leave
# the compiler nothing to say, and make check boots those meanwhile); used by
# make check, which reads $(O)/modules-check.log: the compiler's W=1 and
# sparse's output, nothing else.
CHECK_TREE := $(O)/modules-check/tree
modules-check: kernel
	@rm -rf $(CHECK_TREE) && mkdir -p $(CHECK_TREE)
	@cp -p --parents $(MODULE_SOURCES) $(CHECK_TREE)
	+@$(MAKE) -C $(KDIR) M=$(CHECK_TREE) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) W=1 C=1 \
		modules >$(O)/modules-check.log 2>&1; \
		status=$$?; cat $(O)/modules-check.log; exit $$status

hyp: kernel
	+$(MAKE) -C hypervisor LIBFDT=$(KSRC)/scripts/dtc/libfdt O=$(O)/hyp

hyp-test: kernel
	+$(MAKE) -C hypervisor LIBFDT=$(KSRC)/scripts/dtc/libfdt O=$(O)/hyp test

# libFuzzer targets of the hypervisor's parsers (hypervisor/Makefile): each
# FUZZ_SECONDS (60); fuzz-smoke is the short run for make check. FUZZ_SKIP
# and FUZZ_TARGETS pass through from the environment or the command line.
fuzz: kernel
	+$(MAKE) -C hypervisor LIBFDT=$(KSRC)/scripts/dtc/libfdt O=$(O)/hyp fuzz

fuzz-smoke: kernel
	+$(MAKE) -C hypervisor LIBFDT=$(KSRC)/scripts/dtc/libfdt O=$(O)/hyp fuzz-smoke

# The devicetree binding of /hypervisor against dt-schema (TAP, seconds): the
# binding, its example, the host devicetree our hypervisor writes (made on
# this host by hypervisor/tests/host_dt_write.c), the real Gunyah's node and
# broken variants of it; make check runs it. Files in $(O)/dt-check.
dt-check: kernel
	+@$(MAKE) -s -C hypervisor LIBFDT=$(KSRC)/scripts/dtc/libfdt O=$(O)/hyp host-dt-write
	@$(T)/dt-check.sh

# DKMS: `make dkms` stages the package, dkms.conf and the modules' sources, in
# $(O)/dkms/gunyah-<version> for `dkms add` (README.md, "Installing with
# DKMS"); it needs neither the kernel nor the cross compiler, so that it runs
# on a device too. dkms-check runs dkms itself on it against the test kernel
# (add, build, install into scratch trees in $(O)/dkms-check; TAP, about 15
# seconds); make check runs it.
dkms:
	@$(T)/dkms-src.sh

dkms-check: kernel
	@$(T)/dkms-test.sh

# Benchmark programs: not in every boot's initramfs (PROGS are), only in
# make bench's.
BENCH_PROGS := $(O)/bench/kvm_bench

progs: deps $(PROGS) $(BENCH_PROGS)

$(O)/bench/%: $(T)/bench/%.c
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -pthread -O2 -Wall -Wextra -Werror -o $@ $<

$(O)/progs/init: $(T)/init/init.c
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

$(O)/progs/%: $(T)/progs/%.c
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# kselftests, with this tree's UAPI headers and the kernel source's harness.
# They include "../kselftest_harness.h" as in a kernel tree: -iquote a
# directory next to the harness resolves that. -Wall as kselftest's lib.mk:
# the harness itself is not -Wextra clean.
$(O)/progs/%: tools/testing/selftests/gunyah/%.c include/uapi/linux/gunyah.h | kernel
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Werror -I$(CURDIR)/include/uapi \
		-iquote $(KSRC)/tools/testing/selftests/kselftest -o $@ $<

# The run-loop selftest is a small VMM of its own for the bare-metal guest;
# it, the VM, the stress, the trace and the scheduled-VM tests write
# devicetrees with guest_dt.h.
$(O)/progs/gunyah_run_test $(O)/progs/gunyah_stress_test $(O)/progs/gunyah_vm_test \
$(O)/progs/gunyah_trace_test $(O)/progs/gunyah_sched_test: \
	$(T)/guests/test_device.h \
	tools/testing/selftests/gunyah/guest_dt.h
# Both read trace events through tracefs.h.
$(O)/progs/gunyah_trace_test $(O)/progs/gunyah_sched_test: \
	tools/testing/selftests/gunyah/tracefs.h

# The sample VMM, static, with the kernel source's libfdt:
# $(O)/samples/gunyah_vmm.
samples: kernel
	+$(MAKE) -C samples/gunyah CC=$(TARGET_CC) LIBFDT=$(KSRC)/scripts/dtc/libfdt \
		O=$(abspath $(O))/samples

# Test guests: $(O)/guests/baremetal.bin, a raw image entered at 0x80000000,
# and $(O)/guests/linux-initramfs.cpio for the host's Image as a guest.
# The bare-metal guest runs with the MMU off: strictly aligned accesses, no
# FP/SIMD, no libc.
G := $(T)/guests
BAREMETAL_CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
	-isystem $(shell $(TARGET_CC) -print-file-name=include) -nostdlib -static -no-pie \
	-fno-pic -mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-stack-protector \
	-fno-tree-loop-distribute-patterns -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments

guests: deps $(O)/guests/baremetal.bin $(O)/guests/linux-initramfs.cpio

$(O)/guests/baremetal.elf: $(G)/baremetal/start.S $(G)/baremetal/main.c \
			   $(G)/baremetal/baremetal.ld $(G)/test_device.h
	@mkdir -p $(dir $@)
	$(TARGET_CC) $(BAREMETAL_CFLAGS) -T $(G)/baremetal/baremetal.ld -o $@ \
		$(G)/baremetal/start.S $(G)/baremetal/main.c

$(O)/guests/baremetal.bin: $(O)/guests/baremetal.elf
	$(CROSS_COMPILE)objcopy -O binary $< $@

$(O)/guests/linux-init: $(G)/linux/init.c
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

$(O)/guests/linux-initramfs.cpio: $(O)/guests/linux-init | kernel
	printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' \
		'dir /proc 0755 0 0' 'dir /sys 0755 0 0' 'file /init $(abspath $<) 0755 0 0' \
		>$@.list
	$(KDIR)/usr/gen_init_cpio $@.list >$@.tmp
	mv $@.tmp $@

# make run carries the sample VMM and the guests; run one with e.g.
#   make run RUN_ARGS="--cmd 'gunyah_vmm --raw --vcpus 2 /usr/lib/gunyah/baremetal.bin'"
RUN_FILES = --file $(O)/samples/gunyah_vmm:/bin/gunyah_vmm \
	--file $(O)/guests/baremetal.bin:/usr/lib/gunyah/baremetal.bin \
	--file $(KDIR)/arch/arm64/boot/Image:/usr/lib/gunyah/Image \
	--file $(O)/guests/linux-initramfs.cpio:/usr/lib/gunyah/linux-initramfs.cpio

# By default: the bare-metal test guest, then a Linux guest, both on 2 vCPUs.
RUN_ARGS ?= --cmd 'gunyah_vmm --raw --vcpus 2 /usr/lib/gunyah/baremetal.bin' \
	--cmd 'gunyah_vmm --vcpus 2 --initrd /usr/lib/gunyah/linux-initramfs.cpio /usr/lib/gunyah/Image'

run: all
	$(T)/run-qemu.sh $(RUN_FILES) $(RUN_ARGS)

# The kernel first (its build uses every CPU by itself), then the rest of
# all side by side, one job per CPU unless make was given -j: half a
# minute one at a time, a quarter on two CPUs.
check: kernel
	+@$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc)) all
	$(T)/check.sh

# The debug lane: a second kernel with KASAN, lockdep, kmemleak, debug
# objects and the hung-task detector (kernel-debug.config), and the modules
# built against it. Kbuild writes objects beside the sources, so the debug
# modules are built in a copy of the module sources, $(DEBUG_TREE); cp -p
# keeps their times, so only what changed is rebuilt.
DEBUG_TREE := $(O)/debug/tree
KDIR_DEBUG = $(shell GUNYAH_KERNEL_VARIANT=debug $(T)/kernel-dir.sh build)
MODULE_SOURCES = $(shell git ls-files -- Kbuild Kconfig arch drivers include)

kernel-debug: deps
	@GUNYAH_KERNEL_VARIANT=debug $(T)/build-kernel.sh >/dev/null

modules-debug: kernel-debug
	@mkdir -p $(DEBUG_TREE)
	@cp -p --parents $(MODULE_SOURCES) $(DEBUG_TREE)
	+$(MAKE) -C $(KDIR_DEBUG) M=$(DEBUG_TREE) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) W=1 modules

check-debug: all modules-debug
	GUNYAH_MODULES_TOP=$(DEBUG_TREE) $(T)/check.sh --debug

check-real: all
	$(T)/check.sh --real

# clang, as Android device kernels are built: the modules with LLVM=1 and
# W=1 against the same configuration built with Debian's clang. make check
# prepares that kernel only (modules_prepare, about a minute: a second
# kernel build would not fit a cold run's budget), so modpost has no
# Module.symvers and skips its undefined-symbol check; make check-clang
# builds the whole kernel first and links against it. Both leave the
# compiler's output, nothing else, in $(O)/modules-clang.log. Like the debug
# modules, in a copy of the sources.
CLANG_TREE := $(O)/clang/tree
KDIR_CLANG = $(shell GUNYAH_KERNEL_VARIANT=clang $(T)/kernel-dir.sh build)

kernel-clang-prepared: deps
	@GUNYAH_KERNEL_VARIANT=clang $(T)/build-kernel.sh --prepare >/dev/null

kernel-clang: deps
	@GUNYAH_KERNEL_VARIANT=clang $(T)/build-kernel.sh >/dev/null

define clang_modules
	@mkdir -p $(CLANG_TREE)
	@cp -p --parents $(MODULE_SOURCES) $(CLANG_TREE)
	+@$(MAKE) -C $(KDIR_CLANG) M=$(CLANG_TREE) ARCH=arm64 LLVM=1 W=1 $(1) modules \
		>$(O)/modules-clang.log 2>&1; status=$$?; cat $(O)/modules-clang.log; \
		if [ $$status -eq 0 ] && grep -qE 'warning:|error:' $(O)/modules-clang.log; then \
			status=1; fi; exit $$status
endef

# Without the kernel's Module.symvers every symbol the modules import is
# unknown to modpost: reported as its warnings (upper case, not read).
modules-clang: kernel-clang-prepared
	$(call clang_modules,KBUILD_MODPOST_WARN=1)

check-clang: kernel-clang
	$(call clang_modules,)

# Figures, not tests: instructions per call under -icount shift=0, one CPU;
# bench-check (in make check) compares them with the committed baseline.
bench: all
	KVM_BENCH=$(O)/bench/kvm_bench $(T)/bench.sh $(RUN_FILES)

bench-check: all
	KVM_BENCH=$(O)/bench/kvm_bench $(T)/bench.sh --check $(T)/bench-baseline.txt $(RUN_FILES)

clean:
	+-[ ! -d "$(KDIR)" ] || $(KMAKE) clean
	rm -rf $(O)

endif
