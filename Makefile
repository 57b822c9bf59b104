# ktcp: out-of-tree build, install and the test targets.
# `make` builds ktcp/ktcp.ko against the running kernel (or KDIR=...); the
# test targets boot QEMU guests with kernels kept in $KTCP_CACHE (see README).

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

clean:
	-[ ! -d $(KDIR) ] || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf .build

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	install -D -m 644 ktcp/uapi/ktcp.h $(DESTDIR)/usr/include/linux/ktcp.h
	$(MAKE) -C tools
	install -D -m 755 tools/ktcp-run $(DESTDIR)/usr/local/bin/ktcp-run
	install -D -m 644 tools/ktcp-preload.so \
		$(DESTDIR)/usr/local/lib/ktcp/ktcp-preload.so
	install -D -m 755 tools/ktcpstat $(DESTDIR)/usr/local/bin/ktcpstat
	install -D -m 755 tools/ktcp-ladder $(DESTDIR)/usr/local/bin/ktcp-ladder
	install -D -m 644 Documentation/ktcp.7 \
		$(DESTDIR)/usr/local/share/man/man7/ktcp.7

tools:
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools; fi

check:
	scripts/check

kunit:
	scripts/kunit-run

demo:
	scripts/demo

lint:
	scripts/lint

bench:
	scripts/bench

stress:
	scripts/stress

# Google's packetdrill TCP scripts against kernel TCP and ktcp, in one guest:
# PACKETDRILL_SRC= a checkout of github.com/google/packetdrill.
packetdrill:
	scripts/packetdrill/run

# Long fuzzing runs: the segment parser in user space (FUZZ_SECONDS), then
# FUZZ_STORM random segments against a guest running FUZZ_KERNEL.
FUZZ_KERNEL ?= 6.12
FUZZ_STORM ?= 2000000
fuzz:
	$(MAKE) -C fuzz fuzz
	scripts/vm-run --kernel $(FUZZ_KERNEL) --timeout 3600 -- \
		env KTCP_STORM=$(FUZZ_STORM) tests/51-random-segments.py

.PHONY: all modules clean install tools check kunit demo lint stress fuzz bench packetdrill
