# The pattern rule of docs/usage.md: cawait as a build step before any C
# compiler, flags from pkg-config:
#     make -f rule.mk            (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig)
# cawait's -MD writes main.gen.d ("main.gen.c: main.c greet.h ..."), so
# editing a header regenerates the C, which recompiles the object.
PKG_CONFIG    ?= pkg-config
CAWAIT        ?= $(shell $(PKG_CONFIG) --variable=cawait cawait)
CAWAIT_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags cawait)
CAWAIT_LIBS   ?= $(shell $(PKG_CONFIG) --libs cawait)
CFLAGS        = -O2 -g -Wall
CPPFLAGS      = -DWHO='"rule"'
GEN           = main.gen.c greet.gen.c

prog-rule: $(GEN:.c=.o)
	$(CC) $(CFLAGS) $^ $(CAWAIT_LIBS) -o $@

%.gen.c: %.c
	$(CAWAIT) $< -o $@ -MD -- $(CPPFLAGS) $(CAWAIT_CFLAGS)

%.gen.o: %.gen.c
	$(CC) $(CPPFLAGS) $(CAWAIT_CFLAGS) $(CFLAGS) -c $< -o $@

.SECONDARY: $(GEN)

clean:
	rm -f prog-rule $(GEN) $(GEN:.c=.o) $(GEN:.c=.d)

-include $(GEN:.c=.d)
