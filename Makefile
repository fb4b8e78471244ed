# domsnap: the quick start. `make demo` and `make check` on a fresh Debian 12.
# meson does the building; this file installs what is missing and wraps it.

BUILD ?= build
GUEST := $(BUILD)/guest

.PHONY: all deps build guest guest-debian check check-unit check-integration check-xen check-asan fuzz demo bench clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	@scripts/deps.sh
	meson setup $(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The test guest: Debian's kernel, busybox and guestd in an initramfs.
guest: build $(GUEST)/initrd.img

$(GUEST)/initrd.img: guest/build-guest.sh $(BUILD)/guestd
	guest/build-guest.sh $(GUEST) $(BUILD)/guestd

# The Debian 12 test guest (systemd, redis, qemu-guest-agent): one qcow2 disk
# that boots under SeaBIOS and OVMF; rebuilt only when its inputs change.
guest-debian:
	guest/build-debian.sh $(BUILD)/guest-debian

check: deps build guest guest-debian
	scripts/run-tests.sh $(BUILD)

check-unit: build
	scripts/run-tests.sh $(BUILD) unit

check-integration: build guest guest-debian
	scripts/run-tests.sh $(BUILD) integration

# Xen 4.17 booted under QEMU, domsnap's xen driver tested inside its dom0.
check-xen: deps build guest
	XEN_STRESS=1 scripts/run-tests.sh $(BUILD) xen

# The whole suite with domsnap built under AddressSanitizer and UBSan (QEMU
# and the guests are not instrumented); any report fails the test it is in.
check-asan: deps guest guest-debian
	scripts/check-asan.sh $(BUILD)

# Every parser of user input under libFuzzer (clang, in build-fuzz), FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

demo: deps build guest
	scripts/demo.sh $(BUILD)

# meson install into PREFIX (default /usr/local; outside /usr the command
# finds its library through its RUNPATH), under DESTDIR if given.
PREFIX ?= /usr/local
.PHONY: install check-deb
install: $(BUILD)/build.ninja
	meson configure $(BUILD) -Dprefix=$(PREFIX)
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir "$(abspath $(DESTDIR))")

# The .debs built from a clean copy of the tree, lintian, and the unpacked
# packages used on the test guest (scripts/check-deb.sh).
check-deb: deps build guest
	scripts/check-deb.sh $(BUILD)

clean:
	rm -rf $(BUILD)
