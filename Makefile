# SPDX-License-Identifier: GPL-2.0-only
#
# Gunyah driver tree and the EL2 hypervisor it is tested on.
#
#   make run     build everything, boot it in QEMU, load the modules
#   make check   build everything and run every test
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
	 $(O)/progs/cpu_hotplug_test $(O)/progs/gunyah_vm_test

.PHONY: all deps kernel modules modules-check hyp hyp-test progs run check bench clean

all: kernel modules hyp progs

deps:
	@$(T)/deps.sh

kernel: deps
	@$(T)/build-kernel.sh >/dev/null

# W=1 by default: the modules must build without warnings.
modules: kernel
	+$(KMAKE) W=1 modules

# The same with sparse (C=1); used by make check.
modules-check: kernel
	+$(KMAKE) W=1 C=2 modules

hyp: kernel
	+$(MAKE) -C hypervisor LIBFDT=$(KSRC)/scripts/dtc/libfdt O=$(O)/hyp

hyp-test: kernel
	+$(MAKE) -C hypervisor LIBFDT=$(KSRC)/scripts/dtc/libfdt O=$(O)/hyp test

progs: deps $(PROGS)

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

run: all
	$(T)/run-qemu.sh $(RUN_ARGS)

check: all
	$(T)/check.sh

# Figures, not tests: instructions per call under -icount shift=0, one CPU.
bench: all
	$(T)/run-qemu.sh --icount --smp 1 --step 'insmod /lib/modules/gunyah_bench.ko' \
		| grep -E 'gunyah_bench|run-qemu'

clean:
	+-[ ! -d "$(KDIR)" ] || $(KMAKE) clean
	rm -rf $(O)

endif
