#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The /hypervisor devicetree binding against Debian's dt-schema: the binding
# itself (dt-doc-validate), its example, the host devicetree our hypervisor
# writes, the real Gunyah's node (dt/real-gunyah-hlos.dts), and broken
# variants of that node, each of which dt-validate must refuse. TAP on
# stdout; `make dt-check` runs it (after building the host devicetree's
# writer) and check.sh reads it. Files are left in $O/dt-check.
#
# dt-validate is limited (-l) to this binding: dt-schema's own simple-bus
# schema does not accept the node the real Gunyah writes (no ranges,
# #size-cells 0, children without reg), see testing.rst. dt-validate exits 0
# whatever it finds, so every verdict is read from its output.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

O=${O:-$GUNYAH_TOP/build}
work=$O/dt-check
bindings=$GUNYAH_TOP/Documentation/devicetree/bindings
binding=$bindings/firmware/gunyah-hypervisor.yaml
binding_id=http://devicetree.org/schemas/firmware/gunyah-hypervisor.yaml#
fixtures=$GUNYAH_TOP/tools/testing/gunyah/dt
host_dt_write=$O/hyp/host-tests/host_dt_write
rm_node=/hypervisor/qcom,resource-manager-rpc@0000000000000000
# The real node is no simple-bus in dtc's eyes either: a unit address of 16
# hex digits, a child without reg. The example's wrapper node has cells but
# no reg; the kernel's dt_binding_check turns that warning off too.
dtc_flags=(-W no-simple_bus_reg)
example_dtc_flags=(-W no-simple_bus_reg -W no-avoid_unnecessary_addr_size)

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

# shellcheck source=tools/testing/gunyah/tap.sh
. "$GUNYAH_TOP/tools/testing/gunyah/tap.sh"

# quiet CMD...: CMD succeeds and prints nothing.
quiet() {
	local out
	out=$("$@" 2>&1) || fail "$1 failed: $out" || return
	[ -z "$out" ] || fail "$1 said: $out"
}

# dtc_quiet OUT.dtb IN.dts FLAGS...: compile without a warning.
dtc_quiet() {
	local out=$1 in=$2
	shift 2
	quiet dtc "$@" -I dts -O dtb -o "$out" "$in"
}

# passes NODE DTB: dt-validate finds nothing wrong in DTB, and the binding
# was applied to NODE (the path of /hypervisor), and to no other node.
passes() {
	local node=$1 dtb=$2 out
	out=$(dt-validate -M -l "$binding" -s schema.json "$dtb" 2>&1) ||
		fail "dt-validate failed: $out" || return
	[ "$out" = "$(printf '%s: %s: matched on schema(s)\n\t%s' "$dtb" "$node" "$binding_id")" ] ||
		fail "expected the binding to match $node alone, without errors; dt-validate said:
$out"
}

# refused NAME WHY -d|-t TYPE NODE PROPERTY [VALUE...]: the real node,
# changed by fdtput, is refused by the binding with WHY (a regex) among
# dt-validate's errors.
refused() {
	local why=$2 dtb=broken-$1.dtb opts out
	shift 2
	case $1 in
	-d) opts=(-d); shift ;;
	*) opts=("$1" "$2"); shift 2 ;;
	esac
	cp real.dtb "$dtb" && fdtput "${opts[@]}" "$dtb" "$@" || return
	out=$(dt-validate -l "$binding" -s schema.json "$dtb" 2>&1) ||
		fail "dt-validate failed: $out" || return
	if ! grep -qF "From schema: $binding" <<<"$out" || ! grep -qE -- "$why" <<<"$out"; then
		fail "expected an error matching '$why'; dt-validate said: ${out:-nothing}"
	fi
}

# doc_refused: dt-doc-validate refuses the binding with #address-cells'
# const as a string, so that its pass above means something.
doc_refused() {
	local copy=broken-binding/firmware/gunyah-hypervisor.yaml out
	mkdir -p "$(dirname "$copy")"
	sed 's/^    const: 2$/    const: "2"/' "$binding" >"$copy"
	if cmp -s "$binding" "$copy"; then
		fail "the binding has no #address-cells const of 2 to break"
		return
	fi
	if out=$(dt-doc-validate -u "$bindings" "$copy" 2>&1); then
		fail "dt-doc-validate accepted it: $out"
		return
	fi
	grep -q "is not of type 'integer'" <<<"$out" || fail "dt-doc-validate said: $out"
}

# The binding's example, as the kernel's dt_binding_check takes it.
example() {
	dt-extract-example "$binding" >example.dts &&
		dtc_quiet example.dtb example.dts "${example_dtc_flags[@]}" &&
		passes /example-0/hypervisor example.dtb
}

# Our hypervisor's edits (host_dt_prepare(), through host_dt_write) on the
# devicetree QEMU gives it.
host_dt() {
	qemu-system-aarch64 -machine "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp 2 -m 2G \
		-nographic -nic none -machine dumpdtb=qemu.dtb >/dev/null 2>&1 ||
		fail "QEMU could not dump its devicetree" || return
	[ -x "$host_dt_write" ] || fail "no $host_dt_write: run make dt-check" || return
	"$host_dt_write" qemu.dtb host.dtb && passes /hypervisor host.dtb
}

real_node() {
	dtc_quiet real.dtb "$fixtures/real-gunyah-hlos.dts" "${dtc_flags[@]}" &&
		passes /hypervisor real.dtb
}

echo "1..12"
ok "binding passes dt-doc-validate" quiet dt-doc-validate -u "$bindings" "$binding"
ok "dt-doc-validate refuses a broken binding" doc_refused
# The binding with dt-schema's own schemas, as the kernel's build makes it.
ok "dt-mk-schema processes the binding" quiet dt-mk-schema -j -o schema.json "$bindings"
ok "the binding's example passes" example
ok "our host devicetree's /hypervisor passes" host_dt
ok "the real Gunyah's node passes" real_node

ok "a broken node is refused: the RM node has one interrupt" \
	refused one-interrupt "interrupts: .* is too short" -t u "$rm_node" interrupts 0 0x3a0 1
ok "a broken node is refused: the RM node has no compatible" \
	refused rm-no-compatible "'compatible' is a required property" -d "$rm_node" compatible
ok "a broken node is refused: #address-cells is 1" \
	refused address-cells "#address-cells:0:0: 2 was expected" -t u /hypervisor '#address-cells' 1
ok "a broken node is refused: its compatibles are out of order" \
	refused compatible-order "compatible: 'oneOf' conditional failed" \
	-t s /hypervisor compatible simple-bus qcom,gunyah-hypervisor
ok "a broken node is refused: qcom,gunyah-vm has no qcom,vmid" \
	refused no-vmid "'qcom,vmid' is a required property" -d /hypervisor/qcom,gunyah-vm qcom,vmid
ok "a broken node is refused: a property the binding does not know" \
	refused unknown-property "'qcom,bogus' does not match any of the regexes" \
	-t u /hypervisor qcom,bogus 1
[ $fails -eq 0 ]
