# bench/shell.mk: the shell way users write today (USERS.md story 1):
# free space from df, the tier from a shell `if` chain on that number,
# and the usage table from `docker system df`.
#
#   make -f bench/shell.mk DATA_ROOT=/engine/data/root \
#        [DOCKER=/usr/bin/docker] [PARTS=space+tier+usage] [BENCH_SHOW=1]
#
# DOCKER_HOST (environment) names the engine for the docker client.
# DATA_ROOT is given, not asked of the engine (`docker info` would cost
# another client run): the shell way as users write it, at its cheapest.
# PARTS and BENCH_SHOW as in module.mk.  Thresholds as story 1: more than
# 8 GB full, 5-8 medium, 2-5 minimal, below 2 critical.

DATA_ROOT ?= /var/lib/docker
DOCKER ?= /usr/bin/docker
PARTS ?= space+tier+usage
parts := $(subst +, ,$(PARTS))

ifneq ($(filter space,$(parts)),)
AVAILABLE := $(shell df --output=avail -BG $(DATA_ROOT) | tail -n1 | tr -d G)
endif
ifneq ($(filter tier,$(parts)),)
TIER := $(shell if [ $(AVAILABLE) -gt 8 ]; then echo full; \
	elif [ $(AVAILABLE) -ge 5 ]; then echo medium; \
	elif [ $(AVAILABLE) -ge 2 ]; then echo minimal; \
	else echo critical; fi)
endif
ifneq ($(filter usage,$(parts)),)
USAGE := $(shell $(DOCKER) system df)
endif

ifdef BENCH_SHOW
$(info space: $(strip $(AVAILABLE)) G)
$(info tier:  $(TIER))
$(info usage:)
$(info $(USAGE))
endif

.PHONY: all
all: ; @:
